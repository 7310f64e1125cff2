import type { Db } from '../db/open';
import type { Ctx, SessionBox } from '../context';
import type { SessionUser } from '../../../shared/api/auth';
import type { Role } from '../../../shared/domain/enums';
import { prepared } from '../db/statements';

/**
 * The account epoch each session began in (migration 13). Kept beside the session box rather than in
 * it, so nothing outside this module can set or forge it: the caller of dispatch holds the box, the
 * core alone holds the stamp.
 */
const stamps = new WeakMap<SessionBox, { userId: number; epoch: number }>();

/** The account's current session epoch. */
export function sessionEpochOf(db: Db, userId: number): number {
  const row = prepared(db, 'SELECT session_epoch FROM app_user WHERE id = ?').get(userId) as { session_epoch: number } | undefined;
  return row?.session_epoch ?? 0;
}

/** Starts a session for `user`, stamped with the account's epoch as it is now (login, first-run setup). */
export function beginSession(db: Db, session: SessionBox, user: SessionUser): void {
  session.user = user;
  session.locked = false;
  stamps.set(session, { userId: user.id, epoch: sessionEpochOf(db, user.id) });
}

export function endSession(session: SessionBox): void {
  session.user = null;
  session.locked = false;
  stamps.delete(session);
}

/**
 * Ends every session of the account that began before now: called by the change itself (password
 * reset, own password change, role change), inside its transaction. The calling window's own session
 * carries on when it is that account's (a user changing their own password stays logged in here),
 * once the change has committed.
 */
export function endSessionsOf(ctx: Pick<Ctx, 'db' | 'session' | 'afterCommit'>, userId: number): void {
  prepared(ctx.db, 'UPDATE app_user SET session_epoch = session_epoch + 1 WHERE id = ?').run(userId);
  if (ctx.session.user?.id !== userId) return;
  const epoch = sessionEpochOf(ctx.db, userId);
  const keep = ctx.session;
  ctx.afterCommit(() => {
    if (keep.user?.id === userId) stamps.set(keep, { userId, epoch });
  });
}

/**
 * Re-reads the session's user from the database. An account that was deactivated, or whose id now
 * names someone else (after a restore), or whose password or role changed since the session began
 * (its epoch moved on), ends the session; a changed display name applies at once.
 */
export function refreshSession(db: Db, session: SessionBox): SessionUser | null {
  const u = session.user;
  if (!u) return null;
  const row = prepared(db, 'SELECT username, display_name, role, active, session_epoch FROM app_user WHERE id = ?').get(u.id) as
    { username: string; display_name: string; role: Role; active: number; session_epoch: number } | undefined;
  let stamp = stamps.get(session);
  if (!stamp || stamp.userId !== u.id) {
    // A user put in the box by its holder itself (the test harness does) begins at today's epoch.
    stamp = { userId: u.id, epoch: row?.session_epoch ?? 0 };
    stamps.set(session, stamp);
  }
  if (!row || row.active !== 1 || row.username !== u.username || row.session_epoch !== stamp.epoch) {
    endSession(session);
    return null;
  }
  if (row.role !== u.role || row.display_name !== u.displayName) session.user = { ...u, role: row.role, displayName: row.display_name };
  return session.user;
}
