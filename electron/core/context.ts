import type { Db } from './db/open';
import type { AppContract, CallDef, Contract } from '../../shared/api';
import type { z } from 'zod';
import type { AppError } from '../../shared/errors';
import { writeAudit, type AuditEntry } from './audit/audit';
import { BaseCtx, type SessionBox } from './base';
import type { OpCtx } from './operation';
import { computeSnapshot, refreshEpisodeState, type ClinicalSnapshot } from './clinical/state';

export type { SessionBox } from './base';

/** What a handler gets inside dispatch's transaction: the base, plus the audit writer and commit hooks. */
export class Ctx extends BaseCtx {
  private readonly commitHooks: (() => void)[] = [];
  /** Episodes whose records this call changed and whose derived state is not yet stored anew. */
  private readonly touched = new Set<number>();
  /** Every episode this call touched, kept for its change notice (`touched` empties as states are stored). */
  readonly changedEpisodes = new Set<number>();
  /** The audit actions this call wrote: what its change notice says changed. */
  readonly actions: string[] = [];
  /** Snapshots stored by `freshState` and untouched since: asked again, they are not recomputed. */
  private readonly fresh = new Map<number, ClinicalSnapshot>();
  /** Set by `failAfterCommit`: the call fails, but what it wrote (e.g. a failed-login count) is kept. */
  failure: AppError | null = null;

  constructor(
    private readonly connection: Db,
    now: string,
    session: SessionBox,
  ) {
    super(now, session);
  }

  get db(): Db {
    return this.connection;
  }

  /** `userId` defaults to the session user; a login names the user who is logging in. */
  audit(entry: AuditEntry, userId: number | null = this.session.user?.id ?? null): void {
    writeAudit(this.db, this.now, userId, entry, this.session.workstation ?? null);
    this.auditCount += 1;
    this.actions.push(entry.action);
  }

  /** Runs after the transaction commits (e.g. setting the window's session after a login is stored). */
  afterCommit(fn: () => void): void {
    this.commitHooks.push(fn);
  }

  /**
   * The call fails with `err`, but what it wrote (a failed-login count, its audit row) is committed
   * first. The handler returns what this returns: dispatch sends the error, never a value.
   */
  failAfterCommit(err: AppError): Refused {
    this.failure = err;
    return REFUSED;
  }

  /**
   * This call changed what the episode's derived state is computed from (a round, a result, a class,
   * a review, a discharge…). Dispatch stores the state of every touched episode once, before the
   * output check and the commit (`refreshTouched`), however many times it was touched.
   */
  touchEpisode(episodeId: number): void {
    this.touched.add(episodeId);
    this.changedEpisodes.add(episodeId);
    this.fresh.delete(episodeId);
  }

  /**
   * The episode's state as this call will commit it, for a handler whose reply reads it (a saved
   * round's next observation time): a touched episode is refreshed now, and not again at the end
   * unless touched again; an untouched one is computed without writing.
   */
  freshState(episodeId: number): ClinicalSnapshot {
    const known = this.fresh.get(episodeId);
    if (known) return known;
    if (!this.touched.has(episodeId)) return computeSnapshot(this, episodeId);
    this.touched.delete(episodeId);
    const s = refreshEpisodeState(this, episodeId);
    this.fresh.set(episodeId, s);
    return s;
  }

  /** Stores the derived state of every episode touched and not yet refreshed; dispatch calls it once the handler returns. */
  refreshTouched(): void {
    for (const id of this.touched) refreshEpisodeState(this, id);
    this.touched.clear();
  }

  runCommitHooks(): void {
    for (const fn of this.commitHooks.splice(0)) fn();
  }
}

/** What a handler returns after `ctx.failAfterCommit`: a value dispatch never sends (nor checks against the contract). */
export const REFUSED: unique symbol = Symbol('refused after commit');
export type Refused = typeof REFUSED;

export type Handler<C extends CallDef> = C['kind'] extends 'operation'
  ? (ctx: OpCtx, input: z.output<C['input']>) => Promise<z.input<C['output']>>
  : (ctx: Ctx, input: z.output<C['input']>) => z.input<C['output']> | Refused;
export type Handlers<C extends Contract> = { [D in keyof C]: { [V in keyof C[D]]: Handler<C[D][V]> } };
export type DomainHandlers<D extends keyof AppContract> = Handlers<AppContract>[D];
