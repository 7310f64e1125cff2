import fs from 'node:fs';
import path from 'node:path';
import type { Verification } from '../../../shared/api/backup';
import { AppError } from '../../../shared/errors';
import type { Db } from '../db/open';
import { BACKUPS_DIR, fsError, fsyncDir, fsyncFile, listBackups, removeIfPresent, stampOf, uniqueName } from './files';
import { verifyDatabaseFile, type VerifyOptions } from './verify';
import { advanceAnchor } from '../audit/anchor';
import { vacuumInto } from '../security/cipher';

/**
 * How a backup is taken: `VACUUM INTO` on the live connection, which writes the copy under the
 * record's own data key (issue 20). The online backup API (`db.backup()`) was the choice while the
 * record was plain, for it copies a batch of pages between turns of the event loop; with
 * better-sqlite3-multiple-ciphers it refuses an encrypted source ("backup is not supported with
 * incompatible source and target databases": its destination connection has no key), which is also
 * what guarantees no plain copy. `VACUUM INTO` is synchronous: at the 50,000-patient scale it holds
 * the writer for seconds (the server's reader threads keep answering). Its output is already a
 * self-contained rollback-journal file. The copy is written beside its destination as `.partial`,
 * flushed, verified, and only then renamed into place.
 * The verified copy's audit head then becomes the database's audit anchor (audit/anchor.ts), if the
 * live chain still matches the anchor before it.
 */
export async function writeVerifiedCopy(db: Db, dest: string, options: VerifyOptions = {}): Promise<Verification> {
  const partial = `${dest}.partial`;
  try {
    removeIfPresent(partial);
    vacuumInto(db, partial);
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
