import type { Ctx } from '../context';
import {
  CLASS_ORDER,
  compareClass,
  effectiveRiskFactors,
  getRuleSet,
  lastMeasuredAt,
  type ClassInput,
  type ClassProposal,
  type ClinicalClass,
  type News2Result,
  type RiskFactor,
  type RiskFlag,
  type VitalsObservation,
} from '../../../shared/clinical';
import type { LabAnalyte } from '../../../shared/domain/clinical';
import { ageAt } from '../patients/repo';
import type { PatientAge } from '../../../shared/domain/age';
import { settingsOf } from '../settings/settings';
import { currentRow } from './current';

/** Hours until the next observation is due, from the NEWS2 minimum monitoring frequency (RCP 2017). */
export const MONITORING_INTERVAL_MINUTES: Record<News2Result['monitoring'], number> = {
  q12h: 12 * 60,
  q4to6h: 4 * 60,
  hourly: 60,
  continuous: 15,
};

interface EpisodeRow {
  id: number;
  patient_id: number;
  admitted_at: string;
  status: string;
  spo2_scale: 1 | 2;
  birth_date: string | null;
  age_years: number | null;
  age_months: number | null;
  created_at: string;
  risk_factors: string;
  facility_kind: 'designated' | 'fangcang' | 'isolation' | null;
}

