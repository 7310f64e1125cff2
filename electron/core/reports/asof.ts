import type { Ctx } from '../context';
import { effectiveRiskFactors, getRuleSet, lastMeasuredAt, type ClinicalClass, type RiskFactor, type RiskFlag } from '../../../shared/clinical';
import type { LabAnalyte } from '../../../shared/domain/clinical';
import { awaitingReview } from '../clinical/awaiting';
import { currentRow } from '../clinical/current';
import { classInputOf, reviewDueOf, toObservation, type RoundRow } from '../clinical/state';
import { ageAt } from '../patients/repo';

const NEWS2_WINDOW_ROUNDS = 12;
const TREND_POINTS = 6;
const LABS_AS_OF_SQL = `SELECT analyte, at, value FROM (
  SELECT r.analyte, r.collected_at AS at, r.value, row_number() OVER (PARTITION BY r.analyte ORDER BY r.collected_at DESC) AS n
  FROM lab_result r WHERE r.episode_id = ? AND r.collected_at <= ? AND r.value IS NOT NULL AND ${currentRow('lab_result', 'r')}
) WHERE n <= ${TREND_POINTS} ORDER BY analyte, at`;

/**
 * The severe-risk flags of one episode as the rules saw them at instant `at`, from the signed rows
 * recorded up to then: the same inputs as the live snapshot (electron/core/clinical/state.ts), each
 * bounded by `at`, so a past day's report shows that day's queue, not today's.
 */
