import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import { buildSync } from 'esbuild';
import { currentKeyOf, refreshSession, type Core, type SessionBox } from '../core';
import { contract, lookupCall } from '../../shared/api';
import { AppError, type Result } from '../../shared/errors';
import { isReaderData, serveReads, type FromReader, type ReaderData, type SessionCopy, type ToReader } from './reader-worker';

/**
 * Reader threads (issue 14: "the board must not stall the saves"). better-sqlite3 is synchronous, so
 * on one thread a 20 ms ward board or a 200 ms report delays every round save queued behind it. Each
 * reader is a worker thread with its own read-only connection to the same WAL file (WAL lets readers
 * run beside the writer, and each read sees every commit made before it began); `query` calls go to
 * them, commands and operations stay on the main thread with the one writable connection.
 *
 * How the worker's code loads: a worker does not inherit tsx's or vite's TypeScript loader (Node 20
 * runs no module hooks for a worker's entry), so the worker always runs JavaScript:
 *   - from TypeScript (`npm run server` under tsx, or vitest), this file is bundled once with esbuild
 *     into node_modules/.cache/echelon/ (named by its content hash, so packages resolve from
 *     node_modules and a second start reuses it);
 *   - from a bundle (the tests' and the bench's server.cjs), the bundle itself is the worker's file.
 * Either way the worker lands on the `isReaderData(workerData)` branch at the end of this file.
 */

/**
 * Queries kept on the main thread: the session's own calls and first-run (cheap, and about the box
 * itself); the backup list and security:status (the data folder and the record's keys, through the core's
 * runtime, which a reader thread has not); and the reports,
 * whose figures of hours and days that are over come from report_cache, which only the writable
 * connection can fill. Every query was run on a read-only connection of the demo network: only
 * backup:list failed (no runtime); a report's cache write is skipped there (cache.ts already skips
 * SQLITE_READONLY), so on a reader every report recomputes: today's daily report took 60–130 ms
 * there against 3–10 ms from the cache on the main thread (a cache miss, once an hour, ~50 ms).
 */
const MAIN_THREAD_DOMAINS: ReadonlySet<string> = new Set(['auth', 'setup', 'backup', 'reports', 'security']);
/** Operations that replace the database file: the readers close their connections first. */
const REPLACES_FILE: ReadonlySet<string> = new Set(['backup:restore', 'security:rekey']);

/** Whether a call goes to a reader thread: a query of a live, unlocked session, outside the domains above. */
export function readsOffThread(channel: string, session: SessionBox): boolean {
  const call = lookupCall(contract, channel);
  if (!call || call.kind !== 'query' || call.access === 'public' || !session.user || session.locked) return false;
  return !MAIN_THREAD_DOMAINS.has(channel.split(':')[0] ?? '');
}

type Done = (answer: FromReader | null) => void;

interface Reader {
  worker: Worker;
  /** Messages posted and not yet answered, by id: the thread takes them one after the other. */
  pending: Map<number, Done>;
}

const builtScripts = new Map<string, string>();

/** The JavaScript file a reader thread runs (see the comment at the top). */
function workerScript(): string {
  if (!/\.[cm]?ts$/.test(__filename)) return __filename;
  const known = builtScripts.get(__filename);
  if (known) return known;
  const out = buildSync({ entryPoints: [__filename], bundle: true, platform: 'node', format: 'cjs', target: 'node20', packages: 'external', write: false, logLevel: 'error' });
  const code = out.outputFiles[0]?.contents;
  if (!code) throw new AppError('INTERNAL', 'the reader thread could not be built');
  const dir = path.resolve(__dirname, '..', '..', 'node_modules', '.cache', 'echelon');
  const file = path.join(dir, `reader-${crypto.createHash('sha256').update(code).digest('hex').slice(0, 16)}.cjs`);
  if (!fs.existsSync(file)) {
    fs.mkdirSync(dir, { recursive: true });
    // Written aside and renamed: two test processes may build it at once.
    const tmp = `${file}.${process.pid}.tmp`;
    fs.writeFileSync(tmp, code);
    fs.renameSync(tmp, file);
  }
  builtScripts.set(__filename, file);
  return file;
}

export interface ReaderPoolOptions {
  /** echelon.db of the running core. */
  file: string;
  size: number;
  nativeBinding?: string;
}

/**
 * A fixed number of reader threads. A query is posted at once to the reader with the fewest queries
 * under way and waits in that thread's own queue: the next query starts there as soon as the last one
 * ends, without a turn of the main thread's event loop in between (which, under a stream of saves,
 * costs as much as the saves queued in that turn). `run` resolves null when the pool cannot answer
 * (paused for a restore, closed, a thread lost): the caller then answers on the main thread, as
 * before there were readers.
 */
export class ReaderPool {
  private readonly readers: Reader[] = [];
  private nextId = 1;
  private paused = false;
  private closed = false;
  private idleWaiters: (() => void)[] = [];
  /** Queries answered by a reader so far. */
  answered = 0;
  /** The data key the readers open the file with (hex): the core's, read again after each pause (a rekey replaces it). */
  private key: string | undefined;

