// Release from isolation and hospital discharge, China protocol trial v9, §12:
// (一) 解除隔离管理标准 (release from isolation management — mild cases and asymptomatic infections
//     in fangcang and isolation points): two consecutive nucleic-acid tests with N and ORF1ab Ct both
//     ≥ 35 (quantitative PCR, cut-off 40) or both negative (cut-off below 35), samples ≥ 24 h apart.
// (二) 出院标准 (hospital discharge): 1 temperature normal for more than 3 days; 2 respiratory symptoms
//     clearly improved; 3 imaging shows acute exudative lesions clearly improved; 4 the same
//     nucleic-acid criterion.
// (三) after release or discharge: 7 days of home health monitoring.
// The check reports every criterion as met / not met / unknown with its evidence; the clinician and
// administrator decide (an unmet criterion can be overridden only with a recorded reason).

import { CN_V9, type RuleSetId } from './ids';
import { PCR_CT_CUTOFF } from './limits';
import type { FacilityKind } from './tiers';
import { HOUR_MS, finiteOrNull, requireMs, roundTo, toMs } from './time';
import { chronological } from './trends';

/** §12: N and ORF1ab Ct ≥ 35, on a quantitative PCR whose cut-off is PCR_CT_CUTOFF (40). */
export const RELEASE_CT_MIN = 35;
/** §12: 采样时间至少间隔24小时. */
export const RELEASE_MIN_TEST_INTERVAL_HOURS = 24;
/** §12 (三): 7天居家健康监测. */
export const HOME_MONITORING_DAYS = 7;

export interface ReleaseConfig {
  /**
   * Fever threshold, °C: a reading at or above it is not normal. The treatment protocol gives no
   * number; 37.3 °C (axillary) is the fever threshold of China's COVID-19 prevention and control
   * protocols (发热: 体温≥37.3℃) and of fever-clinic screening.
   */
  feverThresholdC: number;
  /** §12 (二) 1 体温恢复正常3天以上: normal for strictly more than this many hours. */
  normalTemperatureHours: number;
  /** Readings must cover the period: no gap between readings (or since the last one) longer than this. */
  maxTemperatureGapHours: number;
}

export const DEFAULT_RELEASE_CONFIG: ReleaseConfig = {
  feverThresholdC: 37.3,
  normalTemperatureHours: 72,
  maxTemperatureGapHours: 24,
};

export interface NucleicAcidTest {
  collectedAt: string;
  nCt?: number | null;
  orf1abCt?: number | null;
  qualitative?: 'positive' | 'negative' | null;
}

export interface ReleaseInput {
  now: string;
  facilityKind: FacilityKind;
  nucleicAcidTests: readonly NucleicAcidTest[];
  temperatures: readonly { at: string; value: number }[];
  respiratorySymptomsImproved: boolean | null;
  imagingImproved: boolean | null;
}

export const RELEASE_CRITERION_CODES = ['temperature_normal', 'respiratory_symptoms_improved', 'imaging_improved', 'nucleic_acid'] as const;

export type ReleaseCriterionCode = (typeof RELEASE_CRITERION_CODES)[number];

/** Values of `evidence.reason` on the nucleic-acid and temperature criteria. */
export const RELEASE_REASONS = [
  'fewer_than_two_tests',
  'latest_not_qualifying',
  'latest_pending',
  'previous_not_qualifying',
  'previous_pending',
  'interval_under_24h',
  'two_qualifying_tests_24h_apart',
  'no_readings',
  'fever',
  'normal_too_short',
  'readings_too_short',
  'readings_gap',
  'normal_over_72h',
] as const;

export type ReleaseReason = (typeof RELEASE_REASONS)[number];

export type CriterionStatus = 'met' | 'not_met' | 'unknown';

export interface ReleaseCriterion {
  code: ReleaseCriterionCode;
  status: CriterionStatus;
  evidence: Record<string, number | string | boolean | null>;
}

export interface ReleaseCheck {
  ruleSet: RuleSetId;
  /** Hospital discharge (designated hospital) or release from isolation management (fangcang, isolation point). */
  kind: 'discharge' | 'release_from_isolation';
  eligible: boolean;
  criteria: ReleaseCriterion[];
  followUp: { homeMonitoringDays: typeof HOME_MONITORING_DAYS };
}

export type TestVerdict = 'qualifies' | 'not_qualifying' | 'unknown';
export const TEST_VERDICT_REASONS = ['ct_at_least_35', 'negative', 'ct_below_35', 'positive', 'ct_incomplete', 'no_result'] as const;
export type TestVerdictReason = (typeof TEST_VERDICT_REASONS)[number];

