import https from 'node:https';
import tls from 'node:tls';
import type { Duplex } from 'node:stream';
import WebSocket from 'ws';
import { randomUUID } from 'node:crypto';
import { AppError, isErrorPayload, type Result } from '../../shared/errors';
import { contract, lookupCall } from '../../shared/api';
import { IDEMPOTENCY_HEADER, REPLAYED_HEADER, SESSION_HEADER, WORKSTATION_HEADER, normaliseFingerprint } from './protocol';

export interface ClientOptions {
  /** `https://host:port` of the Echelon server. */
  url: string;
  /** The SHA-256 fingerprint the user compared with the one the server shows (any of `AB:CD…`, `abcd…`). */
  fingerprint: string;
  /** This workstation's name, recorded in every audit row of its calls. */
  workstation: string;
  /** A call with no answer in this long fails as "not saved, retry" (default 30 s). */
  timeoutMs?: number;
}

export interface CallOptions {
  /** For a write: the key of the user's action, the same on every retry of it (default: a new one per call). */
  idempotencyKey?: string;
}

export interface ServerInfo {
  name: string;
  version: string;
  fingerprint: string;
}

const SESSION_OVER: ReadonlySet<string> = new Set(['server.session_expired', 'auth.session_ended']);

const mismatch = (expected: string, actual: string) =>
  new AppError('FORBIDDEN', 'the server certificate is not the one this workstation trusts', { key: 'server.fingerprint_mismatch', params: { expected, actual } });

/**
 * Node's TLS calls `checkServerIdentity` only after the chain verified against a CA, which a
 * self-signed certificate never does. So the pin is checked here, on the handshake, before the
 * request writes a single byte (the password of a login included): the agent hands the request a
 * socket only once the peer's SHA-256 fingerprint equals the pinned one. A hospital certificate from a
 * real CA is pinned the same way. TLS sessions are not resumed, so every connection shows its
 * certificate.
 */
class PinnedAgent extends https.Agent {
  constructor(private readonly pin: string) {
    super({ keepAlive: true, maxSockets: 8, maxCachedSessions: 0 });
  }

  override createConnection(options: tls.ConnectionOptions, callback?: (err: Error | null, socket: Duplex) => void): Duplex | undefined {
    const pin = this.pin;
    const check = (_host: string, cert: tls.PeerCertificate): Error | undefined => (cert.fingerprint256 === pin ? undefined : mismatch(pin, cert.fingerprint256));
    const socket = tls.connect({ ...options, rejectUnauthorized: false, checkServerIdentity: check });
    let settled = false;
    const settle = (err: Error | null) => {
      if (settled) return;
      settled = true;
      callback?.(err, socket);
    };
    socket.once('secureConnect', () => {
      const err = check(options.host ?? '', socket.getPeerCertificate());
      if (err) {
        socket.destroy();
        settle(err);
      } else settle(null);
    });
    socket.once('error', (err) => settle(err));
    return undefined;
  }
}

/** The fingerprint of the certificate a server presents, for the user to compare before pinning it (first connection). */
export function peerFingerprint(url: string, timeoutMs = 10_000): Promise<string> {
  const u = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = tls.connect({ host: u.hostname.replace(/^\[|\]$/g, ''), port: Number(u.port || 443), servername: undefined, rejectUnauthorized: false });
    socket.setTimeout(timeoutMs, () => socket.destroy(new AppError('UNAVAILABLE', 'the server did not answer', { key: 'server.unreachable' })));
    socket.once('secureConnect', () => {
      const fp = socket.getPeerCertificate().fingerprint256;
      socket.end();
      resolve(fp);
    });
    socket.once('error', (err) => reject(err instanceof AppError ? err : new AppError('UNAVAILABLE', `cannot reach ${url}: ${err.message}`, { key: 'server.unreachable' })));
  });
}

/**
 * Forwards contract calls to an Echelon server over pinned TLS: what the desktop app's main process
 * does in connected mode. Holds the session token in memory only. Each write carries an idempotency key
 * (the caller's, so a retry of one user action reuses it), so retrying after a lost answer never writes
 * twice. A call that fails on the way resolves as UNAVAILABLE (`server.unreachable`: it never
 * arrived; `server.no_answer`: it may have been saved, retry with the same key) with `retryable`.
 */
export class EchelonClient {
  private readonly base: URL;
  private readonly agent: PinnedAgent;
  private readonly pin: string;
  private readonly timeoutMs: number;
  private readonly workstation: string;
  /** The session token, in memory only. */
  token: string | null = null;

  constructor(options: ClientOptions) {
    const pin = normaliseFingerprint(options.fingerprint);
    if (!pin) throw new AppError('VALIDATION', 'not a SHA-256 fingerprint', { key: 'server.fingerprint_invalid' });
    this.base = new URL(options.url);
    if (this.base.protocol !== 'https:') throw new AppError('VALIDATION', 'the server address must be https://', { key: 'server.https_only' });
    this.pin = pin;
    this.agent = new PinnedAgent(pin);
    this.timeoutMs = options.timeoutMs ?? 30_000;
    this.workstation = encodeURIComponent(options.workstation.slice(0, 64));
  }

  async serverInfo(): Promise<ServerInfo> {
    const r = await this.request('GET', '/api/server-info', undefined, {});
    return r.body as ServerInfo;
  }

