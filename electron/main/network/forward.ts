import { randomUUID } from 'node:crypto';
import { contract, lookupCall } from '../../../shared/api';
import { AppError, type Result } from '../../../shared/errors';
import { EchelonClient } from '../../server/client';
import type { NetworkConfig } from './config';

/** What a window is told when the server presented a certificate other than the pinned one. */
export interface CertificateChange {
  url: string;
  expected: string;
  actual: string;
}

export interface ForwarderOptions {
  /** A call with no answer in this long fails as "not saved, retry" (EchelonClient's default otherwise). */
  timeoutMs?: number;
  /**
   * Pauses before the automatic retries of a call that failed on the way (`retryable`), as the browser's
   * transport does (renderer/src/lib/transport.ts); the same idempotency key every time. Default 300 ms, 1.2 s.
   */
  retryDelaysMs?: readonly number[];
  /**
   * Where each window's change messages go (the server's /api/changes, over the window's own session):
   * the socket opens once the window has logged in, and opens again after a drop while the session lasts.
   */
  onChange?: (windowId: number, message: unknown) => void;
  /** Pause before opening a dropped change socket again (default 3 s). */
  rewatchMs?: number;
  /** Told once per refused call; nothing of that call was sent (the pin is checked on the handshake). */
  onCertificateChanged?: (windowId: number, change: CertificateChange) => void;
}

export interface Forwarder {
  /** One contract call for one window, over that window's own session; resolves with the envelope, never rejects. */
  call(windowId: number, channel: string, input: unknown): Promise<Result<unknown>>;
  /** The window closed: its session is logged out on the server (best effort) and its connections closed. */
  closeWindow(windowId: number): Promise<void>;
  /** The settings in use. */
  config(): NetworkConfig;
  /**
   * An administrator accepted a new certificate: every window's client is dropped (they were pinned to
   * the old one, and their sessions were held over it), so each logs in again over the new pin.
   */
  repin(config: NetworkConfig): void;
  /** The app quits: every window's session is logged out (best effort) and every connection closed. */
  close(): Promise<void>;
}

const CHANGED = 'server.fingerprint_mismatch';
const RETRY_DELAYS_MS: readonly number[] = [300, 1_200];
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const UNREACHABLE = 'server.unreachable';
/** A failure on the way after the request may have reached the server (its answer lost or garbled). */
const mayHaveArrived = (r: Result<unknown>) => !r.ok && r.error.details.retryable === true && r.error.details.key !== UNREACHABLE;

interface WindowLink {
  client: EchelonClient;
  /** The open change socket, or the attempt to open one; null when none. */
  watching: Promise<{ close(): void } | null> | null;
  /** Keys of writes whose answer never came, by channel and input: the user's retry reuses it, so the server runs it once. */
  pending: Map<string, string>;
}

/**
 * Connected mode's main process (issue 14, DESIGN.md §11): instead of opening the local core, each
 * window gets its own EchelonClient, so one window is one workstation login with its own session
 * token, held in memory here and never given to the renderer. Every contract call is forwarded as is;
 * the server answers the same `{ok, value | error}` the local core would, so the renderer does not
 * know the difference, and its session-ended path works unchanged (a token the server no longer knows
 * answers UNAUTHENTICATED `server.session_expired`).
 *
 * Faults: a call that failed on the way (`retryable`) is tried again twice, then answers "not saved,
 * retry" (the renderer keeps what was typed). A write keeps its idempotency key across those attempts
 * and, if they all fail, for the user's own retry of the same action (same channel, same input): the
 * server runs it at most once.
 * A changed certificate is refused on the TLS handshake before any byte of the call is written, and
 * reported to `onCertificateChanged` so the window can show its own screen rather than an error.
 */
