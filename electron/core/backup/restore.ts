import fs from 'node:fs';
import path from 'node:path';
import type { Verification } from '../../../shared/api/backup';
import { AppError } from '../../../shared/errors';
import { openDatabase } from '../db/open';
import { acquireDataDirLock } from '../db/lock';
import { writeAudit } from '../audit/audit';
import { writeAnchor } from '../audit/anchor';
import type { AuditAnchor } from '../../../shared/api/audit';
import { DB_SUFFIXES, REPLACED_DIR, fsError, fsyncDir, fsyncFile, removeIfPresent, stampOf, uniqueName } from './files';
import { verifyDatabaseFile, type VerifyOptions } from './verify';
import { encryptedCopy, keyOf } from '../security/cipher';
import type { KeyProvider } from '../security/keys';
import { readEnvelope, unwrapWithProvider } from '../security/envelope';

/**
 * Restoring replaces echelon.db with a verified copy in three steps, so that at no moment is the data
 * folder left with half a restore:
 *   1. stage: copy the backup beside the database as `echelon.db.restoring` and verify that copy;
 *   2. swap (database closed): write a marker file, move echelon.db (+ -wal, -shm) to `replaced/`,
 *      rename the staged copy to echelon.db;
 *   3. reopen; if that fails, move the original back and reopen it.
 * A crash between any two of these leaves the marker, and the next start finishes or undoes the swap
 * (`recoverInterruptedRestore`) before anything opens the database. Replaced files are never deleted.
 */
const MARKER = 'restore-in-progress.json';

export interface SwapPlan {
  dbFile: string;
  stage: string;
  /** [from, to] for each file moved aside. */
  moves: [string, string][];
  marker: string;
  replacedAs: string;
  /** The restored copy's audit head: the database's audit anchor once the swap is committed (the chain goes back legitimately). */
  anchor: AuditAnchor | null;
}

/**
 * Stages a copy of `source` under the record's current key (`options.keys[0]`): a backup under that key
 * is copied byte for byte; one under an older key (taken before a rekey) or a plain one (taken before
 * encryption) is written anew under the current key, never as a plain copy.
 */
export function stageRestore(dbFile: string, source: string, options: VerifyOptions = {}): { stage: string; verification: Verification } {
  const stage = `${dbFile}.restoring`;
  const keys = options.keys ?? [];
  const current = keys[0] ?? null;
  try {
    removeIfPresent(stage);
    let sourceKey: Buffer | null | undefined;
    try {
      sourceKey = current ? keyOf(source, keys, options.nativeBinding) : null;
    } catch (err) {
      throw new AppError('RULE_VIOLATION', 'the backup failed verification and was not restored', {
        key: 'backup.not_restorable',
        problems: [{ key: fsError(err).details.key ?? 'storage.corrupt' }],
      });
    }
    if (sourceKey === undefined) {
      throw new AppError('RULE_VIOLATION', 'the backup is encrypted under a key this record does not hold', {
        key: 'backup.not_restorable',
        problems: [{ key: 'security.key_unknown' }],
      });
    }
    if (current && (sourceKey === null || !sourceKey.equals(current))) encryptedCopy(source, sourceKey, stage, current, options.nativeBinding);
    else fs.copyFileSync(source, stage);
    fsyncFile(stage);
  } catch (err) {
    removeIfPresent(stage);
    throw fsError(err);
  }
  const verification = verifyDatabaseFile(stage, { ...options, keys: current ? [current] : [] });
  if (!verification.ok) {
    removeIfPresent(stage);
    throw new AppError('RULE_VIOLATION', 'the backup failed verification and was not restored', { key: 'backup.not_restorable', problems: verification.problems });
  }
  return { stage, verification };
}

/** The anchor a restore leaves: the verified copy's audit head. */
export function restoredAnchor(verification: Verification, source: string): AuditAnchor | null {
  return verification.auditHead ? { ...verification.auditHead, source: 'restore', backup: path.basename(source) } : null;
}

