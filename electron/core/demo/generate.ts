import type { Ctx } from '../context';
import type { SessionUser } from '../../../shared/api/auth';
import type { BedTag, FacilityKind, Role, WardKind } from '../../../shared/domain/enums';
import { addDays, fromLocal, localDate } from '../../../shared/domain/time';
import { hashPassword } from '../auth/password';
import { settingsOf } from '../settings/settings';
import { refreshEpisodeState } from '../clinical/state';
import { Rng } from './random';
import { demoAdmissions } from './admit';
import { generateScaleNetwork, type ScaleOptions } from './scale';
import { generateDemoDischarges } from './discharges';
import { generateDemoReviews } from './reviews';
import { generateDemoClinical } from './rounds';

/** The published password of every demo account; shown on the first-run screen and in the README. */
export const DEMO_PASSWORD = 'echelon-demo';

interface WardPlan {
  code: string;
  name: string;
  kind: WardKind;
  beds: number;
  tags: BedTag[];
}
interface FacilityPlan {
  code: string;
  name: string;
  kind: FacilityKind;
  wards: WardPlan[];
}

/**
 * The reference network (DESIGN.md §1): a designated hospital of ~1,940 beds and two fangcang
 * of ~2,579 beds together.
 */
export function referenceNetwork(): FacilityPlan[] {
  const range = (n: number) => Array.from({ length: n }, (_, i) => i + 1);
  return [
    {
      code: 'DH',
      name: '区定点医院',
      kind: 'designated',
      wards: [
        ...range(36).map((i) => ({
          code: `G${String(i).padStart(2, '0')}`,
          name: `感染${i}病区`,
          kind: 'general' as const,
          beds: 50,
          tags: i <= 12 ? (['oxygen'] as BedTag[]) : [],
        })),
        { code: 'HDU1', name: '重症一病区', kind: 'severe', beds: 50, tags: ['oxygen', 'monitor'] },
        { code: 'HDU2', name: '重症二病区', kind: 'severe', beds: 50, tags: ['oxygen', 'monitor'] },
        { code: 'ICU', name: 'ICU', kind: 'icu', beds: 40, tags: ['oxygen', 'monitor', 'ventilator', 'negative_pressure'] },
      ],
    },
    {
      code: 'FC1',
      name: '体育中心方舱医院',
      kind: 'fangcang',
      wards: range(8).map((i) => ({ code: `A${i}`, name: `A${i}舱`, kind: 'zone' as const, beds: 160, tags: i === 1 ? (['oxygen'] as BedTag[]) : [] })),
    },
    {
      code: 'FC2',
      name: '会展中心方舱医院',
      kind: 'fangcang',
      wards: range(10).map((i) => ({ code: `B${i}`, name: `B${i}舱`, kind: 'zone' as const, beds: 130, tags: i === 1 ? (['oxygen'] as BedTag[]) : [] })),
    },
  ];
}

const DEMO_USERS: { username: string; displayName: string; role: Role }[] = [
  { username: 'admin', displayName: '医务科 管理员', role: 'admin' },
  { username: 'dr.wang', displayName: '王医生', role: 'ward_doctor' },
  { username: 'dr.li', displayName: '李医生', role: 'ward_doctor' },
  { username: 'nurse.zhang', displayName: '张护士', role: 'nurse' },
  { username: 'nurse.chen', displayName: '陈护士', role: 'nurse' },
  { username: 'prof.zhou', displayName: '周教授（专家组）', role: 'expert' },
];

export interface DemoOptions {
  seed: number;
  /** Outbreak length in days; the last day is the day of `now`. */
  days?: number;
  patients?: number;
  /** The bench network (issue 8): one fangcang of `patients` beds, everyone still in, `roundsPerPatient` rounds each. */
  scale?: Omit<ScaleOptions, 'seed' | 'password'>;
}

/** Daily admissions follow a skewed epidemic curve peaking about 40 % into the outbreak. */
function epidemicWeights(days: number): number[] {
  const peak = days * 0.4;
  return Array.from({ length: days }, (_, d) => {
    const x = (d + 0.5) / peak;
    return Math.pow(x, 2.2) * Math.exp(2.2 * (1 - x));
  });
}

