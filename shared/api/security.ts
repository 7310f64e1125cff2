import { z } from 'zod';
import { command, operation, query, ADMIN_ONLY, NOT_WARD_DATA } from './define';
import { InstantOut, NoInput } from './fields';

/**
 * Encryption at rest (issue 20). The record, its WAL, every backup and every file moved to `replaced/`
 * are SQLCipher-scheme AES-256 files under a random 256-bit data key. The data key is stored only
 * wrapped, in `echelon.db.keys.json` beside the database: by the deployment's key-encryption key
 * (the OS credential store on the desktop, a key file or the environment on the server) and, once an
 * administrator has set it, by the recovery passphrase.
 *
 * First run: `setup:createAdmin` is unchanged; the step right after it is
 * `security:setRecoveryPassphrase` (the screen asks while `status.recoveryPassphraseSet` is false).
 */

/** Where the key-encryption key of this workstation or server is held. */
export const KEY_HOLDERS = ['os', 'key-file', 'env', 'memory'] as const;
export type KeyHolder = (typeof KEY_HOLDERS)[number];

/** At least 12 characters (`validation.too_short` {min: 12}): it is the last way into the record when the OS key or key file is lost. */
export const RecoveryPassphrase = z.string().min(12).max(256);

/** The passphrase as typed when checking it: its length is not ours to judge then. */
const GivenPassphrase = z.string().min(1).max(256);

/**
 * A plain (unencrypted) file left in the data folder from before encryption: the original moved aside
 * by the upgrade, a backup taken before it, or a plain file under `replaced/`. It must be destroyed.
 * `file` is its path relative to the data folder, as listed; the renderer never sends any other path.
 */
export const PlainLeftoverSchema = z.object({
  file: z.string(),
  kind: z.enum(['original', 'backup', 'replaced']),
  path: z.string(),
  size: z.number().int(),
  modifiedAt: InstantOut,
});
export type PlainLeftover = z.infer<typeof PlainLeftoverSchema>;

export const LeftoverFile = z
  .string()
  .max(300)
  .regex(/^(?:plain|backups|replaced)\/[A-Za-z0-9._-]+$/, { error: 'validation.leftover_file' });

export const SecurityStatusSchema = z.object({
  encrypted: z.boolean(),
  /** `sqlcipher-aes256`: AES-256-CBC pages with HMAC-SHA512, SQLCipher 4 layout. */
  cipher: z.string(),
  keyHolder: z.enum(KEY_HOLDERS),
  /** The data key in use: its id and when it was made (a rekey makes a new one). */
  keyId: z.string(),
  keyCreatedAt: InstantOut,
  /** Older data keys kept so that backups taken before a rekey stay restorable. */
  olderKeys: z.number().int(),
  recoveryPassphraseSet: z.boolean(),
  recoveryPassphraseSetAt: InstantOut.nullable(),
  /** The file holding the wrapped keys (never the keys themselves in the clear). */
  keyFile: z.string(),
  /** Plain copies of patient data still on this disk: each must be destroyed. */
  plainLeftovers: z.array(PlainLeftoverSchema),
});
export type SecurityStatus = z.infer<typeof SecurityStatusSchema>;

const PassphraseChange = z
  .strictObject({ oldPassphrase: GivenPassphrase, newPassphrase: RecoveryPassphrase, confirm: z.string().max(256) })
  .refine((v) => v.newPassphrase === v.confirm, { path: ['confirm'], error: 'validation.passphrase_mismatch' });

const NewPassphrase = z
  .strictObject({ passphrase: RecoveryPassphrase, confirm: z.string().max(256) })
  .refine((v) => v.passphrase === v.confirm, { path: ['confirm'], error: 'validation.passphrase_mismatch' });

export const security = {
  status: query({ input: NoInput, output: SecurityStatusSchema, scope: ADMIN_ONLY, access: ['admin'] }),
  /** Sets the recovery passphrase once (first run, or an upgraded record that has none); refused when one is set. */
  setRecoveryPassphrase: command({
    input: NewPassphrase,
    output: z.object({ recoveryPassphraseSetAt: InstantOut }),
    scope: ADMIN_ONLY,
    access: ['admin'],
  }),
  /** Replaces the recovery passphrase; the old one must be given (`security.wrong_passphrase` otherwise). */
  changeRecoveryPassphrase: command({
    input: PassphraseChange,
    output: z.object({ recoveryPassphraseSetAt: InstantOut }),
    scope: ADMIN_ONLY,
    access: ['admin'],
  }),
  /**
   * A new data key: the record is re-encrypted into a verified copy that takes its place. The old key is
   * kept in the keyring, so earlier backups stay restorable. When a recovery passphrase is set it must be
   * given, so the new key is wrapped by it too.
   */
  rekey: operation({
    input: z.strictObject({ recoveryPassphrase: GivenPassphrase.optional() }),
    output: z.object({ keyId: z.string(), keyCreatedAt: InstantOut, olderKeys: z.number().int() }),
    scope: ADMIN_ONLY,
    access: ['admin'],
  }),
  /**
   * Overwrites a listed plain leftover with random bytes, flushes, and deletes it. On SSDs and
   * copy-on-write file systems the old blocks may survive: `note` is the key of that warning.
   */
  destroyPlain: operation({
    input: z.strictObject({ file: LeftoverFile }),
    output: z.object({ destroyed: z.string(), bytes: z.number().int(), note: z.literal('security.destroy_best_effort') }),
    scope: ADMIN_ONLY,
    access: ['admin'],
  }),
  /**
   * For a record this workstation holds no key for (start-up refused it with `security.key_missing`):
   * the recovery passphrase unwraps the data key, which is then wrapped again for this workstation.
   * The host answers it before the core has started (electron/core `unlockRecord`); a running core,
   * whose record is already open, refuses it with `security.already_unlocked`.
   */
  unlockWithPassphrase: command({
    input: z.strictObject({ passphrase: GivenPassphrase }),
    output: z.object({ unlocked: z.literal(true) }),
    scope: NOT_WARD_DATA,
    access: 'public',
  }),
};
