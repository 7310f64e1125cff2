import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { PlainLeftover } from '../../../shared/api/security';
import { AppError } from '../../../shared/errors';
import { fileKind } from './cipher';

/** Where the upgrade moves a plain original: listed by `security:status` until it is destroyed. */
export const PLAIN_DIR = 'plain';

const FOLDERS: readonly [string, PlainLeftover['kind']][] = [
  [PLAIN_DIR, 'original'],
  ['backups', 'backup'],
  ['replaced', 'replaced'],
];
const COMPANIONS = ['-wal', '-shm', '-journal'] as const;

/**
 * Plain SQLite files holding patient data in the data folder: the pre-upgrade original in `plain/`,
 * backups taken before encryption, plain databases moved to `replaced/`. Judged by their first bytes,
 * so a file of any name is found; companions (-wal, -shm) go with their database.
 */
export function listPlainLeftovers(dataDir: string): PlainLeftover[] {
  const out: PlainLeftover[] = [];
  for (const [folder, kind] of FOLDERS) {
    let names: string[];
    try {
      names = fs.readdirSync(path.join(dataDir, folder));
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') continue;
      throw err;
    }
    for (const name of names.sort()) {
      if (COMPANIONS.some((c) => name.endsWith(c)) && names.includes(name.slice(0, name.lastIndexOf('-')))) continue;
      const full = path.join(dataDir, folder, name);
      const stat = fs.statSync(full);
      if (!stat.isFile() || !/^[A-Za-z0-9._-]+$/.test(name)) continue;
      if (kind !== 'original' && fileKind(full) !== 'plain') continue;
      out.push({ file: `${folder}/${name}`, kind, path: full, size: stat.size, modifiedAt: stat.mtime.toISOString() });
    }
  }
  return out;
}

function overwrite(file: string): number {
  const size = fs.statSync(file).size;
  const fd = fs.openSync(file, 'r+');
  try {
    const chunk = Buffer.alloc(1024 * 1024);
    for (let at = 0; at < size; at += chunk.length) {
      crypto.randomFillSync(chunk);
      fs.writeSync(fd, chunk, 0, Math.min(chunk.length, size - at), at);
    }
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  fs.unlinkSync(file);
  return size;
}

/**
 * Overwrites a listed leftover (and its companions) with random bytes, flushes, and deletes it. Only a
 * file in the current list is touched. Best-effort: SSD wear levelling and copy-on-write file systems
 * may keep the old blocks.
 */
export function destroyPlainLeftover(dataDir: string, file: string): { destroyed: string; bytes: number } {
  const found = listPlainLeftovers(dataDir).find((l) => l.file === file);
  if (!found) throw new AppError('NOT_FOUND', `${file} is not a listed plain leftover`, { key: 'security.leftover_not_found' });
  let bytes = overwrite(found.path);
  for (const c of COMPANIONS) if (fs.existsSync(`${found.path}${c}`)) bytes += overwrite(`${found.path}${c}`);
  return { destroyed: found.file, bytes };
}
