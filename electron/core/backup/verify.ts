import fs from 'node:fs';
import type { Verification } from '../../../shared/api/backup';
import { APPLICATION_ID } from '../db/open';
import { LATEST_VERSION } from '../db/migrations';
import { inspectAuditChain } from '../audit/anchor';
import { compareSchema, readSchema, referenceSchema, schemaProblems } from './schema';
import { connect, keyOf } from '../security/cipher';
import type { Db } from '../db/types';

const SQLITE_HEADER = 'SQLite format 3\u0000';

export interface VerifyOptions {
  nativeBinding?: string;
  /** The record's data keys, current first (security/envelope.ts): an encrypted copy must open under one of them. */
  keys?: readonly Buffer[];
}

/**
 * Checks a database copy without changing it (read-only connection, untrusted schema): it is an
 * Echelon database of a schema this version can open, its whole schema (tables, indexes, triggers,
 * views) is the one our migrations produce for its version (schema.ts), `integrity_check` is ok,
 * `foreign_key_check` finds nothing, and the audit chain verifies. A copy that fails any of these is
 * never imported or restored, and a backup whose copy fails is deleted.
 */
export function verifyDatabaseFile(file: string, options: VerifyOptions = {}): Verification {
  const v: Verification = {
    ok: false,
    problems: [],
    schemaVersion: null,
    integrity: null,
    foreignKeyErrors: null,
    auditRows: null,
    auditChainOk: null,
    auditHead: null,
    patients: null,
    users: null,
  };
  const header = readHeader(file);
  if (header === null) {
    v.problems.push({ key: 'storage.unreadable' });
    return v;
  }
  const plain = header.toString('latin1', 0, 16) === SQLITE_HEADER;
  // Bytes 18–19 are 2 in WAL mode: a read-only open would need the -wal and -shm files. Copies this program writes are in rollback mode.
  if (plain && (header[18] === 2 || header[19] === 2)) {
    v.problems.push({ key: 'backup.wal_mode' });
    return v;
  }
  let key: Buffer | null = null;
  if (!plain) {
    // An encrypted file (or not a database at all: without its key, the two look the same).
    let found: Buffer | null | undefined;
    try {
      found = header.length === 0 ? undefined : keyOf(file, options.keys ?? [], options.nativeBinding);
    } catch (err) {
      v.problems.push({ key: problemKey(err) });
      return v;
    }
    if (!found) {
      // An encrypted SQLite file is whole pages long; anything else was never a database.
      const pages = fs.statSync(file).size % 512 === 0;
      v.problems.push({ key: pages && (options.keys ?? []).length > 0 ? 'security.key_unknown' : 'storage.not_sqlite' });
      return v;
    }
    key = found;
  }
  let db: Db;
  try {
    db = connect(file, { key, readonly: true, ...(options.nativeBinding ? { nativeBinding: options.nativeBinding } : {}) });
    if (key && db.pragma('journal_mode', { simple: true }) === 'wal') {
      db.close();
      v.problems.push({ key: 'backup.wal_mode' });
      return v;
    }
  } catch (err) {
    v.problems.push({ key: problemKey(err) });
    return v;
  }
  try {
    db.pragma('trusted_schema = OFF');
    const appId = db.pragma('application_id', { simple: true }) as number;
    const version = db.pragma('user_version', { simple: true }) as number;
    v.schemaVersion = version;
    if (appId !== APPLICATION_ID || version < 1) {
      v.problems.push({ key: 'storage.foreign' });
      return v;
    }
    if (version > LATEST_VERSION) {
      v.problems.push({ key: 'storage.newer_version', params: { schema: version } });
      return v;
    }
    // Before anything reads the tables: a copy whose triggers, views or tables are not exactly what
    // our migrations made is refused outright (a dropped immutability trigger, a planted one).
    const differences = compareSchema(readSchema(db), referenceSchema(version, options.nativeBinding));
    if (differences.length > 0) {
      v.problems.push({ key: 'backup.schema_mismatch', params: { n: differences.length } }, ...schemaProblems(differences));
      return v;
    }
    const integrity = (db.pragma('integrity_check') as { integrity_check: string }[]).map((r) => r.integrity_check);
    v.integrity = integrity[0] ?? null;
    if (integrity.length !== 1 || integrity[0] !== 'ok') {
      v.problems.push({ key: 'storage.corrupt' });
      return v;
    }
    v.foreignKeyErrors = (db.pragma('foreign_key_check') as unknown[]).length;
    if (v.foreignKeyErrors > 0) v.problems.push({ key: 'backup.foreign_keys', params: { n: v.foreignKeyErrors } });
    const chain = inspectAuditChain(db, null);
    v.auditRows = chain.rows;
    v.auditChainOk = chain.ok;
    if (chain.ok) v.auditHead = chain.head;
    else v.problems.push({ key: 'backup.audit_broken', params: { id: chain.brokenAt ?? 0 } });
    v.patients = (db.prepare('SELECT count(*) FROM patient').pluck().get() as number) ?? 0;
    v.users = (db.prepare('SELECT count(*) FROM app_user').pluck().get() as number) ?? 0;
  } catch (err) {
    v.problems.push({ key: problemKey(err) });
  } finally {
    db.close();
  }
  v.ok = v.problems.length === 0;
  return v;
}

function readHeader(file: string): Buffer | null {
  let fd: number;
  try {
    fd = fs.openSync(file, 'r');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT' || (err as NodeJS.ErrnoException).code === 'EACCES') return null;
    throw err;
  }
  try {
    const buf = Buffer.alloc(100);
    const n = fs.readSync(fd, buf, 0, 100, 0);
    return buf.subarray(0, n);
  } finally {
    fs.closeSync(fd);
  }
}

function problemKey(err: unknown): string {
  const code = (err as { code?: string }).code ?? '';
  if (code.startsWith('SQLITE_CORRUPT') || code === 'SQLITE_NOTADB') return 'storage.corrupt';
  return 'storage.unreadable';
}