  constructor(private readonly options: ReaderPoolOptions) {
    this.key = currentKeyOf(options.file)?.toString('hex');
    const script = workerScript();
    for (let i = 0; i < options.size; i++) this.readers.push(this.spawn(script));
  }

  get size(): number {
    return this.readers.length;
  }

  /** Thread ids of the readers; -1 once a thread has ended. */
  get threadIds(): number[] {
    return this.readers.map((r) => r.worker.threadId);
  }

  /** Queries waiting behind another in a reader's queue. */
  get waiting(): number {
    return this.readers.reduce((n, r) => n + Math.max(0, r.pending.size - 1), 0);
  }

  async run(channel: string, input: unknown, session: SessionCopy, now: string): Promise<{ result: Result<unknown>; session: SessionCopy } | null> {
    if (this.paused || this.closed || this.readers.length === 0) return null;
    const reader = this.readers.reduce((a, b) => (b.pending.size < a.pending.size ? b : a));
    const a = await this.post(reader, { type: 'query', id: this.nextId++, channel, input, session, now });
    if (a?.type !== 'answer' || !a.result) return null;
    this.answered += 1;
    return { result: a.result, session: a.session };
  }

  /** Before the file is replaced: new queries go to the main thread, those under way finish, then every reader closes its connection. */
  async pause(): Promise<void> {
    this.paused = true;
    if (this.readers.some((r) => r.pending.size > 0)) await new Promise<void>((resolve) => this.idleWaiters.push(resolve));
    await Promise.all(this.readers.map((r) => this.post(r, { type: 'close', id: this.nextId++ })));
  }

  /** After: the readers open the file again at their next query. */
  resume(): void {
    const key = currentKeyOf(this.options.file)?.toString('hex');
    if (key && key !== this.key) {
      this.key = key;
      // Queued before any query that follows: each thread takes its messages in order.
      for (const r of this.readers) void this.post(r, { type: 'key', id: this.nextId++, key });
    }
    this.paused = false;
  }

  /** Ends every reader thread; a query still under way is answered on the main thread. */
  async close(): Promise<void> {
    this.closed = true;
    await Promise.all(this.readers.map((r) => r.worker.terminate()));
  }

  private spawn(script: string): Reader {
    const data: ReaderData = {
      echelonReader: true,
      file: this.options.file,
      ...(this.options.nativeBinding ? { nativeBinding: this.options.nativeBinding } : {}),
      ...(this.key ? { key: this.key } : {}),
    };
    const reader: Reader = { worker: new Worker(script, { workerData: data }), pending: new Map() };
    reader.worker.on('message', (a: FromReader) => {
      const done = reader.pending.get(a.id);
      reader.pending.delete(a.id);
      done?.(a);
      this.settle();
    });
    const lost = () => {
      const dones = [...reader.pending.values()];
      reader.pending.clear();
      for (const done of dones) done(null);
      const i = this.readers.indexOf(reader);
      // A thread that died (out of memory, a native fault) is replaced; its queries were answered on the main thread.
      if (i >= 0 && !this.closed) this.readers[i] = this.spawn(script);
      this.settle();
    };
    reader.worker.on('error', lost);
    reader.worker.on('exit', lost);
    return reader;
  }

  private post(reader: Reader, msg: ToReader): Promise<FromReader | null> {
    return new Promise((resolve) => {
      reader.pending.set(msg.id, resolve);
      reader.worker.postMessage(msg);
    });
  }

  private settle(): void {
    if (this.readers.every((r) => r.pending.size === 0)) for (const w of this.idleWaiters.splice(0)) w();
  }
}

/**
 * The core's `invoke`, with queries of a live session answered by a reader thread. The session is
 * checked first on the main thread (refreshSession, against the account's epoch the core keeps for
 * this box: a reset password or a deactivated account ends it here exactly as dispatch would), then a
 * copy travels to the reader, whose dispatch checks it all again; what the call did to the copy (an
 * account found deactivated meanwhile ends it, a new display name) is applied to the server's box.
 */
export async function invokeWithReaders(core: Core, pool: ReaderPool | null, channel: string, input: unknown, box: SessionBox, now: string): Promise<Result<unknown>> {
  if (pool && REPLACES_FILE.has(channel)) {
    await pool.pause();
    try {
      return await core.invoke(channel, input, box, now);
    } finally {
      pool.resume();
    }
  }
  if (!pool || !readsOffThread(channel, box)) return core.invoke(channel, input, box, now);
  if (!refreshSession(core.db, box)) return { ok: false, error: new AppError('UNAUTHENTICATED', 'the session has ended', { key: 'auth.session_ended' }).toPayload() };
  const answer = await pool.run(channel, input, { user: box.user, locked: box.locked === true, workstation: box.workstation ?? null }, now);
  if (!answer) return core.invoke(channel, input, box, now);
  if (!answer.session.user) {
    box.user = null;
    box.locked = false;
  } else if (box.user?.id === answer.session.user.id) {
    box.user = answer.session.user;
  }
  return answer.result;
}

// The reader thread's entry: this file, bundled on its own or inside the server's bundle.
if (!isMainThread && parentPort && isReaderData(workerData)) serveReads(parentPort, workerData);
