import Database from 'better-sqlite3';
import { APPLICATION_ID } from '../../../electron/core/db/open';
import { MIGRATIONS } from '../../../electron/core/db/migrations';

/**
 * A database file as an older Echelon left it: the migrations up to `version` applied, nothing after,
 * in rollback-journal mode (as backups are), with an administrator, a ward of two beds and two admitted
 * patients. `sameBedTwice` also holds two transfers that both reserve the first bed, which migration 5
 * (one transfer per reserved bed) cannot index: such a copy verifies but cannot be opened.
 */
export function writeOldCopy(file: string, version: number, opts: { sameBedTwice?: boolean } = {}): void {
  const db = new Database(file);
  try {
    db.transaction(() => {
      for (const m of [...MIGRATIONS].sort((a, b) => a.version - b.version)) if (m.version <= version) db.exec(m.sql);
      const at = '2022-03-19T02:00:00.000Z';
      const admin = Number(
        db.prepare(`INSERT INTO app_user (username, display_name, role, password_hash, created_at) VALUES ('admin', '管理员', 'admin', 'x', ?)`).run(at).lastInsertRowid,
      );
      const facility = Number(db.prepare(`INSERT INTO facility (code, name, kind) VALUES ('DH', '定点医院', 'designated')`).run().lastInsertRowid);
      const other = Number(db.prepare(`INSERT INTO facility (code, name, kind) VALUES ('FC', '方舱医院', 'fangcang')`).run().lastInsertRowid);
      const ward = Number(db.prepare(`INSERT INTO ward (facility_id, code, name, kind) VALUES (?, 'G1', '感染一病区', 'general')`).run(facility).lastInsertRowid);
      const zone = Number(db.prepare(`INSERT INTO ward (facility_id, code, name, kind) VALUES (?, 'A1', 'A1舱', 'zone')`).run(other).lastInsertRowid);
      const beds = [1, 2].map((i) => Number(db.prepare(`INSERT INTO bed (ward_id, label) VALUES (?, ?)`).run(ward, `G1-00${i}`).lastInsertRowid));
      const target = Number(db.prepare(`INSERT INTO bed (ward_id, label, state) VALUES (?, 'A1-001', 'reserved')`).run(zone).lastInsertRowid);
      for (const [i, bed] of beds.entries()) {
        const patient = Number(
          db.prepare(`INSERT INTO patient (name, sex, age_years, created_at, created_by) VALUES (?, 'M', 40, ?, ?)`).run(`患者${i + 1}`, at, admin).lastInsertRowid,
        );
        const episode = Number(
          db.prepare(`INSERT INTO episode (patient_id, admitted_at, source, created_by) VALUES (?, ?, 'community_screening', ?)`).run(patient, at, admin).lastInsertRowid,
        );
        const placement = Number(
          db.prepare(`INSERT INTO placement (episode_id, ward_id, bed_id, start_at, began_by, created_by) VALUES (?, ?, ?, ?, 'admission', ?)`).run(episode, ward, bed, at, admin)
            .lastInsertRowid,
        );
        if (opts.sameBedTwice)
          db.prepare(
            `INSERT INTO transfer_request (episode_id, status, requested_at, requested_by, reason, from_placement_id, to_facility_id, to_ward_id, to_bed_id, assigned_at, assigned_by)
             VALUES (?, 'bed_assigned', ?, ?, '降级', ?, ?, ?, ?, ?, ?)`,
          ).run(episode, at, admin, placement, other, zone, target, at, admin);
      }
      db.pragma(`application_id = ${APPLICATION_ID}`);
      db.pragma(`user_version = ${version}`);
    })();
  } finally {
    db.close();
  }
}