export function generateDemoNetwork(ctx: Ctx, opts: DemoOptions): { patients: number; beds: number; user: SessionUser; password: string } {
  if (opts.scale) return generateScaleNetwork(ctx, { seed: opts.seed, password: DEMO_PASSWORD, ...opts.scale });
  const rng = new Rng(opts.seed);
  const days = opts.days ?? 23;
  const total = opts.patients ?? 1800;
  const tz = settingsOf(ctx).timeZone;

  const hash = hashPassword(DEMO_PASSWORD);
  const insertUser = ctx.stmt(`INSERT INTO app_user (username, display_name, role, password_hash, created_at) VALUES (?, ?, ?, ?, ?)`);
  const userIds = DEMO_USERS.map((u) => Number(insertUser.run(u.username, u.displayName, u.role, hash, ctx.now).lastInsertRowid));
  const adminId = userIds[0] ?? 1;

  const insertFacility = ctx.stmt('INSERT INTO facility (code, name, kind, sort) VALUES (?, ?, ?, ?)');
  const insertWard = ctx.stmt('INSERT INTO ward (facility_id, code, name, kind, sort) VALUES (?, ?, ?, ?, ?)');
  const insertBed = ctx.stmt('INSERT INTO bed (ward_id, label, tags, sort) VALUES (?, ?, ?, ?)');
  const freeBeds = new Map<FacilityKind | 'severe', { wardId: number; bedId: number }[]>([
    ['designated', []],
    ['fangcang', []],
    ['severe', []],
  ]);
  let bedCount = 0;
  referenceNetwork().forEach((f, fi) => {
    const facilityId = Number(insertFacility.run(f.code, f.name, f.kind, fi).lastInsertRowid);
    f.wards.forEach((w, wi) => {
      const wardId = Number(insertWard.run(facilityId, w.code, w.name, w.kind, wi).lastInsertRowid);
      for (let b = 1; b <= w.beds; b++) {
        const bedId = Number(insertBed.run(wardId, `${w.code}-${String(b).padStart(3, '0')}`, JSON.stringify(w.tags), b).lastInsertRowid);
        bedCount += 1;
        const pool = w.kind === 'general' || w.kind === 'zone' ? f.kind : 'severe';
        freeBeds.get(pool)?.push({ wardId, bedId });
      }
    });
  });

  const weights = epidemicWeights(days);
  const sum = weights.reduce((a, b) => a + b, 0);
  const today = localDate(ctx.now, tz);
  const firstDay = addDays(today, -(days - 1));
  const nowMs = Date.parse(ctx.now);

  const admissions = demoAdmissions(ctx, rng, adminId);

  let created = 0;
  for (let d = 0; d < days; d++) {
    const date = addDays(firstDay, d);
    const n = Math.round((total * (weights[d] ?? 0)) / sum);
    for (let i = 0; i < n && created < total; i++) {
      const admittedAt = fromLocal(`${date}T${String(rng.int(7, 22)).padStart(2, '0')}:${String(rng.int(0, 59)).padStart(2, '0')}`, tz);
      if (Date.parse(admittedAt) > nowMs) continue;
      const sex = rng.chance(0.52) ? 'M' : 'F';
      const age = Math.max(1, Math.min(96, Math.round(rng.normal(44, 19))));
      const birthDate = admissions.birthDate(Number(today.slice(0, 4)), age);
      const idCard = admissions.idCard(birthDate, sex, created);
      const risk = admissions.riskFactors(age);
      // Protocol placement rule: older and high-risk patients go to the designated hospital.
      const designated = age > 60 && risk.length > 0 ? true : rng.chance(0.12);
      const pool = freeBeds.get(designated ? 'designated' : 'fangcang');
      const spot = pool && pool.length > 0 ? pool.splice(rng.int(0, pool.length - 1), 1)[0] : undefined;
      if (!spot) continue;
      admissions.admit({ idCard, birthDate, sex, risk, admittedAt, spot });
      created += 1;
    }
  }

  generateDemoClinical(ctx, rng);
  generateDemoReviews(ctx, rng);
  generateDemoDischarges(ctx, rng);
  for (const id of ctx.stmt<[], { id: number }>(`SELECT id FROM episode WHERE status = 'active'`).all()) refreshEpisodeState(ctx, id.id);
  ctx.audit({ action: 'demo.generate', entity: 'network', after: { seed: opts.seed, days, patients: created, beds: bedCount, users: DEMO_USERS.length } });
  const admin = DEMO_USERS[0];
  return {
    patients: created,
    beds: bedCount,
    user: { id: adminId, username: admin?.username ?? 'admin', displayName: admin?.displayName ?? 'admin', role: 'admin' },
    password: DEMO_PASSWORD,
  };
}
