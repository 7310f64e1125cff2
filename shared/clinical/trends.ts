// Trend definitions for the severe/critical early-warning signs of the China protocol trial v9, §8
// 重型/危重型早期预警指标 (adults): 1 hypoxaemia or respiratory distress progressively worsening;
// 2 tissue oxygenation (SpO2, PaO2/FiO2) worsening or lactate progressively rising; 3 peripheral
// lymphocyte count progressively falling, or inflammatory markers such as IL-6, CRP and ferritin
// progressively rising; 4 D-dimer and other coagulation markers clearly raised; 5 chest imaging
// showing clear progression.
//
// The protocol gives NO numeric cut-offs for "progressively", "clearly raised" or "clear
// progression". The numbers below are Echelon's defaults, chosen to be sensitive enough for an
// early-warning queue yet not fire on assay noise; each one is configurable (admin settings) and
// every flag reports the values and thresholds it used.

import { finiteOrNull, toMs } from './time';

export interface SeriesPoint {
  at: string;
  value: number;
}

export interface TrendRule {
  /** Consecutive changes in the flagged direction ending at the latest result (2 = 3 results). */
  consecutiveChanges: number;
  /** Minimum change at each step as a fraction of the previous result (0.1 = 10 %). */
  minRelativeChange: number;
}

export interface TrendConfig {
  lymphocytesFalling: TrendRule;
  crpRising: TrendRule;
  il6Rising: TrendRule;
  ferritinRising: TrendRule;
  lactateRising: TrendRule;
  ddimer: {
    /** mg/L FEU. */
    upperLimitOfNormal: number;
    /** Raised = latest result strictly above upperLimitOfNormal × multipleOfUln. */
    multipleOfUln: number;
  };
  hypoxaemia: {
    /** Consecutive falls between SpO2 readings on air, ending at the latest on-air reading. */
    consecutiveDrops: number;
    /** Total fall in percentage points over those readings. */
    minTotalDropPoints: number;
    /** The latest on-air SpO2 at or below this flags on its own; null disables. Not on scale 2. */
    lowOnAirMax: number | null;
    /** Flag when the latest reading is on oxygen after an earlier one on air. */
    newOxygenRequirement: boolean;
  };
  imaging: {
    /** Flag when the latest lesion change (% vs the previous image) is strictly above this. */
    minProgressionPct: number;
  };
  news2: {
    /** RCP NEWS2 2017 Chart 2: an aggregate of 5 or more is the urgent-response threshold. */
    totalAtLeast: number;
    /** RCP NEWS2 2017 Chart 2: a score of 3 in any single parameter. */
    singleParameterThree: boolean;
  };
}

/**
 * Defaults:
 * - Lymphocytes falling, CRP / IL-6 / ferritin / lactate rising: the last 3 results each move in that
 *   direction by ≥ 10 % of the previous result (2 consecutive changes). Two changes, not one, because
 *   "进行性" means a course, not a single difference; 10 % exceeds the usual analytical variation of
 *   these assays (a few per cent) so rounding and repeat-sample noise do not fire the flag.
 * - D-dimer clearly raised: latest > 2 × the upper limit of normal, ULN 0.5 mg/L FEU (the common
 *   laboratory reference limit), i.e. > 1.0 mg/L — the admission level associated with in-hospital
 *   death in Zhou F et al., Lancet 2020;395:1054–62. Set the ULN to the local laboratory's.
 * - Hypoxaemia worsening: on-air SpO2 fell at each of the last 2 steps (3 readings) by ≥ 3 points in
 *   total; or the latest on-air SpO2 ≤ 95 % (where NEWS2 scale 1 starts to score, two points above the
 *   protocol's severe threshold of 93 %); or the patient newly needs oxygen.
 * - Imaging progression: the latest image reports any progression (> 0 %); the severe criterion
 *   (> 50 % in 24–48 h with worsening symptoms) is separate.
 * - NEWS2: aggregate ≥ 5 or a single parameter scoring 3.
 */
export const DEFAULT_TREND_CONFIG: TrendConfig = {
  lymphocytesFalling: { consecutiveChanges: 2, minRelativeChange: 0.1 },
  crpRising: { consecutiveChanges: 2, minRelativeChange: 0.1 },
  il6Rising: { consecutiveChanges: 2, minRelativeChange: 0.1 },
  ferritinRising: { consecutiveChanges: 2, minRelativeChange: 0.1 },
  lactateRising: { consecutiveChanges: 2, minRelativeChange: 0.1 },
  ddimer: { upperLimitOfNormal: 0.5, multipleOfUln: 2 },
  hypoxaemia: { consecutiveDrops: 2, minTotalDropPoints: 3, lowOnAirMax: 95, newOxygenRequirement: true },
  imaging: { minProgressionPct: 0 },
  news2: { totalAtLeast: 5, singleParameterThree: true },
};

/** Tolerance for comparing relative changes, so a drop from 1.0 to 0.9 counts as 10 %. */
const EPSILON = 1e-9;

interface TimedPoint<P> {
  point: P;
  ms: number;
  index: number;
}

/** Points at or before `nowMs` with a valid time and finite value, oldest first (ties: input order). */
export function chronological<P extends { at: string; value: number }>(series: readonly P[] | null | undefined, nowMs: number): P[] {
  const timed: TimedPoint<P>[] = [];
  (series ?? []).forEach((point, index) => {
    const ms = toMs(point.at);
    if (ms !== null && ms <= nowMs && finiteOrNull(point.value) !== null) timed.push({ point, ms, index });
  });
  timed.sort((a, b) => a.ms - b.ms || a.index - b.index);
  return timed.map((t) => t.point);
}

/** Whether one step from `prev` to `cur` moves in `direction` by at least `minRelativeChange`. */
export function stepQualifies(prev: number, cur: number, direction: 'rising' | 'falling', minRelativeChange: number): boolean {
  const delta = direction === 'rising' ? cur - prev : prev - cur;
  if (delta <= 0) return false;
  if (prev === 0) return true;
  return delta / Math.abs(prev) >= minRelativeChange - EPSILON;
}

/**
 * The run of results that makes a trend, oldest first, or null when the latest results do not form
 * one. Only the most recent consecutiveChanges + 1 results are examined: a trend must be current.
 */
export function detectTrend(chronologicalPoints: readonly SeriesPoint[], direction: 'rising' | 'falling', rule: TrendRule): SeriesPoint[] | null {
  const needed = Math.max(1, Math.floor(rule.consecutiveChanges)) + 1;
  if (chronologicalPoints.length < needed) return null;
  const run = chronologicalPoints.slice(-needed);
  for (let i = 1; i < run.length; i += 1) {
    const prev = run[i - 1];
    const cur = run[i];
    if (!prev || !cur || !stepQualifies(prev.value, cur.value, direction, rule.minRelativeChange)) return null;
  }
  return run;
}

/** "1.2, 0.9, 0.6" — how a series appears in flag evidence. */
export function formatValues(values: readonly number[]): string {
  return values.map((v) => String(v)).join(', ');
}
