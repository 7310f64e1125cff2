import type { ClinicalClass, RiskFactor, VitalsObservation } from '../../../shared/clinical';
import { NEWS2_WINDOW_ROUNDS, TREND_POINTS, type AntiviralData, type EpisodeData, type EpisodeRound, type FacilityKind, type SeriesPoint } from '../../../shared/clinical/evaluate';
import type { Pregnancy } from '../../../shared/clinical/antiviral';
import type { MedicationEntry } from '../../../shared/clinical/interactions';
import type { LabAnalyte } from '../../../shared/domain/clinical';
import type { Ctx } from '../context';
import { currentRow } from './current';

/**
 * Loading, the SQL half of the episode evaluator (shared/clinical/evaluate.ts): one episode's current
 * signed rows as plain data. Live (no `asOf`), exactly the rows the state has always read; as of an
 * instant, only the rows recorded up to then, so a past day's report sees that day's records.
 * Limits are constants in the SQL, never bound parameters: `LIMIT ?` made these queries ~20× slower
 * (issue 8's bench).
 */
export interface LoadOptions {
  /** Only the rows in force at this instant (the reports' as-of figures); live when absent. */
  asOf?: string;
  /** One round more than the windows need: a preview's amendment takes one out (rounds/preview.ts). */
  spare?: boolean;
}

interface EpisodeRow {
  id: number;
  admitted_at: string;
  spo2_scale: 1 | 2;
  birth_date: string | null;
  age_years: number | null;
  age_months: number | null;
  created_at: string;
  risk_factors: string;
  facility_kind: FacilityKind | null;
  patient_id: number;
  sex: 'M' | 'F';
  chronic_medications: string | null;
}

interface ProfileRow {
  onset_date: string | null;
  weight_kg: number | null;
  pregnancy: Pregnancy | null;
  severe_liver_impairment: 0 | 1 | null;
  creatinine_umol_l: number | null;
  creatinine_at: string | null;
  egfr_manual: number | null;
  created_at: string;
}

/** A current round as the evaluator and the NEWS2 window read it: the columns of SCORED_ROUND_COLUMNS. */
export interface ScoredRoundRow {
  id: number;
  measured_at: string;
  resp_rate: number | null;
  spo2: number | null;
  spo2_scale: 1 | 2;
  on_oxygen: 0 | 1 | null;
  systolic_bp: number | null;
  pulse: number | null;
  consciousness: VitalsObservation['consciousness'];
  temperature: number | null;
  symptoms: string | null;
  signs: string;
}

type ReviewRow = { at: string; decision: string; next_review_due: string | null; class_at_review: ClinicalClass | null };

export const SCORED_ROUND_COLUMNS = 'id, measured_at, resp_rate, spo2, spo2_scale, on_oxygen, systolic_bp, pulse, consciousness, temperature, symptoms, signs';

