import { z } from 'zod';
import type { Db } from './db/open';
import { Ctx, type Handlers, type SessionBox } from './context';
import { OpCtx, type CoreRuntime } from './operation';
import { refreshSession } from './auth/session';
import { enforceScope, episodesOfInput, wardsOfInput } from './auth/scope';
import { describeOperation, describeWrite, type ChangeFeed } from './changes/feed';
import type { SessionUser } from '../../shared/api/auth';
import { contract, lookupCall, type AppContract, type CallDef } from '../../shared/api';
import { toFieldIssues } from '../../shared/api/issues';
import { AppError, type ErrorPayload, type Result } from '../../shared/errors';
import { writeAudit } from './audit/audit';

export interface DispatchOptions {
  /** Parse handler output against the contract's output schema (on in tests, cheap enough to keep on). */
  checkOutput?: boolean;
  /** Where unexpected errors are reported; the renderer only ever sees a code. */
  log?: (err: unknown, channel: string) => void;
  /** Where each committed write raises its change notice (createCore's feed); none in a bare dispatch. */
  changes?: ChangeFeed;
}

/**
 * The one entry point of the backend. Validates input against the contract, checks the role,
 * runs the handler in one transaction (immediate for commands), stores the derived state of the
 * episodes it touched, requires commands to audit in that same transaction, and wraps the outcome as `{ok, value}` or `{ok:false, error}`.
 */
export function createDispatch(db: Db, handlers: Handlers<AppContract>, options: DispatchOptions = {}) {
  const checkOutput = options.checkOutput ?? true;
  const log = options.log ?? ((err: unknown, channel: string) => console.error(`[dispatch] ${channel}`, err));

  return function dispatch(channel: string, rawInput: unknown, session: SessionBox, now: string): Result<unknown> {
    try {
      const { call, handler, input } = prepareCall(db, handlers, channel, rawInput, session);
      if (call.kind === 'operation') throw new AppError('INTERNAL', `${channel} is an operation: it runs through invoke`);
      const ctx = new Ctx(db, now, session);
      const wards: number[] = [];
      const run = db.transaction(() => {
        // The wards the input names before the handler runs: a move's notice names the ward it left.
        if (options.changes && call.kind === 'command') wards.push(...wardsOfInput(db, call.scope, input));
        const value = handler(ctx, input);
        if (options.changes && call.kind === 'command') {
          wards.push(...wardsOfInput(db, call.scope, input));
          for (const e of episodesOfInput(db, call.scope, input)) ctx.changedEpisodes.add(e);
        }
        // The episodes the handler touched get their derived state stored once, in this transaction.
        ctx.refreshTouched();
        if (call.kind === 'command' && ctx.auditCount === 0) {
          throw new AppError('INTERNAL', `command ${channel} wrote no audit row`);
        }
        // Checked inside the transaction: a reply that breaks the contract rolls the change back.
        return checkOutput && !ctx.failure ? call.output.parse(value) : value;
      });
      const value = call.kind === 'command' ? run.immediate() : run.deferred();
      // The transaction committed: its hooks run even when the call then reports a failure (a wrong password ends a locked session).
      ctx.runCommitHooks();
      if (options.changes && ctx.auditCount > 0) announce(options.changes, db, channel, ctx, wards, log);
      if (ctx.failure) throw ctx.failure;
      return { ok: true, value };
    } catch (err) {
      const error = toErrorPayload(err);
      if (error.code === 'INTERNAL' || error.code === 'STORAGE') log(err, channel);
      if (error.code === 'CONFLICT') recordConflict(db, channel, rawInput, session, now, error, log);
      return { ok: false, error };
    }
  };
}

export type Dispatch = ReturnType<typeof createDispatch>;

/**
 * A write refused because the record changed under it (an older version, a bed just taken, a key
 * already used) leaves its own audit row, in its own transaction: in a race, the audit shows every
 * attempt's outcome, the winner's change and each loser's refusal with what it was told.
 */
