import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { AppError } from '../../../shared/errors';
import { openWith, sealWith, type KeyProvider } from './keys';

/**
 * The key file beside the database, `echelon.db.keys.json` (mode 0600): the record's data keys, each
 * stored only wrapped — by the KEK of every workstation or server that has opened it (a KeyProvider)
 * and, once set, by the recovery passphrase. Losing this file loses the record: backups copy it.
 *
 * The keyring keeps every data key the record has had: a rekey adds a key and makes it current, and
 * the older ones stay so that backups and `replaced/` files taken before it can still be restored.
 * Its presence is also the marker that tells "encrypted, key missing" from "not a database": SQLCipher
 * files and random bytes look the same.
 */
export const KEYS_SUFFIX = '.keys.json';
export const CIPHER = 'sqlcipher-aes256';
export const DATA_KEY_BYTES = 32;

/** scrypt for the recovery passphrase: N=2^17, r=8, p=1 (128 MiB, ~0.4 s here), a random 16-byte salt. */
export const SCRYPT = { N: 2 ** 17, r: 8, p: 1 } as const;

const B64 = z.string().regex(/^[A-Za-z0-9+/]*={0,2}$/);

const EnvelopeSchema = z.object({
  format: z.literal(1),
  cipher: z.literal(CIPHER),
  current: z.string(),
  keys: z
    .array(
      z.object({
        id: z.string(),
        createdAt: z.string(),
        /** HMAC of a fixed text under the key: tells a right unwrap from a wrong one, reveals nothing. */
        check: z.string(),
        wraps: z.array(z.object({ holder: z.string(), kekId: z.string(), data: B64 })),
        /** The key sealed by the passphrase-derived key, or null while no passphrase is set. */
        recovery: B64.nullable(),
      }),
    )
    .min(1),
  passphrase: z.object({ kdf: z.literal('scrypt'), N: z.number().int(), r: z.number().int(), p: z.number().int(), salt: B64, setAt: z.string() }).nullable(),
});
export type Envelope = z.infer<typeof EnvelopeSchema>;
type KeyEntry = Envelope['keys'][number];

export interface DataKey {
  id: string;
  key: Buffer;
  createdAt: string;
}

/** The unwrapped keyring: the current key first, then older ones, newest first. */
export interface Keyring {
  readonly current: DataKey;
  readonly all: readonly DataKey[];
}

export const envelopeFile = (dbFile: string): string => `${dbFile}${KEYS_SUFFIX}`;

const checkOf = (key: Buffer): string => crypto.createHmac('sha256', key).update('echelon data key check').digest('hex').slice(0, 32);

export function readEnvelope(dbFile: string): Envelope | null {
  const file = envelopeFile(dbFile);
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw new AppError('STORAGE', `cannot read ${file}`, { key: 'security.keys_unreadable', params: { file } });
  }
  try {
    return EnvelopeSchema.parse(JSON.parse(text));
  } catch {
    throw new AppError('STORAGE', `${file} is damaged`, { key: 'security.keys_unreadable', params: { file } });
  }
}

