import path from 'node:path';
import { AppError } from '../../../shared/errors';
import type { DomainHandlers } from '../context';
import { runtimeOf } from '../runtime';
import { settingsOf } from '../settings/settings';
import { stampOf } from '../backup/files';
import { commitSwap, rollbackSwap, swapIn } from '../backup/restore';
import { verifyDatabaseFile } from '../backup/verify';
import { removeIfPresent } from '../backup/files';
import { encryptedCopy } from './cipher';
import { CIPHER, envelopeFile } from './envelope';
import { destroyPlainLeftover, listPlainLeftovers } from './leftovers';

/** Encryption at rest (issue 20): status, the recovery passphrase, rekey, plain leftovers. */
export const securityHandlers: DomainHandlers<'security'> = {
  status(ctx) {
    const rt = runtimeOf(ctx.db);
    const env = rt.keys.envelope;
    const current = rt.keys.keyring.current;
    return {
      encrypted: true,
      cipher: CIPHER,
      keyHolder: rt.keys.provider.holder,
      keyId: current.id,
      keyCreatedAt: current.createdAt,
      olderKeys: env.keys.length - 1,
      recoveryPassphraseSet: env.passphrase !== null,
      recoveryPassphraseSetAt: env.passphrase?.setAt ?? null,
      keyFile: envelopeFile(rt.file),
      plainLeftovers: listPlainLeftovers(rt.dataDir),
    };
  },

  setRecoveryPassphrase(ctx, input) {
    const keys = runtimeOf(ctx.db).keys;
    keys.setPassphrase(input.passphrase, ctx.now);
    ctx.audit({ action: 'security.set_passphrase', entity: 'security', after: { keys: keys.envelope.keys.length } });
    return { recoveryPassphraseSetAt: ctx.now };
  },

  changeRecoveryPassphrase(ctx, input) {
    const keys = runtimeOf(ctx.db).keys;
    keys.changePassphrase(input.oldPassphrase, input.newPassphrase, ctx.now);
    ctx.audit({ action: 'security.change_passphrase', entity: 'security', after: { keys: keys.envelope.keys.length } });
    return { recoveryPassphraseSetAt: ctx.now };
  },

  /**
   * The record is copied under a new data key, verified, the key file names the new key, and the copy
   * takes the database's place by the restore's swap (the old file goes to `replaced/`, still under the
   * old key, which the keyring keeps). All synchronous after the copy starts: no call runs in between.
   */
  rekey(ctx, input) {
    const rt = ctx.runtime;
    const keys = rt.keys;
    const oldKeyId = keys.keyring.current.id;
    const oldKey = keys.current;
    const plan = keys.planNewKey(input.recoveryPassphrase, ctx.now);
    const stamp = stampOf(ctx.now, settingsOf(ctx).timeZone);
    const stage = `${rt.file}.rekeying`;
    removeIfPresent(stage);
    try {
      encryptedCopy(rt.file, keys.current, stage, plan.keyring.current.key, rt.nativeBinding);
      const verification = verifyDatabaseFile(stage, { keys: [plan.keyring.current.key], ...(rt.nativeBinding ? { nativeBinding: rt.nativeBinding } : {}) });
      if (!verification.ok) throw new AppError('STORAGE', 'the re-encrypted copy failed verification', { key: 'backup.verify_failed', problems: verification.problems });
    } catch (err) {
      removeIfPresent(stage);
      throw err;
    }
    // The key file first: until the swap, the database is still under the old key, which start-up falls back to.
    keys.replace(plan.envelope, plan.keyring);
    rt.closeDatabase();
    let swap;
    try {
      swap = swapIn(rt.file, stage, stamp, null);
    } catch (err) {
      removeIfPresent(stage);
      keys.fallBackTo(oldKey);
      rt.reopenDatabase();
      throw err;
    }
    try {
      rt.reopenDatabase();
    } catch (err) {
      rollbackSwap(swap);
      keys.fallBackTo(oldKey);
      rt.reopenDatabase();
      throw err;
    }
    commitSwap(swap);
    const current = keys.keyring.current;
    ctx.audit({ action: 'security.rekey', entity: 'security', before: { keyId: oldKeyId }, after: { keyId: current.id, replacedAs: swap.replacedAs } });
    return Promise.resolve({ keyId: current.id, keyCreatedAt: current.createdAt, olderKeys: keys.envelope.keys.length - 1 });
  },

  destroyPlain(ctx, input) {
    const rt = ctx.runtime;
    const r = destroyPlainLeftover(rt.dataDir, input.file);
    ctx.audit({ action: 'security.destroy_plain', entity: 'security', after: { file: r.destroyed, bytes: r.bytes, folder: path.dirname(r.destroyed) } });
    return Promise.resolve({ ...r, note: 'security.destroy_best_effort' as const });
  },

  unlockWithPassphrase() {
    throw new AppError('CONFLICT', 'the record is already open', { key: 'security.already_unlocked' });
  },
};