function recordConflict(db: Db, channel: string, rawInput: unknown, session: SessionBox, now: string, error: ErrorPayload, log: (err: unknown, channel: string) => void): void {
  const call = lookupCall(contract, channel);
  const user = session.user;
  if (call?.kind !== 'command' || !user) return;
  const fields = typeof rawInput === 'object' && rawInput !== null ? (rawInput as Record<string, unknown>) : {};
  const targets = 'targets' in call.scope ? Object.fromEntries(Object.keys(call.scope.targets).flatMap((f) => (typeof fields[f] === 'number' ? [[f, fields[f]]] : []))) : {};
  try {
    db.transaction(() =>
      writeAudit(
        db,
        now,
        user.id,
        { action: 'call.conflict', entity: 'call', after: { channel, targets, key: error.details.key ?? null, params: error.details.params ?? {} } },
        session.workstation ?? null,
      ),
    ).immediate();
  } catch (err) {
    log(err, `${channel} conflict audit`);
  }
}

/** Raises the committed write's change notice; a failure here is logged, never turned into the call's failure (it committed). */
function announce(changes: ChangeFeed, db: Db, channel: string, ctx: Ctx, wards: number[], log: (err: unknown, channel: string) => void): void {
  try {
    const draft = describeWrite(db, {
      channel,
      at: ctx.now,
      actions: ctx.actions,
      user: ctx.user,
      workstation: ctx.session.workstation ?? null,
      wards,
      episodes: ctx.changedEpisodes,
    });
    changes.publish(draft, ctx.session);
  } catch (err) {
    log(err, `${channel} change notice`);
  }
}

type AnyHandler = (ctx: never, input: unknown) => unknown;

function findHandler(handlers: Handlers<AppContract>, channel: string): AnyHandler | undefined {
  const [domain, verb] = channel.split(':') as [string, string];
  const table = handlers as unknown as Record<string, Record<string, AnyHandler>>;
  if (!Object.prototype.hasOwnProperty.call(table, domain)) return undefined;
  const calls = table[domain];
  return calls && Object.prototype.hasOwnProperty.call(calls, verb) ? calls[verb] : undefined;
}

/**
 * Finds the call, checks the session and role, then the ward scope, then validates the input: in that
 * order, so a refused call learns nothing about its input. The scope is checked again on the validated
 * input, which is what the handler sees.
 */
function prepareCall(
  db: Db,
  handlers: Handlers<AppContract>,
  channel: string,
  rawInput: unknown,
  session: SessionBox,
): { call: CallDef; handler: (ctx: unknown, input: unknown) => unknown; input: unknown } {
  const call = lookupCall(contract, channel);
  const handler = call ? findHandler(handlers, channel) : undefined;
  if (!call || !handler) throw new AppError('NOT_FOUND', `unknown call ${String(channel)}`, { key: 'error.unknown_call' });
  const user = authorize(db, call, channel, session);
  if (user) enforceScope(db, call.scope, rawInput, user);
  const parsed = call.input.safeParse(rawInput);
  if (!parsed.success) {
    throw new AppError('VALIDATION', 'invalid input', { issues: toFieldIssues(parsed.error.issues) });
  }
  if (user) enforceScope(db, call.scope, parsed.data, user);
  return { call, handler: handler as (ctx: unknown, input: unknown) => unknown, input: parsed.data };
}

/** What a locked session may still do: give the password again, or leave. */
const WHILE_LOCKED: ReadonlySet<string> = new Set(['auth:unlock', 'auth:logout']);

