import type { MessagePort } from 'node:worker_threads';
import { createDispatch, handlers, openDatabase, type SessionBox } from '../core';
import type { SessionUser } from '../../shared/api/auth';
import type { Result } from '../../shared/errors';

/** What a reader thread is started with (its `workerData`). */
export interface ReaderData {
  echelonReader: true;
  /** echelon.db of the running core; the main thread holds it open in WAL mode. */
  file: string;
  nativeBinding?: string;
  /** The record's current data key, hex (issue 20); a `key` message replaces it after a rekey. */
  key?: string;
}

/** The caller's session as it travels to a reader: a copy, never the server's box itself. */
export interface SessionCopy {
  user: SessionUser | null;
  locked: boolean;
  workstation: string | null;
}

export type ToReader =
  { type: 'query'; id: number; channel: string; input: unknown; session: SessionCopy; now: string } | { type: 'close'; id: number } | { type: 'key'; id: number; key: string };

/** `result: null`: the reader could not open the file (it is being replaced); the main thread answers instead. */
export type FromReader = { type: 'answer'; id: number; result: Result<unknown> | null; session: SessionCopy } | { type: 'closed'; id: number };

export function isReaderData(data: unknown): data is ReaderData {
  return typeof data === 'object' && data !== null && (data as { echelonReader?: unknown }).echelonReader === true && typeof (data as { file?: unknown }).file === 'string';
}

/**
 * A reader thread: its own read-only connection to the WAL file, opened at the first query (and again
 * after a `close`, which the server sends before a restore replaces the file), and the core's own
 * dispatch on it, so a query here is checked exactly as on the main thread (session, role, ward
 * scope, zod, output). A WAL reader sees every transaction committed before its read began.
 */
export function serveReads(port: MessagePort, data: ReaderData): void {
  let dispatch: ReturnType<typeof createDispatch> | null = null;
  let close: (() => void) | null = null;
  let key = data.key ? Buffer.from(data.key, 'hex') : null;
  const open = () => {
    const db = openDatabase(data.file, { readonly: true, quickCheck: false, key, ...(data.nativeBinding ? { nativeBinding: data.nativeBinding } : {}) });
    // What applyPragmas gives the writer, where it applies to a reader (the rest is per file, or for writes).
    db.pragma('busy_timeout = 5000');
    db.pragma('trusted_schema = OFF');
    // A reader's page cache is emptied whenever the writer commits, so a small one loses nothing (and keeps RSS down).
    db.pragma('cache_size = -8192');
    close = () => db.close();
    return createDispatch(db, handlers);
  };
  port.on('message', (msg: ToReader) => {
    if (msg.type === 'close' || msg.type === 'key') {
      if (msg.type === 'key') key = Buffer.from(msg.key, 'hex');
      close?.();
      close = null;
      dispatch = null;
      port.postMessage({ type: 'closed', id: msg.id } satisfies FromReader);
      return;
    }
    const box: SessionBox = { user: msg.session.user, locked: msg.session.locked, workstation: msg.session.workstation };
    let result: Result<unknown> | null = null;
    try {
      dispatch ??= open();
    } catch {
      dispatch = null;
    }
    // dispatch itself never throws: every failure is in its result.
    if (dispatch) result = dispatch(msg.channel, msg.input, box, msg.now);
    port.postMessage({ type: 'answer', id: msg.id, result, session: { user: box.user, locked: box.locked === true, workstation: msg.session.workstation } } satisfies FromReader);
  });
}
