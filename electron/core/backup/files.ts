import fs from 'node:fs';
import path from 'node:path';
import type { BackupFile } from '../../../shared/api/backup';
import { fromLocal, localStamp } from '../../../shared/domain/time';
import { AppError } from '../../../shared/errors';

/** Folders inside the data folder. */
export const BACKUPS_DIR = 'backups';
export const REPLACED_DIR = 'replaced';
export const EXPORTS_DIR = 'exports';

const NAME = /^(echelon|imported)-(\d{8})-(\d{6})(?:-(\d{1,3}))?\.db$/;

/** `YYYYMMDD-HHmmss` of an instant in the hospital's time zone: file names read as the clock on the wall. */
export const stampOf = (instant: string, tz: string): string => localStamp(instant, tz);

function stampToInstant(date: string, time: string, tz: string): string {
  return fromLocal(`${date.slice(0, 4)}-${date.slice(4, 6)}-${date.slice(6, 8)}T${time.slice(0, 2)}:${time.slice(2, 4)}:${time.slice(4, 6)}`, tz);
}

/** `dir/prefix-stamp.ext`, or `…-2.ext`, `…-3.ext` when a file of that name exists (two backups in one second). */
export function uniqueName(dir: string, prefix: string, stamp: string, ext: string): string {
  for (let i = 1; i < 1000; i++) {
    const name = `${prefix}-${stamp}${i === 1 ? '' : `-${i}`}${ext}`;
    if (!fs.existsSync(path.join(dir, name))) return name;
  }
  throw new AppError('CONFLICT', 'too many files with the same time stamp', { key: 'backup.busy' });
}

/** Backups in the folder, newest first. Only names this program writes are listed; anything else is left alone. */
export function listBackups(dataDir: string, tz: string): BackupFile[] {
  const dir = path.join(dataDir, BACKUPS_DIR);
  let names: string[];
  try {
    names = fs.readdirSync(dir);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw fsError(err);
  }
  const out: (BackupFile & { sortKey: string })[] = [];
  for (const name of names) {
    const m = NAME.exec(name);
    if (!m) continue;
    const stat = fs.statSync(path.join(dir, name));
    if (!stat.isFile()) continue;
    out.push({
      name,
      kind: m[1] === 'imported' ? 'imported' : 'backup',
      size: stat.size,
      createdAt: stampToInstant(m[2]!, m[3]!, tz),
      sortKey: `${m[2]}${m[3]}${(m[4] ?? '1').padStart(3, '0')}`,
    });
  }
  return out.sort((a, b) => (a.sortKey < b.sortKey ? 1 : a.sortKey > b.sortKey ? -1 : 0)).map(({ sortKey: _s, ...f }) => f);
}

/** File-system errors as STORAGE errors with the same keys the database errors use. */
export function fsError(err: unknown): AppError {
  if (err instanceof AppError) return err;
  const code = (err as NodeJS.ErrnoException).code ?? '';
  if (typeof code === 'string' && code.startsWith('SQLITE_')) {
    const key = code.startsWith('SQLITE_FULL')
      ? 'storage.full'
      : code.startsWith('SQLITE_READONLY') || code.startsWith('SQLITE_CANTOPEN')
        ? 'storage.readonly'
        : code.startsWith('SQLITE_CORRUPT') || code === 'SQLITE_NOTADB'
          ? 'storage.corrupt'
          : 'storage.io';
    return new AppError('STORAGE', `database error ${code}`, { key, sqliteCode: code });
  }
  const key = code === 'ENOSPC' || code === 'EDQUOT' ? 'storage.full' : code === 'EACCES' || code === 'EPERM' || code === 'EROFS' ? 'storage.readonly' : 'storage.io';
  return new AppError('STORAGE', `file error ${code}: ${(err as Error).message}`, { key, errno: code });
}

/** Opens `target` with `flags` and flushes it to the disk. */
function fsyncPath(target: string, flags: string): void {
  const fd = fs.openSync(target, flags);
  try {
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}

/** Flushes a file to the disk: a backup that the screen reports as written must survive a power cut. */
export function fsyncFile(file: string): void {
  fsyncPath(file, 'r+');
}

/** Flushes a directory entry (a rename) on POSIX; Windows cannot open directories and journals renames itself. */
export function fsyncDir(dir: string): void {
  if (process.platform !== 'win32') fsyncPath(dir, 'r');
}

export function removeIfPresent(file: string): void {
  try {
    fs.unlinkSync(file);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
}

/** The database file and its WAL companions, which always travel together. */
export const DB_SUFFIXES = ['', '-wal', '-shm'] as const;
