import fs from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import fastifyStatic from '@fastify/static';
import { createDispatchOnce, type Core, type SessionBox } from '../core';
import { contract, lookupCall } from '../../shared/api';
import { MAX_IMPORT_FILE_BYTES } from '../../shared/import/csv';
import { AppError, type ErrorCode, type ErrorPayload, type Result } from '../../shared/errors';
import { AttemptLimiter, DEFAULT_ATTEMPT_LIMITS, DEFAULT_SESSION_LIMITS, SessionTable, type AttemptLimits, type SessionLimits } from './sessions';
import { workstationOf, isLoopback } from './workstation';
import { ReaderPool, invokeWithReaders } from './readers';
import { registerChangeSockets } from './changes';
import { IDEMPOTENCY_HEADER, REPLAYED_HEADER, SESSION_COOKIE, SESSION_HEADER, WORKSTATION_HEADER } from './protocol';

/** Every call's input is small: the largest forms (a plan, a discharge summary) are a few kilobytes. */
export const DEFAULT_BODY_LIMIT = 1024 * 1024;
/**
 * A case-list import sends the parsed CSV: up to the file limit of the import screen (64 MB), and JSON's
 * quotes and commas around each cell on top (1.5×). Only these channels get it, and only for a caller
 * whose session is live: the body is not read before the token is checked.
 */
export const LARGE_BODY_LIMIT = Math.floor(MAX_IMPORT_FILE_BYTES * 1.5);
export const LARGE_BODY_CHANNELS: readonly string[] = ['import:preview', 'import:commit'];

/** Calls that check a password: their failures count towards the per-address limit. */
const PASSWORD_CALLS: ReadonlySet<string> = new Set(['auth:login', 'auth:unlock', 'auth:changePassword']);
const PASSWORD_FAILURES: ReadonlySet<string> = new Set(['auth.bad_credentials', 'auth.wrong_password', 'auth.locked']);
/** First-run calls that create the first administrator: only from the server's own machine. */
const LOCAL_ONLY: ReadonlySet<string> = new Set(['setup:createAdmin', 'setup:loadDemo']);

const STATUS: Record<ErrorCode, number> = {
  VALIDATION: 400,
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  CONFLICT: 409,
  RULE_VIOLATION: 422,
  STORAGE: 500,
  INTERNAL: 500,
  UNAVAILABLE: 503,
};

/** One line per call: who, from where, what, how it ended, how long. Never the input, never patient data. */
export interface CallLogLine {
  at: string;
  channel: string;
  user: number | null;
  workstation: string;
  outcome: 'ok' | ErrorCode;
  key?: string;
  status: number;
  ms: number;
  replayed?: true;
}

export interface ServerOptions {
  core: Core;
  tls: { key: string; cert: string; fingerprint: string };
  version: string;
  /** Milliseconds since the epoch; tests move it to expire tokens. */
  clock?: () => number;
  log?: (line: CallLogLine) => void;
  sessions?: SessionLimits;
  attempts?: AttemptLimits;
  /** The built renderer, served at `/` when the folder holds an index.html. */
  rendererDir?: string | null;
  bodyLimit?: number;
  largeBodyLimit?: number;
  /** How often change sockets are pinged (tests shorten it). */
  pingMs?: number;
  /** Reader threads answering queries beside the main thread's writes (readers.ts); 0 (the default here): every call on the main thread. */
  readers?: number;
}

function failure(code: ErrorCode, message: string, key: string, params?: Record<string, string | number>): Result<never> {
  return { ok: false, error: new AppError(code, message, { key, ...(params ? { params } : {}) }).toPayload() };
}

function cookieToken(header: string | undefined): string | null {
  if (!header) return null;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === SESSION_COOKIE) return part.slice(eq + 1).trim() || null;
  }
  return null;
}

/** The bearer token, else the browser's cookie; null when the request carries neither. */
export function tokenOf(req: FastifyRequest): string | null {
  const auth = req.headers.authorization;
  if (typeof auth === 'string' && auth.startsWith('Bearer ')) return auth.slice(7).trim() || null;
  return cookieToken(req.headers.cookie);
}

const sessionCookie = (token: string, maxAgeS: number) => `${SESSION_COOKIE}=${token}; Path=/; HttpOnly; Secure; SameSite=Strict; Max-Age=${maxAgeS}`;
const clearedCookie = `${SESSION_COOKIE}=; Path=/; HttpOnly; Secure; SameSite=Strict; Max-Age=0`;

