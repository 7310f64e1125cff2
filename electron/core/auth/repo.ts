import type { Ctx } from '../context';
import type { Role } from '../../../shared/domain/enums';
import type { SessionUser } from '../../../shared/api/auth';

export interface UserRow {
  id: number;
  username: string;
  display_name: string;
  role: Role;
  password_hash: string;
  active: 0 | 1;
  failed_logins: number;
  locked_until: string | null;
  last_login_at: string | null;
}

export function findUserByUsername(ctx: Ctx, username: string): UserRow | undefined {
  return ctx.stmt<[string], UserRow>('SELECT * FROM app_user WHERE username = ?').get(username);
}

export function countUsers(ctx: Ctx): number {
  return ctx.stmt<[], { n: number }>('SELECT count(*) AS n FROM app_user').get()?.n ?? 0;
}

export function insertUser(ctx: Ctx, u: { username: string; displayName: string; role: Role; passwordHash: string }): number {
  const r = ctx
    .stmt(`INSERT INTO app_user (username, display_name, role, password_hash, created_at) VALUES (@username, @displayName, @role, @passwordHash, @now)`)
    .run({ ...u, now: ctx.now });
  return Number(r.lastInsertRowid);
}

export function toSessionUser(u: Pick<UserRow, 'id' | 'username' | 'display_name' | 'role'>): SessionUser {
  return { id: u.id, username: u.username, displayName: u.display_name, role: u.role };
}