/** Written to a temporary name, flushed, renamed: the key file is never half written. */
export function writeEnvelope(dbFile: string, env: Envelope): void {
  const file = envelopeFile(dbFile);
  const tmp = `${file}.tmp`;
  const fd = fs.openSync(tmp, 'w', 0o600);
  try {
    fs.writeSync(fd, `${JSON.stringify(EnvelopeSchema.parse(env), null, 1)}\n`);
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  fs.chmodSync(tmp, 0o600);
  fs.renameSync(tmp, file);
  if (process.platform !== 'win32') {
    const dfd = fs.openSync(path.dirname(file), 'r');
    try {
      fs.fsyncSync(dfd);
    } finally {
      fs.closeSync(dfd);
    }
  }
}

function newEntry(provider: KeyProvider, now: string, recoveryKey: Buffer | null): { entry: KeyEntry; key: DataKey } {
  const key = crypto.randomBytes(DATA_KEY_BYTES);
  const id = `k-${crypto.randomBytes(6).toString('hex')}`;
  return {
    key: { id, key, createdAt: now },
    entry: {
      id,
      createdAt: now,
      check: checkOf(key),
      wraps: [{ holder: provider.holder, kekId: provider.id, data: provider.wrap(key).toString('base64') }],
      recovery: recoveryKey ? sealWith(recoveryKey, key, id).toString('base64') : null,
    },
  };
}

/** A new record's key file: one random 256-bit data key wrapped by the provider. */
export function createEnvelope(provider: KeyProvider, now: string): { envelope: Envelope; keyring: Keyring } {
  const { entry, key } = newEntry(provider, now, null);
  return { envelope: { format: 1, cipher: CIPHER, current: entry.id, keys: [entry], passphrase: null }, keyring: { current: key, all: [key] } };
}

function ringOf(env: Envelope, keys: Map<string, Buffer>): Keyring {
  const all = [...env.keys]
    .filter((e) => keys.has(e.id))
    .sort((a, b) => (a.id === env.current ? -1 : b.id === env.current ? 1 : a.createdAt < b.createdAt ? 1 : -1))
    .map((e) => ({ id: e.id, key: keys.get(e.id)!, createdAt: e.createdAt }));
  const current = all[0];
  if (!current || current.id !== env.current) throw new AppError('STORAGE', 'the current data key cannot be unwrapped', { key: 'security.key_missing' });
  return { current, all };
}

function keyMissing(dbFile: string): AppError {
  return new AppError('STORAGE', 'encrypted, and this workstation does not hold its key: enter the recovery passphrase', { key: 'security.key_missing', file: dbFile });
}

/** The keyring as this provider can unwrap it; `security.key_missing` when it cannot unwrap the current key. */
export function unwrapWithProvider(dbFile: string, env: Envelope, provider: KeyProvider): Keyring {
  const keys = new Map<string, Buffer>();
  for (const e of env.keys) {
    // This provider's own wrap first; then every other (the same KEK may have moved, say from a key file to the environment).
    for (const w of [...e.wraps].sort((a, b) => Number(b.kekId === provider.id) - Number(a.kekId === provider.id))) {
      let key: Buffer;
      try {
        key = provider.unwrap(Buffer.from(w.data, 'base64'));
      } catch {
        continue;
      }
      if (key.length === DATA_KEY_BYTES && checkOf(key) === e.check) {
        keys.set(e.id, key);
        break;
      }
    }
  }
  if (!keys.has(env.current)) throw keyMissing(dbFile);
  return ringOf(env, keys);
}

export function wrongPassphrase(field: string): AppError {
  return new AppError('VALIDATION', 'wrong recovery passphrase', { key: 'security.wrong_passphrase', issues: [{ field, key: 'security.wrong_passphrase' }] });
}

function derive(passphrase: string, salt: Buffer, p: { N: number; r: number; p: number }): Buffer {
  return crypto.scryptSync(passphrase.normalize('NFC'), salt, 32, { N: p.N, r: p.r, p: p.p, maxmem: 256 * 1024 * 1024 });
}

/** The keyring as the recovery passphrase unwraps it; `security.wrong_passphrase` (VALIDATION on `field`) otherwise. */
export function unwrapWithPassphrase(env: Envelope, passphrase: string, field = 'passphrase'): { keyring: Keyring; derived: Buffer } {
  if (!env.passphrase) throw new AppError('RULE_VIOLATION', 'no recovery passphrase is set', { key: 'security.passphrase_not_set' });
  const derived = derive(passphrase, Buffer.from(env.passphrase.salt, 'base64'), env.passphrase);
  const keys = new Map<string, Buffer>();
  for (const e of env.keys) {
    if (!e.recovery) continue;
    try {
      const key = openWith(derived, Buffer.from(e.recovery, 'base64'), e.id);
      if (checkOf(key) === e.check) keys.set(e.id, key);
    } catch {
      // GCM refused it: this passphrase did not seal this key.
    }
  }
  if (!keys.has(env.current)) throw wrongPassphrase(field);
  return { keyring: ringOf(env, keys), derived };
}

/** Every key sealed again under a new passphrase (a fresh salt); `setAt` records when. */
export function withPassphrase(env: Envelope, keyring: Keyring, passphrase: string, now: string): Envelope {
  const salt = crypto.randomBytes(16);
  const derived = derive(passphrase, salt, SCRYPT);
  const byId = new Map(keyring.all.map((k) => [k.id, k.key]));
  return {
    ...env,
    passphrase: { kdf: 'scrypt', ...SCRYPT, salt: salt.toString('base64'), setAt: now },
    keys: env.keys.map((e) => {
      const key = byId.get(e.id);
      return { ...e, recovery: key ? sealWith(derived, key, e.id).toString('base64') : e.recovery };
    }),
  };
}

/** Adds (or replaces) this provider's wrap of every key it can see: a workstation unlocked by the passphrase keeps its own wrap. */
export function withProvider(env: Envelope, keyring: Keyring, provider: KeyProvider): Envelope {
  const byId = new Map(keyring.all.map((k) => [k.id, k.key]));
  return {
    ...env,
    keys: env.keys.map((e) => {
      const key = byId.get(e.id);
      if (!key) return e;
      const others = e.wraps.filter((w) => w.kekId !== provider.id);
      return { ...e, wraps: [...others, { holder: provider.holder, kekId: provider.id, data: provider.wrap(key).toString('base64') }] };
    }),
  };
}

/**
 * A new current data key (rekey), wrapped by the provider and, when a passphrase is set, by the key the
 * passphrase derives (`derived`, from unwrapWithPassphrase). Earlier keys stay for earlier backups.
 */
export function withNewKey(env: Envelope, keyring: Keyring, provider: KeyProvider, now: string, derived: Buffer | null): { envelope: Envelope; keyring: Keyring } {
  const { entry, key } = newEntry(provider, now, derived);
  return { envelope: { ...env, current: entry.id, keys: [...env.keys, entry] }, keyring: { current: key, all: [key, ...keyring.all] } };
}
