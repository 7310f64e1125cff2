import type { SessionUser } from '../../shared/api/auth';
import type { Role } from '../../shared/domain/enums';
import type { LabAnalyte } from '../../shared/domain/clinical';
import { computeNews2, type VitalsObservation } from '../../shared/clinical';
import { Ctx } from '../../electron/core/context';
import { refreshEpisodeState } from '../../electron/core/clinical/state';
import { admission, makeNetwork, NOW, type TestCore } from './core';

/**
 * A small network for the panel's stories: the designated hospital (general ward G1 with 3 beds,
 * ICU with 2), the fangcang zone A1 (2 beds) and A2 (3 beds), and one user per role.
 */
export function panelNetwork() {
  const c = makeNetwork();
  const db = c.db;
  const dh = (db.prepare(`SELECT id FROM facility WHERE code = 'DH'`).get() as { id: number }).id;
  const fc = (db.prepare(`SELECT id FROM facility WHERE code = 'FC'`).get() as { id: number }).id;
  const icuId = Number(db.prepare(`INSERT INTO ward (facility_id, code, name, kind, sort) VALUES (?, 'ICU', 'ICU', 'icu', 9)`).run(dh).lastInsertRowid);
  const zone2Id = Number(db.prepare(`INSERT INTO ward (facility_id, code, name, kind, sort) VALUES (?, 'A2', 'A2舱', 'zone', 2)`).run(fc).lastInsertRowid);
  const bed = db.prepare(`INSERT INTO bed (ward_id, label, sort, tags) VALUES (?, ?, ?, ?)`);
  const icuBeds = [1, 2].map((i) => Number(bed.run(icuId, `ICU-0${i}`, i, '["oxygen","monitor","ventilator"]').lastInsertRowid));
  const zone2Beds = [1, 2, 3].map((i) => Number(bed.run(zone2Id, `A2-00${i}`, i, i === 1 ? '["oxygen"]' : '[]').lastInsertRowid));
  const admin = c.session.user as SessionUser;
  const expert = user(c, 'expert', 'prof.zhou', '周教授');
  const doctor = user(c, 'ward_doctor', 'dr.wang', '王医生');
  const nurse = user(c, 'nurse', 'nurse.zhang', '张护士');
  return Object.assign(c, { dh, fc, icuId, icuBeds, zone2Id, zone2Beds, admin, expert, doctor, nurse });
}
export type PanelNetwork = ReturnType<typeof panelNetwork>;

export function user(c: TestCore, role: Role, username: string, displayName: string): SessionUser {
  const id = Number(
    c.db.prepare(`INSERT INTO app_user (username, display_name, role, password_hash, created_at) VALUES (?, ?, ?, 'x', ?)`).run(username, displayName, role, NOW).lastInsertRowid,
  );
  return { id, username, displayName, role };
}

/** Runs `fn` with `who` logged in, then restores the previous session user. */
export function as<T>(c: TestCore, who: SessionUser, fn: () => T): T {
  const before = c.session.user;
  c.session.user = who;
  try {
    return fn();
  } finally {
    c.session.user = before;
  }
}

/** Admits a patient through patients:admit as the administrator. */
export function admit(c: PanelNetwork, where: { wardId: number; bedId: number }, patient: Record<string, unknown> = {}, admittedAt = '2022-03-18T02:00:00.000Z') {
  return as(c, c.admin, () => c.ok<{ patientId: number; episodeId: number; placementId: number }>('patients:admit', admission({ ...where, admittedAt }, patient)));
}

type Vitals = Omit<VitalsObservation, 'measuredAt'>;
const CALM: Vitals = { respRate: 16, spo2: 97, onOxygen: false, systolicBp: 124, pulse: 78, consciousness: 'A', temperature: 36.8 };

/**
 * A signed round written as the rounds module stores it (news2 columns from the shared rules), for
 * building a ward's history directly; the state is refreshed as after every clinical write.
 */
export function round(c: PanelNetwork, episodeId: number, measuredAt: string, vitals: Partial<Vitals> = {}, extra: { symptoms?: string[]; signs?: string[] } = {}): void {
  const v = { ...CALM, ...vitals };
  const n = computeNews2([{ measuredAt, ...v }], { at: measuredAt, spo2Scale: 1 });
  c.db
    .prepare(
      `INSERT INTO round (episode_id, measured_at, resp_rate, spo2, on_oxygen, systolic_bp, pulse, consciousness, temperature, symptoms, signs,
         news2_total, news2_complete, news2_band, entered_at, author_id)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    )
    .run(
      episodeId,
      measuredAt,
      v.respRate ?? null,
      v.spo2 ?? null,
      v.onOxygen === null || v.onOxygen === undefined ? null : v.onOxygen ? 1 : 0,
      v.systolicBp ?? null,
      v.pulse ?? null,
      v.consciousness ?? null,
      v.temperature ?? null,
      JSON.stringify(extra.symptoms ?? []),
      JSON.stringify(extra.signs ?? []),
      n.total,
      n.complete ? 1 : 0,
      n.band,
      measuredAt,
      c.doctor.id,
    );
  refresh(c, episodeId, measuredAt);
}

export function lab(c: PanelNetwork, episodeId: number, analyte: LabAnalyte, collectedAt: string, value: number): void {
  c.db
    .prepare(`INSERT INTO lab_result (episode_id, collected_at, analyte, value, entered_at, author_id) VALUES (?, ?, ?, ?, ?, ?)`)
    .run(episodeId, collectedAt, analyte, value, collectedAt, c.doctor.id);
  refresh(c, episodeId, collectedAt);
}

export function refresh(c: TestCore, episodeId: number, at = NOW): void {
  const ctx = new Ctx(c.db, at, c.session);
  c.db.transaction(() => refreshEpisodeState(ctx, episodeId))();
}

/** The tier given at admission, written as the chart would (source 'admission'). */
export function tier(c: PanelNetwork, episodeId: number, code: string, at = '2022-03-18T02:00:00.000Z'): void {
  c.db.prepare(`INSERT INTO tier_assignment (episode_id, at, tier, source, entered_at, author_id) VALUES (?, ?, ?, 'admission', ?, ?)`).run(episodeId, at, code, at, c.doctor.id);
  refresh(c, episodeId, at);
}

export interface AuditSince {
  action: string;
  entity: string;
  entity_id: number | null;
  before: string | null;
  after: string | null;
  reason: string | null;
}

export function auditSince(c: TestCore, afterId: number): AuditSince[] {
  return c.db.prepare<[number], AuditSince>('SELECT action, entity, entity_id, before, after, reason FROM audit WHERE id > ? ORDER BY id').all(afterId);
}

export function lastAuditId(c: TestCore): number {
  return (c.db.prepare('SELECT coalesce(max(id), 0) FROM audit').pluck().get() as number) ?? 0;
}