/** The caller, once the session and role allow the call; null for a public call. */
function authorize(db: Db, call: CallDef, channel: string, session: SessionBox): SessionUser | null {
  if (call.access === 'public') return null;
  if (!session.user) throw new AppError('UNAUTHENTICATED', 'not logged in', { key: 'error.UNAUTHENTICATED' });
  // The role is read from the database on every call: a deactivated or demoted account loses its rights at once.
  const user = refreshSession(db, session);
  if (!user) throw new AppError('UNAUTHENTICATED', 'the session has ended', { key: 'auth.session_ended' });
  if (session.locked && !WHILE_LOCKED.has(channel)) throw new AppError('UNAUTHENTICATED', 'the screen is locked', { key: 'auth.session_locked' });
  if (call.access === 'authenticated') return user;
  if (!call.access.includes(user.role)) throw new AppError('FORBIDDEN', `role ${user.role} may not make this call`, { params: { role: user.role } });
  return user;
}

/**
 * The asynchronous entry point used over IPC: operations (backup, restore) run here, outside any
 * transaction, one at a time; every other call goes straight to the synchronous dispatch.
 */
export function createInvoke(runtime: CoreRuntime, dispatch: Dispatch, handlers: Handlers<AppContract>, options: DispatchOptions = {}) {
  const checkOutput = options.checkOutput ?? true;
  const log = options.log ?? ((err: unknown, channel: string) => console.error(`[invoke] ${channel}`, err));

  return async function invoke(channel: string, rawInput: unknown, session: SessionBox, now: string): Promise<Result<unknown>> {
    const call = lookupCall(contract, channel);
    if (call?.kind !== 'operation') return dispatch(channel, rawInput, session, now);
    try {
      const { handler, input } = prepareCall(runtime.db, handlers, channel, rawInput, session);
      const value = await runtime.runExclusive(channel, async () => {
        const ctx = new OpCtx(runtime, now, session);
        const out = await (handler as (ctx: OpCtx, input: unknown) => Promise<unknown>)(ctx, input);
        if (ctx.auditCount === 0 && !ctx.unchanged) throw new AppError('INTERNAL', `operation ${channel} wrote no audit row`);
        if (options.changes && ctx.auditCount > 0) {
          options.changes.publish(describeOperation(channel, now, ctx.user, session.workstation ?? null), session);
        }
        return out;
      });
      return { ok: true, value: checkOutput ? call.output.parse(value) : value };
    } catch (err) {
      const error = toErrorPayload(err);
      if (error.code === 'INTERNAL' || error.code === 'STORAGE') log(err, channel);
      return { ok: false, error };
    }
  };
}

export type Invoke = ReturnType<typeof createInvoke>;

/** SQLite errors are mapped by their extended result code, never by message text. */
export function toErrorPayload(err: unknown): ErrorPayload {
  if (err instanceof AppError) return err.toPayload();
  if (err instanceof z.ZodError) {
    return { code: 'INTERNAL', message: 'output did not match the contract', details: { issues: toFieldIssues(err.issues) } };
  }
  const code = (err as { code?: unknown }).code;
  if (typeof code === 'string' && code.startsWith('SQLITE_')) {
    if (code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY') {
      return { code: 'CONFLICT', message: 'a record with the same key already exists', details: { key: 'error.conflict_unique', sqliteCode: code } };
    }
    if (code === 'SQLITE_CONSTRAINT_TRIGGER') {
      return { code: 'RULE_VIOLATION', message: 'signed records cannot be changed', details: { key: 'error.immutable', sqliteCode: code } };
    }
    if (code.startsWith('SQLITE_CONSTRAINT')) {
      return { code: 'VALIDATION', message: 'the data broke a database rule', details: { key: 'error.constraint', sqliteCode: code } };
    }
    const key = code.startsWith('SQLITE_FULL')
      ? 'storage.full'
      : code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED')
        ? 'storage.locked'
        : code.startsWith('SQLITE_READONLY')
          ? 'storage.readonly'
          : code.startsWith('SQLITE_CORRUPT') || code === 'SQLITE_NOTADB'
            ? 'storage.corrupt'
            : 'storage.io';
    return { code: 'STORAGE', message: `database error ${code}`, details: { key, sqliteCode: code } };
  }
  return { code: 'INTERNAL', message: 'unexpected error', details: { key: 'error.INTERNAL' } };
}
