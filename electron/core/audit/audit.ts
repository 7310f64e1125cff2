import { createHash } from 'node:crypto';
import type { Db } from '../db/open';
import { prepared } from '../db/statements';

export interface AuditEntry {
  /** `domain.verb`, e.g. `patient.admit`. */
  action: string;
  entity: string;
  entityId?: number | null;
  patientId?: number | null;
  before?: unknown;
  after?: unknown;
  reason?: string | null;
}

export const GENESIS_HASH = '0'.repeat(64);

export interface AuditRow {
  id: number;
  at: string;
  user_id: number | null;
  action: string;
  entity: string;
  entity_id: number | null;
  patient_id: number | null;
  before: string | null;
  after: string | null;
  reason: string | null;
  prev_hash: string;
  hash: string;
  /** The workstation of a networked change (migration 16); null when standalone and before migration 16. */
  workstation?: string | null;
}

/**
 * The hash covers every column but the id, and the previous row's hash: any edit or gap breaks the chain.
 * The workstation (migration 16) is covered only when set, so every row written without one keeps the
 * hash it was written with.
 */
export function auditHash(row: Omit<AuditRow, 'id' | 'hash'>): string {
  const fields: unknown[] = [row.prev_hash, row.at, row.user_id, row.action, row.entity, row.entity_id, row.patient_id, row.before, row.after, row.reason];
  if (row.workstation !== undefined && row.workstation !== null) fields.push(row.workstation);
  const canonical = JSON.stringify(fields);
  return createHash('sha256').update(canonical).digest('hex');
}

const json = (v: unknown): string | null => (v === undefined || v === null ? null : JSON.stringify(v));

/** The audit row of one entry, chained to the previous row's hash (writeAudit, and the import's AuditChain). */
export function auditRow(at: string, userId: number | null, e: AuditEntry, prevHash: string, workstation: string | null = null): Omit<AuditRow, 'id' | 'hash'> {
  return {
    at,
    user_id: userId,
    action: e.action,
    entity: e.entity,
    entity_id: e.entityId ?? null,
    patient_id: e.patientId ?? null,
    before: json(e.before),
    after: json(e.after),
    reason: e.reason ?? null,
    prev_hash: prevHash,
    workstation,
  };
}

/** Insert-only, hash-chained; always called inside the transaction of the change it records. */
export function writeAudit(db: Db, at: string, userId: number | null, e: AuditEntry, workstation: string | null = null): void {
  const last = prepared(db, 'SELECT hash FROM audit ORDER BY id DESC LIMIT 1').get() as { hash: string } | undefined;
  const row = auditRow(at, userId, e, last?.hash ?? GENESIS_HASH, workstation);
  prepared(
    db,
    `INSERT INTO audit (at, user_id, action, entity, entity_id, patient_id, before, after, reason, prev_hash, hash, workstation)
     VALUES (@at, @user_id, @action, @entity, @entity_id, @patient_id, @before, @after, @reason, @prev_hash, @hash, @workstation)`,
  ).run({ ...row, hash: auditHash(row) });
}

/** Walks the whole chain; returns the first broken row, if any. */
export function verifyAuditChain(db: Db): { ok: true; rows: number } | { ok: false; rows: number; brokenAt: number } {
  let prev = GENESIS_HASH;
  let rows = 0;
  for (const r of db.prepare('SELECT * FROM audit ORDER BY id').iterate() as IterableIterator<AuditRow>) {
    rows += 1;
    if (r.prev_hash !== prev || auditHash(r) !== r.hash) return { ok: false, rows, brokenAt: r.id };
    prev = r.hash;
  }
  return { ok: true, rows };
}
