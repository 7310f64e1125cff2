// Severe-risk flags: the reasons a patient appears in the expert panel's queue (DESIGN.md §4).
// High-risk groups: China protocol trial v9 §7 (risk.ts). Early-warning signs: §8 (trends.ts, where
// the numeric definitions the protocol does not give are chosen and documented). NEWS2 thresholds:
// RCP NEWS2 2017 Chart 2. Each flag carries the values it was raised on.

import { compareClass, type ClassProposal, type ClinicalClass } from './classify';
import type { News2Result } from './news2';
import { effectiveRiskFactors, type RiskFactor } from './risk';
import { HOUR_MS, finiteOrNull, requireMs, roundTo, toMs } from './time';
import { chronological, detectTrend, formatValues, type SeriesPoint, type TrendConfig, type TrendRule } from './trends';
import { anyEligibleInWindow, type AntiviralProposal } from './antiviral';
import type { Clash } from './interactions';

export { RISK_FACTORS, effectiveRiskFactors, isRiskFactor } from './risk';
export type { RiskFactor } from './risk';
export { DEFAULT_TREND_CONFIG } from './trends';
export type { SeriesPoint, TrendConfig, TrendRule } from './trends';

export const FLAG_CODES = [
  'risk_factors',
  'hypoxaemia_worsening',
  'lactate_rising',
  'lymphocytes_falling',
  'il6_rising',
  'crp_rising',
  'ferritin_rising',
  'ddimer_raised',
  'imaging_progression',
  'news2_high',
  'meets_severe_criteria',
  'class_worse_than_last_review',
  'review_overdue',
  'doctor_referral',
  'antiviral_eligible',
] as const;

export type FlagCode = (typeof FLAG_CODES)[number];

/** Values in `evidence.reasons` of hypoxaemia_worsening (comma-separated). */
export const HYPOXAEMIA_REASONS = ['falling', 'low_on_air', 'new_oxygen'] as const;
/** Values of `evidence.reason` of news2_high. */
export const NEWS2_FLAG_REASONS = ['total', 'single_three', 'total_and_single_three'] as const;

export type FlagEvidence = Record<string, number | string | boolean | null>;

export interface RiskFlag {
  code: FlagCode;
  evidence: FlagEvidence;
  /** When the condition began, as far as the data shows; null when it has no meaningful start. */
  since: string | null;
}

export type LabAnalyte = 'lymphocytes' | 'crp' | 'il6' | 'ferritin' | 'ddimer' | 'lactate';

export interface Spo2Point extends SeriesPoint {
  onOxygen?: boolean | null;
}

export interface ImagingPoint {
  at: string;
  /** Change in lesion extent vs the previous image, %; negative = regression. */
  progressionPct: number;
}

export interface FlagInput {
  now: string;
  ageYears?: number | null;
  riskFactors: readonly RiskFactor[];
  /** Results per analyte (lymphocytes ×10⁹/L, CRP mg/L, IL-6 pg/mL, ferritin ng/mL, D-dimer mg/L FEU, lactate mmol/L). */
  labs?: Partial<Record<LabAnalyte, readonly SeriesPoint[]>>;
  spo2?: readonly Spo2Point[];
  /** SpO2 scale set for the patient (NEWS2); on scale 2 a low on-air SpO2 is the target, not a flag. */
  spo2Scale?: 1 | 2 | null;
  imaging?: readonly ImagingPoint[];
  news2?: News2Result | null;
  proposal?: ClassProposal | null;
  confirmedClass?: ClinicalClass | null;
  classAtLastReview?: ClinicalClass | null;
  reviewDueAt?: string | null;
  referral?: { at: string; note?: string | null } | null;
  /** The antiviral proposal (issue 19), whether a course or a decision is on record, and the medicines' clashes. */
  antiviral?: {
    proposal: AntiviralProposal;
    started: boolean;
    decided: boolean;
    /** The clashes of the patient's medicines, computed only when the flag is raised. */
    clashes: () => readonly Pick<Clash, 'severity'>[];
    medicationsFrom: 'list' | 'free_text' | 'none';
  } | null;
}

const LAB_TRENDS: readonly {
  code: FlagCode;
  analyte: LabAnalyte;
  direction: 'rising' | 'falling';
  rule: (c: TrendConfig) => TrendRule;
}[] = [
  { code: 'lactate_rising', analyte: 'lactate', direction: 'rising', rule: (c) => c.lactateRising },
  { code: 'lymphocytes_falling', analyte: 'lymphocytes', direction: 'falling', rule: (c) => c.lymphocytesFalling },
  { code: 'il6_rising', analyte: 'il6', direction: 'rising', rule: (c) => c.il6Rising },
  { code: 'crp_rising', analyte: 'crp', direction: 'rising', rule: (c) => c.crpRising },
  { code: 'ferritin_rising', analyte: 'ferritin', direction: 'rising', rule: (c) => c.ferritinRising },
];

