import type { Db } from '../../electron/core/db/open';
import { fromLocal } from '../../shared/domain/time';

/**
 * Signed clinical rows written straight into the database, for constructing a patient's course at
 * chosen instants (the rounds and results calls stamp entered_at with the dispatch clock). Author 1
 * is the test network's administrator.
 */
export const sh = (wall: string) => fromLocal(wall, 'Asia/Shanghai');

export function ctTest(db: Db, episodeId: number, collectedAt: string, nCt: number | null, orf1abCt: number | null, qualitative: 'positive' | 'negative' | null = null): number {
  return Number(
    db
      .prepare(`INSERT INTO lab_result (episode_id, collected_at, analyte, n_ct, orf1ab_ct, qualitative, entered_at, author_id) VALUES (?, ?, 'nucleic_acid', ?, ?, ?, ?, 1)`)
      .run(episodeId, collectedAt, nCt, orf1abCt, qualitative, collectedAt).lastInsertRowid,
  );
}

export function roundAt(db: Db, episodeId: number, measuredAt: string, temperature: number | null, symptoms: string[] | null = null): number {
  return Number(
    db
      .prepare(`INSERT INTO round (episode_id, measured_at, temperature, symptoms, entered_at, author_id) VALUES (?, ?, ?, ?, ?, 1)`)
      .run(episodeId, measuredAt, temperature, symptoms ? JSON.stringify(symptoms) : null, measuredAt).lastInsertRowid,
  );
}

/** Temperatures every `everyHours` from `from` to `to` (inclusive of from). */
export function temperatures(db: Db, episodeId: number, from: string, to: string, value: number, everyHours = 8, symptoms: string[] | null = []): void {
  for (let t = Date.parse(from); t <= Date.parse(to); t += everyHours * 3600_000) roundAt(db, episodeId, new Date(t).toISOString(), value, symptoms);
}

export function imagingAt(db: Db, episodeId: number, performedAt: string, pneumonia: boolean, improved: boolean | null): number {
  return Number(
    db
      .prepare(`INSERT INTO imaging (episode_id, performed_at, modality, pneumonia, improved, entered_at, author_id) VALUES (?, ?, 'ct', ?, ?, ?, 1)`)
      .run(episodeId, performedAt, pneumonia ? 1 : 0, improved === null ? null : improved ? 1 : 0, performedAt).lastInsertRowid,
  );
}

export function classAt(db: Db, episodeId: number, assessedAt: string, cls: string): number {
  return Number(
    db
      .prepare(
        `INSERT INTO class_assessment (episode_id, assessed_at, class, proposed_class, rule_set, decision, entered_at, author_id) VALUES (?, ?, ?, ?, 'cn-v9', 'confirmed', ?, 1)`,
      )
      .run(episodeId, assessedAt, cls, cls, assessedAt).lastInsertRowid,
  );
}

/** A completed transfer as the placement history records it: the old placement ends, a new one begins at the same instant. */
export function transferAt(db: Db, episodeId: number, at: string, wardId: number, bedId: number | null): number {
  const open = db.prepare('SELECT id, bed_id FROM placement WHERE episode_id = ? AND end_at IS NULL').get(episodeId) as { id: number; bed_id: number | null };
  db.prepare('UPDATE placement SET end_at = ? WHERE id = ?').run(at, open.id);
  if (open.bed_id !== null) db.prepare(`UPDATE bed SET state = 'cleaning' WHERE id = ?`).run(open.bed_id);
  if (bedId !== null) db.prepare(`UPDATE bed SET state = 'occupied' WHERE id = ?`).run(bedId);
  return Number(
    db.prepare(`INSERT INTO placement (episode_id, ward_id, bed_id, start_at, began_by, created_by) VALUES (?, ?, ?, ?, 'transfer', 1)`).run(episodeId, wardId, bedId, at)
      .lastInsertRowid,
  );
}