/** Fastify's own errors (body too large, not JSON, …) as the contract's error envelope. */
function errorOfFramework(err: unknown, limit: number): ErrorPayload {
  if (err instanceof AppError) return err.toPayload();
  const code = (err as { code?: unknown }).code;
  if (code === 'FST_ERR_CTP_BODY_TOO_LARGE') return new AppError('VALIDATION', 'request body too large', { key: 'server.body_too_large', params: { limit } }).toPayload();
  if (code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE' || code === 'FST_ERR_CTP_INVALID_CONTENT_LENGTH') {
    return new AppError('VALIDATION', 'a call is sent as application/json', { key: 'server.bad_content_type' }).toPayload();
  }
  return new AppError('INTERNAL', 'unexpected error', { key: 'error.INTERNAL' }).toPayload();
}

/** Fastify's own errors (body too large, not JSON, …) answered as the contract's envelope, and logged like a call. */
function frameworkErrorHandler(log: (line: CallLogLine) => void, clock: () => number, bodyLimit: number, largeBodyLimit: number) {
  return (err: unknown, req: FastifyRequest, reply: FastifyReply): void => {
    const channel = channelOf(req);
    const limit = LARGE_BODY_CHANNELS.includes(channel) ? largeBodyLimit : bodyLimit;
    const error = errorOfFramework(err, limit);
    const status = error.details.key === 'server.body_too_large' ? 413 : error.details.key === 'server.bad_content_type' ? 415 : STATUS[error.code];
    log({
      at: new Date(clock()).toISOString(),
      channel,
      user: null,
      workstation: workstationOf(req.ip, req.headers[WORKSTATION_HEADER]),
      outcome: error.code,
      ...(error.details.key ? { key: error.details.key } : {}),
      status,
      ms: 0,
    });
    void reply.code(status).send({ ok: false, error });
  };
}

export type EchelonServer = Awaited<ReturnType<typeof buildServer>>;

/** The channel a request names, at most 100 characters (it reaches the log even when unknown). */
function channelOf(req: FastifyRequest): string {
  const p = req.params as { domain?: string; verb?: string; channel?: string } | undefined;
  if (p?.channel) return p.channel.slice(0, 100);
  if (p?.domain !== undefined && p.verb !== undefined) return `${p.domain}:${p.verb}`.slice(0, 100);
  const m = /^\/api\/(?:call\/)?([^/?]+)(?:\/([^/?]+))?/.exec(req.url);
  return (m ? (m[2] ? `${m[1]}:${m[2]}` : (m[1] ?? '')) : '').slice(0, 100);
}

/**
 * JSON.parse, not fastify's secure-json-parse: an own `__proto__` key is data like any other and
 * reaches dispatch as IPC would deliver it, where zod refuses it field by field (the fuzz tests).
 */
function rawJsonBodies(app: FastifyInstance): void {
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (_req, body, done) => {
    const text = typeof body === 'string' ? body : body.toString('utf8');
    if (text.trim() === '') {
      done(null, {});
      return;
    }
    try {
      done(null, JSON.parse(text));
    } catch {
      done(new AppError('VALIDATION', 'the body is not JSON', { key: 'server.bad_json' }), undefined);
    }
  });
}

/** A file name vite made from its content hash (`assets/ReportsScreen-KgRXrQqF.js`): its bytes never change under that name. */
const HASHED_ASSET = /^assets\/[^/]+-[\w-]{8}\.(?:js|css|woff2?|ttf|svg|png)$/;

/**
 * How long a tablet may keep a file of the renderer (issue 17): a hashed chunk for a year without asking
 * again, so a screen opened a second time costs no download; index.html and anything unhashed is checked
 * against its ETag on every load, so a new version of the server is picked up at once.
 */
export function rendererCacheControl(relative: string): string {
  return HASHED_ASSET.test(relative.split(path.sep).join('/')) ? 'public, max-age=31536000, immutable' : 'no-cache';
}

/** Every answer: HTTPS only from now on, no sniffing, no framing, no referrer; API answers never cached. */
function securityHeaders(app: FastifyInstance): void {
  app.addHook('onSend', async (req, reply) => {
    reply.header('strict-transport-security', 'max-age=31536000');
    reply.header('x-content-type-options', 'nosniff');
    reply.header('x-frame-options', 'DENY');
    reply.header('referrer-policy', 'no-referrer');
    if (req.url.startsWith('/api/')) reply.header('cache-control', 'no-store');
  });
}