/** The SQL texts, built once: `bound(column)` limits a query to the rows recorded up to the as-of instant (nothing when live). */
function queries(asOf: boolean, spare: boolean) {
  const bound = (column: string) => (asOf ? ` AND ${column} <= ?` : '');
  const windowRounds = NEWS2_WINDOW_ROUNDS + (spare ? 1 : 0);
  const spo2Points = TREND_POINTS + (spare ? 1 : 0);
  return {
    episode: `SELECT e.id, e.admitted_at, e.spo2_scale, p.birth_date, p.age_years, p.age_months, p.created_at, p.risk_factors, p.id AS patient_id, p.sex, p.chronic_medications,
              (SELECT f.kind FROM placement pl JOIN ward w ON w.id = pl.ward_id JOIN facility f ON f.id = w.facility_id
               WHERE pl.episode_id = e.id${bound('pl.start_at')} ORDER BY pl.end_at IS NULL DESC, pl.start_at DESC LIMIT 1) AS facility_kind
       FROM episode e JOIN patient p ON p.id = e.patient_id WHERE e.id = ?`,
    rounds: `SELECT ${SCORED_ROUND_COLUMNS}
       FROM round r WHERE r.episode_id = ? AND r.measured_at <= ? AND ${currentRow('round', 'r')}
       ORDER BY r.measured_at DESC LIMIT ${windowRounds}`,
    labs: `SELECT analyte, at, value FROM (
  SELECT r.analyte, r.collected_at AS at, r.value, row_number() OVER (PARTITION BY r.analyte ORDER BY r.collected_at DESC) AS n
  FROM lab_result r WHERE r.episode_id = ?${bound('r.collected_at')} AND r.value IS NOT NULL AND ${currentRow('lab_result', 'r')}
) WHERE n <= ${TREND_POINTS} ORDER BY analyte, at`,
    imaging: `SELECT performed_at AS at, pneumonia, progression_pct FROM imaging r
       WHERE r.episode_id = ?${bound('r.performed_at')} AND ${currentRow('imaging', 'r')} ORDER BY r.performed_at DESC LIMIT ${TREND_POINTS}`,
    classes: `SELECT class FROM class_assessment r WHERE r.episode_id = ?${bound('r.assessed_at')} AND ${currentRow('class_assessment', 'r')} ORDER BY r.assessed_at, r.id`,
    tier: `SELECT tier FROM tier_assignment r WHERE r.episode_id = ?${bound('r.at')} AND ${currentRow('tier_assignment', 'r')} ORDER BY r.at DESC, r.id DESC LIMIT 1`,
    review: `SELECT at, decision, next_review_due, class_at_review FROM review r WHERE r.episode_id = ?${bound('r.at')} AND ${currentRow('review', 'r')} ORDER BY r.at DESC, r.id DESC LIMIT 1`,
    plan: `SELECT next_review_due, created_at, items FROM plan_version WHERE episode_id = ?${bound('created_at')} ORDER BY version DESC LIMIT 1`,
    profile: `SELECT onset_date, weight_kg, pregnancy, severe_liver_impairment, creatinine_umol_l, creatinine_at, egfr_manual, created_at
       FROM antiviral_profile WHERE episode_id = ?${bound('created_at')} ORDER BY version DESC LIMIT 1`,
    medications: `SELECT items FROM medication_list WHERE patient_id = ?${bound('created_at')} ORDER BY version DESC LIMIT 1`,
    decisions: `SELECT count(*) AS n, coalesce(max(decision = 'start'), 0) AS started FROM antiviral_decision WHERE episode_id = ?${bound('created_at')}`,
    referral: `SELECT at, note FROM referral WHERE episode_id = ? AND at > ?${bound('at')} ORDER BY at DESC LIMIT 1`,
    spo2: `SELECT id, measured_at AS at, spo2 AS value, on_oxygen FROM round r WHERE r.episode_id = ?${bound('r.measured_at')} AND r.spo2 IS NOT NULL AND ${currentRow('round', 'r')}
       ORDER BY r.measured_at DESC LIMIT ${spo2Points}`,
    snoozes: `SELECT flag_code, until FROM flag_snooze WHERE episode_id = ?${bound('at')} AND until > ?`,
  };
}

const LIVE = queries(false, false);
const LIVE_SPARE = queries(false, true);
const AS_OF = queries(true, false);

const bit = (v: 0 | 1 | null): boolean | null => (v === null ? null : v === 1);

export function toEpisodeRound(r: ScoredRoundRow): EpisodeRound {
  return {
    id: r.id,
    measuredAt: r.measured_at,
    respRate: r.resp_rate,
    spo2: r.spo2,
    onOxygen: bit(r.on_oxygen),
    systolicBp: r.systolic_bp,
    pulse: r.pulse,
    consciousness: r.consciousness,
    temperature: r.temperature,
    symptoms: r.symptoms ? (JSON.parse(r.symptoms) as string[]) : [],
    signs: JSON.parse(r.signs) as string[],
  };
}

