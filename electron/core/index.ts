import fs from 'node:fs';
import path from 'node:path';
import { openDatabase, type Db, type OpenOptions } from './db/open';
import { acquireDataDirLock } from './db/lock';
import { markClean, takeCleanMark } from './db/clean';
import { createDispatch, createInvoke, toErrorPayload, type Dispatch, type DispatchOptions, type Invoke } from './dispatch';
import { handlers } from './handlers';
import type { SessionBox } from './context';
import { createExclusive, type CoreRuntime, type HostPorts } from './operation';
import { registerRuntime } from './runtime';
import { prepared } from './db/statements';
import { writeAudit } from './audit/audit';
import { checkAnchorAtStartup, headToAnchor, type StartupAnchorCheck } from './audit/anchor';
import { settingsOf } from './settings/settings';
import { backfillPendingAwaiting } from './reports/backfill';
import { backupToFolder, dailyBackupDue } from './backup/backup';
import { recoverInterruptedRestore } from './backup/restore';
import type { ErrorPayload } from '../../shared/errors';
import { createChangeFeed, type ChangeFeed } from './changes/feed';
import type { KeyProvider } from './security/keys';
import { openRecordKeys, registerOpenRecord, type RecordKeys } from './security/record';
import { AppError } from '../../shared/errors';

export type { SessionBox } from './context';
export type { Dispatch, Invoke } from './dispatch';
export type { HostPorts } from './operation';
export { createDispatchOnce, IDEMPOTENCY_KEEP_MS, type DispatchOnce, type OnceResult } from './idempotency';
// What a reader thread of the server needs to answer queries on a read-only connection of its own (electron/server/readers.ts).
export { createDispatch } from './dispatch';
export { handlers } from './handlers';
export { openDatabase } from './db/open';
export { refreshSession } from './auth/session';
export { createChangeFeed, deliver, scopeMayHaveChanged, type ChangeFeed, type ChangeListener } from './changes/feed';
export { wardScopeOf } from './auth/scope';
// Encryption at rest (issue 20): the host supplies the key-encryption key through a KeyProvider.
export { aesKeyProvider, envKeyProvider, keyFileProvider, memoryKeyProvider, type KeyProvider } from './security/keys';
export { unlockRecord, dataKeysOf } from './security/unlock';
export { currentKeyOf } from './security/record';

export const DB_FILE_NAME = 'echelon.db';

export type AutoBackupResult = { status: 'not_due' } | { status: 'created'; name: string } | { status: 'failed'; error: ErrorPayload };

export interface Core {
  readonly file: string;
  readonly dataDir: string;
  /** The current connection (a new one after a restore). */
  readonly db: Db;
  /** Synchronous queries and commands: what tests call. */
  readonly dispatch: Dispatch;
  /** Every call, operations included (backup, restore): what IPC and the browser harness call. */
  readonly invoke: Invoke;
  newSession(): SessionBox;
  /** Moves on each time every session ends (a restore): a host holding sessions of its own drops them all. */
  readonly sessionsEpoch: number;
  /** Start-up: takes a dated backup when the newest is a day old, keeping the configured number. */
  autoBackup(now: string): Promise<AutoBackupResult>;
  /** How start-up made sure of the file: a `quick_check`, or the mark of a clean shutdown (db/clean.ts). */
  readonly startupCheck: 'quick_check' | 'clean_shutdown';
  /** The audit chain's anchored row looked up at start-up (audit/anchor.ts); `mismatch` means rows were cut or rewritten. */
  readonly auditAnchor: StartupAnchorCheck;
  /** A notice after every committed write (shared/api/changes.ts): what the server pushes and the desktop sends its windows. */
  readonly changes: ChangeFeed;
  /** Closes the database and, when it closed cleanly, leaves the clean-shutdown mark. */
  close(): void;
}

export interface CoreOptions extends OpenOptions, DispatchOptions {
  /** Folder holding echelon.db (the user-data folder, or `--data-dir` / ECHELON_DATA_DIR). */
  dataDir: string;
  /** Native dialogs of the Electron host; absent in tests and the browser harness. */
  host?: HostPorts;
  /**
   * Wraps and unwraps the record's data key with this deployment's key-encryption key: the OS
   * credential store (desktop), a key file or the environment (server), memory (tests). The core
   * never reads a key from anywhere else.
   */
  keyProvider: KeyProvider;
}

/**
 * Opens the record under its current key; when that fails because a rekey was cut short before its
 * copy took the file's place, under the older key that still opens it (which becomes current again).
 */
function openWithKeys(file: string, keys: RecordKeys, options: OpenOptions): Db {
  try {
    return openDatabase(file, { ...options, key: keys.current });
  } catch (err) {
    if (!(err instanceof AppError) || err.details.key !== 'security.key_unknown') throw err;
    for (const key of keys.all.slice(1)) {
      let db: Db;
      try {
        db = openDatabase(file, { ...options, key });
      } catch (again) {
        if (again instanceof AppError && again.details.key === 'security.key_unknown') continue;
        throw again;
      }
      keys.fallBackTo(key);
      return db;
    }
    throw err;
  }
}