/** Fastify with HTTPS, our body limit, and the router's own refusals as the contract's envelope. */
function createApp(tlsOptions: ServerOptions['tls'], bodyLimit: number): FastifyInstance {
  return Fastify({
    https: { key: tlsOptions.key, cert: tlsOptions.cert, minVersion: 'TLSv1.2' },
    logger: false,
    bodyLimit,
    trustProxy: false,
    forceCloseConnections: 'idle',
    // Our own 503 below, as an envelope the clients understand.
    return503OnClosing: false,
    // What the router refuses before any hook (a malformed URL, a channel name past 100 characters).
    frameworkErrors: (_err, _req, reply: FastifyReply) => {
      void reply.code(400).send(failure('VALIDATION', 'malformed request', 'server.bad_request'));
    },
  });
}

/**
 * The contract over HTTPS: `POST /api/<domain>/<verb>` (or `/api/call/<domain:verb>`) with the call's
 * input as a JSON body answers with the same `{ok, value} | {ok:false, error}` that dispatch returns.
 * Every call goes through the core's `invoke` (roles, ward scope, zod, one transaction, audit); this
 * wing adds only what the network needs: TLS, tokens, body limits, per-address login limits,
 * idempotency keys, the workstation of each session and a log line per call.
 */
export async function buildServer(options: ServerOptions) {
  const { core } = options;
  const clock = options.clock ?? Date.now;
  const log = options.log ?? ((line: CallLogLine) => process.stdout.write(`${JSON.stringify(line)}\n`));
  const sessionLimits = options.sessions ?? DEFAULT_SESSION_LIMITS;
  const sessions = new SessionTable(sessionLimits);
  const attempts = new AttemptLimiter(options.attempts ?? DEFAULT_ATTEMPT_LIMITS);
  const bodyLimit = options.bodyLimit ?? DEFAULT_BODY_LIMIT;
  const largeBodyLimit = options.largeBodyLimit ?? LARGE_BODY_LIMIT;
  const once = createDispatchOnce(() => core.db, core.dispatch);
  const pool = options.readers ? new ReaderPool({ file: core.file, size: options.readers }) : null;

  const app = createApp(options.tls, bodyLimit);
  let closing = false;

  app.addHook('onRequest', async (_req, reply) => {
    if (!closing) return;
    await reply
      .code(503)
      .header('connection', 'close')
      .send(failure('UNAVAILABLE', 'the server is shutting down', 'server.closing'));
  });

  rawJsonBodies(app);
  securityHeaders(app);

  app.setErrorHandler(frameworkErrorHandler(log, clock, bodyLimit, largeBodyLimit));

  app.setNotFoundHandler((req, reply) => {
    void reply.code(404).send(failure('NOT_FOUND', `no route ${req.method} ${req.url.split('?')[0]}`, 'error.unknown_call'));
  });

  async function handle(req: FastifyRequest, reply: FastifyReply): Promise<void> {
    const started = performance.now();
    const nowMs = clock();
    const now = new Date(nowMs).toISOString();
    const channel = channelOf(req);
    const call = lookupCall(contract, channel);
    const address = req.ip;
    const workstation = workstationOf(address, req.headers[WORKSTATION_HEADER]);
    const token = tokenOf(req);
    const found = sessions.lookup(token, nowMs);
    const input: unknown = req.body === undefined ? {} : req.body;
    const userBefore = found.state === 'live' ? (found.box.user?.id ?? null) : null;

    let result: Result<unknown>;
    let replayed = false;
    let box: SessionBox | null = found.state === 'live' ? found.box : null;
    let status: number | null = null;
    const headers: Record<string, string> = {};

    if (!box && (found.state === 'unknown' || found.state === 'expired') && call && call.access !== 'public') {
      // A token the server does not know (forged, expired, or from before a restart or a restore).
      result = failure('UNAUTHENTICATED', 'the session has ended', 'server.session_expired');
      headers['set-cookie'] = clearedCookie;
    } else if (LOCAL_ONLY.has(channel) && !isLoopback(address)) {
      result = failure('FORBIDDEN', 'the first administrator is created on the server itself', 'server.setup_local_only');
    } else if (PASSWORD_CALLS.has(channel) && attempts.retryAfter(address, nowMs) > 0) {
      const seconds = attempts.retryAfter(address, nowMs);
      result = failure('FORBIDDEN', 'too many failed attempts from this address', 'server.too_many_attempts', { seconds });
      status = 429;
      headers['retry-after'] = String(seconds);
    } else {
      // A stale cookie on a public call (the login screen after an expiry): forget it, unless a login below replaces it.
      if (found.state === 'unknown' || found.state === 'expired') headers['set-cookie'] = clearedCookie;
      box ??= { user: null, workstation };
      const epoch = core.sessionsEpoch;
      const key = req.headers[IDEMPOTENCY_HEADER];
      if (typeof key === 'string' && call?.kind === 'command') {
        const r = once(key, channel, input, box, now);
        result = r.result;
        replayed = r.replayed;
      } else {
        result = await invokeWithReaders(core, pool, channel, input, box, now);
      }
      if (PASSWORD_CALLS.has(channel) && !result.ok && PASSWORD_FAILURES.has(result.error.details.key ?? '')) attempts.fail(address, clock());

      if (core.sessionsEpoch !== epoch) {
        // A restore: every workstation logs in again, this one included.
        sessions.endAll();
        headers['set-cookie'] = clearedCookie;
      } else if (found.state === 'live' && token !== null) {
        if (!box.user) {
          sessions.end(token);
          headers['set-cookie'] = clearedCookie;
        } else if (channel === 'auth:login' && result.ok) {
          // Switching user on a workstation: a new token for the new login, the old one ends.
          sessions.end(token);
          issue(box, headers, nowMs);
        }
      } else if (box.user) {
        issue(box, headers, nowMs);
      }
    }

    status ??= result.ok ? 200 : STATUS[result.error.code];
    if (replayed) headers[REPLAYED_HEADER] = '1';
    const user = box?.user?.id ?? userBefore;
    log({
      at: now,
      channel,
      user,
      workstation,
      outcome: result.ok ? 'ok' : result.error.code,
      ...(!result.ok && result.error.details.key ? { key: result.error.details.key } : {}),
      status,
      ms: Math.round((performance.now() - started) * 100) / 100,
      ...(replayed ? { replayed: true as const } : {}),
    });
    void reply.code(status).headers(headers).send(result);
  }

  function issue(box: SessionBox, headers: Record<string, string>, nowMs: number): void {
    const token = sessions.issue(box, nowMs);
    headers[SESSION_HEADER] = token;
    headers['set-cookie'] = sessionCookie(token, Math.floor(sessionLimits.absoluteMs / 1000));
  }

  /** The large routes check the token before the body is read: an anonymous caller cannot make the server take 96 MB. */
  const liveSessionFirst = async (req: FastifyRequest, reply: FastifyReply) => {
    if (sessions.lookup(tokenOf(req), clock()).state === 'live') return;
    await reply
      .code(401)
      .header('connection', 'close')
      .send(failure('UNAUTHENTICATED', 'not logged in', 'server.session_expired'));
  };

  for (const channel of LARGE_BODY_CHANNELS) {
    const [domain, verb] = channel.split(':') as [string, string];
    // `::` is a literal colon in a fastify path.
    for (const url of [`/api/${domain}/${verb}`, `/api/call/${domain}::${verb}`]) {
      app.post(url, { bodyLimit: largeBodyLimit, onRequest: liveSessionFirst }, handle);
    }
  }
  app.post('/api/call/:channel', handle);
  app.post('/api/:domain/:verb', handle);

  const changeSockets = await registerChangeSockets(app, { core, sessions, tokenOf, clock, ...(options.pingMs ? { pingMs: options.pingMs } : {}) });

  app.get('/api/server-info', async () => ({ name: 'echelon', version: options.version, fingerprint: options.tls.fingerprint }));

  const rendererDir = options.rendererDir === undefined ? null : options.rendererDir;
  if (rendererDir && fs.existsSync(path.join(rendererDir, 'index.html'))) {
    await app.register(fastifyStatic, {
      root: path.resolve(rendererDir),
      prefix: '/',
      index: 'index.html',
      wildcard: true,
      cacheControl: false,
      setHeaders: (reply, file) => reply.header('cache-control', rendererCacheControl(path.relative(path.resolve(rendererDir), file))),
    });
  }

  return {
    app,
    sessions,
    /** The reader threads, or null when every call runs on the main thread. */
    readers: pool,
    /** The change-notice sockets (changes.ts). */
    changeSockets,
    fingerprint: options.tls.fingerprint,
    /** Listens on host:port (port 0: any free port); resolves with the port bound. */
    async listen(host: string, port: number): Promise<number> {
      await app.listen({ host, port });
      const addr = app.server.address();
      if (addr === null || typeof addr === 'string') throw new AppError('INTERNAL', 'the server has no port');
      return addr.port;
    },
    /** Stops accepting, lets the calls in flight finish, closes the connections. The caller closes the core. */
    async close(): Promise<void> {
      closing = true;
      changeSockets.close();
      // The reader threads end once the calls in flight have their answers.
      await app.close().finally(() => pool?.close());
    },
  };
}
