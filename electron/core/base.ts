import type Database from 'better-sqlite3';
import type { Db } from './db/open';
import type { SessionUser } from '../../shared/api/auth';
import { AppError } from '../../shared/errors';
import { prepared } from './db/statements';

/** Who is logged in, held per window by the caller of dispatch (Electron main, or the test harness). */
export interface SessionBox {
  user: SessionUser | null;
  /** Idle lock: while set, dispatch refuses every call but `auth:unlock` and `auth:logout`. */
  locked?: boolean;
  /** Where the calls come from, set by a network host (address and the name the client gave); every audit row records it. */
  workstation?: string | null;
}

/**
 * What every handler gets, inside a transaction (Ctx) or outside one (OpCtx): the caller's clock, the
 * session, its user, and prepared statements on the current connection.
 */
export abstract class BaseCtx {
  auditCount = 0;

  constructor(
    readonly now: string,
    readonly session: SessionBox,
  ) {}

  abstract get db(): Db;

  get user(): SessionUser | null {
    return this.session.user;
  }

  /** The logged-in user; dispatch guarantees one for every non-public call. */
  get actor(): SessionUser {
    const u = this.session.user;
    if (!u) throw new AppError('UNAUTHENTICATED', 'not logged in', { key: 'error.UNAUTHENTICATED' });
    return u;
  }

  /** A prepared statement, prepared once per connection. */
  stmt<P extends unknown[] | {} = unknown[], R = unknown>(sql: string): Database.Statement<P, R> {
    return prepared(this.db, sql) as Database.Statement<P, R>;
  }
}
