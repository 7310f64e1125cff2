import fs from 'node:fs';
import path from 'node:path';
import { AppError } from '../../../shared/errors';
import type { KeyProvider } from './keys';
import { connect, encryptedCopy, fileKind } from './cipher';
import {
  createEnvelope,
  readEnvelope,
  unwrapWithPassphrase,
  unwrapWithProvider,
  withNewKey,
  withPassphrase,
  withProvider,
  writeEnvelope,
  envelopeFile,
  type Envelope,
  type Keyring,
} from './envelope';
import { PLAIN_DIR } from './leftovers';

/**
 * The keys of one record, unwrapped for the life of the core: the current data key opens echelon.db;
 * the older ones open backups and `replaced/` files taken before a rekey. Every change is written to
 * the key file first and then held here, so the file on disk never lags behind what the core uses.
 */
export class RecordKeys {
  constructor(
    readonly dbFile: string,
    readonly provider: KeyProvider,
    private env: Envelope,
    private ring: Keyring,
  ) {}

  get envelope(): Envelope {
    return this.env;
  }

  get keyring(): Keyring {
    return this.ring;
  }

  get current(): Buffer {
    return this.ring.current.key;
  }

  /** Every key, current first: what verifying or restoring a copy may need. */
  get all(): Buffer[] {
    return this.ring.all.map((k) => k.key);
  }

  /** Writes the key file, then holds the new state. */
  replace(env: Envelope, ring: Keyring): void {
    writeEnvelope(this.dbFile, env);
    this.env = env;
    this.ring = ring;
  }

  setPassphrase(passphrase: string, now: string): void {
    if (this.env.passphrase) throw new AppError('CONFLICT', 'a recovery passphrase is already set', { key: 'security.passphrase_already_set' });
    this.replace(withPassphrase(this.env, this.ring, passphrase, now), this.ring);
  }

  changePassphrase(oldPassphrase: string, newPassphrase: string, now: string): void {
    unwrapWithPassphrase(this.env, oldPassphrase, 'oldPassphrase');
    this.replace(withPassphrase(this.env, this.ring, newPassphrase, now), this.ring);
  }

  /**
   * A rekey interrupted after the key file named the new key but before the copy under it took the
   * database's place: the database is still under an older key, which becomes current again.
   */
  fallBackTo(key: Buffer): void {
    const entry = this.ring.all.find((k) => k.key.equals(key));
    if (!entry || entry.id === this.env.current) return;
    this.replace({ ...this.env, current: entry.id }, { current: entry, all: [entry, ...this.ring.all.filter((k) => k !== entry)] });
  }

  /** The envelope with a new current key, not yet written (rekey writes it once the copy under it is verified). */
  planNewKey(recoveryPassphrase: string | undefined, now: string): { envelope: Envelope; keyring: Keyring } {
    let derived: Buffer | null = null;
    if (this.env.passphrase) {
      if (recoveryPassphrase === undefined) throw AppError.field('recoveryPassphrase', 'security.passphrase_required');
      derived = unwrapWithPassphrase(this.env, recoveryPassphrase, 'recoveryPassphrase').derived;
    }
    return withNewKey(this.env, this.ring, this.provider, now, derived);
  }
}

/** The keys of each record a core in this process has open, by database file: what the server's reader threads are handed. */
const openRecords = new Map<string, RecordKeys>();

export function registerOpenRecord(keys: RecordKeys | null, dbFile: string): void {
  if (keys) openRecords.set(dbFile, keys);
  else openRecords.delete(dbFile);
}

/** The current data key of a record a core of this process has open (undefined when none has it open). */
export function currentKeyOf(dbFile: string): Buffer | undefined {
  return openRecords.get(dbFile)?.current;
}

export interface OpenKeysResult {
  keys: RecordKeys;
  /** Set when start-up encrypted a plain record: where the plain original went, and what was copied. */
  upgraded: { original: string; tables: number; rows: number } | null;
}

/** Row counts of every table, for comparing a copy with its source. */
export function rowCounts(db: ReturnType<typeof connect>): Map<string, number> {
  const out = new Map<string, number>();
  const tables = db.prepare(`SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name`).pluck().all() as string[];
  for (const t of tables)
    out.set(
      t,
      db
        .prepare(`SELECT count(*) FROM "${t.replace(/"/g, '""')}"`)
        .pluck()
        .get() as number,
    );
  return out;
}

const compactStamp = (now: string): string =>
  now
    .replace(/[-:]/g, '')
    .replace(/\.\d+Z$/, 'Z')
    .replace('T', '-');

