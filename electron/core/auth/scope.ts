import { AppError } from '../../../shared/errors';
import { WARD_SCOPED_ROLES } from '../../../shared/api/users';
import type { Ctx } from '../context';

/**
 * The wards the session user may act in: `'all'` for administrators and experts (network-wide by
 * role), and for a ward doctor or nurse with no ward assigned. That last rule is deliberate: a small
 * hospital, or the demo, works without any assignment, and an administrator narrows a user's scope by
 * assigning wards (Admin → Users). Reads are not scoped; writes into a ward are.
 */
export function wardScope(ctx: Pick<Ctx, 'actor' | 'stmt'>): 'all' | ReadonlySet<number> {
  const user = ctx.actor;
  if (!WARD_SCOPED_ROLES.includes(user.role)) return 'all';
  const rows = ctx.stmt<[number], { ward_id: number }>('SELECT ward_id FROM user_ward WHERE user_id = ?').all(user.id);
  return rows.length === 0 ? 'all' : new Set(rows.map((r) => r.ward_id));
}

/** Throws FORBIDDEN unless the session user may act in this ward. `field` names the input field for the form. */
export function assertWardAccess(ctx: Pick<Ctx, 'actor' | 'stmt'>, wardId: number, field = 'wardId'): void {
  const scope = wardScope(ctx);
  if (scope === 'all' || scope.has(wardId)) return;
  throw new AppError('FORBIDDEN', `ward ${wardId} is outside the user's wards`, {
    key: 'scope.ward_forbidden',
    issues: [{ field, key: 'scope.ward_forbidden' }],
  });
}