export function createForwarder(initial: NetworkConfig, options: ForwarderOptions = {}): Forwarder {
  let settings = initial;
  const delays = options.retryDelaysMs ?? RETRY_DELAYS_MS;
  const links = new Map<number, WindowLink>();

  function linkOf(windowId: number): WindowLink {
    let link = links.get(windowId);
    if (!link) {
      const client = new EchelonClient({
        url: settings.url,
        fingerprint: settings.fingerprint,
        workstation: settings.workstation,
        ...(options.timeoutMs ? { timeoutMs: options.timeoutMs } : {}),
      });
      link = { client, pending: new Map(), watching: null };
      links.set(windowId, link);
    }
    return link;
  }

  /** Opens the window's change socket if it has a session and none is open; a dropped one reopens while the link and session last. */
  function watch(windowId: number, link: WindowLink): void {
    const onChange = options.onChange;
    if (!onChange || link.watching || !link.client.token) return;
    const again = () => {
      link.watching = null;
      onChange(windowId, { type: 'link', up: false });
      setTimeout(() => links.get(windowId) === link && watch(windowId, link), options.rewatchMs ?? 3_000).unref?.();
    };
    link.watching = link.client
      .watchChanges({
        onMessage: (m) => onChange(windowId, m),
        // 4401: the session is over; the next login opens a new socket.
        onClose: (code) => (code === 4401 ? (link.watching = null) : again()),
      })
      .catch(() => {
        again();
        return null;
      });
  }

  function unwatch(link: WindowLink): void {
    const w = link.watching;
    link.watching = null;
    void w?.then((h) => h?.close());
  }

  async function drop(link: WindowLink): Promise<void> {
    unwatch(link);
    try {
      if (link.client.token) await link.client.call('auth:logout', {});
    } finally {
      link.client.close();
    }
  }

  return {
    async call(windowId, channel, input) {
      const call = lookupCall(contract, channel);
      if (!call)
        return {
          ok: false,
          error: new AppError('NOT_FOUND', `unknown call ${channel}`, {
            key: 'error.unknown_call',
          }).toPayload(),
        };
      const link = linkOf(windowId);
      const write = call.kind === 'command';
      const pendingId = write ? `${channel}\u0000${JSON.stringify(input ?? {})}` : '';
      const key = write ? link.pending.get(pendingId) : undefined;
      const idempotencyKey = write ? (key ?? randomUUID()) : undefined;
      let result = await link.client.call(channel, input, idempotencyKey ? { idempotencyKey } : {});
      // An attempt that may have reached the server outranks a later one that never did: "perhaps saved" is the truth then.
      let uncertain = mayHaveArrived(result) ? result : null;
      for (const ms of delays) {
        if (result.ok || result.error.details.retryable !== true || links.get(windowId) !== link) break;
        await sleep(ms);
        result = await link.client.call(channel, input, idempotencyKey ? { idempotencyKey } : {});
        if (mayHaveArrived(result)) uncertain = result;
      }
      if (!result.ok && result.error.details.key === UNREACHABLE && uncertain) result = uncertain;
      if (write) {
        if (!result.ok && result.error.details.retryable === true && idempotencyKey) link.pending.set(pendingId, idempotencyKey);
        else link.pending.delete(pendingId);
      }
      if (result.ok && links.get(windowId) === link) watch(windowId, link);
      if (!result.ok && result.error.details.key === CHANGED) {
        const params = result.error.details.params ?? {};
        options.onCertificateChanged?.(windowId, {
          url: settings.url,
          expected: String(params.expected ?? settings.fingerprint),
          actual: String(params.actual ?? ''),
        });
      }
      return result;
    },
    async closeWindow(windowId) {
      const link = links.get(windowId);
      if (!link) return;
      links.delete(windowId);
      await drop(link);
    },
    config: () => settings,
    repin(config) {
      settings = config;
      // Not logged out: the old sessions were held over a certificate nobody trusts any more.
      for (const link of links.values()) {
        unwatch(link);
        link.client.close();
      }
      links.clear();
    },
    async close() {
      const all = [...links.values()];
      links.clear();
      await Promise.allSettled(all.map(drop));
    },
  };
}