export function swapIn(dbFile: string, stage: string, stamp: string, anchor: AuditAnchor | null = null): SwapPlan {
  const dataDir = path.dirname(dbFile);
  const replacedDir = path.join(dataDir, REPLACED_DIR);
  fs.mkdirSync(replacedDir, { recursive: true });
  const base = uniqueName(replacedDir, path.basename(dbFile, '.db'), stamp, '.db');
  const moves = DB_SUFFIXES.map((s) => [`${dbFile}${s}`, path.join(replacedDir, `${base}${s}`)] as [string, string]).filter(([from]) => fs.existsSync(from));
  const plan: SwapPlan = { dbFile, stage, moves, marker: path.join(dataDir, MARKER), replacedAs: path.join(REPLACED_DIR, base), anchor };
  fs.writeFileSync(plan.marker, JSON.stringify(plan));
  fsyncFile(plan.marker);
  fsyncDir(dataDir);
  try {
    for (const [from, to] of moves) fs.renameSync(from, to);
    fs.renameSync(stage, dbFile);
    fsyncDir(replacedDir);
    fsyncDir(dataDir);
  } catch (err) {
    rollbackSwap(plan);
    throw fsError(err);
  }
  return plan;
}

/** Puts the original files back and removes whatever the swap brought in. */
export function rollbackSwap(plan: SwapPlan): void {
  const originalMovedAside = plan.moves.some(([, to]) => fs.existsSync(to));
  const stageRenamedIn = !fs.existsSync(plan.stage);
  if (originalMovedAside || (plan.moves.length === 0 && stageRenamedIn)) {
    for (const s of DB_SUFFIXES) removeIfPresent(`${plan.dbFile}${s}`);
  }
  for (const [from, to] of plan.moves) if (fs.existsSync(to)) fs.renameSync(to, from);
  removeIfPresent(plan.stage);
  removeIfPresent(plan.marker);
  fsyncDir(path.dirname(plan.dbFile));
}

export function commitSwap(plan: SwapPlan): void {
  if (plan.anchor) writeAnchor(plan.dbFile, plan.anchor);
  removeIfPresent(plan.marker);
  fsyncDir(path.dirname(plan.dbFile));
}

/**
 * Run before the database is opened. A swap that completed (staged copy in place, original aside) is
 * kept; any other state is rolled back to the original. Returns what it did, for the log.
 */
export function recoverInterruptedRestore(dbFile: string): 'none' | 'completed' | 'rolled_back' {
  const marker = path.join(path.dirname(dbFile), MARKER);
  let plan: SwapPlan;
  try {
    plan = JSON.parse(fs.readFileSync(marker, 'utf8')) as SwapPlan;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return 'none';
    throw fsError(err);
  }
  const completed = fs.existsSync(dbFile) && !fs.existsSync(plan.stage) && plan.moves.every(([, to]) => fs.existsSync(to));
  if (completed) {
    commitSwap(plan);
    return 'completed';
  }
  rollbackSwap(plan);
  return 'rolled_back';
}

/**
 * Restore when the app cannot start (a corrupt or unreadable database): takes the data-folder lock,
 * stages, swaps, checks that the result opens, and records the restore in the restored database's
 * audit trail. On any failure the original file is back in place.
 */
export function restoreAtStartup(
  dbFile: string,
  source: string,
  now: string,
  tz: string,
  options: VerifyOptions & { keyProvider?: KeyProvider } = {},
): { replacedAs: string; verification: Verification } {
  const lock = acquireDataDirLock(path.dirname(dbFile), options.nativeBinding ? { nativeBinding: options.nativeBinding } : {});
  try {
    recoverInterruptedRestore(dbFile);
    // The record's keys, when it has a key file: the restored copy is staged under its current key.
    const envelope = options.keyProvider ? readEnvelope(dbFile) : null;
    const keys = envelope && options.keyProvider ? unwrapWithProvider(dbFile, envelope, options.keyProvider).all.map((k) => k.key) : (options.keys ?? []);
    const verifyOptions: VerifyOptions = { keys, ...(options.nativeBinding ? { nativeBinding: options.nativeBinding } : {}) };
    const { stage, verification } = stageRestore(dbFile, source, verifyOptions);
    const plan = swapIn(dbFile, stage, stampOf(now, tz), restoredAnchor(verification, source));
    try {
      const db = openDatabase(dbFile, { key: keys[0] ?? null, ...(options.nativeBinding ? { nativeBinding: options.nativeBinding } : {}) });
      try {
        db.transaction(() =>
          writeAudit(db, now, null, { action: 'backup.restore', entity: 'backup', after: { from: path.basename(source), replacedAs: plan.replacedAs, atStartup: true } }),
        ).immediate();
      } finally {
        db.close();
      }
    } catch (err) {
      rollbackSwap(plan);
      throw err;
    }
    commitSwap(plan);
    return { replacedAs: plan.replacedAs, verification };
  } finally {
    lock.release();
  }
}
