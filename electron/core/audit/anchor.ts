import fs from 'node:fs';
import type { AuditAnchor, AuditHead } from '../../../shared/api/audit';
import { AuditAnchorSchema } from '../../../shared/api/audit';
import type { Db } from '../db/open';
import { prepared } from '../db/statements';
import { GENESIS_HASH, auditHash, type AuditRow } from './audit';

/**
 * The anchor of the audit chain: its head (row count, last id, last hash) kept outside the table it
 * protects, in `echelon.db.anchor` beside the database. The hash chain alone shows that no row was
 * edited *unless every later hash was recomputed*, and says nothing about rows cut from the end; the
 * anchor closes both gaps for everything written before it: the chain must still hold the anchored row
 * as its `rows`-th row with the anchored hash, and since each hash covers the one before, that fixes
 * every earlier row too.
 *
 * One file, the latest anchor, moved forward (never back) when
 *   - Echelon closes the database cleanly (the clean-shutdown mark records the same head: db/clean.ts),
 *   - a backup copy verifies (the copy's head; the verification record carries it, `auditHead`),
 * and reset to the restored copy's head when a backup is restored (restore.ts: the chain legitimately
 * goes back then). It moves forward only while the chain still matches it, so taking a backup or
 * closing cleanly after tampering does not make the tampering the new truth.
 *
 * Why one file and not a sidecar per backup: the latest anchor implies every earlier one (hash chain),
 * it survives a crash (the clean mark does not exist after one), and the backup copy itself is the
 * stronger record of the rows it holds. A server keeps the same head in its own state (`auditHead`,
 * `checkAnchor`), out of reach of whoever can write the workstation's data folder.
 *
 * What it does not prove: whoever can write both the database and this file (or delete this file) can
 * still forge a consistent history; rows written after the latest anchor are protected by the chain
 * only. README.md, "Backing up", says so to administrators.
 */
export const ANCHOR_SUFFIX = '.anchor';

export type AnchorProblem = { key: 'audit.anchor_truncated' | 'audit.anchor_rewritten'; params: { id: number; rows: number; anchorRows: number } };

/** The anchor file of a database file; none for an in-memory database. */
export function anchorFileOf(dbFile: string): string | null {
  return dbFile === '' || dbFile === ':memory:' ? null : `${dbFile}${ANCHOR_SUFFIX}`;
}

/** The chain's head now: one count over the smallest index and one primary-key lookup. */
export function auditHead(db: Db): AuditHead {
  const rows = prepared(db, 'SELECT count(*) FROM audit').pluck().get() as number;
  const last = prepared(db, 'SELECT id, hash FROM audit ORDER BY id DESC LIMIT 1').get() as { id: number; hash: string } | undefined;
  return { rows, lastId: last?.id ?? null, lastHash: last?.hash ?? GENESIS_HASH };
}

/**
 * The cheap check (start-up, before moving an anchor): the anchored row is still there with its
 * anchored hash. It does not count the rows before it; `inspectAuditChain` does.
 */
export function checkAnchor(db: Db, anchor: AuditHead): AnchorProblem | null {
  if (anchor.lastId === null) return null;
  const hash = prepared(db, 'SELECT hash FROM audit WHERE id = ?').pluck().get(anchor.lastId) as string | undefined;
  if (hash === anchor.lastHash) return null;
  const rows = prepared(db, 'SELECT count(*) FROM audit').pluck().get() as number;
  const params = { id: anchor.lastId, rows, anchorRows: anchor.rows };
  return hash === undefined ? { key: 'audit.anchor_truncated', params } : { key: 'audit.anchor_rewritten', params };
}

export type ChainInspection = {
  ok: boolean;
  rows: number;
  brokenAt: number | null;
  head: AuditHead;
  problem: AnchorProblem | null;
};

/**
 * Walks the whole chain: every row links to the one before and hashes to its stored hash; then, with
 * an anchor, the anchored row is the anchor's `rows`-th row and carries its hash. Fewer rows than
 * anchored (the anchored row gone) is truncation; anything else that differs is a rewrite.
 */
