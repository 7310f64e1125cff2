import fs from 'node:fs';
import { AppError } from '../../../shared/errors';
import { LATEST_VERSION, MIGRATIONS } from './migrations';
import { backfillPatientSearchKeys } from '../patients/search-keys';
import type { Db } from './types';
import { connect, fileKind } from '../security/cipher';

export type { Db };

/** Identifies an Echelon database (PRAGMA application_id), so a foreign SQLite file is never adopted. */
export const APPLICATION_ID = 0x45434830; // 'ECH0'
const SQLITE_HEADER = 'SQLite format 3\u0000';

export interface OpenOptions {
  /** Path to a better-sqlite3 native module built for the running runtime (Electron); Node uses the default. */
  nativeBinding?: string;
  readonly?: boolean;
  /** Run `quick_check` before use (default). createCore skips it only after a clean shutdown (clean.ts). */
  quickCheck?: boolean;
  /** The record's data key (security/envelope.ts): the file is SQLCipher-encrypted under it. Absent: a plain file. */
  key?: Buffer | null;
}

function storage(key: string, message: string, extra: Record<string, unknown> = {}): AppError {
  return new AppError('STORAGE', message, { key, ...extra });
}

/**
 * Refuses, before SQLite touches it, a file that is not an SQLite database. An empty file is a new database.
 * With a key, the file must not be plain: a plain file where the keys say encrypted is left untouched.
 */
function checkHeader(file: string, key: Buffer | null): void {
  if (key) {
    let kind: ReturnType<typeof fileKind>;
    try {
      kind = fileKind(file);
    } catch (err) {
      throw storage('storage.unreadable', `cannot read ${file}: ${(err as Error).message}`, { file });
    }
    if (kind === 'plain') throw storage('security.plain_file', `${file} is not encrypted, though its record's key file is beside it; it was left untouched`, { file });
    return;
  }
  let fd: number;
  try {
    fd = fs.openSync(file, 'r');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw storage('storage.unreadable', `cannot read ${file}: ${(err as Error).message}`, { file });
  }
  try {
    const buf = Buffer.alloc(16);
    const n = fs.readSync(fd, buf, 0, 16, 0);
    if (n === 0) return;
    if (n < 16 || buf.toString('latin1') !== SQLITE_HEADER) {
      throw storage('storage.not_sqlite', `${file} is not an SQLite database; it was left untouched`, { file });
    }
  } finally {
    fs.closeSync(fd);
  }
}

/** Pragmas that must hold on every connection: better-sqlite3 reopens WAL files at synchronous=NORMAL. */
export function applyPragmas(db: Db): void {
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
  db.pragma('trusted_schema = OFF');
  // Sorts and temporary indexes stay in memory: SQLite's temporary files are not encrypted.
  db.pragma('temp_store = MEMORY');
  // 64 MB page cache (SQLite's default is 2 MB): with 50,000 patients and 1,000,000 rounds the indexes an
  // import, the board or a report touch no longer fit in 2 MB, and every miss is a read syscall
  // (issue 8's bench: a 10,000-row import commit 3.9 s → 2.5 s). Still well inside the 300 MB RSS target.
  db.pragma('cache_size = -65536');
}

export function migrate(db: Db): { from: number; to: number } {
  const from = db.pragma('user_version', { simple: true }) as number;
  if (from > LATEST_VERSION) {
    throw storage('storage.newer_version', `database schema ${from} is newer than this version of Echelon supports (${LATEST_VERSION}); update Echelon`, {
      schema: from,
      supported: LATEST_VERSION,
      params: { schema: from },
    });
  }
  const appId = db.pragma('application_id', { simple: true }) as number;
  if (from === 0) {
    const tables = db.prepare(`SELECT count(*) AS n FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%'`).get() as { n: number };
    if (tables.n > 0 || (appId !== 0 && appId !== APPLICATION_ID)) {
      throw storage('storage.foreign', 'this SQLite file belongs to another application; it was left untouched');
    }
  } else if (appId !== APPLICATION_ID) {
    throw storage('storage.foreign', 'this SQLite file belongs to another application; it was left untouched');
  }
  const pending = MIGRATIONS.filter((m) => m.version > from).sort((a, b) => a.version - b.version);
  if (pending.length === 0) return { from, to: from };
  db.transaction(() => {
    for (const m of pending) db.exec(m.sql);
    db.pragma(`application_id = ${APPLICATION_ID}`);
    db.pragma(`user_version = ${LATEST_VERSION}`);
  }).immediate();
  return { from, to: LATEST_VERSION };
}

/**
 * Opens (creating if absent) the Echelon database: header check, pragmas, quick_check, migrations.
 * A corrupt, foreign or newer file raises a STORAGE AppError and is never replaced.
 */
export function openDatabase(file: string, options: OpenOptions = {}): Db {
  const key = options.key ?? null;
  checkHeader(file, key);
  let db: Db;
  try {
    db = connect(file, { key, readonly: options.readonly === true, ...(options.nativeBinding ? { nativeBinding: options.nativeBinding } : {}) });
  } catch (err) {
    throw mapOpenError(err, file, key);
  }
  try {
    if (!options.readonly) applyPragmas(db);
    if (options.quickCheck !== false) {
      const check = db.pragma('quick_check', { simple: true }) as string;
      if (check !== 'ok') throw storage('storage.corrupt', `database failed quick_check: ${check}`, { file, check });
    }
    if (!options.readonly) migrate(db);
    // Search keys are computed in JS (pinyin), so rows from before migration 7 get them here.
    if (!options.readonly) backfillPatientSearchKeys(db);
    return db;
  } catch (err) {
    db.close();
    throw mapOpenError(err, file, key);
  }
}

function sizeOf(file: string): number {
  try {
    return fs.statSync(file).size;
  } catch {
    return 0;
  }
}

function mapOpenError(err: unknown, file: string, key: Buffer | null): AppError {
  if (err instanceof AppError) return err;
  const code = (err as { code?: string }).code ?? '';
  // The keyring's check value said the key is right, yet page 1 does not decrypt: the file is not this
  // record's. An encrypted SQLite file is whole pages long; anything else was never a database.
  if (code === 'SQLITE_NOTADB' && key) {
    if (sizeOf(file) % 512 !== 0) return storage('storage.not_sqlite', `${file} is not an SQLite database; it was left untouched`, { file });
    return storage('security.key_unknown', `${file} is encrypted, but not with this record's key; it was left untouched`, { file });
  }
  if (code === 'SQLITE_NOTADB') return storage('storage.not_sqlite', `${file} is not an SQLite database; it was left untouched`, { file });
  if (code.startsWith('SQLITE_CORRUPT')) return storage('storage.corrupt', `${file} is corrupt; it was left untouched`, { file });
  if (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED')) return storage('storage.locked', `${file} is locked by another process`, { file });
  if (code.startsWith('SQLITE_READONLY') || code.startsWith('SQLITE_CANTOPEN') || code === 'EACCES')
    return storage('storage.readonly', `${file} cannot be opened for writing`, { file });
  return storage('storage.open_failed', `cannot open ${file}: ${(err as Error).message}`, { file, sqliteCode: code });
}
