import os from 'node:os';
import path from 'node:path';
import { connect } from '../security/cipher';
import type { Db } from './types';
import { AppError } from '../../../shared/errors';

export const LOCK_FILE_NAME = 'echelon.lock';

export interface DataDirLock {
  readonly file: string;
  release(): void;
}

/**
 * Guards the data folder against a second Echelon process (another user's session, a second copy,
 * a portable drive opened twice): the single-instance lock in main only covers one installation.
 *
 * The guard is an operating-system lock held through SQLite on a small side file, `echelon.lock`:
 * `locking_mode=EXCLUSIVE` plus a write transaction takes an exclusive fcntl/LockFileEx lock that this
 * connection keeps until it closes. The OS drops it when the process dies, even by `kill -9` or a power
 * cut, so there is never a stale lock to clean up, and no PID that a reboot could reuse.
 *
 * Why not `locking_mode=EXCLUSIVE` on echelon.db itself? In WAL mode that would also do away with the
 * -shm file (the wal-index moves to heap memory), but it shuts out every reader too: support staff
 * could no longer inspect the file read-only, and the lock would be released and retaken around a
 * restore, when another process could slip in. The side file is held across a restore.
 */
export function acquireDataDirLock(dataDir: string, options: { nativeBinding?: string } = {}): DataDirLock {
  const file = path.join(dataDir, LOCK_FILE_NAME);
  let db: Db;
  try {
    // A plain file: it holds the process id and host name, no patient data.
    db = connect(file, options.nativeBinding ? { nativeBinding: options.nativeBinding } : {});
  } catch (err) {
    throw lockError(err, file);
  }
  try {
    db.pragma('busy_timeout = 0');
    db.pragma('locking_mode = EXCLUSIVE');
    db.pragma('journal_mode = DELETE');
    db.exec('BEGIN EXCLUSIVE');
    db.exec('CREATE TABLE IF NOT EXISTS holder (pid INTEGER NOT NULL, host TEXT NOT NULL, since TEXT NOT NULL) STRICT');
    db.exec('DELETE FROM holder');
    db.prepare('INSERT INTO holder (pid, host, since) VALUES (?, ?, ?)').run(process.pid, os.hostname(), new Date().toISOString());
    db.exec('COMMIT');
  } catch (err) {
    db.close();
    throw lockError(err, file);
  }
  return {
    file,
    release: () => {
      if (db.open) db.close();
    },
  };
}

function lockError(err: unknown, file: string): AppError {
  const code = (err as { code?: string }).code ?? '';
  if (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED')) {
    return new AppError('STORAGE', `the data folder is in use by another Echelon process (${file})`, { key: 'storage.locked', file });
  }
  if (code.startsWith('SQLITE_READONLY') || code.startsWith('SQLITE_CANTOPEN') || code === 'EACCES' || code === 'EROFS') {
    return new AppError('STORAGE', `the data folder cannot be written (${file})`, { key: 'storage.readonly', file });
  }
  return new AppError('STORAGE', `cannot lock the data folder: ${(err as Error).message}`, { key: 'storage.open_failed', file, sqliteCode: code });
}
