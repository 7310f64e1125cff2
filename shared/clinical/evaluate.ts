import type { LabAnalyte } from '../domain/clinical';
import { patientAge, type AgeRecord, type PatientAge } from '../domain/age';
import { CLASS_ORDER, compareClass, type ClassInput, type ClassProposal, type ClinicalClass } from './classify';
import type { RiskFlag } from './flags';
import type { RuleSet } from './index';
import { lastMeasuredAt, type News2Result, type VitalsObservation } from './news2';
import { effectiveRiskFactors, type RiskFactor } from './risk';
import type { AntiviralProposal, Pregnancy } from './antiviral';
import { ckdEpi2021, roundEgfr } from './egfr';
import { checkInteractions, type MedicationEntry } from './interactions';
import { splitMedicationText } from './medicines';

/**
 * The one episode evaluator (issue 16): everything the rules need about one episode as plain data,
 * and a pure function from that data and an instant to the episode's snapshot. The live state
 * (electron/core/clinical/state.ts), the reports' as-of figures (electron/core/reports/asof.ts), the
 * round preview (electron/core/rounds/preview.ts) and the import's fast path all call `evaluateEpisode`;
 * only how the data is loaded differs (electron/core/clinical/load.ts).
 */

/** Rounds the NEWS2 window reads (newest first); the rules look back 30 minutes within them. */
export const NEWS2_WINDOW_ROUNDS = 12;
/** Points of each trend (SpO2, labs, imaging) the flag rules read. */
export const TREND_POINTS = 6;

/** Hours until the next observation is due, from the NEWS2 minimum monitoring frequency (RCP 2017). */
export const MONITORING_INTERVAL_MINUTES: Record<News2Result['monitoring'], number> = {
  q12h: 12 * 60,
  q4to6h: 4 * 60,
  hourly: 60,
  continuous: 15,
};

export type FacilityKind = 'designated' | 'fangcang' | 'isolation';

/** One current round as the rules read it. */
export interface EpisodeRound {
  id: number;
  measuredAt: string;
  respRate: number | null;
  spo2: number | null;
  onOxygen: boolean | null;
  systolicBp: number | null;
  pulse: number | null;
  consciousness: VitalsObservation['consciousness'];
  temperature: number | null;
  symptoms: readonly string[];
  signs: readonly string[];
}

export interface SeriesPoint {
  at: string;
  value: number;
}

export interface Spo2Point extends SeriesPoint {
  /** The round it was measured in (a preview's amendment replaces it). */
  roundId: number;
  onOxygen: boolean | null;
}

export interface ImagingPoint {
  at: string;
  pneumonia: boolean;
  progressionPct: number | null;
}

/** One episode's signed records, as loaded at an instant: only current rows, only those in force then. */
export interface EpisodeData {
  episodeId: number;
  admittedAt: string;
  spo2Scale: 1 | 2;
  /** The patient's age as recorded (birth date, or a stated age in years or months and when it was stated). */
  age: AgeRecord;
  /** The risk factors recorded on the patient (the age one is added by the rules). */
  riskFactors: readonly RiskFactor[];
  facilityKind: FacilityKind | null;
  /** The current rounds measured up to the instant, newest first (at least the NEWS2 window). */
  rounds: readonly EpisodeRound[];
  /** The current SpO2 measurements, newest first (at least TREND_POINTS). */
  spo2: readonly Spo2Point[];
  /** The last TREND_POINTS current numeric values of each analyte, oldest first. */
  labs: Partial<Record<LabAnalyte, readonly SeriesPoint[]>>;
  /** The last TREND_POINTS current imaging reports, oldest first. */
  imaging: readonly ImagingPoint[];
  /** Every current class assessment, oldest first. */
  classes: readonly ClinicalClass[];
  currentTier: string | null;
  lastReview: { at: string; decision: string | null; nextReviewDue: string | null; classAtReview: ClinicalClass | null } | null;
  /** The latest care plan version. */
  plan: { createdAt: string; nextReviewDue: string | null } | null;
  /** The latest referral to the panel since the last review. */
  referral: { at: string; note: string } | null;
  /** Flag snoozes (those ending after the instant, as loaded). */
  snoozes: readonly { flagCode: string; until: string }[];
  /** What the antiviral rules read (issue 19); absent for data loaded without it (an import's fast path). */
  antiviral?: AntiviralData;
}