/** The whole backend, plain Node: Electron main and the test harness both run exactly this. */
export function createCore(options: CoreOptions): Core {
  fs.mkdirSync(options.dataDir, { recursive: true });
  const dataDir = path.resolve(options.dataDir);
  const file = path.join(dataDir, DB_FILE_NAME);
  const nativeBinding = options.nativeBinding;
  // First the folder lock, so a second process is refused before it touches anything.
  const lock = acquireDataDirLock(dataDir, nativeBinding ? { nativeBinding } : {});
  let db: Db;
  let clean = false;
  let auditAnchor: StartupAnchorCheck;
  let keys: RecordKeys;
  try {
    recoverInterruptedRestore(file);
    const startedAt = new Date().toISOString();
    const opened = openRecordKeys(file, options.keyProvider, startedAt, nativeBinding);
    keys = opened.keys;
    clean = takeCleanMark(file) && opened.upgraded === null;
    db = openWithKeys(file, keys, { ...options, quickCheck: !clean });
    if (opened.upgraded) {
      const conn = db;
      const upgraded = opened.upgraded;
      conn.transaction(() => writeAudit(conn, startedAt, null, { action: 'security.upgrade', entity: 'security', after: upgraded })).immediate();
    }
    auditAnchor = checkAnchorAtStartup(db);
    // Once after migration 19: the days recorded before it get their awaiting-review spans.
    backfillPendingAwaiting(db, startedAt);
  } catch (err) {
    lock.release();
    throw err;
  }

  // Sessions belong to a database: after a restore, every window logs in again.
  let epoch = 0;
  const epochs = new WeakMap<SessionBox, number>();
  const guard = (session: SessionBox) => {
    const seen = epochs.get(session);
    if (seen === epoch) return;
    if (seen !== undefined) {
      session.user = null;
      session.locked = false;
    }
    epochs.set(session, epoch);
  };

  const log = options.log ?? ((err: unknown, what: string) => console.error(`[core] ${what}`, err));
  const changes = createChangeFeed(log);
  const dispatchOptions: DispatchOptions = { ...options, changes };
  let inner: Dispatch = createDispatch(db, handlers, dispatchOptions);
  const runtime: CoreRuntime = {
    dataDir,
    file,
    get db() {
      return db;
    },
    host: options.host ?? {},
    ...(nativeBinding ? { nativeBinding } : {}),
    closeDatabase: () => {
      if (db.open) db.close();
    },
    keys,
    reopenDatabase: () => {
      db = openDatabase(file, { ...options, key: keys.current });
      registerRuntime(db, runtime);
      inner = createDispatch(db, handlers, dispatchOptions);
    },
    endAllSessions: () => {
      epoch += 1;
    },
    runExclusive: createExclusive(),
  };
  registerRuntime(db, runtime);
  registerOpenRecord(keys, file);

  const dispatch: Dispatch = (channel, input, session, now) => {
    guard(session);
    return inner(channel, input, session, now);
  };
  const invokeAny = createInvoke(runtime, dispatch, handlers, dispatchOptions);
  const invoke: Invoke = (channel, input, session, now) => {
    guard(session);
    return invokeAny(channel, input, session, now);
  };
  if (auditAnchor.state === 'mismatch' || auditAnchor.state === 'unreadable') log(auditAnchor, 'audit chain does not match its anchor');

  return {
    file,
    dataDir,
    get db() {
      return db;
    },
    dispatch,
    invoke,
    newSession: () => ({ user: null }),
    get sessionsEpoch() {
      return epoch;
    },
    autoBackup: async (now) => {
      const reader = { stmt: (sql: string) => prepared(db, sql) } as Parameters<typeof settingsOf>[0];
      const s = settingsOf(reader);
      if (!dailyBackupDue(dataDir, now, s.timeZone)) return { status: 'not_due' };
      const audit = (action: string, after: unknown) => {
        const conn = db;
        conn.transaction(() => writeAudit(conn, now, null, { action, entity: 'backup', after })).immediate();
      };
      try {
        const r = await runtime.runExclusive('backup:auto', () =>
          backupToFolder(db, dataDir, now, s.timeZone, s.backupKeep, { keys: keys.all, ...(nativeBinding ? { nativeBinding } : {}) }),
        );
        audit('backup.auto', { name: r.file.name, size: r.file.size, pruned: r.pruned });
        return { status: 'created', name: r.file.name };
      } catch (err) {
        log(err, 'automatic backup');
        const error = toErrorPayload(err);
        try {
          audit('backup.auto_failed', { code: error.code, key: error.details.key ?? null });
        } catch (auditErr) {
          log(auditErr, 'automatic backup audit');
        }
        return { status: 'failed', error };
      }
    },
    changes,
    startupCheck: clean ? 'clean_shutdown' : 'quick_check',
    auditAnchor,
    close: () => {
      if (db.open) {
        let head = null;
        try {
          head = headToAnchor(db);
        } catch (err) {
          log(err, 'audit anchor');
        }
        db.close();
        try {
          markClean(file, head);
        } catch (err) {
          // Without the mark the next start-up runs quick_check: slower, never less safe.
          log(err, 'clean-shutdown mark');
        }
      }
      registerOpenRecord(null, file);
      lock.release();
    },
  };
}

/** Data folder override from the command line (`--data-dir=…` or `--data-dir …`) or the environment. */
export function dataDirOverride(argv: readonly string[], env: NodeJS.ProcessEnv): string | undefined {
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i] ?? '';
    if (a.startsWith('--data-dir=')) return path.resolve(a.slice('--data-dir='.length));
    if (a === '--data-dir' && argv[i + 1]) return path.resolve(argv[i + 1] as string);
  }
  return env.ECHELON_DATA_DIR ? path.resolve(env.ECHELON_DATA_DIR) : undefined;
}
