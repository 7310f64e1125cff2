import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createCore, memoryKeyProvider } from '../../electron/core';
import { OS_KEK_ID, safeStorageKeyProvider, type SafeStoragePort } from '../../electron/main/keys';
import { lockedRecordInvoke } from '../../electron/main/locked';
import { AppError } from '../../shared/errors';
import { tempDir } from '../support/core';

/** A credential store like the OS's: a secret of its own, so another "computer" cannot decrypt. */
function fakeStore(over: Partial<SafeStoragePort> = {}): SafeStoragePort {
  const secret = crypto.randomBytes(32);
  const seal = (text: string) => {
    const iv = crypto.randomBytes(12);
    const c = crypto.createCipheriv('aes-256-gcm', secret, iv);
    const body = Buffer.concat([c.update(text, 'utf8'), c.final()]);
    return Buffer.concat([iv, c.getAuthTag(), body]);
  };
  const open = (b: Buffer) => {
    const d = crypto.createDecipheriv('aes-256-gcm', secret, b.subarray(0, 12));
    d.setAuthTag(b.subarray(12, 28));
    return Buffer.concat([d.update(b.subarray(28)), d.final()]).toString('utf8');
  };
  return { isEncryptionAvailable: () => true, encryptString: seal, decryptString: open, getSelectedStorageBackend: () => 'gnome_libsecret', ...over };
}

function refusalKey(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (err) {
    if (err instanceof AppError) return err.details.key;
    throw err;
  }
  return undefined;
}

describe("the desktop's key provider over Electron's safeStorage", () => {
  it('wraps a data key that only the same credential store unwraps', () => {
    const store = fakeStore();
    const provider = safeStorageKeyProvider(store, 'win32');
    const dataKey = crypto.randomBytes(32);
    const wrapped = provider.wrap(dataKey);
    expect(wrapped.includes(dataKey)).toBe(false);
    expect(provider.unwrap(wrapped).equals(dataKey)).toBe(true);
    expect({ holder: provider.holder, id: provider.id }).toEqual({ holder: 'os', id: OS_KEK_ID });
    expect(() => safeStorageKeyProvider(fakeStore(), 'win32').unwrap(wrapped)).toThrow();
  });

  it('refuses to run without a credential store, never falling back to plaintext', () => {
    expect(refusalKey(() => safeStorageKeyProvider(fakeStore({ isEncryptionAvailable: () => false }), 'darwin'))).toBe('security.kek_unavailable');
    expect(refusalKey(() => safeStorageKeyProvider(fakeStore({ isEncryptionAvailable: () => false }), 'linux'))).toBe('security.kek_unavailable_linux');
  });

  it("treats Linux's basic_text store (a key built into every Chromium) as no store at all", () => {
    const basic = fakeStore({ getSelectedStorageBackend: () => 'basic_text' });
    expect(refusalKey(() => safeStorageKeyProvider(basic, 'linux'))).toBe('security.kek_unavailable_linux');
  });
});

/** Every file of the data folder with its bytes' digest (the folder lock aside, which each holder rewrites): "the file is never touched". */
function snapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of fs.readdirSync(dir, { recursive: true }) as string[]) {
    const full = path.join(dir, name);
    if (name !== 'echelon.lock' && fs.statSync(full).isFile()) out[name] = crypto.createHash('sha256').update(fs.readFileSync(full)).digest('hex');
  }
  return out;
}

describe('a record moved to a workstation that holds no key for it', () => {
  const PASSPHRASE = 'ward 3 keeps the red folder';

  function recordWithPassphrase(): string {
    const dir = tempDir('echelon-locked-');
    const core = createCore({ dataDir: dir, keyProvider: memoryKeyProvider(), log: () => undefined });
    const session = core.newSession();
    const now = new Date().toISOString();
    expect(core.dispatch('setup:createAdmin', { username: 'admin', displayName: '管理员', password: 'correct-horse' }, session, now).ok).toBe(true);
    expect(core.dispatch('security:setRecoveryPassphrase', { passphrase: PASSPHRASE, confirm: PASSPHRASE }, session, now).ok).toBe(true);
    core.close();
    return dir;
  }

  it('answers every call with the refusal until the recovery passphrase unlocks it; a wrong one changes no file', () => {
    const dir = recordWithPassphrase();
    const newMachine = memoryKeyProvider();
    let refusal: AppError | null = null;
    try {
      createCore({ dataDir: dir, keyProvider: newMachine, log: () => undefined }).close();
    } catch (err) {
      refusal = err as AppError;
    }
    expect(refusal?.details.key).toBe('security.key_missing');

    let unlocked = 0;
    const locked = lockedRecordInvoke({ dataDir: dir, keyProvider: newMachine, refusal: refusal!.toPayload(), onUnlocked: () => (unlocked += 1) });
    const now = new Date().toISOString();
    const status = locked('setup:status', {}, now);
    expect(status.ok === false && status.error.details.key).toBe('security.key_missing');

    const before = snapshot(dir);
    const wrong = locked('security:unlockWithPassphrase', { passphrase: 'not the passphrase' }, now);
    expect(wrong.ok === false && wrong.error.details.key).toBe('security.wrong_passphrase');
    expect(wrong.ok === false && wrong.error.details.issues?.[0]?.field).toBe('passphrase');
    expect(snapshot(dir)).toEqual(before);
    expect(unlocked).toBe(0);

    const empty = locked('security:unlockWithPassphrase', { passphrase: '' }, now);
    expect(empty.ok === false && empty.error.code).toBe('VALIDATION');

    expect(locked('security:unlockWithPassphrase', { passphrase: PASSPHRASE }, now)).toEqual({ ok: true, value: { unlocked: true } });
    expect(unlocked).toBe(1);
    // The workstation's own key now opens it, with no passphrase.
    const core = createCore({ dataDir: dir, keyProvider: newMachine, log: () => undefined });
    expect(core.dispatch('setup:status', {}, core.newSession(), now)).toMatchObject({ ok: true, value: { needsSetup: false } });
    core.close();
  });
});
