import type { Ctx } from '../context';
import type { SessionUser } from '../../../shared/api/auth';
import type { Role } from '../../../shared/domain/enums';
import { hashPassword } from '../auth/password';
import { refreshEpisodeState } from '../clinical/state';
import { dischargeHome } from './discharges';
import { Rng } from './random';
import { isoOf as iso } from './instant';
import { demoAdmissions, type Spot } from './admit';
import { news2Of } from './rounds';
import { chooseCourse, ctAt, labsAt, vitalsAt, type CourseKind } from './trajectory';

/**
 * The demo network at the scale of the largest 2022 fangcang (DESIGN.md §1, §8): one fangcang of
 * `patients` beds in 500-bed zones and a 2,000-bed designated hospital, every patient still in
 * hospital, `roundsPerPatient` rounds each (50,000 × 20 = 1,000,000 rounds) with their NEWS2, a
 * nucleic-acid result every 48 h, a lab panel on admission for designated-hospital patients, and the
 * admission class, plus `discharged` patients already home. Deterministic from the seed; written with
 * prepared statements in the caller's transaction, then every episode's derived state is computed by
 * refreshEpisodeState, as in use, and each discharge is recorded by the app's own applyDischarge.
 */
export interface ScaleOptions {
  seed: number;
  patients: number;
  roundsPerPatient: number;
  /** Admissions spread over this many days before now. */
  days: number;
  /**
   * Patients already discharged home over the same days, each with a short stay, two negative
   * nucleic-acid tests 24 h apart and a discharge meeting the criteria, in beds now free: the
   * discharge statistics have a real load. Default 0.
   */
  discharged?: number;
  password: string;
}

export const ZONE_BEDS = 500;
const DESIGNATED_WARDS = 40;
const DESIGNATED_WARD_BEDS = 50;
const HOUR = 3_600_000;

const USERS: { username: string; displayName: string; role: Role }[] = [
  { username: 'admin', displayName: '医务科 管理员', role: 'admin' },
  { username: 'dr.wang', displayName: '王医生', role: 'ward_doctor' },
  { username: 'nurse.zhang', displayName: '张护士', role: 'nurse' },
  { username: 'prof.zhou', displayName: '周教授（专家组）', role: 'expert' },
];

const CLASS_OF: Record<CourseKind, string> = { asymptomatic: 'asymptomatic', mild: 'mild', moderate: 'moderate', worsen_recover: 'mild', severe: 'moderate' };