function fsyncDir(dir: string): void {
  if (process.platform === 'win32') return;
  const fd = fs.openSync(dir, 'r');
  try {
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}

/**
 * Encrypts a plain record in place (start-up of the first version with encryption): a copy under the
 * data key through `VACUUM INTO` (cipher.ts `encryptedCopy`), checked (`quick_check`, and every table's
 * row count equal to the original's), the key file written, the plain original moved to `plain/` (never
 * silently kept: `security:status` lists it until it is destroyed), and the copy renamed into place.
 * A crash at any step is finished or redone at the next start (`openRecordKeys`).
 */
function encryptPlainRecord(dbFile: string, env: Envelope, ring: Keyring, now: string, nativeBinding?: string): { original: string; tables: number; rows: number } {
  const dir = path.dirname(dbFile);
  const copy = `${dbFile}.encrypting`;
  fs.rmSync(copy, { force: true });
  let before: Map<string, number>;
  const src = connect(dbFile, nativeBinding ? { nativeBinding } : {});
  try {
    before = rowCounts(src);
  } finally {
    src.close();
  }
  try {
    encryptedCopy(dbFile, null, copy, ring.current.key, nativeBinding);
    const check = connect(copy, { key: ring.current.key, ...(nativeBinding ? { nativeBinding } : {}) });
    try {
      const qc = check.pragma('quick_check', { simple: true });
      const after = rowCounts(check);
      const same = after.size === before.size && [...before].every(([t, n]) => after.get(t) === n);
      if (qc !== 'ok' || !same) throw new AppError('STORAGE', 'the encrypted copy does not match the original', { key: 'security.upgrade_failed' });
    } finally {
      check.close();
    }
    const fd = fs.openSync(copy, 'r+');
    try {
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
  } catch (err) {
    fs.rmSync(copy, { force: true });
    if (err instanceof AppError) throw err;
    throw new AppError('STORAGE', `the plain record could not be encrypted: ${(err as Error).message}`, { key: 'security.upgrade_failed' });
  }
  writeEnvelope(dbFile, env);
  const plainDir = path.join(dir, PLAIN_DIR);
  fs.mkdirSync(plainDir, { recursive: true, mode: 0o700 });
  const base = `${path.basename(dbFile, '.db')}-${compactStamp(now)}`;
  let name = `${base}.db`;
  for (let i = 2; fs.existsSync(path.join(plainDir, name)); i++) name = `${base}-${i}.db`;
  for (const s of ['', '-wal', '-shm']) if (fs.existsSync(`${dbFile}${s}`)) fs.renameSync(`${dbFile}${s}`, path.join(plainDir, `${name}${s}`));
  fs.renameSync(copy, dbFile);
  fsyncDir(plainDir);
  fsyncDir(dir);
  return { original: `${PLAIN_DIR}/${name}`, tables: before.size, rows: [...before.values()].reduce((a, b) => a + b, 0) };
}

/**
 * At start-up, before the database is opened: the record's keys, made for a new record, unwrapped by
 * this workstation's provider, or made while encrypting a plain record. Refusals leave every file as it was:
 * `security.key_missing` (the provider cannot unwrap the current key: the recovery passphrase can),
 * `storage.not_sqlite` (no key file, and the database is not a plain SQLite file).
 */
export function openRecordKeys(dbFile: string, provider: KeyProvider, now: string, nativeBinding?: string): OpenKeysResult {
  const env = readEnvelope(dbFile);
  const kind = fileKind(dbFile);
  if (env) {
    const ring = unwrapWithProvider(dbFile, env, provider);
    const keys = new RecordKeys(dbFile, provider, env, ring);
    const copy = `${dbFile}.encrypting`;
    // An upgrade interrupted after the key file was written: finish it (copy verified, original aside) or redo it.
    if (kind === 'absent' && fs.existsSync(copy) && fs.statSync(copy).size > 0) {
      fs.renameSync(copy, dbFile);
      fsyncDir(path.dirname(dbFile));
    } else if (kind === 'plain') {
      return { keys, upgraded: encryptPlainRecord(dbFile, env, ring, now, nativeBinding) };
    }
    return { keys, upgraded: null };
  }
  if (kind === 'other') {
    throw new AppError('STORAGE', `${dbFile} is not a plain SQLite database and its key file ${envelopeFile(dbFile)} is missing; it was left untouched`, {
      key: 'storage.not_sqlite',
      file: dbFile,
    });
  }
  const made = createEnvelope(provider, now);
  const keys = new RecordKeys(dbFile, provider, made.envelope, made.keyring);
  if (kind === 'plain') return { keys, upgraded: encryptPlainRecord(dbFile, made.envelope, made.keyring, now, nativeBinding) };
  writeEnvelope(dbFile, made.envelope);
  return { keys, upgraded: null };
}

/**
 * For a record this workstation holds no key for: the recovery passphrase unwraps the keys, and this
 * workstation's provider wraps them again (its own wrap beside the others). `security.wrong_passphrase`
 * leaves the key file untouched.
 */
export function unlockWithPassphrase(dbFile: string, provider: KeyProvider, passphrase: string): RecordKeys {
  const env = readEnvelope(dbFile);
  if (!env) throw new AppError('STORAGE', `the key file ${envelopeFile(dbFile)} is missing`, { key: 'security.keys_missing_file', params: { file: envelopeFile(dbFile) } });
  const { keyring } = unwrapWithPassphrase(env, passphrase);
  const keys = new RecordKeys(dbFile, provider, env, keyring);
  keys.replace(withProvider(env, keyring, provider), keyring);
  return keys;
}
