import type { KeyProvider } from '../core';
import { AppError } from '../../shared/errors';

/** The part of Electron's `safeStorage` the desktop's key provider uses: passed in, so a test needs no Electron. */
export interface SafeStoragePort {
  isEncryptionAvailable(): boolean;
  encryptString(plainText: string): Buffer;
  decryptString(encrypted: Buffer): string;
  /** Linux only: which secret store Chromium chose. */
  getSelectedStorageBackend?(): string;
}

/**
 * The wraps made by the OS credential store share one name: a reinstalled OS or another computer
 * holds another secret, so its decryptString fails and the core answers `security.key_missing`.
 */
export const OS_KEK_ID = 'os:electron-safe-storage';

/**
 * Why the credential store cannot hold the data key, or null when it can. On Linux without a keyring
 * (no GNOME Keyring or KWallet), Chromium falls back to `basic_text`, a fixed key compiled into every
 * copy of Chromium: as good as plaintext, so it is refused like no store at all.
 */
export function unavailableReason(store: SafeStoragePort, platform: NodeJS.Platform): string | null {
  if (platform === 'linux') {
    const backend = store.getSelectedStorageBackend?.() ?? 'unknown';
    if (backend === 'basic_text') return 'security.kek_unavailable_linux';
  }
  if (!store.isEncryptionAvailable()) return platform === 'linux' ? 'security.kek_unavailable_linux' : 'security.kek_unavailable';
  return null;
}

/**
 * The desktop's key-encryption key: Electron's safeStorage (DPAPI on Windows, the Keychain on macOS,
 * libsecret or KWallet on Linux). The data key crosses as base64 text, the only thing encryptString
 * takes. Refused, never a plaintext fallback, when the store is unavailable. The synchronous calls
 * are deprecated in Electron 45 for the async ones, but the core's KeyProvider is synchronous (it
 * unwraps while opening the database) and they still do the same work.
 */
export function safeStorageKeyProvider(store: SafeStoragePort, platform: NodeJS.Platform = process.platform): KeyProvider {
  const reason = unavailableReason(store, platform);
  if (reason) throw new AppError('STORAGE', `the OS credential store cannot hold the data key (${reason})`, { key: reason });
  return {
    holder: 'os',
    id: OS_KEK_ID,
    wrap: (dataKey) => store.encryptString(dataKey.toString('base64')),
    unwrap: (wrapped) => Buffer.from(store.decryptString(wrapped), 'base64'),
  };
}