  /** One contract call; resolves with the server's `{ok, value} | {ok:false, error}`, never rejects. */
  async call<T = unknown>(channel: string, input?: unknown, options: CallOptions = {}): Promise<Result<T>> {
    const headers: Record<string, string> = { [WORKSTATION_HEADER]: this.workstation };
    if (this.token) headers.authorization = `Bearer ${this.token}`;
    if (lookupCall(contract, channel)?.kind === 'command' && !/^(?:auth|setup):/.test(channel)) headers[IDEMPOTENCY_HEADER] = options.idempotencyKey ?? randomUUID();
    try {
      const r = await this.request('POST', `/api/call/${encodeURIComponent(channel)}`, JSON.stringify(input === undefined ? {} : input), headers);
      const issued = r.headers[SESSION_HEADER];
      if (typeof issued === 'string') this.token = issued;
      const body = r.body as Result<T> | undefined;
      if (!body || typeof body !== 'object' || !('ok' in body))
        throw new AppError('UNAVAILABLE', 'the server answered with something else', { key: 'server.bad_answer', retryable: true });
      if (body.ok && channel === 'auth:logout') this.token = null;
      // The server ended the session (expired, logged out, restored, account changed); a locked screen keeps it.
      if (!body.ok && isErrorPayload(body.error) && SESSION_OVER.has(body.error.details.key ?? '')) this.token = null;
      return body;
    } catch (err) {
      const error = err instanceof AppError ? err : new AppError('UNAVAILABLE', String((err as Error).message), { key: 'server.unreachable', retryable: true });
      return { ok: false, error: error.toPayload() };
    }
  }

  /** Whether the last reply to a key was a replay is visible in the log; tests read it through `raw`. */
  async raw(channel: string, input: unknown, headers: Record<string, string>): Promise<{ status: number; replayed: boolean; body: unknown }> {
    const r = await this.request('POST', `/api/call/${encodeURIComponent(channel)}`, JSON.stringify(input), { [WORKSTATION_HEADER]: this.workstation, ...headers });
    return { status: r.status, replayed: r.headers[REPLAYED_HEADER] === '1', body: r.body };
  }

  /**
   * Listens to the server's change notices (electron/server/changes.ts) over the same pinned TLS and
   * this client's session. Each message is handed over as parsed JSON, unchecked: the listener
   * validates it. `onClose` gets the close code (4401: the session is over). Resolves once the socket
   * is open; rejects when it cannot open.
   */
  watchChanges(listener: { onMessage: (message: unknown) => void; onClose: (code: number) => void }): Promise<{ close(): void }> {
    const url = new URL('/api/changes', this.base);
    url.protocol = 'wss:';
    const agent = new PinnedAgent(this.pin);
    const socket = new WebSocket(url, {
      agent,
      headers: { [WORKSTATION_HEADER]: this.workstation, ...(this.token ? { authorization: `Bearer ${this.token}` } : {}) },
      handshakeTimeout: this.timeoutMs,
      maxPayload: 1024 * 1024,
    });
    socket.on('message', (data) => {
      try {
        listener.onMessage(JSON.parse(String(data)));
      } catch {
        // Not JSON: not a notice; the listener would refuse it anyway.
      }
    });
    const handle = {
      close: () => {
        socket.close();
        agent.destroy();
      },
    };
    return new Promise((resolve, reject) => {
      socket.once('open', () => {
        socket.on('close', (code) => {
          agent.destroy();
          listener.onClose(code);
        });
        resolve(handle);
      });
      socket.once('error', (err) => {
        agent.destroy();
        reject(err instanceof AppError ? err : new AppError('UNAVAILABLE', `cannot reach the server: ${err.message}`, { key: 'server.unreachable', retryable: true }));
      });
    });
  }

  close(): void {
    this.agent.destroy();
  }

  private request(
    method: 'GET' | 'POST',
    path: string,
    body: string | undefined,
    headers: Record<string, string>,
  ): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: unknown }> {
    return new Promise((resolve, reject) => {
      let sent = false;
      const req = https.request(
        new URL(path, this.base),
        {
          method,
          agent: this.agent,
          headers: {
            ...headers,
            accept: 'application/json',
            ...(body !== undefined ? { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(body)) } : {}),
          },
          timeout: this.timeoutMs,
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => {
            const text = Buffer.concat(chunks).toString('utf8');
            let parsed: unknown;
            try {
              parsed = text ? JSON.parse(text) : undefined;
            } catch {
              reject(new AppError('UNAVAILABLE', 'the server answered with something else', { key: 'server.bad_answer', retryable: true }));
              return;
            }
            resolve({ status: res.statusCode ?? 0, headers: res.headers, body: parsed });
          });
          res.on('error', (err) => reject(new AppError('UNAVAILABLE', `the answer was lost: ${err.message}`, { key: 'server.no_answer', retryable: true })));
        },
      );
      req.on('socket', (s) => {
        if ((s as tls.TLSSocket).encrypted) sent = true;
      });
      req.on('timeout', () => req.destroy(new Error('timed out')));
      req.on('error', (err) => {
        if (err instanceof AppError) reject(err);
        // Once the request reached a verified socket, the server may have committed it: say so.
        else
          reject(
            new AppError('UNAVAILABLE', `${sent ? 'the answer was lost' : 'cannot reach the server'}: ${err.message}`, {
              key: sent ? 'server.no_answer' : 'server.unreachable',
              retryable: true,
            }),
          );
      });
      if (body !== undefined) req.write(body);
      req.end();
    });
  }
}