export function inspectAuditChain(db: Db, anchor: AuditHead | null): ChainInspection {
  let prev = GENESIS_HASH;
  let rows = 0;
  let lastId: number | null = null;
  let atAnchor: { rows: number; hash: string } | null = null;
  for (const r of db.prepare('SELECT * FROM audit ORDER BY id').iterate() as IterableIterator<AuditRow>) {
    rows += 1;
    if (r.prev_hash !== prev || auditHash(r) !== r.hash) {
      return { ok: false, rows, brokenAt: r.id, head: auditHead(db), problem: null };
    }
    if (anchor !== null && r.id === anchor.lastId) atAnchor = { rows, hash: r.hash };
    prev = r.hash;
    lastId = r.id;
  }
  const head = { rows, lastId, lastHash: prev };
  if (anchor === null || anchor.lastId === null) return { ok: true, rows, brokenAt: null, head, problem: null };
  const params = { id: anchor.lastId, rows, anchorRows: anchor.rows };
  if (atAnchor === null) return { ok: false, rows, brokenAt: anchor.lastId, head, problem: { key: 'audit.anchor_truncated', params } };
  if (atAnchor.hash !== anchor.lastHash || atAnchor.rows !== anchor.rows)
    return { ok: false, rows, brokenAt: anchor.lastId, head, problem: { key: 'audit.anchor_rewritten', params } };
  return { ok: true, rows, brokenAt: null, head, problem: null };
}

export type StoredAnchor = { state: 'none' } | { state: 'unreadable' } | { state: 'ok'; anchor: AuditAnchor };

/** The latest anchor of a database file. A file that is there but does not parse as one is reported, never ignored. */
export function readAnchor(dbFile: string): StoredAnchor {
  const file = anchorFileOf(dbFile);
  if (file === null) return { state: 'none' };
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { state: 'none' };
    throw err;
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    if (err instanceof SyntaxError) return { state: 'unreadable' };
    throw err;
  }
  const parsed = AuditAnchorSchema.safeParse(json);
  return parsed.success ? { state: 'ok', anchor: parsed.data } : { state: 'unreadable' };
}

/** Written to a temporary name, flushed, renamed: a power cut leaves the old anchor or the new one. */
export function writeAnchor(dbFile: string, anchor: AuditAnchor): void {
  const file = anchorFileOf(dbFile);
  if (file === null) return;
  const fd = fs.openSync(`${file}.tmp`, 'w');
  try {
    fs.writeSync(fd, JSON.stringify(anchor));
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  fs.renameSync(`${file}.tmp`, file);
}

/**
 * Moves the anchor forward to `next` if the chain still matches the current anchor and holds `next`,
 * and `next` is not behind it. Returns whether it moved. An unreadable anchor file is left for
 * `audit:verify` to report.
 */
export function advanceAnchor(db: Db, next: AuditAnchor): boolean {
  const stored = readAnchor(db.name);
  if (stored.state === 'unreadable') return false;
  if (stored.state === 'ok' && (next.rows < stored.anchor.rows || checkAnchor(db, stored.anchor) !== null)) return false;
  if (checkAnchor(db, next) !== null) return false;
  writeAnchor(db.name, next);
  return true;
}

/** `audit:verify`: the whole chain against the latest anchor. */
export function verifyAgainstAnchor(db: Db): Omit<ChainInspection, 'problem'> & { anchor: AuditAnchor | null; problem: AnchorProblem | { key: 'audit.anchor_unreadable' } | null } {
  const stored = readAnchor(db.name);
  const anchor = stored.state === 'ok' ? stored.anchor : null;
  const r = inspectAuditChain(db, anchor);
  if (stored.state === 'unreadable') return { ...r, ok: false, anchor: null, problem: { key: 'audit.anchor_unreadable' } };
  return { ...r, anchor };
}

/**
 * Before a clean close: the head to anchor, or null when the anchor must stay where it is (the chain
 * no longer matches it, or its file is unreadable): closing cleanly must not bless tampering.
 */
export function headToAnchor(db: Db): AuditHead | null {
  const stored = readAnchor(db.name);
  if (stored.state === 'unreadable') return null;
  const head = auditHead(db);
  if (stored.state === 'ok' && (head.rows < stored.anchor.rows || checkAnchor(db, stored.anchor) !== null)) return null;
  return head;
}

export type StartupAnchorCheck = { state: 'none' | 'ok' | 'unreadable' } | { state: 'mismatch'; problem: AnchorProblem };

/** At start-up: only the anchored row is looked up (one primary-key read), never the whole chain. */
export function checkAnchorAtStartup(db: Db): StartupAnchorCheck {
  const stored = readAnchor(db.name);
  if (stored.state !== 'ok') return { state: stored.state };
  const problem = checkAnchor(db, stored.anchor);
  return problem ? { state: 'mismatch', problem } : { state: 'ok' };
}
