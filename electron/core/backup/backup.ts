import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import type { Verification } from '../../../shared/api/backup';
import { AppError } from '../../../shared/errors';
import type { Db } from '../db/open';
import { BACKUPS_DIR, fsError, fsyncDir, fsyncFile, listBackups, removeIfPresent, stampOf, uniqueName } from './files';
import { verifyDatabaseFile, type VerifyOptions } from './verify';
import { advanceAnchor } from '../audit/anchor';

/**
 * How a backup is taken: SQLite's online backup API (`db.backup()` in better-sqlite3), asynchronous,
 * copying pages a batch at a time between turns of the event loop, so the app keeps answering while
 * a large database is copied; writes made meanwhile through the same connection are carried into the
 * copy by SQLite. `VACUUM INTO` would be synchronous (no new call kind needed) but holds the main
 * process for the whole copy, which at the 50,000-patient scale is seconds of a frozen app, and it
 * rebuilds rather than copies the file. The copy is written beside its destination as `.partial`,
 * switched to a self-contained rollback-journal file, flushed, verified, and only then renamed into place.
 * The verified copy's audit head then becomes the database's audit anchor (audit/anchor.ts), if the
 * live chain still matches the anchor before it.
 */
export async function writeVerifiedCopy(db: Db, dest: string, options: VerifyOptions = {}): Promise<Verification> {
  const partial = `${dest}.partial`;
  try {
    removeIfPresent(partial);
    await db.backup(partial);
    const copy = new Database(partial, options.nativeBinding ? { nativeBinding: options.nativeBinding } : {});
    try {
      copy.pragma('journal_mode = DELETE');
    } finally {
      copy.close();
    }
    fsyncFile(partial);
    const verification = verifyDatabaseFile(partial, options);
    if (!verification.ok) {
      throw new AppError('STORAGE', 'the backup copy failed verification', { key: 'backup.verify_failed', problems: verification.problems });
    }
    fs.renameSync(partial, dest);
    fsyncDir(path.dirname(dest));
    if (verification.auditHead) advanceAnchor(db, { ...verification.auditHead, source: 'backup', backup: path.basename(dest) });
    return verification;
  } catch (err) {
    removeIfPresent(partial);
    throw fsError(err);
  }
}

/** Keeps the `keep` newest dated backups (`echelon-…`); imported files are the administrator's to remove. */
export function pruneBackups(dataDir: string, keep: number, tz: string): string[] {
  const dated = listBackups(dataDir, tz).filter((f) => f.kind === 'backup');
  const pruned: string[] = [];
  for (const f of dated.slice(keep)) {
    removeIfPresent(path.join(dataDir, BACKUPS_DIR, f.name));
    pruned.push(f.name);
  }
  return pruned;
}

/** A new dated backup in `<dataDir>/backups`, verified, then the oldest beyond `keep` removed. */
export async function backupToFolder(db: Db, dataDir: string, now: string, tz: string, keep: number, options: VerifyOptions = {}) {
  const dir = path.join(dataDir, BACKUPS_DIR);
  try {
    fs.mkdirSync(dir, { recursive: true });
  } catch (err) {
    throw fsError(err);
  }
  const name = uniqueName(dir, 'echelon', stampOf(now, tz), '.db');
  const verification = await writeVerifiedCopy(db, path.join(dir, name), options);
  const pruned = pruneBackups(dataDir, keep, tz);
  const file = listBackups(dataDir, tz).find((f) => f.name === name);
  if (!file) throw new AppError('INTERNAL', `backup ${name} vanished after writing`);
  return { file, verification, pruned };
}

/** True when no dated backup is younger than a day: start-up then takes one. */
export function dailyBackupDue(dataDir: string, now: string, tz: string): boolean {
  const newest = listBackups(dataDir, tz).find((f) => f.kind === 'backup');
  return !newest || Date.parse(now) - Date.parse(newest.createdAt) >= 24 * 3600 * 1000;
}