/** The antiviral profile as last saved (antiviral_profile), in the rules' terms. */
export interface AntiviralProfileData {
  onsetDate: string | null;
  weightKg: number | null;
  pregnancy: Pregnancy | null;
  severeLiverImpairment: boolean | null;
  creatinine: { valueUmolL: number; collectedAt: string } | null;
  egfrManual: number | null;
  /** When the profile version was saved (the instant a manual eGFR is dated). */
  savedAt: string;
}

export interface AntiviralData {
  sex: 'M' | 'F';
  profile: AntiviralProfileData | null;
  /** The patient's chronic medicine list as last saved; null before the first. */
  medicationList: readonly MedicationEntry[] | null;
  /** The free text recorded at admission (patient.chronic_medications). */
  legacyMedications: string | null;
  /** A course is in the plan, or a start was recorded. */
  started: boolean;
  /** A decision (start or not) was recorded in this episode: a clinician has looked. */
  decided: boolean;
}

/**
 * The medicines the interaction check reads: the list as last saved, else the free text recorded at
 * admission, split and matched to the lexicon (its clashes show before anyone converts it to a list).
 */
export function medicationsOf(data: AntiviralData): MedicationEntry[] {
  if (data.medicationList) return [...data.medicationList];
  return data.legacyMedications ? splitMedicationText(data.legacyMedications).map((e) => ({ code: e.medicine?.code ?? null, text: e.text })) : [];
}

/** The eGFR the rules use: the clinician's, else CKD-EPI 2021 from the latest creatinine (adults' equation; age at the instant). */
export function egfrOf(profile: AntiviralProfileData | null, sex: 'M' | 'F', ageYears: number | null): { value: number; source: 'creatinine' | 'manual'; at: string } | null {
  if (!profile) return null;
  if (profile.egfrManual !== null) return { value: profile.egfrManual, source: 'manual', at: profile.savedAt };
  if (profile.creatinine === null || ageYears === null) return null;
  return { value: roundEgfr(ckdEpi2021({ creatinineUmolL: profile.creatinine.valueUmolL, ageYears, sex })), source: 'creatinine', at: profile.creatinine.collectedAt };
}

export interface ClinicalSnapshot {
  episodeId: number;
  ageYears: number | null;
  /** Completed months when known (birth date, or an age stated in months): the child rules use it. */
  ageMonths: number | null;
  riskFactors: RiskFactor[];
  facilityKind: FacilityKind | null;
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
  /** The antiviral proposal at the instant (issue 19); null when the data had no antiviral part. */
  antiviral: AntiviralProposal | null;
  /** While the antiviral_eligible flag stands: when its window closes (the state goes stale then). */
  antiviralWindowEndsAt: string | null;
}

export interface EvaluateOptions {
  /** The instant evaluated: now for the live state, the report's instant for an as-of figure. */
  now: string;
  /** The hospital's time zone (ages in completed months turn on local dates). */
  timeZone: string;
  rules: RuleSet;
}

/** An episode with no records yet beyond its admission: what an import writes the state of. */
export function emptyEpisode(episodeId: number, admittedAt: string, age: AgeRecord, riskFactors: readonly RiskFactor[] = []): EpisodeData {
  return {
    episodeId,
    admittedAt,
    spo2Scale: 1,
    age,
    riskFactors,
    facilityKind: null,
    rounds: [],
    spo2: [],
    labs: {},
    imaging: [],
    classes: [],
    currentTier: null,
    lastReview: null,
    plan: null,
    referral: null,
    snoozes: [],
  };
}

export function observationOfRound(r: EpisodeRound): VitalsObservation {
  return {
    measuredAt: r.measuredAt,
    respRate: r.respRate,
    spo2: r.spo2,
    onOxygen: r.onOxygen,
    systolicBp: r.systolicBp,
    pulse: r.pulse,
    consciousness: r.consciousness,
    temperature: r.temperature,
  };
}