export function flagsAsOf(ctx: Ctx, episodeId: number, at: string, tz: string): { flags: RiskFlag[]; awaitingReview: boolean } {
  const rules = getRuleSet();
  const ep = ctx
    .stmt<[number], { spo2_scale: 1 | 2; birth_date: string | null; age_years: number | null; age_months: number | null; created_at: string; risk_factors: string }>(
      'SELECT e.spo2_scale, p.birth_date, p.age_years, p.age_months, p.created_at, p.risk_factors FROM episode e JOIN patient p ON p.id = e.patient_id WHERE e.id = ?',
    )
    .get(episodeId);
  if (!ep) return { flags: [], awaitingReview: false };
  const age = ageAt(ep, at, tz);
  const ageYears = age.years;
  const recorded = JSON.parse(ep.risk_factors) as RiskFactor[];
  const rounds = ctx
    .stmt<[number, string], RoundRow>(
      `SELECT id, measured_at, resp_rate, spo2, spo2_scale, on_oxygen, systolic_bp, pulse, consciousness, temperature, symptoms, signs
       FROM round r WHERE r.episode_id = ? AND r.measured_at <= ? AND ${currentRow('round', 'r')} ORDER BY r.measured_at DESC LIMIT ${NEWS2_WINDOW_ROUNDS}`,
    )
    .all(episodeId, at);
  const latest = rounds[0];
  const observations = rounds.map(toObservation);
  // No measurement, no score (issue 13): the same anchor as the live state (clinical/state.ts).
  const scoredAt = lastMeasuredAt(observations, at);
  const news2 = scoredAt ? rules.news2(observations, { at: scoredAt, spo2Scale: ep.spo2_scale, ageYears, pregnant: recorded.includes('late_pregnancy_perinatal') }) : null;
  // One windowed query for every analyte, constant limits (issue 8's bench: a bound LIMIT and one query
  // per analyte made the daily report ~1 s at 2,000 patients).
  const labSeries = new Map<string, { at: string; value: number }[]>();
  for (const l of ctx.stmt<[number, string], { analyte: string; at: string; value: number }>(LABS_AS_OF_SQL).all(episodeId, at)) {
    let series = labSeries.get(l.analyte);
    if (!series) labSeries.set(l.analyte, (series = []));
    series.push({ at: l.at, value: l.value });
  }
  const labsFor = (analyte: LabAnalyte) => labSeries.get(analyte) ?? [];
  const imaging = ctx
    .stmt<[number, string], { at: string; pneumonia: 0 | 1; progression_pct: number | null }>(
      `SELECT performed_at AS at, pneumonia, progression_pct FROM imaging r WHERE r.episode_id = ? AND r.performed_at <= ? AND ${currentRow('imaging', 'r')}
       ORDER BY r.performed_at DESC LIMIT ${TREND_POINTS}`,
    )
    .all(episodeId, at)
    .reverse();
  const proposal = rules.proposeClass(classInputOf(latest, age, imaging, labsFor('pao2_fio2')));
  const currentClass =
    ctx
      .stmt<[number, string], { class: ClinicalClass }>(
        `SELECT class FROM class_assessment r WHERE r.episode_id = ? AND r.assessed_at <= ? AND ${currentRow('class_assessment', 'r')} ORDER BY r.assessed_at DESC, r.id DESC LIMIT 1`,
      )
      .get(episodeId, at)?.class ?? null;
  const lastReview = ctx
    .stmt<[number, string], { at: string; next_review_due: string | null; class_at_review: ClinicalClass | null }>(
      `SELECT at, next_review_due, class_at_review FROM review r WHERE r.episode_id = ? AND r.at <= ? AND ${currentRow('review', 'r')} ORDER BY r.at DESC, r.id DESC LIMIT 1`,
    )
    .get(episodeId, at);
  const plan = ctx
    .stmt<[number, string], { next_review_due: string | null; created_at: string }>(
      'SELECT next_review_due, created_at FROM plan_version WHERE episode_id = ? AND created_at <= ? ORDER BY version DESC LIMIT 1',
    )
    .get(episodeId, at);
  const reviewDueAt = reviewDueOf(lastReview, plan);
  const referral = ctx
    .stmt<[number, string, string], { at: string; note: string }>('SELECT at, note FROM referral WHERE episode_id = ? AND at > ? AND at <= ? ORDER BY at DESC LIMIT 1')
    .get(episodeId, lastReview?.at ?? '', at);
  const spo2 = ctx
    .stmt<[number, string], { at: string; value: number; on_oxygen: 0 | 1 | null }>(
      `SELECT measured_at AS at, spo2 AS value, on_oxygen FROM round r WHERE r.episode_id = ? AND r.measured_at <= ? AND r.spo2 IS NOT NULL
         AND ${currentRow('round', 'r')} ORDER BY r.measured_at DESC LIMIT ${TREND_POINTS}`,
    )
    .all(episodeId, at)
    .reverse()
    .map((p) => ({ at: p.at, value: p.value, onOxygen: p.on_oxygen === null ? null : p.on_oxygen === 1 }));
  const all = rules.computeFlags({
    now: at,
    ageYears,
    riskFactors: effectiveRiskFactors(ageYears, recorded),
    labs: { lymphocytes: labsFor('lymphocytes'), crp: labsFor('crp'), il6: labsFor('il6'), ferritin: labsFor('ferritin'), ddimer: labsFor('ddimer'), lactate: labsFor('lactate') },
    spo2,
    spo2Scale: ep.spo2_scale,
    imaging: imaging.filter((i) => i.progression_pct !== null).map((i) => ({ at: i.at, progressionPct: i.progression_pct as number })),
    news2,
    proposal,
    confirmedClass: currentClass,
    classAtLastReview: lastReview?.class_at_review ?? null,
    reviewDueAt,
    referral: referral ?? null,
  });
  const snoozed = new Set(
    ctx
      .stmt<[number, string, string], { flag_code: string }>('SELECT DISTINCT flag_code FROM flag_snooze WHERE episode_id = ? AND at <= ? AND until > ?')
      .all(episodeId, at, at)
      .map((s) => s.flag_code),
  );
  const flags = all.filter((f) => !snoozed.has(f.code));
  return { flags, awaitingReview: awaitingReview(flags, lastReview?.at ?? null, reviewDueAt, at) };
}
