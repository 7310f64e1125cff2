import { createHash } from 'node:crypto';
import type { Db } from './db/open';
import type { SessionBox } from './base';
import { toErrorPayload, type Dispatch } from './dispatch';
import { prepared } from './db/statements';
import { contract, lookupCall } from '../../shared/api';
import { AppError, type Result } from '../../shared/errors';

/** How long a write's key is remembered: a workstation retries within seconds or minutes, never a day later. */
export const IDEMPOTENCY_KEEP_MS = 24 * 60 * 60 * 1000;

/** A client's key: 8–128 characters of a UUID or base64url alphabet. */
export const IDEMPOTENCY_KEY_PATTERN = /^[A-Za-z0-9_-]{8,128}$/;

export interface OnceResult {
  result: Result<unknown>;
  /** True when the stored result of an earlier call with the same key was returned and nothing ran. */
  replayed: boolean;
}

/**
 * Never replayed: calls that make, change or end a session (login, lock, unlock, logout, own password,
 * first-run setup), since a replay would answer without the session change the caller expects; and the
 * exports (FHIR bundles, CSV), which change no record, so running one twice is harmless, while their
 * answer can run to megabytes of patient data that has no business being stored a second time.
 */
const NEVER_REPLAYED = /^(?:auth|setup|fhir|export):/;

/** Fields left out of the stored input hash: a fast hash of a password must never sit in the record. */
const SECRET_FIELD = /password/i;

/**
 * JSON with object keys sorted, so the same input hashes the same whatever the order its keys were sent
 * in; password fields left out (a retry with the same key and another password is not told apart).
 */
function canonical(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
  if (v !== null && typeof v === 'object') {
    const o = v as Record<string, unknown>;
    return `{${Object.keys(o)
      .sort()
      .filter((k) => o[k] !== undefined && !SECRET_FIELD.test(k))
      .map((k) => `${JSON.stringify(k)}:${canonical(o[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(v) ?? 'null';
}

export function inputHash(channel: string, input: unknown): string {
  return createHash('sha256').update(channel).update('\u0000').update(canonical(input)).digest('hex');
}

/**
 * A write that carries an idempotency key runs at most once. The key, the caller, the channel, a hash
 * of the input and the result are stored in the same transaction as the write itself (dispatch's
 * transaction nests inside this one as a savepoint), so "stored" and "written" cannot disagree, even
 * after a crash: a retry finds the result and returns it without running the call again. The same key
 * with another caller, call or input is a CONFLICT. Only successes are stored: a refused write wrote
 * nothing, so its retry (after an unlock, say) runs for real. Queries, operations and session calls
 * (NEVER_REPLAYED) run as usual, whatever key they carry.
 */
export function createDispatchOnce(db: () => Db, dispatch: Dispatch) {
  return function dispatchOnce(key: string, channel: string, input: unknown, session: SessionBox, now: string): OnceResult {
    if (lookupCall(contract, channel)?.kind !== 'command' || NEVER_REPLAYED.test(channel)) return { result: dispatch(channel, input, session, now), replayed: false };
    if (!IDEMPOTENCY_KEY_PATTERN.test(key)) {
      const error = new AppError('VALIDATION', 'malformed idempotency key', { key: 'idempotency.key_invalid' });
      return { result: { ok: false, error: error.toPayload() }, replayed: false };
    }
    const conn = db();
    const userId = session.user?.id ?? null;
    const hash = inputHash(channel, input);
    try {
      return conn
        .transaction((): OnceResult => {
          const seen = prepared(conn, 'SELECT user_id, channel, input_hash, result FROM idempotency WHERE key = ?').get(key) as
            { user_id: number | null; channel: string; input_hash: string; result: string } | undefined;
          if (seen) {
            if (seen.user_id !== userId || seen.channel !== channel || seen.input_hash !== hash) {
              const error = new AppError('CONFLICT', 'idempotency key reused for another call', { key: 'idempotency.key_reused' });
              return { result: { ok: false, error: error.toPayload() }, replayed: false };
            }
            return { result: { ok: true, value: JSON.parse(seen.result) as unknown }, replayed: true };
          }
          const result = dispatch(channel, input, session, now);
          if (result.ok) {
            const cutoff = new Date(Date.parse(now) - IDEMPOTENCY_KEEP_MS).toISOString();
            prepared(conn, 'DELETE FROM idempotency WHERE at < ?').run(cutoff);
            prepared(conn, 'INSERT INTO idempotency (key, user_id, channel, input_hash, result, at) VALUES (?, ?, ?, ?, ?, ?)').run(
              key,
              userId,
              channel,
              hash,
              JSON.stringify(result.value ?? null),
              now,
            );
          }
          return { result, replayed: false };
        })
        .immediate();
    } catch (err) {
      return { result: { ok: false, error: toErrorPayload(err) }, replayed: false };
    }
  };
}

export type DispatchOnce = ReturnType<typeof createDispatchOnce>;
