import { AppError } from '../../../shared/errors';
import { REFUSED, type DomainHandlers, type Refused } from '../context';
import { hashPassword, verifyPassword } from './password';
import { findUserByUsername, toSessionUser, type UserRow } from './repo';
import { beginSession, endSession, endSessionsOf, refreshSession } from './session';

/** After this many wrong passwords in a row the account waits LOCK_MINUTES before the next try. */
export const MAX_FAILED_LOGINS = 5;
export const LOCK_MINUTES = 5;

const badCredentials = () => new AppError('UNAUTHENTICATED', 'wrong username or password', { key: 'auth.bad_credentials' });
const wrongOldPassword = () => new AppError('VALIDATION', 'wrong password', { key: 'auth.wrong_password', issues: [{ field: 'oldPassword', key: 'auth.wrong_password' }] });

/**
 * A well-formed hash of no one's password, with the parameters of real hashes: an unknown or inactive
 * username is checked against it, so a login takes the same scrypt time whether the account exists or
 * not, and its timing does not tell which usernames are real (issue 12, finding 12).
 */
const NO_ACCOUNT_HASH = 'scrypt$32768$8$1$IFVTr6FpXLPfPJR/0aR/xw==$OHatl2EYL4Y/qUuPSwOjn6mbQcl+oGpUlmpLawMCvPA=';

export const authHandlers: DomainHandlers<'auth'> = {
  login(ctx, { username, password }) {
    const user = findUserByUsername(ctx, username);
    if (!user || user.active === 0) {
      verifyPassword(password, NO_ACCOUNT_HASH);
      ctx.audit({ action: 'auth.login_failed', entity: 'user', after: { username } });
      return ctx.failAfterCommit(badCredentials());
    }
    if (user.locked_until && user.locked_until > ctx.now) {
      ctx.audit({ action: 'auth.login_refused_locked', entity: 'user', entityId: user.id });
      return ctx.failAfterCommit(new AppError('FORBIDDEN', 'account temporarily locked', { key: 'auth.locked', params: { until: user.locked_until } }));
    }
    if (!verifyPassword(password, user.password_hash)) {
      return recordFailure(ctx, user);
    }
    ctx.stmt('UPDATE app_user SET failed_logins = 0, locked_until = NULL, last_login_at = ? WHERE id = ?').run(ctx.now, user.id);
    const session = toSessionUser(user);
    ctx.audit({ action: 'auth.login', entity: 'user', entityId: user.id }, user.id);
    ctx.afterCommit(() => beginSession(ctx.db, ctx.session, session));
    return session;
  },

  logout(ctx) {
    ctx.audit({ action: 'auth.logout', entity: 'user', entityId: ctx.actor.id });
    ctx.afterCommit(() => endSession(ctx.session));
    return { ok: true as const };
  },

  session(ctx) {
    // A public call, so dispatch has not re-read the account: do it here, so an ended session reads as none.
    const user = refreshSession(ctx.db, ctx.session);
    return user ? { ...user, locked: ctx.session.locked === true } : null;
  },

  lock(ctx) {
    ctx.audit({ action: 'auth.lock', entity: 'user', entityId: ctx.actor.id });
    ctx.afterCommit(() => {
      ctx.session.locked = true;
    });
    return { ok: true as const };
  },

  unlock(ctx, { password }) {
    const actor = ctx.actor;
    const user = checkOwnPassword(ctx, { password, unlocking: true });
    if (user === REFUSED) return user;
    ctx.stmt('UPDATE app_user SET failed_logins = 0, locked_until = NULL WHERE id = ?').run(user.id);
    ctx.audit({ action: 'auth.unlock', entity: 'user', entityId: user.id });
    ctx.afterCommit(() => {
      ctx.session.locked = false;
    });
    return actor;
  },

  /**
   * A user changes their own password: the old one is required and counts towards the lockout like a
   * login (reaching it ends this session too, as at the lock screen). The account's other sessions end;
   * this window's carries on.
   */
  changePassword(ctx, { oldPassword, newPassword }) {
    const user = checkOwnPassword(ctx, { password: oldPassword, unlocking: false });
    if (user === REFUSED) return user;
    if (newPassword === oldPassword) throw AppError.field('newPassword', 'auth.password_unchanged');
    ctx.stmt('UPDATE app_user SET password_hash = ?, failed_logins = 0, locked_until = NULL WHERE id = ?').run(hashPassword(newPassword), user.id);
    endSessionsOf(ctx, user.id);
    ctx.audit({ action: 'auth.change_password', entity: 'user', entityId: user.id });
    return { ok: true as const };
  },

  loginUsers(ctx) {
    return ctx
      .stmt<[], { username: string; displayName: string; role: UserRow['role'] }>(
        `SELECT username, display_name AS displayName, role FROM app_user WHERE active = 1
         ORDER BY last_login_at IS NULL, last_login_at DESC, username LIMIT 12`,
      )
      .all();
  },
};

/**
 * The signed-in user's own password, asked again to unlock the screen or to change the password: the
 * account is re-read; while it is locked for wrong passwords the call is refused and this session ends
 * (the lock screen gives way to the login screen); a wrong password counts towards the lockout like a
 * login.
 */
function checkOwnPassword(ctx: Parameters<DomainHandlers<'auth'>['login']>[0], p: { password: string; unlocking: boolean }): UserRow | Refused {
  const actor = ctx.actor;
  const user = findUserByUsername(ctx, actor.username);
  if (!user || user.id !== actor.id) throw new AppError('UNAUTHENTICATED', 'the session has ended', { key: 'auth.session_ended' });
  if (user.locked_until && user.locked_until > ctx.now) {
    ctx.audit({ action: p.unlocking ? 'auth.unlock_refused_locked' : 'auth.change_password_refused_locked', entity: 'user', entityId: user.id });
    ctx.afterCommit(() => endSession(ctx.session));
    return ctx.failAfterCommit(new AppError('FORBIDDEN', 'account temporarily locked', { key: 'auth.locked', params: { until: user.locked_until } }));
  }
  if (!verifyPassword(p.password, user.password_hash)) return recordFailure(ctx, user, p.unlocking ? 'auth.unlock_failed' : 'auth.change_password_failed');
  return user;
}

function recordFailure(ctx: Parameters<DomainHandlers<'auth'>['login']>[0], user: UserRow, action = 'auth.login_failed'): Refused {
  const failed = user.failed_logins + 1;
  const lockedUntil = failed >= MAX_FAILED_LOGINS ? new Date(Date.parse(ctx.now) + LOCK_MINUTES * 60000).toISOString() : null;
  ctx.stmt('UPDATE app_user SET failed_logins = ?, locked_until = ? WHERE id = ?').run(lockedUntil ? 0 : failed, lockedUntil, user.id);
  ctx.audit({ action, entity: 'user', entityId: user.id, after: { failed, lockedUntil } });
  // From a logged-in window (lock screen, own password change), reaching the lockout ends the session.
  if (lockedUntil && action !== 'auth.login_failed') ctx.afterCommit(() => endSession(ctx.session));
  return ctx.failAfterCommit(
    lockedUntil
      ? new AppError('FORBIDDEN', 'account temporarily locked', { key: 'auth.locked', params: { until: lockedUntil } })
      : action === 'auth.change_password_failed'
        ? wrongOldPassword()
        : badCredentials(),
  );
}