function labTrendFlag(points: SeriesPoint[], entry: (typeof LAB_TRENDS)[number], config: TrendConfig): RiskFlag | null {
  const rule = entry.rule(config);
  const run = detectTrend(points, entry.direction, rule);
  const first = run?.[0];
  const last = run?.[run.length - 1];
  if (!run || !first || !last) return null;
  return {
    code: entry.code,
    since: first.at,
    evidence: {
      analyte: entry.analyte,
      values: formatValues(run.map((p) => p.value)),
      first: first.value,
      latest: last.value,
      latestAt: last.at,
      changes: run.length - 1,
      minChangePct: roundTo(rule.minRelativeChange * 100, 2),
    },
  };
}

function ddimerFlag(points: SeriesPoint[], config: TrendConfig): RiskFlag | null {
  const { upperLimitOfNormal: uln, multipleOfUln: multiple } = config.ddimer;
  const threshold = uln * multiple;
  const latest = points[points.length - 1];
  if (!latest || !(latest.value > threshold)) return null;
  let since = latest.at;
  for (let i = points.length - 1; i >= 0; i -= 1) {
    const p = points[i];
    if (!p || !(p.value > threshold)) break;
    since = p.at;
  }
  return {
    code: 'ddimer_raised',
    since,
    evidence: { latest: latest.value, latestAt: latest.at, uln, multiple, threshold: roundTo(threshold, 3) },
  };
}

function hypoxaemiaFlag(input: FlagInput, nowMs: number, config: TrendConfig): RiskFlag | null {
  const cfg = config.hypoxaemia;
  const readings = chronological(input.spo2, nowMs).filter((p) => typeof p.onOxygen === 'boolean');
  const onAir = readings.filter((p) => p.onOxygen === false);
  const reasons: (typeof HYPOXAEMIA_REASONS)[number][] = [];
  const starts: string[] = [];
  const evidence: FlagEvidence = {};

  const falling = detectTrend(onAir, 'falling', { consecutiveChanges: cfg.consecutiveDrops, minRelativeChange: 0 });
  const fallFirst = falling?.[0];
  const fallLast = falling?.[falling.length - 1];
  if (falling && fallFirst && fallLast && fallFirst.value - fallLast.value >= cfg.minTotalDropPoints) {
    reasons.push('falling');
    starts.push(fallFirst.at);
    evidence.values = formatValues(falling.map((p) => p.value));
    evidence.dropPoints = roundTo(fallFirst.value - fallLast.value, 1);
  }

  const latestAir = onAir[onAir.length - 1];
  const lowMax = input.spo2Scale === 2 ? null : cfg.lowOnAirMax;
  if (latestAir && lowMax !== null && latestAir.value <= lowMax) {
    reasons.push('low_on_air');
    let start = latestAir.at;
    for (let i = onAir.length - 1; i >= 0; i -= 1) {
      const p = onAir[i];
      if (!p || p.value > lowMax) break;
      start = p.at;
    }
    starts.push(start);
    evidence.lowOnAirMax = lowMax;
  }

  const latest = readings[readings.length - 1];
  if (cfg.newOxygenRequirement && latest?.onOxygen === true && latestAir) {
    // Oxygen since the first reading on oxygen after the last one on air.
    let start = latest.at;
    for (let i = readings.length - 1; i >= 0; i -= 1) {
      const p = readings[i];
      if (!p || p.onOxygen !== true) break;
      start = p.at;
    }
    reasons.push('new_oxygen');
    starts.push(start);
  }

  if (reasons.length === 0 || !latest) return null;
  evidence.reasons = reasons.join(',');
  evidence.values ??= formatValues(onAir.slice(-(cfg.consecutiveDrops + 1)).map((p) => p.value));
  evidence.latest = latest.value;
  evidence.latestAt = latest.at;
  evidence.latestOnOxygen = latest.onOxygen === true;
  starts.sort((a, b) => (toMs(a) ?? 0) - (toMs(b) ?? 0));
  return { code: 'hypoxaemia_worsening', since: starts[0] ?? null, evidence };
}

function imagingFlag(input: FlagInput, nowMs: number, config: TrendConfig): RiskFlag | null {
  const points = chronological(
    (input.imaging ?? []).map((i) => ({ at: i.at, value: i.progressionPct })),
    nowMs,
  );
  const latest = points[points.length - 1];
  const threshold = config.imaging.minProgressionPct;
  if (!latest || !(latest.value > threshold)) return null;
  return { code: 'imaging_progression', since: latest.at, evidence: { progressionPct: latest.value, at: latest.at, threshold } };
}

function news2Flag(news2: News2Result | null | undefined, config: TrendConfig): RiskFlag | null {
  if (!news2) return null;
  const byTotal = news2.total >= config.news2.totalAtLeast;
  const bySingle = config.news2.singleParameterThree && news2.anySingleThree;
  if (!byTotal && !bySingle) return null;
  return {
    code: 'news2_high',
    since: news2.basedOn,
    evidence: {
      reason: byTotal && bySingle ? 'total_and_single_three' : byTotal ? 'total' : 'single_three',
      total: news2.total,
      totalAtLeast: config.news2.totalAtLeast,
      anySingleThree: news2.anySingleThree,
      singleThreeParams: news2.parts
        .filter((p) => p.score === 3)
        .map((p) => p.param)
        .join(','),
      band: news2.band,
      complete: news2.complete,
    },
  };
}