/** One episode's data for the evaluator at `options.asOf` (or now); null when there is no such episode. */
export function loadEpisode(ctx: Ctx, episodeId: number, options: LoadOptions = {}): EpisodeData | null {
  const at = options.asOf ?? ctx.now;
  const q = options.asOf !== undefined ? AS_OF : options.spare ? LIVE_SPARE : LIVE;
  // The bound parameters after the episode id: the instant when loading as of one, none when live.
  const b: string[] = options.asOf !== undefined ? [at] : [];
  const ep = ctx.stmt<unknown[], EpisodeRow>(q.episode).get(...b, episodeId);
  if (!ep) return null;

  const labs: Partial<Record<LabAnalyte, SeriesPoint[]>> = {};
  for (const l of ctx.stmt<unknown[], { analyte: LabAnalyte; at: string; value: number }>(q.labs).all(episodeId, ...b)) {
    (labs[l.analyte] ??= []).push({ at: l.at, value: l.value });
  }
  const review = ctx.stmt<unknown[], ReviewRow>(q.review).get(episodeId, ...b);
  const plan = ctx.stmt<unknown[], { next_review_due: string | null; created_at: string; items: string }>(q.plan).get(episodeId, ...b);
  const referral = ctx.stmt<unknown[], { at: string; note: string }>(q.referral).get(episodeId, review?.at ?? '', ...b);
  return {
    episodeId,
    admittedAt: ep.admitted_at,
    spo2Scale: ep.spo2_scale,
    age: { birthDate: ep.birth_date, ageYears: ep.age_years, ageMonths: ep.age_months ?? null, statedAt: ep.created_at },
    riskFactors: JSON.parse(ep.risk_factors) as RiskFactor[],
    facilityKind: ep.facility_kind,
    rounds: ctx.stmt<unknown[], ScoredRoundRow>(q.rounds).all(episodeId, at).map(toEpisodeRound),
    spo2: ctx
      .stmt<unknown[], { id: number; at: string; value: number; on_oxygen: 0 | 1 | null }>(q.spo2)
      .all(episodeId, ...b)
      .map((p) => ({ roundId: p.id, at: p.at, value: p.value, onOxygen: bit(p.on_oxygen) })),
    labs,
    imaging: ctx
      .stmt<unknown[], { at: string; pneumonia: 0 | 1; progression_pct: number | null }>(q.imaging)
      .all(episodeId, ...b)
      .reverse()
      .map((i) => ({ at: i.at, pneumonia: i.pneumonia === 1, progressionPct: i.progression_pct })),
    classes: ctx
      .stmt<unknown[], { class: ClinicalClass }>(q.classes)
      .all(episodeId, ...b)
      .map((c) => c.class),
    currentTier: ctx.stmt<unknown[], { tier: string }>(q.tier).get(episodeId, ...b)?.tier ?? null,
    lastReview: review ? { at: review.at, decision: review.decision, nextReviewDue: review.next_review_due, classAtReview: review.class_at_review } : null,
    plan: plan ? { createdAt: plan.created_at, nextReviewDue: plan.next_review_due } : null,
    referral: referral ?? null,
    snoozes: ctx
      .stmt<unknown[], { flag_code: string; until: string }>(q.snoozes)
      .all(episodeId, ...b, at)
      .map((s) => ({ flagCode: s.flag_code, until: s.until })),
    antiviral: loadAntiviral(ctx, q, ep, plan?.items ?? null, episodeId, b),
  };
}

/** What the antiviral rules read (issue 19): the profile and medicine list as last saved, whether a course or a decision is on record. */
function loadAntiviral(ctx: Ctx, q: ReturnType<typeof queries>, ep: EpisodeRow, planItems: string | null, episodeId: number, b: string[]): AntiviralData {
  const p = ctx.stmt<unknown[], ProfileRow>(q.profile).get(episodeId, ...b);
  const meds = ctx
    .stmt<unknown[], string>(q.medications)
    .pluck()
    .get(ep.patient_id, ...b);
  const d = ctx.stmt<unknown[], { n: number; started: number }>(q.decisions).get(episodeId, ...b) ?? { n: 0, started: 0 };
  const inPlan = planItems !== null && (JSON.parse(planItems) as { kind: string }[]).some((i) => i.kind === 'antiviral');
  return {
    sex: ep.sex,
    profile: p
      ? {
          onsetDate: p.onset_date,
          weightKg: p.weight_kg,
          pregnancy: p.pregnancy,
          severeLiverImpairment: p.severe_liver_impairment === null ? null : p.severe_liver_impairment === 1,
          creatinine: p.creatinine_umol_l !== null && p.creatinine_at !== null ? { valueUmolL: p.creatinine_umol_l, collectedAt: p.creatinine_at } : null,
          egfrManual: p.egfr_manual,
          savedAt: p.created_at,
        }
      : null,
    medicationList: meds === undefined ? null : (JSON.parse(meds) as MedicationEntry[]).map((m) => ({ code: m.code, text: m.text })),
    legacyMedications: ep.chronic_medications,
    started: inPlan || d.started === 1,
    decided: d.n > 0,
  };
}