/**
 * The rules' answers for one episode at `now`: NEWS2 (scored at the last round that measured
 * something), the class proposal, the current and worst confirmed class, the severe-risk flags minus
 * active snoozes, when observations and the review fall due, the queue's urgency and waiting time.
 * Pure: the same data and options give the same snapshot, with no database and no clock.
 */
export function evaluateEpisode(data: EpisodeData, { now, timeZone, rules }: EvaluateOptions): ClinicalSnapshot {
  const age = patientAge(data.age, now, timeZone);
  const ageYears = age.years;
  const riskFactors = effectiveRiskFactors(ageYears, data.riskFactors);
  const rounds = data.rounds.slice(0, NEWS2_WINDOW_ROUNDS);
  const latest = rounds[0];
  const observations = rounds.map(observationOfRound);
  // No measurement, no score (issue 13): scored at the last round that measured something.
  const scoredAt = lastMeasuredAt(observations, now);
  const news2 = scoredAt ? rules.news2(observations, { at: scoredAt, spo2Scale: data.spo2Scale, ageYears, pregnant: data.riskFactors.includes('late_pregnancy_perinatal') }) : null;
  const labsFor = (analyte: LabAnalyte): SeriesPoint[] => [...(data.labs[analyte] ?? [])];
  const proposal = rules.proposeClass(classInputOf(latest, age, data.imaging, labsFor('pao2_fio2')));

  const currentClass = data.classes[data.classes.length - 1] ?? null;
  const worstClass = data.classes.reduce<ClinicalClass | null>((w, c) => (w === null || compareClass(c, w) > 0 ? c : w), null);
  const lastReview = data.lastReview;
  const reviewDueAt = reviewDueOf(lastReview, data.plan);
  const antiviral = data.antiviral ? antiviralProposalOf(data.antiviral, currentClass ?? proposal.proposed, ageYears, riskFactors, now, timeZone, rules) : null;
  const allFlags = rules.computeFlags({
    now,
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
    spo2: data.spo2
      .slice(0, TREND_POINTS)
      .reverse()
      .map((p) => ({ at: p.at, value: p.value, onOxygen: p.onOxygen })),
    spo2Scale: data.spo2Scale,
    imaging: data.imaging.flatMap((i) => (i.progressionPct === null ? [] : [{ at: i.at, progressionPct: i.progressionPct }])),
    news2,
    proposal,
    confirmedClass: currentClass,
    classAtLastReview: lastReview?.classAtReview ?? null,
    reviewDueAt,
    referral: data.referral,
    antiviral:
      data.antiviral && antiviral
        ? {
            proposal: antiviral,
            started: data.antiviral.started,
            decided: data.antiviral.decided,
            // Only read when the flag is raised: matching free text costs ~0.1 ms, too much for every evaluation of a report.
            clashes: () => checkInteractions(medicationsOf(data.antiviral!)).clashes,
            medicationsFrom: data.antiviral.medicationList ? 'list' : data.antiviral.legacyMedications ? 'free_text' : 'none',
          }
        : null,
  });
  const snoozed = new Set(data.snoozes.filter((s) => s.until > now).map((s) => s.flagCode));
  const flags = allFlags.filter((f) => !snoozed.has(f.code));

  // Observations fall due from the last measurement: a round of symptoms only does not reset the clock.
  const nextObsDueAt = scoredAt && news2 ? new Date(Date.parse(scoredAt) + MONITORING_INTERVAL_MINUTES[news2.monitoring] * 60000).toISOString() : data.admittedAt;

  return {
    episodeId: data.episodeId,
    ageYears,
    ageMonths: age.months,
    riskFactors,
    facilityKind: data.facilityKind,
    news2,
    proposal,
    currentClass,
    worstClass,
    currentTier: data.currentTier,
    flags,
    lastRoundAt: latest?.measuredAt ?? null,
    nextObsDueAt,
    reviewDueAt,
    lastReviewAt: lastReview?.at ?? null,
    lastReviewDecision: lastReview?.decision ?? null,
    urgency: urgencyOf(proposal, news2, flags),
    waitingSince: waitingSince(lastReview?.at ?? data.admittedAt, flags),
    antiviral,
    antiviralWindowEndsAt: flags.some((f) => f.code === 'antiviral_eligible') ? (antiviral?.windowEndsAt ?? null) : null,
  };
}

