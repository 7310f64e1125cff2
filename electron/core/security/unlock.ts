import path from 'node:path';
import { acquireDataDirLock } from '../db/lock';
import { openDatabase } from '../db/open';
import { writeAudit } from '../audit/audit';
import type { KeyProvider } from './keys';
import { readEnvelope, unwrapWithProvider } from './envelope';
import { unlockWithPassphrase } from './record';

const DB_FILE = 'echelon.db';

export interface UnlockOptions {
  dataDir: string;
  passphrase: string;
  /** This workstation's provider: it wraps the keys again, so the next start needs no passphrase. */
  keyProvider: KeyProvider;
  now: string;
  nativeBinding?: string;
}

/**
 * `security:unlockWithPassphrase` before the core starts: start-up refused the record with
 * `security.key_missing` (a reinstalled OS, a drive moved to another machine). The recovery passphrase
 * unwraps the keys, this workstation's provider wraps them too, and the record's audit trail says so.
 * A wrong passphrase (`security.wrong_passphrase`) changes no file. Then the host starts the core again.
 */
export function unlockRecord(options: UnlockOptions): { unlocked: true } {
  const dataDir = path.resolve(options.dataDir);
  const file = path.join(dataDir, DB_FILE);
  const lock = acquireDataDirLock(dataDir, options.nativeBinding ? { nativeBinding: options.nativeBinding } : {});
  try {
    const keys = unlockWithPassphrase(file, options.keyProvider, options.passphrase);
    const db = openDatabase(file, { key: keys.current, quickCheck: false, ...(options.nativeBinding ? { nativeBinding: options.nativeBinding } : {}) });
    try {
      db.transaction(() =>
        writeAudit(db, options.now, null, {
          action: 'security.unlock_passphrase',
          entity: 'security',
          after: { holder: options.keyProvider.holder, kekId: options.keyProvider.id },
        }),
      ).immediate();
    } finally {
      db.close();
    }
    return { unlocked: true };
  } finally {
    lock.release();
  }
}

/** The record's data keys as this provider unwraps them, current first (empty for a record without a key file): for checking backups before the core starts. */
export function dataKeysOf(dataDir: string, provider: KeyProvider): Buffer[] {
  const file = path.join(path.resolve(dataDir), DB_FILE);
  const env = readEnvelope(file);
  return env ? unwrapWithProvider(file, env, provider).all.map((k) => k.key) : [];
}