export interface RoundRow {
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

export interface ClinicalSnapshot {
  episodeId: number;
  ageYears: number | null;
  /** Completed months when known (birth date, or an age stated in months): the child rules use it. */
  ageMonths: number | null;
  riskFactors: RiskFactor[];
  facilityKind: EpisodeRow['facility_kind'];
  news2: News2Result | null;
  proposal: ClassProposal;
  currentClass: ClinicalClass | null;
  worstClass: ClinicalClass | null;
  currentTier: string | null;
  flags: RiskFlag[];
  lastRoundAt: string | null;
  nextObsDueAt: string | null;
  reviewDueAt: string | null;
  lastReviewAt: string | null;
  lastReviewDecision: string | null;
  urgency: number;
  /** Since when the patient has waited for the panel (waitingSince): the queue's order after urgency. */
  waitingSince: string;
}

export function toObservation(r: RoundRow): VitalsObservation {
  return {
    measuredAt: r.measured_at,
    respRate: r.resp_rate,
    spo2: r.spo2,
    onOxygen: r.on_oxygen === null ? null : r.on_oxygen === 1,
    systolicBp: r.systolic_bp,
    pulse: r.pulse,
    consciousness: r.consciousness,
    temperature: r.temperature,
  };
}

// Constants, not bound parameters: `LIMIT ?` made each of these queries ~20× slower (issue 8's bench).
const NEWS2_WINDOW_ROUNDS = 12;
const TREND_POINTS = 6;
const LATEST_LABS_SQL = `SELECT analyte, at, value FROM (
  SELECT r.analyte, r.collected_at AS at, r.value, row_number() OVER (PARTITION BY r.analyte ORDER BY r.collected_at DESC) AS n
  FROM lab_result r WHERE r.episode_id = ? AND r.value IS NOT NULL AND ${currentRow('lab_result', 'r')}
) WHERE n <= ${TREND_POINTS} ORDER BY analyte, at`;

/**
 * Everything the rules need about one episode, read from the current signed rows, and the rules'
 * answers: NEWS2 now, the class proposal, the severe-risk flags (minus active snoozes), urgency.
 */
export function computeSnapshot(ctx: Ctx, episodeId: number): ClinicalSnapshot {
  const rules = getRuleSet();
  const tz = settingsOf(ctx).timeZone;
  const ep = ctx
    .stmt<[number], EpisodeRow>(
      `SELECT e.id, e.patient_id, e.admitted_at, e.status, e.spo2_scale, p.birth_date, p.age_years, p.age_months, p.created_at, p.risk_factors,
              (SELECT f.kind FROM placement pl JOIN ward w ON w.id = pl.ward_id JOIN facility f ON f.id = w.facility_id
               WHERE pl.episode_id = e.id ORDER BY pl.end_at IS NULL DESC, pl.start_at DESC LIMIT 1) AS facility_kind
       FROM episode e JOIN patient p ON p.id = e.patient_id WHERE e.id = ?`,
    )
    .get(episodeId);
  if (!ep) throw new RangeError(`episode ${episodeId} not found`);
  const age = ageAt(ep, ctx.now, tz);
  const ageYears = age.years;
  const recorded = JSON.parse(ep.risk_factors) as RiskFactor[];
  const riskFactors = effectiveRiskFactors(ageYears, recorded);

  const rounds = ctx
    .stmt<[number, string], RoundRow>(
      `SELECT id, measured_at, resp_rate, spo2, spo2_scale, on_oxygen, systolic_bp, pulse, consciousness, temperature, symptoms, signs
       FROM round r WHERE r.episode_id = ? AND r.measured_at <= ? AND ${currentRow('round', 'r')}
       ORDER BY r.measured_at DESC LIMIT ${NEWS2_WINDOW_ROUNDS}`,
    )
    .all(episodeId, ctx.now);
  const latest = rounds[0];
  const observations = rounds.map(toObservation);
  // No measurement, no score (issue 13): scored at the last round that measured something.
  const scoredAt = lastMeasuredAt(observations, ctx.now);
  const news2 = scoredAt ? rules.news2(observations, { at: scoredAt, spo2Scale: ep.spo2_scale, ageYears, pregnant: recorded.includes('late_pregnancy_perinatal') }) : null;

  // The last TREND_POINTS current values of every numeric analyte in one query (one per analyte was
  // most of the cost of a snapshot: issue 8's bench), oldest first within each analyte.
  const labSeries = new Map<string, { at: string; value: number }[]>();
  for (const l of ctx.stmt<[number], { analyte: string; at: string; value: number }>(LATEST_LABS_SQL).all(episodeId)) {
    let series = labSeries.get(l.analyte);
    if (!series) labSeries.set(l.analyte, (series = []));
    series.push({ at: l.at, value: l.value });
  }
  const labsFor = (analyte: LabAnalyte) => labSeries.get(analyte) ?? [];
  const imaging = ctx
    .stmt<[number], { at: string; pneumonia: 0 | 1; progression_pct: number | null }>(
      `SELECT performed_at AS at, pneumonia, progression_pct FROM imaging r
       WHERE r.episode_id = ? AND ${currentRow('imaging', 'r')} ORDER BY r.performed_at DESC LIMIT ${TREND_POINTS}`,
    )
    .all(episodeId)
    .reverse();
  const proposal = rules.proposeClass(classInputOf(latest, age, imaging, labsFor('pao2_fio2')));

  const classes = ctx
    .stmt<[number], { class: ClinicalClass }>(
      `SELECT class FROM class_assessment r WHERE r.episode_id = ? AND ${currentRow('class_assessment', 'r')} ORDER BY r.assessed_at, r.id`,
    )
    .all(episodeId);
  const currentClass = classes[classes.length - 1]?.class ?? null;
  const worstClass = classes.reduce<ClinicalClass | null>((w, c) => (w === null || compareClass(c.class, w) > 0 ? c.class : w), null);

  const tier = ctx
    .stmt<[number], { tier: string }>(`SELECT tier FROM tier_assignment r WHERE r.episode_id = ? AND ${currentRow('tier_assignment', 'r')} ORDER BY r.at DESC, r.id DESC LIMIT 1`)
    .get(episodeId);
  const lastReview = ctx
    .stmt<[number], { at: string; decision: string; next_review_due: string | null; class_at_review: ClinicalClass | null }>(
      `SELECT at, decision, next_review_due, class_at_review FROM review r WHERE r.episode_id = ? AND ${currentRow('review', 'r')} ORDER BY r.at DESC, r.id DESC LIMIT 1`,
    )
    .get(episodeId);
  const plan = ctx
    .stmt<[number], { next_review_due: string | null; created_at: string }>(
      'SELECT next_review_due, created_at FROM plan_version WHERE episode_id = ? ORDER BY version DESC LIMIT 1',
    )
    .get(episodeId);
  const reviewDueAt = reviewDueOf(lastReview, plan);
  const referral = ctx
    .stmt<[number, string], { at: string; note: string }>(
      `SELECT at, note FROM referral WHERE episode_id = ? AND at > ? ORDER BY at DESC LIMIT 1`,
    )
    .get(episodeId, lastReview?.at ?? '');

  const spo2Series = ctx
    .stmt<[number], { at: string; value: number; on_oxygen: 0 | 1 | null }>(
      `SELECT measured_at AS at, spo2 AS value, on_oxygen FROM round r WHERE r.episode_id = ? AND r.spo2 IS NOT NULL AND ${currentRow('round', 'r')}
       ORDER BY r.measured_at DESC LIMIT ${TREND_POINTS}`,
    )
    .all(episodeId)
    .reverse()
    .map((p) => ({ at: p.at, value: p.value, onOxygen: p.on_oxygen === null ? null : p.on_oxygen === 1 }));

  const allFlags = rules.computeFlags({
    now: ctx.now,
    ageYears,
    riskFactors,
    labs: {
      lymphocytes: labsFor('lymphocytes'),
      crp: labsFor('crp'),
      il6: labsFor('il6'),
      ferritin: labsFor('ferritin'),
      ddimer: labsFor('ddimer'),
      lactate: labsFor('lactate'),
    },
    spo2: spo2Series,
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
      .stmt<[number, string], { flag_code: string }>('SELECT DISTINCT flag_code FROM flag_snooze WHERE episode_id = ? AND until > ?')
      .all(episodeId, ctx.now)
      .map((s) => s.flag_code),
  );
  const flags = allFlags.filter((f) => !snoozed.has(f.code));

  const lastRoundAt = latest?.measured_at ?? null;
  // Observations fall due from the last measurement: a round of symptoms only does not reset the clock.
  const nextObsDueAt =
    scoredAt && news2 ? new Date(Date.parse(scoredAt) + MONITORING_INTERVAL_MINUTES[news2.monitoring] * 60000).toISOString() : ep.admitted_at;

  return {
    episodeId,
    ageYears,
    ageMonths: age.months,
    riskFactors,
    facilityKind: ep.facility_kind,
    news2,
    proposal,
    currentClass,
    worstClass,
    currentTier: tier?.tier ?? null,
    flags,
    lastRoundAt,
    nextObsDueAt,
    reviewDueAt,
    lastReviewAt: lastReview?.at ?? null,
    lastReviewDecision: lastReview?.decision ?? null,
    urgency: urgencyOf(proposal, news2, flags),
    waitingSince: waitingSince(lastReview?.at ?? ep.admitted_at, flags),
  };
}

/**
 * Queue order (issue 5), most urgent first: meets critical (4000) or severe (3000) criteria;
 * NEWS2 band high 300 / medium 200 / low-medium 100; then 10 per active flag; an overdue review
 * adds 5. Ties are broken by the caller (longest waiting first).
 */
export function urgencyOf(proposal: ClassProposal, news2: News2Result | null, flags: readonly RiskFlag[]): number {
  const cls = CLASS_ORDER.indexOf(proposal.proposed);
  const criteria = proposal.proposed === 'critical' ? 4000 : proposal.proposed === 'severe' ? 3000 : 0;
  const band = news2 ? { high: 300, medium: 200, low_medium: 100, low: 0 }[news2.band] : 0;
  const overdue = flags.some((f) => f.code === 'review_overdue') ? 5 : 0;
  return criteria + band + flags.length * 10 + overdue + Math.max(0, cls);
}

/**
 * How long the patient has waited for the panel: since the later of (the last review, or admission
 * when never reviewed) and the start of the earliest active flag. A flag older than the last review
 * was already seen then; a newer one starts the wait. Ties of urgencyOf are broken by it, longest
 * waiting first; migration 9 has the same rule in SQL for states stored without it.
 */
export function waitingSince(base: string, flags: readonly { since: string | null }[]): string {
  let earliest: string | null = null;
  for (const f of flags) if (f.since !== null && (earliest === null || f.since < earliest)) earliest = f.since;
  return earliest !== null && earliest > base ? earliest : base;
}

/** Recomputes and stores the derived state of one episode; call in the transaction of every clinical write. */
export function refreshEpisodeState(ctx: Ctx, episodeId: number): ClinicalSnapshot {
  const s = computeSnapshot(ctx, episodeId);
  ctx
    .stmt(
      `INSERT INTO episode_state (episode_id, computed_at, last_round_at, news2_total, news2_complete, news2_band, news2_monitoring, news2_any_three,
         next_obs_due_at, proposed_class, current_class, worst_class, current_tier, flags, flag_count, urgency, review_due_at, last_review_at, last_review_decision, waiting_since)
       VALUES (@episodeId, @now, @lastRoundAt, @total, @complete, @band, @monitoring, @anyThree, @nextObsDueAt, @proposed, @currentClass, @worstClass,
         @currentTier, @flags, @flagCount, @urgency, @reviewDueAt, @lastReviewAt, @lastReviewDecision, @waitingSince)
       ON CONFLICT (episode_id) DO UPDATE SET computed_at = excluded.computed_at, last_round_at = excluded.last_round_at,
         news2_total = excluded.news2_total, news2_complete = excluded.news2_complete, news2_band = excluded.news2_band,
         news2_monitoring = excluded.news2_monitoring, news2_any_three = excluded.news2_any_three, next_obs_due_at = excluded.next_obs_due_at,
         proposed_class = excluded.proposed_class, current_class = excluded.current_class, worst_class = excluded.worst_class,
         current_tier = excluded.current_tier, flags = excluded.flags, flag_count = excluded.flag_count, urgency = excluded.urgency,
         review_due_at = excluded.review_due_at, last_review_at = excluded.last_review_at, last_review_decision = excluded.last_review_decision,
         waiting_since = excluded.waiting_since`,
    )
    .run({
      episodeId,
      now: ctx.now,
      lastRoundAt: s.lastRoundAt,
      total: s.news2?.total ?? null,
      complete: s.news2 ? (s.news2.complete ? 1 : 0) : null,
      band: s.news2?.band ?? null,
      monitoring: s.news2?.monitoring ?? null,
      anyThree: s.news2 ? (s.news2.anySingleThree ? 1 : 0) : null,
      nextObsDueAt: s.nextObsDueAt,
      proposed: s.proposal.proposed,
      currentClass: s.currentClass,
      worstClass: s.worstClass,
      currentTier: s.currentTier,
      flags: JSON.stringify(s.flags),
      flagCount: s.flags.length,
      urgency: s.urgency,
      reviewDueAt: s.reviewDueAt,
      lastReviewAt: s.lastReviewAt,
      lastReviewDecision: s.lastReviewDecision,
      waitingSince: s.waitingSince,
    });
  return s;
}

/**
 * The class rules' input from the latest round, the recent imaging (oldest first) and the PaO2/FiO2
 * series: the one mapping used by the live state and by the reports' as-of snapshots.
 */
export function classInputOf(
  latest: RoundRow | undefined,
  age: PatientAge,
  imaging: readonly { at: string; pneumonia: 0 | 1; progression_pct: number | null }[],
  pf: readonly { value: number }[],
): ClassInput {
  const lastImaging = imaging[imaging.length - 1];
  const prevImaging = imaging[imaging.length - 2];
  const symptoms = latest?.symptoms ? (JSON.parse(latest.symptoms) as string[]) : [];
  const signs = latest ? (JSON.parse(latest.signs) as string[]) : [];
  return {
    ageYears: age.years,
    // Completed months whenever known: the child tachypnoea bands are < 2, 2–12, 12–60 months (issue 13 item 10).
    ageMonths: age.months,
    // Everyone admitted is a confirmed case; a later negative test does not undo the diagnosis.
    positive: true,
    symptoms,
    pneumoniaOnImaging: lastImaging ? lastImaging.pneumonia === 1 : null,
    respRate: latest?.resp_rate ?? null,
    spo2: latest?.spo2 ?? null,
    onOxygen: latest?.on_oxygen === null || latest === undefined ? null : latest.on_oxygen === 1,
    pao2Fio2: pf[pf.length - 1]?.value ?? null,
    lesionProgressionPct: lastImaging?.progression_pct ?? null,
    lesionProgressionHours: lastImaging && prevImaging ? (Date.parse(lastImaging.at) - Date.parse(prevImaging.at)) / 3600000 : null,
    symptomsWorsening: signs.includes('symptoms_worsening'),
    nasalFlaringOrRetractions: signs.includes('nasal_flaring_retractions'),
    lethargyOrConvulsions: signs.includes('lethargy_convulsions'),
    refusingFeedsWithDehydration: signs.includes('refusing_feeds_dehydration'),
    mechanicalVentilation: signs.includes('mechanical_ventilation'),
    shock: signs.includes('shock'),
    organFailureNeedingIcu: signs.includes('organ_failure_icu'),
  };
}

/** The most recent instruction wins: a plan saved after the last review sets the due date, and vice versa. */
export function reviewDueOf(
  lastReview: { at: string; next_review_due: string | null } | undefined,
  plan: { created_at: string; next_review_due: string | null } | undefined,
): string | null {
  return lastReview && (!plan || lastReview.at >= plan.created_at) ? lastReview.next_review_due : (plan?.next_review_due ?? lastReview?.next_review_due ?? null);
}