/**
 * One test against §12. Ct values, when present, decide: both genes ≥ 35 qualifies, either < 35 does
 * not (even if the lab also wrote "negative"). Without both Ct values a qualitative negative qualifies
 * and a positive does not. A lone Ct ≥ 35 without the other gene or a qualitative result is unknown.
 * A negative on a cut-off-40 assay means no Ct below 40, so a pair mixing "Ct ≥ 35" and "negative"
 * qualifies: each test on its own meets the protocol's intent (no Ct below 35).
 */
export function assessTest(test: NucleicAcidTest): { verdict: TestVerdict; reason: TestVerdictReason } {
  const n = finiteOrNull(test.nCt);
  const orf = finiteOrNull(test.orf1abCt);
  if (n !== null && orf !== null) {
    return n >= RELEASE_CT_MIN && orf >= RELEASE_CT_MIN ? { verdict: 'qualifies', reason: 'ct_at_least_35' } : { verdict: 'not_qualifying', reason: 'ct_below_35' };
  }
  if ((n !== null && n < RELEASE_CT_MIN) || (orf !== null && orf < RELEASE_CT_MIN)) {
    return { verdict: 'not_qualifying', reason: 'ct_below_35' };
  }
  if (test.qualitative === 'negative') return { verdict: 'qualifies', reason: 'negative' };
  if (test.qualitative === 'positive') return { verdict: 'not_qualifying', reason: 'positive' };
  if (n !== null || orf !== null) return { verdict: 'unknown', reason: 'ct_incomplete' };
  return { verdict: 'unknown', reason: 'no_result' };
}

interface DatedTest {
  test: NucleicAcidTest;
  ms: number;
  verdict: TestVerdict;
  reason: TestVerdictReason;
}

function testEvidence(prefix: string, t: DatedTest | undefined): ReleaseCriterion['evidence'] {
  return {
    [`${prefix}CollectedAt`]: t?.test.collectedAt ?? null,
    [`${prefix}NCt`]: finiteOrNull(t?.test.nCt),
    [`${prefix}Orf1abCt`]: finiteOrNull(t?.test.orf1abCt),
    [`${prefix}Qualitative`]: t?.test.qualitative ?? null,
    [`${prefix}Verdict`]: t?.reason ?? null,
  };
}

/**
 * The nucleic-acid criterion. The latest test must qualify, and so must the test before it; the
 * 24-hour spacing is measured from the latest test back to the most recent qualifying test of the
 * unbroken run of qualifying tests ending at the latest. So a positive (or Ct < 35) latest test
 * after good ones is not met, and an extra qualifying test taken a few hours after a qualifying
 * one does not undo a valid 24-hour pair. A latest or preceding test still without a result makes
 * the criterion unknown: the pending result could be positive.
 */
export function nucleicAcidCriterion(tests: readonly NucleicAcidTest[], nowMs: number): ReleaseCriterion {
  const dated: DatedTest[] = [];
  tests.forEach((test) => {
    const ms = toMs(test.collectedAt);
    if (ms !== null && ms <= nowMs) dated.push({ test, ms, ...assessTest(test) });
  });
  dated.sort((a, b) => a.ms - b.ms);
  const base = { ctMin: RELEASE_CT_MIN, ctCutoff: PCR_CT_CUTOFF, minIntervalHours: RELEASE_MIN_TEST_INTERVAL_HOURS, testCount: dated.length };
  const latest = dated[dated.length - 1];
  const previous = dated[dated.length - 2];
  const result = (status: CriterionStatus, reason: ReleaseReason, paired: DatedTest | undefined): ReleaseCriterion => ({
    code: 'nucleic_acid',
    status,
    evidence: {
      ...base,
      reason,
      ...testEvidence('latest', latest),
      ...testEvidence('paired', paired),
      intervalHours: latest && paired ? roundTo((latest.ms - paired.ms) / HOUR_MS, 2) : null,
    },
  });

  if (!latest || !previous) return result('not_met', 'fewer_than_two_tests', previous);
  if (latest.verdict === 'not_qualifying') return result('not_met', 'latest_not_qualifying', previous);
  if (latest.verdict === 'unknown') return result('unknown', 'latest_pending', previous);
  if (previous.verdict === 'not_qualifying') return result('not_met', 'previous_not_qualifying', previous);
  if (previous.verdict === 'unknown') return result('unknown', 'previous_pending', previous);

  const minGapMs = RELEASE_MIN_TEST_INTERVAL_HOURS * HOUR_MS;
  for (let i = dated.length - 2; i >= 0; i -= 1) {
    const t = dated[i];
    if (!t || t.verdict !== 'qualifies') break;
    if (latest.ms - t.ms >= minGapMs) return result('met', 'two_qualifying_tests_24h_apart', t);
  }
  return result('not_met', 'interval_under_24h', previous);
}

