import { contract, lookupCall } from '../../../shared/api';
import type { ErrorPayload, Result } from '../../../shared/errors';

/**
 * The browser's way to the record (DESIGN.md §11): a ward tablet or PC opens the Echelon server's
 * address and gets this renderer; `window.echelon` is then the same bridge the preload builds
 * (shared/api/client.ts), over HTTPS instead of IPC. The session is an HttpOnly cookie the page
 * never sees.
 *
 * Faults: a call that never reached the server, or whose answer was lost, is retried a few times;
 * a write carries an idempotency key, the same one on every retry, so the server runs it at most
 * once. When the server stays out of reach the call answers UNAVAILABLE ("not saved, retry"); the
 * next attempt at the same write with the same input reuses the key, so a save whose answer was
 * lost is never written twice. Nothing is reported saved unless the server answered that it was.
 */

export type Connection = 'online' | 'offline';

const RETRY_DELAYS_MS = [300, 1_200];
const RECONNECT_EVERY_MS = 3_000;
/** Header names of electron/server/protocol.ts (the renderer may not import the server wing). */
const IDEMPOTENCY_HEADER = 'idempotency-key';

let state: Connection = 'online';
let confirmedAt = Date.now();
const listeners = new Set<(state: Connection) => void>();
/** Keys of writes that failed for want of the server, by channel and input, kept for the retry. */
const pendingKeys = new Map<string, string>();
let reconnectTimer: ReturnType<typeof setTimeout> | null = null;

export function connectionState(): { state: Connection; confirmedAt: number } {
  return { state, confirmedAt };
}

/** Told when the connection is lost and when it is back (the cache then refetches what is shown). */
export function onConnection(listener: (state: Connection) => void): () => void {
  listeners.add(listener);
  return () => {
    listeners.delete(listener);
  };
}

/** The change socket dropped (lib/live.ts): the screen is unconfirmed from now until the server answers again. */
export function reportUnreachable(): void {
  setState('offline');
}

function setState(next: Connection): void {
  if (next === 'online') confirmedAt = Date.now();
  if (next === state) return;
  state = next;
  for (const l of listeners) l(next);
  if (next === 'offline') scheduleReconnect();
}

function scheduleReconnect(): void {
  if (reconnectTimer !== null) return;
  reconnectTimer = setTimeout(() => {
    reconnectTimer = null;
    fetch('/api/server-info', { cache: 'no-store' }).then(
      (r) => (r.ok ? setState('online') : scheduleReconnect()),
      () => scheduleReconnect(),
    );
  }, RECONNECT_EVERY_MS);
}

function unavailable(write: boolean): Result<never> {
  const error: ErrorPayload = {
    code: 'UNAVAILABLE',
    message: 'the Echelon server could not be reached',
    details: { key: write ? 'network.not_saved' : 'network.unreachable' },
  };
  return { ok: false, error };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function newKey(): string {
  return globalThis.crypto.randomUUID();
}

/** One contract call over HTTPS, answering the same envelope as IPC. */
export async function httpInvoke(channel: string, input: unknown): Promise<Result<unknown>> {
  const write = lookupCall(contract, channel)?.kind === 'command';
  const body = JSON.stringify(input ?? {});
  const pendingId = `${channel}\u0000${body}`;
  const key = write ? (pendingKeys.get(pendingId) ?? newKey()) : null;
  const [domain, verb] = channel.split(':');
  const url = `/api/${encodeURIComponent(domain ?? '')}/${encodeURIComponent(verb ?? '')}`;
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (key) headers[IDEMPOTENCY_HEADER] = key;

  for (let attempt = 0; ; attempt++) {
    try {
      const response = await fetch(url, { method: 'POST', headers, body, credentials: 'same-origin', cache: 'no-store' });
      const type = response.headers.get('content-type') ?? '';
      // A proxy's or a closing server's page is no answer from Echelon: treat it as not reached.
      if (!type.includes('application/json')) throw new TypeError(`no Echelon answer (${response.status})`);
      const result = (await response.json()) as Result<unknown>;
      setState('online');
      pendingKeys.delete(pendingId);
      return result;
    } catch {
      if (attempt < RETRY_DELAYS_MS.length) {
        await sleep(RETRY_DELAYS_MS[attempt] ?? 0);
        continue;
      }
      if (key) pendingKeys.set(pendingId, key);
      setState('offline');
      return unavailable(write);
    }
  }
}
