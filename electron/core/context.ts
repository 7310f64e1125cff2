import type Database from 'better-sqlite3';
import type { Db } from './db/open';
import type { SessionUser } from '../../shared/api/auth';
import type { AppContract, CallDef, Contract } from '../../shared/api';
import type { z } from 'zod';
import { AppError } from '../../shared/errors';
import { writeAudit, type AuditEntry } from './audit/audit';
import { prepared } from './db/statements';
import type { OpCtx } from './operation';

/** Who is logged in, held per window by the caller of dispatch (Electron main, or the test harness). */
export interface SessionBox {
  user: SessionUser | null;
  /** Idle lock: while set, dispatch refuses every call but `auth:unlock` and `auth:logout`. */
  locked?: boolean;
}

/** What a handler gets: the database, the caller's clock, the session user and the audit writer. */
export class Ctx {
  private readonly commitHooks: (() => void)[] = [];
  auditCount = 0;
  /** Set by `failAfterCommit`: the call fails, but what it wrote (e.g. a failed-login count) is kept. */
  failure: AppError | null = null;

  constructor(
    readonly db: Db,
    readonly now: string,
    readonly session: SessionBox,
  ) {}

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

  /** `userId` defaults to the session user; a login names the user who is logging in. */
  audit(entry: AuditEntry, userId: number | null = this.session.user?.id ?? null): void {
    writeAudit(this.db, this.now, userId, entry);
    this.auditCount += 1;
  }

  /** Runs after the transaction commits (e.g. setting the window's session after a login is stored). */
  afterCommit(fn: () => void): void {
    this.commitHooks.push(fn);
  }

  failAfterCommit(err: AppError): void {
    this.failure = err;
  }

  runCommitHooks(): void {
    for (const fn of this.commitHooks.splice(0)) fn();
  }
}

export type Handler<C extends CallDef> = C['kind'] extends 'operation'
  ? (ctx: OpCtx, input: z.output<C['input']>) => Promise<z.input<C['output']>>
  : (ctx: Ctx, input: z.output<C['input']>) => z.input<C['output']>;
export type Handlers<C extends Contract> = { [D in keyof C]: { [V in keyof C[D]]: Handler<C[D][V]> } };
export type DomainHandlers<D extends keyof AppContract> = Handlers<AppContract>[D];