function classFlags(input: FlagInput): RiskFlag[] {
  const flags: RiskFlag[] = [];
  const proposal = input.proposal ?? null;
  const confirmed = input.confirmedClass ?? null;
  const proposed = proposal?.proposed;
  if (proposal && proposed && compareClass(proposed, 'severe') >= 0 && (confirmed === null || compareClass(proposed, confirmed) > 0)) {
    flags.push({
      code: 'meets_severe_criteria',
      since: null,
      evidence: {
        proposed,
        confirmedClass: confirmed,
        criteria: proposal.criteria
          .filter((c) => compareClass(c.class, 'severe') >= 0)
          .map((c) => c.code)
          .join(','),
      },
    });
  }
  const current = confirmed ?? proposed ?? null;
  const last = input.classAtLastReview ?? null;
  if (current && last && compareClass(current, last) > 0) {
    flags.push({
      code: 'class_worse_than_last_review',
      since: null,
      evidence: { currentClass: current, lastReviewClass: last, source: confirmed ? 'confirmed' : 'proposed' },
    });
  }
  return flags;
}

/**
 * "Eligible for an antiviral, not started" (issue 19): an option is eligible and the 5-day window is
 * open (shared/clinical/antiviral.ts), no course is in the plan and no decision was recorded. It ranks
 * the patient in the queue; it never changes who is awaiting the panel (electron/core/clinical/
 * awaiting.ts): every eligible patient already carries the risk-factor flag, and the decision is the
 * prescriber's. The evidence counts the medicines' clashes with ritonavir-boosted nirmatrelvir.
 */
function antiviralFlag(a: NonNullable<FlagInput['antiviral']> | null): RiskFlag | null {
  if (!a || a.started || a.decided || !anyEligibleInWindow(a.proposal)) return null;
  const clashes = a.clashes();
  return {
    code: 'antiviral_eligible',
    since: null,
    evidence: {
      options: a.proposal.options
        .filter((o) => o.status === 'eligible')
        .map((o) => o.option)
        .join(','),
      daysSinceOnset: a.proposal.daysSinceOnset,
      windowEndsAt: a.proposal.windowEndsAt,
      contraindicated: clashes.filter((c) => c.severity === 'contraindicated').length,
      adjustOrHold: clashes.filter((c) => c.severity === 'adjust_or_hold').length,
      medicationsFrom: a.medicationsFrom,
    },
  };
}

/**
 * All flags that apply at `input.now`, in FLAG_CODES order. Results and readings after `now` are
 * ignored, so a chart replayed at an earlier time shows the flags as they were then.
 */
export function computeFlags(input: FlagInput, config: TrendConfig): RiskFlag[] {
  const nowMs = requireMs(input.now, 'now');
  const found: RiskFlag[] = [];

  const factors = effectiveRiskFactors(input.ageYears, input.riskFactors);
  if (factors.length > 0) {
    found.push({
      code: 'risk_factors',
      since: null,
      evidence: { factors: factors.join(','), count: factors.length, ageYears: finiteOrNull(input.ageYears) },
    });
  }

  const hypoxaemia = hypoxaemiaFlag(input, nowMs, config);
  if (hypoxaemia) found.push(hypoxaemia);

  for (const entry of LAB_TRENDS) {
    const flag = labTrendFlag(chronological(input.labs?.[entry.analyte], nowMs), entry, config);
    if (flag) found.push(flag);
  }
  const ddimer = ddimerFlag(chronological(input.labs?.ddimer, nowMs), config);
  if (ddimer) found.push(ddimer);

  const imaging = imagingFlag(input, nowMs, config);
  if (imaging) found.push(imaging);

  const news2 = news2Flag(input.news2, config);
  if (news2) found.push(news2);

  found.push(...classFlags(input));

  const dueMs = toMs(input.reviewDueAt);
  if (input.reviewDueAt && dueMs !== null && nowMs > dueMs) {
    found.push({
      code: 'review_overdue',
      since: input.reviewDueAt,
      evidence: { dueAt: input.reviewDueAt, hoursOverdue: roundTo((nowMs - dueMs) / HOUR_MS, 1) },
    });
  }

  const referral = input.referral;
  const referralMs = toMs(referral?.at);
  if (referral && referralMs !== null && referralMs <= nowMs) {
    found.push({ code: 'doctor_referral', since: referral.at, evidence: { referredAt: referral.at, note: referral.note ?? null } });
  }

  const antiviral = antiviralFlag(input.antiviral ?? null);
  if (antiviral) found.push(antiviral);

  const order = (code: FlagCode): number => FLAG_CODES.indexOf(code);
  return found.sort((a, b) => order(a.code) - order(b.code));
}
