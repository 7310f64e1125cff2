import fs from 'node:fs';
import type { AuditHead } from '../../../shared/api/audit';
import { AuditHeadSchema } from '../../../shared/api/audit';
import { readAnchor, writeAnchor } from '../audit/anchor';

/**
 * The clean-shutdown mark: a small side file `echelon.db.clean` written when Echelon closes the
 * database cleanly (WAL checkpointed into the file and removed, connection closed), holding the
 * file's identity then (size, inode, modified and changed times). Start-up takes the mark away
 * before anything else; when it was there and the file is exactly as Echelon left it, `quick_check`
 * is not needed at start-up: SQLite itself wrote and closed those bytes.
 *
 * Why: `quick_check` reads every page, ~3 s on the 256 MB bench database (50,000 patients), and
 * start-up must take under 0.5 s (DESIGN.md §8). The check still runs at start-up whenever the file
 * may be damaged — after a crash, a kill or a power cut (no mark), and when anything else wrote to
 * the file since Echelon closed it (copied over, restored by hand, synced by a tool: its size or
 * times differ). Each daily backup verifies its copy with a full `integrity_check` (backup/verify.ts).
 *
 * The mark also records the audit chain's head at the close (audit/anchor.ts): the same head is
 * written as the database's audit anchor, which outlives the mark; if only the anchor file went
 * missing while the mark stayed, start-up puts it back from the mark.
 */
export const CLEAN_SUFFIX = '.clean';

interface Identity {
  size: number;
  ino: number;
  mtimeMs: number;
  ctimeMs: number;
}

function identityOf(file: string): Identity {
  const s = fs.statSync(file);
  return { size: s.size, ino: s.ino, mtimeMs: s.mtimeMs, ctimeMs: s.ctimeMs };
}

/**
 * After a clean close: record the file as Echelon left it (written to a temporary name, synced,
 * renamed), with the audit head read before the close (`headToAnchor`; null when the anchor must not move).
 */
export function markClean(file: string, audit: AuditHead | null = null): void {
  if (fs.existsSync(`${file}-wal`) && fs.statSync(`${file}-wal`).size > 0) return;
  if (audit !== null) writeAnchor(file, { ...audit, source: 'clean_shutdown', backup: null });
  const mark = `${file}${CLEAN_SUFFIX}`;
  const fd = fs.openSync(`${mark}.tmp`, 'w');
  try {
    fs.writeSync(fd, JSON.stringify({ ...identityOf(file), audit }));
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  fs.renameSync(`${mark}.tmp`, mark);
}

/** At start-up: remove the mark and say whether the file is exactly as a clean close left it. */
export function takeCleanMark(file: string): boolean {
  const mark = `${file}${CLEAN_SUFFIX}`;
  // No mark (first start, or the last run did not close cleanly) or a garbled one: check.
  let recorded: Identity | null = null;
  if (fs.existsSync(mark)) {
    try {
      recorded = JSON.parse(fs.readFileSync(mark, 'utf8')) as Identity;
    } catch (err) {
      if (!(err instanceof SyntaxError)) throw err;
    }
  }
  const head = AuditHeadSchema.safeParse((recorded as { audit?: unknown } | null)?.audit);
  if (head.success && fs.existsSync(file) && readAnchor(file).state === 'none') writeAnchor(file, { ...head.data, source: 'clean_shutdown', backup: null });
  fs.rmSync(mark, { force: true });
  fs.rmSync(`${mark}.tmp`, { force: true });
  if (recorded === null || !fs.existsSync(file)) return false;
  if (fs.existsSync(`${file}-wal`) && fs.statSync(`${file}-wal`).size > 0) return false;
  const now = identityOf(file);
  return now.size === recorded.size && now.ino === recorded.ino && now.mtimeMs === recorded.mtimeMs && now.ctimeMs === recorded.ctimeMs;
}
