import fs from 'node:fs';
import Ciphers from 'better-sqlite3-multiple-ciphers';
import type { Db } from '../db/types';
import { AppError } from '../../../shared/errors';

/**
 * Every connection Echelon opens goes through here, on better-sqlite3-multiple-ciphers (the release
 * line of our better-sqlite3, same API). Encrypted files use the SQLCipher 4 scheme (AES-256-CBC
 * pages, HMAC-SHA512 per page, `cipher='sqlcipher'`, `legacy=4`), keyed with the raw 256-bit data key
 * (`x'…'`: no per-open key derivation, the key is already random). The key pragmas come before any
 * other statement, as SQLite3 Multiple Ciphers requires.
 */
export interface ConnectOptions {
  /** The data key; null or absent for a plain file (the lock file, a plain original being upgraded). */
  key?: Buffer | null;
  readonly?: boolean;
  fileMustExist?: boolean;
  nativeBinding?: string;
}

export function applyKey(db: Db, key: Buffer): void {
  if (key.length !== 32) throw new Error('a data key is 32 bytes');
  // A plain SQLite build (a better-sqlite3 binary given as nativeBinding) ignores unknown pragmas, key included,
  // and would write the record in the clear: only a build that answers with its cipher may go on.
  const cipher = db.pragma(`cipher = 'sqlcipher'`, { simple: true });
  if (cipher !== 'sqlcipher') {
    throw new AppError('STORAGE', 'this SQLite build cannot encrypt (not SQLite3 Multiple Ciphers); nothing was opened', { key: 'security.cipher_unavailable' });
  }
  db.pragma('legacy = 4');
  db.pragma(`key = "x'${key.toString('hex')}'"`);
}

export function connect(file: string, options: ConnectOptions = {}): Db {
  const db: Db = new Ciphers(file, {
    readonly: options.readonly === true,
    fileMustExist: options.fileMustExist === true || options.readonly === true,
    ...(options.nativeBinding ? { nativeBinding: options.nativeBinding } : {}),
  });
  if (options.key) {
    try {
      applyKey(db, options.key);
    } catch (err) {
      db.close();
      throw err;
    }
  }
  return db;
}

const SQLITE_HEADER = 'SQLite format 3\u0000';

/** What the first bytes of a file say: absent or empty, a plain SQLite file, or anything else (encrypted, or not a database). */
export function fileKind(file: string): 'absent' | 'plain' | 'other' {
  let fd: number;
  try {
    fd = fs.openSync(file, 'r');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return 'absent';
    throw err;
  }
  try {
    const buf = Buffer.alloc(16);
    const n = fs.readSync(fd, buf, 0, 16, 0);
    if (n === 0) return 'absent';
    return n === 16 && buf.toString('latin1') === SQLITE_HEADER ? 'plain' : 'other';
  } finally {
    fs.closeSync(fd);
  }
}

/**
 * Which of `keys` opens an encrypted file (null: a plain file; undefined: none of them). A wrong key
 * fails at the first read of page 1 with SQLITE_NOTADB, so trying the keyring costs a page per key.
 */
export function keyOf(file: string, keys: readonly Buffer[], nativeBinding?: string): Buffer | null | undefined {
  if (fileKind(file) === 'plain') return null;
  for (const key of keys) {
    let db: Db | null = null;
    try {
      db = connect(file, { key, readonly: true, ...(nativeBinding ? { nativeBinding } : {}) });
      // Page 1 only: a key that decrypts it is the file's key, whatever later pages hold (verification reads them).
      db.pragma('user_version', { simple: true });
      return key;
    } catch (err) {
      if ((err as { code?: string }).code !== 'SQLITE_NOTADB') throw err;
    } finally {
      db?.close();
    }
  }
  return undefined;
}

const quoted = (s: string): string => `'${s.replace(/'/g, "''")}'`;
const keyLiteral = (key: Buffer | null): string => (key ? `"x'${key.toString('hex')}'"` : "''");

/**
 * A copy of `source` (plain when `sourceKey` is null, else under that key) written to `dest` under
 * `destKey`, never in the clear: `VACUUM … INTO` writes its output under the main database's key, so
 * the main database is an empty scratch file keyed with `destKey` and the source is attached. The
 * copy is in rollback-journal mode, one self-contained file. Used by the upgrade of a plain record,
 * the rekey, and a restore from a backup under an older key.
 */
export function encryptedCopy(source: string, sourceKey: Buffer | null, dest: string, destKey: Buffer, nativeBinding?: string): void {
  const scratch = `${dest}.scratch`;
  fs.rmSync(scratch, { force: true });
  const db = connect(scratch, { key: destKey, ...(nativeBinding ? { nativeBinding } : {}) });
  try {
    db.exec(`ATTACH ${quoted(source)} AS src KEY ${keyLiteral(sourceKey)}`);
    db.exec(`VACUUM src INTO ${quoted(dest)}`);
    db.exec('DETACH src');
  } finally {
    db.close();
    fs.rmSync(scratch, { force: true });
  }
}

/** The page cache of the copy `VACUUM INTO` writes, KiB: the copy is written once, front to back. */
const VACUUM_CACHE_KIB = 4096;

/**
 * A copy of an open connection's database under the same key (or plain, for a plain one), in
 * rollback-journal mode. SQLite gives the copy being written the source's page cache size (64 MB on
 * the live connection, db/open.ts): at full scale the copy's cache filled to 64 MB beside the source's,
 * and the process kept that memory after the copy (the server's start-up backup took its RSS from
 * ~200 MB to ~350 MB, issue 17's bench). The source's cache is set small for the copy and restored
 * after; it refills as the record is read again.
 */
export function vacuumInto(db: Db, dest: string): void {
  const cache = db.pragma('cache_size', { simple: true }) as number;
  db.pragma(`cache_size = -${VACUUM_CACHE_KIB}`);
  try {
    db.exec(`VACUUM INTO ${quoted(dest)}`);
  } finally {
    db.pragma(`cache_size = ${cache}`);
  }
}
