import type Database from 'better-sqlite3';
import type { Ctx } from '../context';
import { auditHash, auditRow, GENESIS_HASH, type AuditEntry } from '../audit/audit';

/**
 * Appends many audit rows inside one transaction: the same rows, hashes and chain as ctx.audit, but the
 * previous hash is read once and then carried in memory instead of re-read from the table for every
 * row. Valid only while nothing else writes audit rows in between: the import's per-patient loop.
 */
export class AuditChain {
  private prev: string;
  private readonly insert: Database.Statement<unknown[]>;

  constructor(
    private readonly ctx: Ctx,
    private readonly userId: number,
  ) {
    const last = ctx.stmt<[], { hash: string }>('SELECT hash FROM audit ORDER BY id DESC LIMIT 1').get();
    this.prev = last?.hash ?? GENESIS_HASH;
    this.insert = ctx.stmt<unknown[]>(
      `INSERT INTO audit (at, user_id, action, entity, entity_id, patient_id, before, after, reason, prev_hash, hash, workstation)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
  }

  append(e: AuditEntry): void {
    const row = auditRow(this.ctx.now, this.userId, e, this.prev, this.ctx.session.workstation ?? null);
    const hash = auditHash(row);
    this.insert.run(row.at, row.user_id, row.action, row.entity, row.entity_id, row.patient_id, row.before, row.after, row.reason, row.prev_hash, hash, row.workstation);
    this.prev = hash;
    this.ctx.auditCount += 1;
  }
}
