import { AppError } from '../../../shared/errors';
import { WARD_SCOPED_ROLES, type User } from '../../../shared/api/users';
import type { Role } from '../../../shared/domain/enums';
import type { Ctx, DomainHandlers } from '../context';
import { hashPassword } from '../auth/password';
import { findUserByUsername, insertUser } from '../auth/repo';
import { endSessionsOf } from '../auth/session';
import { expectVersion } from '../records/versions';

interface UserListRow {
  id: number;
  username: string;
  display_name: string;
  role: Role;
  active: 0 | 1;
  created_at: string;
  last_login_at: string | null;
  locked_until: string | null;
  ward_ids: string | null;
  version: number;
}

const USER_SELECT = `
  SELECT u.id, u.username, u.display_name, u.role, u.active, u.created_at, u.last_login_at, u.locked_until, u.version,
         (SELECT group_concat(ward_id) FROM (SELECT ward_id FROM user_ward WHERE user_id = u.id ORDER BY ward_id)) AS ward_ids
  FROM app_user u`;

function toUser(r: UserListRow, now: string): User {
  return {
    id: r.id,
    username: r.username,
    displayName: r.display_name,
    role: r.role,
    active: r.active === 1,
    wardIds: r.ward_ids ? r.ward_ids.split(',').map(Number) : [],
    createdAt: r.created_at,
    lastLoginAt: r.last_login_at,
    lockedUntil: r.locked_until && r.locked_until > now ? r.locked_until : null,
    version: r.version,
  };
}

function getUser(ctx: Ctx, userId: number): User {
  const row = ctx.stmt<[number], UserListRow>(`${USER_SELECT} WHERE u.id = ?`).get(userId);
  if (!row) throw new AppError('NOT_FOUND', `user ${userId} not found`, { key: 'users.not_found' });
  return toUser(row, ctx.now);
}

function activeAdmins(ctx: Ctx): number {
  return ctx.stmt<[], { n: number }>(`SELECT count(*) AS n FROM app_user WHERE role = 'admin' AND active = 1`).get()?.n ?? 0;
}

/** Replaces a user's wards; refuses unknown wards and roles that are not ward-scoped. */
function writeWards(ctx: Ctx, userId: number, role: Role, wardIds: readonly number[]): number[] {
  const ids = [...new Set(wardIds)].sort((a, b) => a - b);
  if (ids.length > 0 && !WARD_SCOPED_ROLES.includes(role)) throw AppError.field('wardIds', 'users.wards_not_scoped');
  const exists = ctx.stmt<[number], { id: number }>('SELECT id FROM ward WHERE id = ?');
  for (const id of ids) if (!exists.get(id)) throw AppError.field('wardIds', 'error.ward_not_found');
  ctx.stmt('DELETE FROM user_ward WHERE user_id = ?').run(userId);
  const insert = ctx.stmt('INSERT INTO user_ward (user_id, ward_id, assigned_at, assigned_by) VALUES (?, ?, ?, ?)');
  for (const id of ids) insert.run(userId, id, ctx.now, ctx.actor.id);
  return ids;
}

export const userHandlers: DomainHandlers<'users'> = {
  list(ctx) {
    return ctx
      .stmt<[], UserListRow>(`${USER_SELECT} ORDER BY u.active DESC, u.role, u.username`)
      .all()
      .map((r) => toUser(r, ctx.now));
  },

  create(ctx, input) {
    if (findUserByUsername(ctx, input.username)) {
      throw new AppError('CONFLICT', 'username taken', { key: 'users.username_taken', issues: [{ field: 'username', key: 'users.username_taken' }] });
    }
    const id = insertUser(ctx, { username: input.username, displayName: input.displayName, role: input.role, passwordHash: hashPassword(input.password) });
    const wardIds = writeWards(ctx, id, input.role, input.wardIds);
    ctx.audit({ action: 'user.create', entity: 'user', entityId: id, after: { username: input.username, displayName: input.displayName, role: input.role, wardIds } });
    return getUser(ctx, id);
  },

  update(ctx, input) {
    const before = getUser(ctx, input.userId);
    expectVersion(ctx, { table: 'app_user', id: input.userId, version: input.version });
    const after = {
      displayName: input.displayName ?? before.displayName,
      role: input.role ?? before.role,
      active: input.active ?? before.active,
    };
    // The workstation must never be left without an administrator who can log in.
    const losesAdmin = before.role === 'admin' && before.active && (after.role !== 'admin' || !after.active);
    if (losesAdmin && activeAdmins(ctx) <= 1) throw new AppError('RULE_VIOLATION', 'the last active administrator', { key: 'users.last_admin' });
    if (input.userId === ctx.actor.id && !after.active) throw AppError.field('active', 'users.not_self');
    ctx.stmt('UPDATE app_user SET display_name = ?, role = ?, active = ? WHERE id = ?').run(after.displayName, after.role, after.active ? 1 : 0, input.userId);
    // A new role ends the account's sessions (DESIGN.md §6): its user logs in again and gets a fresh screen set.
    // So does deactivation, so that reactivating the account later does not bring an old session back.
    if (after.role !== before.role || (before.active && !after.active)) endSessionsOf(ctx, input.userId);
    // A role that is not ward-scoped keeps no ward assignments.
    const wardIds = WARD_SCOPED_ROLES.includes(after.role) ? before.wardIds : writeWards(ctx, input.userId, after.role, []);
    const changed = (['displayName', 'role', 'active'] as const).filter((k) => before[k] !== after[k]);
    ctx.audit({
      action: 'user.update',
      entity: 'user',
      entityId: input.userId,
      before: { ...Object.fromEntries(changed.map((k) => [k, before[k]])), ...(wardIds.length !== before.wardIds.length ? { wardIds: before.wardIds } : {}) },
      after: { ...Object.fromEntries(changed.map((k) => [k, after[k]])), ...(wardIds.length !== before.wardIds.length ? { wardIds } : {}) },
    });
    return getUser(ctx, input.userId);
  },

  resetPassword(ctx, { userId, password, version }) {
    const user = getUser(ctx, userId);
    expectVersion(ctx, { table: 'app_user', id: userId, version });
    ctx.stmt('UPDATE app_user SET password_hash = ?, failed_logins = 0, locked_until = NULL WHERE id = ?').run(hashPassword(password), userId);
    // Whoever knew the old password is logged out everywhere (DESIGN.md §6).
    endSessionsOf(ctx, userId);
    ctx.audit({ action: 'user.reset_password', entity: 'user', entityId: userId, after: { username: user.username, unlocked: user.lockedUntil !== null } });
    return { ok: true as const };
  },

  setWards(ctx, { userId, wardIds, version }) {
    const before = getUser(ctx, userId);
    expectVersion(ctx, { table: 'app_user', id: userId, version });
    const after = writeWards(ctx, userId, before.role, wardIds);
    ctx.audit({ action: 'user.set_wards', entity: 'user', entityId: userId, before: { wardIds: before.wardIds }, after: { wardIds: after } });
    return getUser(ctx, userId);
  },
};