/** The antiviral rules (shared/clinical/antiviral.ts) on an episode's data: the class is the confirmed one, else the proposal. */
export function antiviralProposalOf(
  data: AntiviralData,
  clinicalClass: ClinicalClass | null,
  ageYears: number | null,
  riskFactors: readonly RiskFactor[],
  now: string,
  timeZone: string,
  rules: RuleSet,
): AntiviralProposal {
  const p = data.profile;
  return rules.proposeAntivirals({
    now,
    timeZone,
    onsetDate: p?.onsetDate ?? null,
    clinicalClass,
    ageYears,
    weightKg: p?.weightKg ?? null,
    riskFactors,
    pregnancy: p?.pregnancy ?? null,
    egfr: egfrOf(p, data.sex, ageYears),
    severeLiverImpairment: p?.severeLiverImpairment ?? null,
  });
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

/** The most recent instruction wins: a plan saved after the last review sets the due date, and vice versa. */
export function reviewDueOf(lastReview: { at: string; nextReviewDue: string | null } | null, plan: { createdAt: string; nextReviewDue: string | null } | null): string | null {
  return lastReview && (!plan || lastReview.at >= plan.createdAt) ? lastReview.nextReviewDue : (plan?.nextReviewDue ?? lastReview?.nextReviewDue ?? null);
}

/**
 * The class rules' input from the latest round, the recent imaging (oldest first) and the PaO2/FiO2
 * series (oldest first).
 */
export function classInputOf(latest: EpisodeRound | undefined, age: PatientAge, imaging: readonly ImagingPoint[], pf: readonly { value: number }[]): ClassInput {
  const lastImaging = imaging[imaging.length - 1];
  const prevImaging = imaging[imaging.length - 2];
  const symptoms = latest ? [...latest.symptoms] : [];
  const signs = latest?.signs ?? [];
  return {
    ageYears: age.years,
    // Completed months whenever known: the child tachypnoea bands are < 2, 2–12, 12–60 months (issue 13 item 10).
    ageMonths: age.months,
    // Everyone admitted is a confirmed case; a later negative test does not undo the diagnosis.
    positive: true,
    symptoms,
    pneumoniaOnImaging: lastImaging ? lastImaging.pneumonia : null,
    respRate: latest?.respRate ?? null,
    spo2: latest?.spo2 ?? null,
    onOxygen: latest?.onOxygen ?? null,
    pao2Fio2: pf[pf.length - 1]?.value ?? null,
    lesionProgressionPct: lastImaging?.progressionPct ?? null,
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

/**
 * The episode's data with a round not yet saved (the preview): it counts as current, newest at its
 * measured-at, and, when it amends `replaces`, that round no longer does.
 */
export function withRound(data: EpisodeData, round: EpisodeRound, replaces: number | null): EpisodeData {
  const rounds = insertNewest(
    data.rounds.filter((r) => r.id !== replaces),
    round,
    (r) => r.measuredAt,
  ).slice(0, NEWS2_WINDOW_ROUNDS);
  const others = data.spo2.filter((p) => p.roundId !== replaces);
  const spo2 = (round.spo2 === null ? others : insertNewest(others, { roundId: round.id, at: round.measuredAt, value: round.spo2, onOxygen: round.onOxygen }, (p) => p.at)).slice(
    0,
    TREND_POINTS,
  );
  return { ...data, rounds, spo2 };
}

/** Inserts `item` into a newest-first list, before the items of the same instant (a new row sorts first among equals). */
function insertNewest<T>(list: readonly T[], item: T, at: (t: T) => string): T[] {
  const i = list.findIndex((x) => at(x) <= at(item));
  return i < 0 ? [...list, item] : [...list.slice(0, i), item, ...list.slice(i)];
}
