import crypto from 'node:crypto';
import fs from 'node:fs';
import type { KeyHolder } from '../../../shared/api/security';
import { AppError } from '../../../shared/errors';

/**
 * Where the key-encryption key (KEK) of a deployment lives, seen from the core: it wraps and unwraps
 * the record's data keys and never hands out the KEK itself. The core receives one in CoreOptions and
 * never reads keys from Electron: the desktop passes a provider over `safeStorage` (electron/main),
 * the server one over a key file or the environment, the tests one in memory.
 */
export interface KeyProvider {
  /** Shown by `security:status`: where this KEK is held. */
  readonly holder: KeyHolder;
  /** Names this KEK among the wraps in the key file (a digest, or a fixed name for the OS store); not secret. */
  readonly id: string;
  /** The data key, wrapped so that only this KEK unwraps it. */
  wrap(dataKey: Buffer): Buffer;
  /** Throws when `wrapped` was not made by this KEK (the caller also checks the result against the key's check value). */
  unwrap(wrapped: Buffer): Buffer;
}

export const KEK_BYTES = 32;
const IV_BYTES = 12;
const TAG_BYTES = 16;

/** AES-256-GCM: iv ‖ tag ‖ ciphertext. Authenticated, so a wrong key fails rather than yielding garbage. */
export function sealWith(key: Buffer, plain: Buffer, aad = ''): Buffer {
  const iv = crypto.randomBytes(IV_BYTES);
  const c = crypto.createCipheriv('aes-256-gcm', key, iv);
  c.setAAD(Buffer.from(aad));
  const body = Buffer.concat([c.update(plain), c.final()]);
  return Buffer.concat([iv, c.getAuthTag(), body]);
}

export function openWith(key: Buffer, sealed: Buffer, aad = ''): Buffer {
  if (sealed.length < IV_BYTES + TAG_BYTES) throw new Error('sealed data too short');
  const d = crypto.createDecipheriv('aes-256-gcm', key, sealed.subarray(0, IV_BYTES));
  d.setAAD(Buffer.from(aad));
  d.setAuthTag(sealed.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
  return Buffer.concat([d.update(sealed.subarray(IV_BYTES + TAG_BYTES)), d.final()]);
}

/** A provider over a 32-byte KEK held in this process (key file, environment, tests). */
export function aesKeyProvider(kek: Buffer, holder: KeyHolder): KeyProvider {
  if (kek.length !== KEK_BYTES) throw new Error('a key-encryption key is 32 bytes');
  const key = Buffer.from(kek);
  const id = `${holder}:${crypto.createHash('sha256').update('echelon kek id').update(key).digest('hex').slice(0, 16)}`;
  return { holder, id, wrap: (dataKey) => sealWith(key, dataKey, 'echelon data key'), unwrap: (wrapped) => openWith(key, wrapped, 'echelon data key') };
}

/** For tests: a KEK that lives as long as the object (a "new machine" is a new provider). */
export function memoryKeyProvider(kek: Buffer = crypto.randomBytes(KEK_BYTES)): KeyProvider {
  return aesKeyProvider(kek, 'memory');
}

/** `ECHELON_DATA_KEY_KEK`: 32 bytes in base64. Undefined when the variable is not set. */
export function envKeyProvider(env: NodeJS.ProcessEnv): KeyProvider | undefined {
  const raw = env.ECHELON_DATA_KEY_KEK;
  if (raw === undefined || raw === '') return undefined;
  const kek = Buffer.from(raw.trim(), 'base64');
  if (kek.length !== KEK_BYTES || kek.toString('base64') !== raw.trim()) {
    throw new AppError('STORAGE', 'ECHELON_DATA_KEY_KEK must be a 32-byte key in base64', { key: 'security.kek_env_invalid' });
  }
  return aesKeyProvider(kek, 'env');
}

/**
 * The server's key file: 32 random bytes in base64, created with mode 0600 at first start. A file
 * that the group or others may read is refused: the KEK must be readable by the service account only.
 */
export function keyFileProvider(file: string, options: { create?: boolean } = {}): KeyProvider {
  if (!fs.existsSync(file)) {
    if (options.create === false) throw new AppError('STORAGE', `key file ${file} does not exist`, { key: 'security.kek_file_invalid', params: { file } });
    try {
      fs.writeFileSync(file, `${crypto.randomBytes(KEK_BYTES).toString('base64')}\n`, { mode: 0o600, flag: 'wx' });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
  }
  const stat = fs.statSync(file);
  if (process.platform !== 'win32' && (stat.mode & 0o077) !== 0) {
    const mode = (stat.mode & 0o777).toString(8).padStart(4, '0');
    throw new AppError('STORAGE', `key file ${file} is readable by other users (mode ${mode}); make it 0600`, { key: 'security.kek_file_permissions', params: { file, mode } });
  }
  const text = fs.readFileSync(file, 'utf8').trim();
  const kek = Buffer.from(text, 'base64');
  if (kek.length !== KEK_BYTES) throw new AppError('STORAGE', `key file ${file} is not a 32-byte key in base64`, { key: 'security.kek_file_invalid', params: { file } });
  return aesKeyProvider(kek, 'key-file');
}