export function generateScaleNetwork(ctx: Ctx, o: ScaleOptions): { patients: number; discharged: number; beds: number; rounds: number; user: SessionUser; password: string } {
  const rng = new Rng(o.seed);
  const now = Date.parse(ctx.now);
  const hash = hashPassword(o.password);
  const userIds = USERS.map((u) =>
    Number(
      ctx.stmt(`INSERT INTO app_user (username, display_name, role, password_hash, created_at) VALUES (?, ?, ?, ?, ?)`).run(u.username, u.displayName, u.role, hash, ctx.now)
        .lastInsertRowid,
    ),
  );
  const [adminId, , nurseId, expertId] = userIds as [number, number, number, number];

  const insertFacility = ctx.stmt('INSERT INTO facility (code, name, kind, sort) VALUES (?, ?, ?, ?)');
  const insertWard = ctx.stmt('INSERT INTO ward (facility_id, code, name, kind, sort) VALUES (?, ?, ?, ?, ?)');
  const insertBed = ctx.stmt('INSERT INTO bed (ward_id, label, tags, sort) VALUES (?, ?, ?, ?)');
  const fangcangBeds: Spot[] = [];
  const designatedBeds: Spot[] = [];
  const dh = Number(insertFacility.run('DH', '市定点医院', 'designated', 0).lastInsertRowid);
  for (let w = 1; w <= DESIGNATED_WARDS; w++) {
    const code = `G${String(w).padStart(2, '0')}`;
    const wardId = Number(insertWard.run(dh, code, `感染${w}病区`, w > 36 ? 'severe' : 'general', w).lastInsertRowid);
    for (let b = 1; b <= DESIGNATED_WARD_BEDS; b++)
      designatedBeds.push({ wardId, bedId: Number(insertBed.run(wardId, `${code}-${String(b).padStart(3, '0')}`, '["oxygen"]', b).lastInsertRowid) });
  }
  const fc = Number(insertFacility.run('NECC', '国家会展中心方舱医院', 'fangcang', 1).lastInsertRowid);
  const zones = Math.ceil((o.patients + (o.discharged ?? 0)) / ZONE_BEDS);
  for (let z = 1; z <= zones; z++) {
    const code = `Z${String(z).padStart(3, '0')}`;
    const wardId = Number(insertWard.run(fc, code, `${code}舱`, 'zone', z).lastInsertRowid);
    for (let b = 1; b <= ZONE_BEDS; b++) fangcangBeds.push({ wardId, bedId: Number(insertBed.run(wardId, `${code}-${String(b).padStart(3, '0')}`, '[]', b).lastInsertRowid) });
  }

  const admissions = demoAdmissions(ctx, rng, adminId);
  const insertRound = ctx.stmt(
    `INSERT INTO round (episode_id, measured_at, resp_rate, spo2, on_oxygen, o2_device, o2_flow, systolic_bp, diastolic_bp, pulse, consciousness, temperature, symptoms, signs, news2_total, news2_complete, news2_band, entered_at, author_id)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'A', ?, ?, '[]', ?, 1, ?, ?, ?)`,
  );
  const insertCt = ctx.stmt(
    `INSERT INTO lab_result (episode_id, collected_at, analyte, n_ct, orf1ab_ct, qualitative, entered_at, author_id) VALUES (?, ?, 'nucleic_acid', ?, ?, ?, ?, ?)`,
  );
  const insertLab = ctx.stmt(`INSERT INTO lab_result (episode_id, collected_at, analyte, value, entered_at, author_id) VALUES (?, ?, ?, ?, ?, ?)`);
  const insertClass = ctx.stmt(
    `INSERT INTO class_assessment (episode_id, assessed_at, class, proposed_class, rule_set, decision, entered_at, author_id) VALUES (?, ?, ?, ?, 'cn-v9', 'confirmed', ?, ?)`,
  );
  const year = new Date(now).getUTCFullYear();

  const episodes: number[] = [];
  let rounds = 0;
  let fi = 0;
  let di = 0;
  /** A new patient with an episode and its admission placement in `spot`. */
  const admit = (i: number, admittedMs: number, age: number, sex: 'M' | 'F', risk: readonly string[], spot: Spot): number => {
    const birthDate = admissions.birthDate(year, age);
    const idCard = admissions.idCard(birthDate, sex, i);
    return admissions.admit({ idCard, birthDate, sex, risk, admittedAt: iso(admittedMs), spot });
  };
  /** One round at `at` on the course, with its NEWS2 as the app stores it. */
  const round = (episodeId: number, course: ReturnType<typeof chooseCourse>, admittedMs: number, at: number) => {
    const v = vitalsAt(rng, course, (at - admittedMs) / (24 * HOUR), false);
    const news2 = news2Of(v);
    insertRound.run(
      episodeId,
      iso(at),
      v.respRate,
      v.spo2,
      v.onOxygen ? 1 : 0,
      v.o2Device,
      v.o2Flow,
      v.systolicBp,
      v.diastolicBp,
      v.pulse,
      v.temperature,
      JSON.stringify(v.symptoms),
      news2.total,
      news2.band,
      iso(Math.min(now, at + 5 * 60_000)),
      nurseId,
    );
    rounds += 1;
  };
  for (let i = 0; i < o.patients; i++) {
    // Admissions rise through the period (a skewed curve); everyone is admitted at least 6 h before now.
    const admittedMs = now - 6 * HOUR - Math.floor(Math.pow(rng.next(), 1.6) * o.days * 24 * HOUR);
    const sex = rng.chance(0.52) ? 'M' : 'F';
    const age = Math.max(1, Math.min(96, Math.round(rng.normal(44, 19))));
    const risk = admissions.riskFactors(age);
    const designated = di < designatedBeds.length && ((age > 60 && risk.length > 0) || rng.chance(0.03));
    const spot = designated ? designatedBeds[di++] : fangcangBeds[fi++];
    if (!spot) break;
    const episodeId = admit(i, admittedMs, age, sex, risk, spot);
    episodes.push(episodeId);

    const stay = now - admittedMs;
    const course = chooseCourse(rng, { designated, ageYears: age, riskFactors: risk.length, daysSinceAdmission: stay / (24 * HOUR) });
    insertClass.run(episodeId, iso(admittedMs + HOUR), CLASS_OF[course.kind], CLASS_OF[course.kind], iso(admittedMs + HOUR), expertId);
    for (let k = 0; k < o.roundsPerPatient; k++) round(episodeId, course, admittedMs, admittedMs + ((k + 0.5) * stay) / o.roundsPerPatient);
    for (let t = admittedMs - 24 * HOUR; t < now - 4 * HOUR; t += 48 * HOUR) {
      const ct = ctAt(rng, course, Math.max(0, (t - admittedMs) / (24 * HOUR)));
      insertCt.run(episodeId, iso(t), ct.ctN, ct.ctOrf1ab, ct.qualitative, iso(Math.max(t + 4 * HOUR, admittedMs)), adminId);
    }
    if (designated) {
      const labs = labsAt(rng, course, 0);
      for (const [analyte, value] of Object.entries(labs)) insertLab.run(episodeId, iso(admittedMs + 2 * HOUR), analyte, value, iso(admittedMs + 4 * HOUR), adminId);
    }
  }
  for (const id of episodes) refreshEpisodeState(ctx, id);

  // Already home: a mild course of 6–13 days ending in two negative tests 24 h apart, discharged at the
  // next rounds by the app's own discharge (criteria evaluated and stored); the bed is free again.
  const freeBed = ctx.stmt(`UPDATE bed SET state = 'free' WHERE id = ?`);
  let discharged = 0;
  for (let i = 0; i < (o.discharged ?? 0); i++) {
    const spot = fangcangBeds[fi++];
    if (!spot) break;
    const dischargedMs = now - 2 * HOUR - Math.floor(rng.next() * o.days * 24 * HOUR);
    const admittedMs = dischargedMs - (6 + rng.int(0, 7)) * 24 * HOUR - rng.int(0, 23) * HOUR;
    const sex = rng.chance(0.52) ? 'M' : 'F';
    const age = Math.max(1, Math.min(90, Math.round(rng.normal(40, 17))));
    const episodeId = admit(o.patients + i, admittedMs, age, sex, [], spot);
    const course = chooseCourse(rng, { designated: false, ageYears: age, riskFactors: 0, daysSinceAdmission: 0 });
    insertClass.run(episodeId, iso(admittedMs + HOUR), 'mild', 'mild', iso(admittedMs + HOUR), expertId);
    for (let k = 0; k < 4; k++) round(episodeId, course, admittedMs, admittedMs + ((k + 0.5) * (dischargedMs - admittedMs)) / 4);
    insertCt.run(episodeId, iso(admittedMs - 24 * HOUR), 24 + rng.int(0, 6), 25 + rng.int(0, 6), null, iso(admittedMs), adminId);
    for (const before of [30, 6]) {
      const t = dischargedMs - before * HOUR;
      insertCt.run(episodeId, iso(t), 36 + rng.int(0, 4), 36 + rng.int(0, 4), null, iso(t + 4 * HOUR), adminId);
    }
    dischargeHome(ctx, { episodeId, dischargedAt: iso(dischargedMs), authorId: adminId });
    freeBed.run(spot.bedId);
    discharged += 1;
  }
  ctx.audit({
    action: 'demo.generate',
    entity: 'network',
    after: { seed: o.seed, scale: true, patients: episodes.length, discharged, rounds, beds: designatedBeds.length + fangcangBeds.length },
  });
  // The days of this history get their awaiting-review spans at the next start (reports/history.ts), as a network recorded before migration 19.
  ctx.stmt('INSERT OR IGNORE INTO awaiting_backfill VALUES (1)').run();
  const admin = USERS[0]!;
  return {
    patients: episodes.length,
    discharged,
    beds: designatedBeds.length + fangcangBeds.length,
    rounds,
    user: { id: adminId, username: admin.username, displayName: admin.displayName, role: 'admin' },
    password: o.password,
  };
}
