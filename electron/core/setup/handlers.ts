import { AppError } from '../../../shared/errors';
import type { DomainHandlers } from '../context';
import { hashPassword } from '../auth/password';
import { countUsers, insertUser } from '../auth/repo';
import { beginSession } from '../auth/session';
import { generateDemoNetwork } from '../demo/generate';

/** First run on an empty record: create the first administrator, or load the demo network. */
export const setupHandlers: DomainHandlers<'setup'> = {
  status(ctx) {
    const users = countUsers(ctx);
    const facilities = ctx.stmt<[], { n: number }>('SELECT count(*) AS n FROM facility').get()?.n ?? 0;
    return { needsSetup: users === 0, hasData: facilities > 0 };
  },

  createAdmin(ctx, input) {
    if (countUsers(ctx) > 0) throw new AppError('CONFLICT', 'setup is already done', { key: 'setup.already_done' });
    const id = insertUser(ctx, { username: input.username, displayName: input.displayName, role: 'admin', passwordHash: hashPassword(input.password) });
    const session = { id, username: input.username, displayName: input.displayName, role: 'admin' as const };
    ctx.audit({ action: 'user.create', entity: 'user', entityId: id, after: { username: input.username, role: 'admin' } });
    ctx.afterCommit(() => beginSession(ctx.db, ctx.session, session));
    return session;
  },

  loadDemo(ctx, input) {
    if (countUsers(ctx) > 0) throw new AppError('CONFLICT', 'setup is already done', { key: 'setup.already_done' });
    const result = generateDemoNetwork(ctx, { seed: input.seed ?? 20220320 });
    ctx.afterCommit(() => beginSession(ctx.db, ctx.session, result.user));
    return result;
  },
};
