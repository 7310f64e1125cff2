import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { memoryKeyProvider, type KeyProvider } from '../../electron/core';
import { connect, keyOf } from '../../electron/core/security/cipher';
import { readEnvelope, unwrapWithProvider } from '../../electron/core/security/envelope';
import type { Db } from '../../electron/core/db/types';

/**
 * Every test record is encrypted (issue 20): one fixed key-encryption key for the whole suite, so a
 * test that closes a core and opens it again, or a child process that opens the same folder, finds
 * the record's keys. A "new machine" is `memoryKeyProvider()` with a fresh random KEK.
 */
export const TEST_KEK = crypto.createHash('sha256').update('echelon test key-encryption key').digest();

export function testKeyProvider(): KeyProvider {
  return memoryKeyProvider(TEST_KEK);
}

/** The record folder a file belongs to: the folder of echelon.db, or the parent of backups/, replaced/, plain/. */
function recordOf(file: string): string | null {
  for (let dir = path.dirname(path.resolve(file)), i = 0; i < 3; dir = path.dirname(dir), i++) {
    if (fs.existsSync(path.join(dir, 'echelon.db.keys.json'))) return path.join(dir, 'echelon.db');
  }
  return null;
}

/** The data keys of the record `file` belongs to (current first), as the test provider unwraps them. */
export function testKeysFor(file: string): Buffer[] {
  const db = recordOf(file);
  const env = db ? readEnvelope(db) : null;
  return db && env ? unwrapWithProvider(db, env, testKeyProvider()).all.map((k) => k.key) : [];
}

/**
 * A raw connection to a database file of a test record (the database, a backup, a replaced file), on
 * the ciphers driver with whichever of the record's keys opens it; a plain file opens plain. What the
 * tests use where they used `new Database(file)` from better-sqlite3.
 */
export function openRaw(file: string, options: { readonly?: boolean; record?: string } = {}): Db {
  // `record`: a file of the record whose keys to use, for a copy kept outside its data folder.
  const keys = testKeysFor(options.record ?? file);
  const exists = fs.existsSync(file) && fs.statSync(file).size > 0;
  // A WAL-mode record cannot be opened read-only to probe it: its current key opens it.
  let key: Buffer | null | undefined = keys[0] ?? null;
  if (exists && path.basename(file) !== 'echelon.db') key = keyOf(file, keys);
  if (key === undefined) throw new Error(`no key of this record opens ${file}`);
  return connect(file, { key, readonly: options.readonly === true });
}

/**
 * A plain copy of an encrypted database (the bench keeps its generated network plain, as a record from
 * before encryption, and measures the plain driver beside the encrypted one): `VACUUM … INTO` writes
 * under the main database's key, so the main database is a plain scratch file and the source is attached.
 */
export function plainCopy(source: string, key: Buffer, dest: string): void {
  const scratch = `${dest}.scratch`;
  fs.rmSync(scratch, { force: true });
  const db = connect(scratch);
  try {
    // The scheme for the attached source; the main database itself stays keyless, so the copy is plain.
    db.pragma(`cipher = 'sqlcipher'`);
    db.pragma('legacy = 4');
    db.exec(`ATTACH '${source.replace(/'/g, "''")}' AS src KEY "x'${key.toString('hex')}'"`);
    db.exec(`VACUUM src INTO '${dest.replace(/'/g, "''")}'`);
    db.exec('DETACH src');
  } finally {
    db.close();
    fs.rmSync(scratch, { force: true });
  }
}