/** §12 (二) 1 体温恢复正常3天以上, read as: no reading at or above the fever threshold for > 72 h,
 * with readings covering the period (no gap over maxTemperatureGapHours). */
export function temperatureCriterion(readings: readonly { at: string; value: number }[], nowMs: number, config: ReleaseConfig): ReleaseCriterion {
  const points = chronological(readings, nowMs);
  const base = { thresholdC: config.feverThresholdC, requiredHours: config.normalTemperatureHours, readingCount: points.length };
  const criterion = (status: CriterionStatus, evidence: ReleaseCriterion['evidence']): ReleaseCriterion => ({
    code: 'temperature_normal',
    status,
    evidence: { ...base, ...evidence },
  });
  const latest = points[points.length - 1];
  if (!latest) return criterion('unknown', { reason: 'no_readings' });

  let lastFeverIndex = -1;
  points.forEach((p, i) => {
    if (p.value >= config.feverThresholdC) lastFeverIndex = i;
  });
  const lastFever = points[lastFeverIndex];
  const fever = lastFever ? { lastFeverAt: lastFever.at, lastFeverC: lastFever.value } : { lastFeverAt: null, lastFeverC: null };
  const normalSince = points[lastFeverIndex + 1];
  if (!normalSince) return criterion('not_met', { reason: 'fever', ...fever, latestC: latest.value });

  const normalSinceMs = toMs(normalSince.at) ?? nowMs;
  const normalHours = roundTo((nowMs - normalSinceMs) / HOUR_MS, 2);
  const normal = { ...fever, normalSinceAt: normalSince.at, normalHours };
  if (!(nowMs - normalSinceMs > config.normalTemperatureHours * HOUR_MS)) {
    // With an earlier fever the normal period is known to be too short; without one the readings
    // simply do not reach back far enough to say.
    return criterion(lastFever ? 'not_met' : 'unknown', { reason: lastFever ? 'normal_too_short' : 'readings_too_short', ...normal });
  }

  // Coverage of the required period: the last reading at or before its start, every reading inside
  // it, and `now` itself must be no more than maxTemperatureGapHours apart.
  const startMs = nowMs - config.normalTemperatureHours * HOUR_MS;
  const times = points.slice(lastFeverIndex + 1).map((p) => toMs(p.at) ?? nowMs);
  const anchorIndex = times.reduce((found, ms, i) => (ms <= startMs ? i : found), 0);
  const covered = [...times.slice(anchorIndex), nowMs];
  let maxGapMs = 0;
  for (let i = 1; i < covered.length; i += 1) maxGapMs = Math.max(maxGapMs, (covered[i] ?? 0) - (covered[i - 1] ?? 0));
  const maxGapHours = roundTo(maxGapMs / HOUR_MS, 2);
  if (maxGapMs > config.maxTemperatureGapHours * HOUR_MS) {
    return criterion('unknown', { reason: 'readings_gap', ...normal, maxGapHours, allowedGapHours: config.maxTemperatureGapHours });
  }
  return criterion('met', { reason: 'normal_over_72h', ...normal, maxGapHours, latestC: latest.value });
}

function judgement(code: ReleaseCriterionCode, value: boolean | null): ReleaseCriterion {
  return { code, status: value === null ? 'unknown' : value ? 'met' : 'not_met', evidence: { value } };
}

/**
 * Designated hospital: the four discharge criteria of §12 (二). Fangcang and isolation points: the
 * release-from-isolation criterion of §12 (一), the nucleic-acid tests only — that section sets no
 * temperature, symptom or imaging condition for the mild and asymptomatic patients managed there.
 */
export function checkRelease(input: ReleaseInput, config: ReleaseConfig = DEFAULT_RELEASE_CONFIG): ReleaseCheck {
  const nowMs = requireMs(input.now, 'now');
  const criteria: ReleaseCriterion[] = [nucleicAcidCriterion(input.nucleicAcidTests, nowMs)];
  const hospital = input.facilityKind === 'designated';
  if (hospital) {
    criteria.unshift(
      temperatureCriterion(input.temperatures, nowMs, config),
      judgement('respiratory_symptoms_improved', input.respiratorySymptomsImproved),
      judgement('imaging_improved', input.imagingImproved),
    );
  }
  return {
    ruleSet: CN_V9,
    kind: hospital ? 'discharge' : 'release_from_isolation',
    eligible: criteria.every((c) => c.status === 'met'),
    criteria,
    followUp: { homeMonitoringDays: HOME_MONITORING_DAYS },
  };
}
