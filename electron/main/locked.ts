import { unlockRecord, type KeyProvider } from '../core';
import { contract, lookupCall } from '../../shared/api';
import { toFieldIssues } from '../../shared/api/issues';
import { AppError, type ErrorPayload, type Result } from '../../shared/errors';

export const UNLOCK_CHANNEL = 'security:unlockWithPassphrase';

export interface LockedRecord {
  dataDir: string;
  /** This workstation's provider: after the passphrase unlocks the record, it wraps the keys too. */
  keyProvider: KeyProvider;
  nativeBinding?: string;
  /** Start-up's refusal (`security.key_missing`): the answer to every other call until the record is unlocked. */
  refusal: ErrorPayload;
  /** The record is unlocked: the host opens the core now, before the window hears the answer. */
  onUnlocked: () => void;
}

function failure(err: unknown): { ok: false; error: ErrorPayload } {
  if (err instanceof AppError) return { ok: false, error: err.toPayload() };
  return { ok: false, error: { code: 'INTERNAL', message: String(err), details: {} } };
}

/**
 * The window's calls while start-up has refused the record for want of its key (a reinstalled OS, a
 * drive moved to another computer). No core runs: `security:unlockWithPassphrase` is answered here,
 * through the core's `unlockRecord` (a wrong passphrase changes no file), and every other call gets
 * start-up's refusal, so the window shows the unlock screen whichever call it made first. Free of
 * Electron, so the end-to-end tests drive the same code.
 */
export function lockedRecordInvoke(record: LockedRecord): (channel: string, input: unknown, now: string) => Result<unknown> {
  const def = lookupCall(contract, UNLOCK_CHANNEL);
  if (!def) throw new Error(`${UNLOCK_CHANNEL} is not in the contract`);
  return (channel, input, now) => {
    if (channel !== UNLOCK_CHANNEL) return { ok: false, error: record.refusal };
    const parsed = def.input.safeParse(input);
    if (!parsed.success) return failure(new AppError('VALIDATION', 'invalid input', { issues: toFieldIssues(parsed.error.issues) }));
    const { passphrase } = parsed.data as { passphrase: string };
    let value: { unlocked: true };
    try {
      value = unlockRecord({ dataDir: record.dataDir, passphrase, keyProvider: record.keyProvider, now, ...(record.nativeBinding ? { nativeBinding: record.nativeBinding } : {}) });
    } catch (err) {
      return failure(err);
    }
    record.onUnlocked();
    return { ok: true, value };
  };
}

/** True when start-up refused the record only because this workstation lacks its key: the passphrase can open it. */
export function isKeyMissing(err: unknown): err is AppError {
  return err instanceof AppError && err.details.key === 'security.key_missing';
}
