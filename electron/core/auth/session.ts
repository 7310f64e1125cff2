import type { Db } from '../db/open';
import type { SessionBox } from '../context';
import type { SessionUser } from '../../../shared/api/auth';
import type { Role } from '../../../shared/domain/enums';
import { prepared } from '../db/statements';

/**
 * Re-reads the session's user from the database. An account that was deactivated, or whose id now
 * names someone else (after a restore), ends the session; a changed role or name applies at once.
 */
export function refreshSession(db: Db, session: SessionBox): SessionUser | null {
  const u = session.user;
  if (!u) return null;
  const row = prepared(db, 'SELECT username, display_name, role, active FROM app_user WHERE id = ?').get(u.id) as
    | { username: string; display_name: string; role: Role; active: number }
    | undefined;
  if (!row || row.active !== 1 || row.username !== u.username) {
    session.user = null;
    session.locked = false;
    return null;
  }
  if (row.role !== u.role || row.display_name !== u.displayName) session.user = { ...u, role: row.role, displayName: row.display_name };
  return session.user;
}
