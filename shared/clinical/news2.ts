// National Early Warning Score 2 (NEWS2).
// Source: Royal College of Physicians. National Early Warning Score (NEWS) 2: Standardising the
// assessment of acute-illness severity in the NHS. Updated report of a working party. London: RCP,
// December 2017 — Chart 1 (the NEWS2 scoring system), Chart 2 (thresholds and triggers) and
// Chart 4 (clinical response / minimum monitoring frequency). DESIGN.md §4 reproduces Chart 1.
//
// The chart is defined on whole numbers (temperature on tenths of a degree). Fractional inputs are
// rounded to the chart's precision before scoring, as they would be when written on the chart, so
// every value falls in exactly one band and the score never has gaps between bands.

import { MINUTE_MS, finiteOrNull, requireMs, toMs } from './time';

export const NEWS2_RULE_SET = 'rcp-news2-2017' as const;

/** ACVPU: Alert, new Confusion, responds to Voice, responds to Pain, Unresponsive. */
export type Acvpu = 'A' | 'C' | 'V' | 'P' | 'U';
export const ACVPU: readonly Acvpu[] = ['A', 'C', 'V', 'P', 'U'];

export interface VitalsObservation {
  measuredAt: string;
  respRate?: number | null;
  spo2?: number | null;
  onOxygen?: boolean | null;
  systolicBp?: number | null;
  pulse?: number | null;
  consciousness?: Acvpu | null;
  temperature?: number | null;
}

export type News2Param = 'respRate' | 'spo2' | 'airOrOxygen' | 'systolicBp' | 'pulse' | 'consciousness' | 'temperature';

/** Chart 1 row order. */
export const NEWS2_PARAMS: readonly News2Param[] = ['respRate', 'spo2', 'airOrOxygen', 'systolicBp', 'pulse', 'consciousness', 'temperature'];

export type News2Band = 'low' | 'low_medium' | 'medium' | 'high';
export type News2Monitoring = 'q12h' | 'q4to6h' | 'hourly' | 'continuous';
export type News2Caveat = 'under16' | 'pregnancy' | 'incomplete';
export type Spo2Scale = 1 | 2;

export interface News2Part {
  param: News2Param;
  /** The value scored: a number, an ACVPU letter, or 'air' / 'oxygen'. */
  value: number | string;
  score: number;
  measuredAt: string;
}

export interface News2Result {
  ruleSet: typeof NEWS2_RULE_SET;
  spo2Scale: Spo2Scale;
  /** Sum of the parameters present; with parameters missing it is a lower bound. */
  total: number;
  complete: boolean;
  missing: News2Param[];
  parts: News2Part[];
  anySingleThree: boolean;
  band: News2Band;
  monitoring: News2Monitoring;
  caveats: News2Caveat[];
  /** measuredAt of the most recent observation used (the anchor of the 30-minute window). */
  basedOn: string | null;
}

export interface News2Options {
  at: string;
  spo2Scale: Spo2Scale;
  ageYears?: number | null;
  pregnant?: boolean | null;
}

/**
 * A parameter may be taken from another observation within this window (our rule, DESIGN.md §4:
 * the RCP chart assumes one set of observations; bedside rounds often record them minutes apart).
 */
export const NEWS2_COMBINE_WINDOW_MINUTES = 30;

// ---- Chart 1, one function per row -------------------------------------------------------

/** Respiration rate /min: ≤8 → 3; 9–11 → 1; 12–20 → 0; 21–24 → 2; ≥25 → 3. */
export function scoreRespRate(perMinute: number): number {
  const v = Math.round(perMinute);
  if (v <= 8) return 3;
  if (v <= 11) return 1;
  if (v <= 20) return 0;
  if (v <= 24) return 2;
  return 3;
}

/** SpO2 scale 1 %: ≤91 → 3; 92–93 → 2; 94–95 → 1; ≥96 → 0. Oxygen does not change this row. */
export function scoreSpo2Scale1(percent: number): number {
  const v = Math.round(percent);
  if (v <= 91) return 3;
  if (v <= 93) return 2;
  if (v <= 95) return 1;
  return 0;
}

/**
 * SpO2 scale 2 % (hypercapnic respiratory failure, target 88–92 %): ≤83 → 3; 84–85 → 2; 86–87 → 1;
 * 88–92 → 0; ≥93 on air → 0; 93–94 on oxygen → 1; 95–96 on oxygen → 2; ≥97 on oxygen → 3.
 * At 93 % and above the score depends on oxygen, so it is null when that is unknown; at 92 % and
 * below it does not, and the value is scored whatever the oxygen status.
 */
export function scoreSpo2Scale2(percent: number, onOxygen: boolean | null | undefined): number | null {
  const v = Math.round(percent);
  if (v <= 83) return 3;
  if (v <= 85) return 2;
  if (v <= 87) return 1;
  if (v <= 92) return 0;
  if (onOxygen === null || onOxygen === undefined) return null;
  if (!onOxygen) return 0;
  if (v <= 94) return 1;
  if (v <= 96) return 2;
  return 3;
}

/** Air or oxygen: oxygen → 2; air → 0. */
export function scoreAirOrOxygen(onOxygen: boolean): number {
  return onOxygen ? 2 : 0;
}

/** Systolic BP mmHg: ≤90 → 3; 91–100 → 2; 101–110 → 1; 111–219 → 0; ≥220 → 3. */
export function scoreSystolicBp(mmHg: number): number {
  const v = Math.round(mmHg);
  if (v <= 90) return 3;
  if (v <= 100) return 2;
  if (v <= 110) return 1;
  if (v <= 219) return 0;
  return 3;
}

/** Pulse /min: ≤40 → 3; 41–50 → 1; 51–90 → 0; 91–110 → 1; 111–130 → 2; ≥131 → 3. */
export function scorePulse(perMinute: number): number {
  const v = Math.round(perMinute);
  if (v <= 40) return 3;
  if (v <= 50) return 1;
  if (v <= 90) return 0;
  if (v <= 110) return 1;
  if (v <= 130) return 2;
  return 3;
}

/** Consciousness: Alert → 0; new Confusion, Voice, Pain, Unresponsive → 3. */
export function scoreConsciousness(level: Acvpu): number {
  return level === 'A' ? 0 : 3;
}

/** Temperature °C: ≤35.0 → 3; 35.1–36.0 → 1; 36.1–38.0 → 0; 38.1–39.0 → 1; ≥39.1 → 2. */
export function scoreTemperature(celsius: number): number {
  const v = Math.round(celsius * 10) / 10;
  if (v <= 35.0) return 3;
  if (v <= 36.0) return 1;
  if (v <= 38.0) return 0;
  if (v <= 39.0) return 1;
  return 2;
}

// ---- Chart 2 and Chart 4 -----------------------------------------------------------------

/** Chart 2: 0–4 low; a single parameter scoring 3 → low–medium; 5–6 medium; ≥7 high. */
export function news2Band(total: number, anySingleThree: boolean): News2Band {
  if (total >= 7) return 'high';
  if (total >= 5) return 'medium';
  if (anySingleThree) return 'low_medium';
  return 'low';
}

/** Chart 4 minimum monitoring: 0 → 12-hourly; 1–4 → 4–6-hourly; single 3 or 5–6 → hourly; ≥7 → continuous. */
export function news2Monitoring(total: number, anySingleThree: boolean): News2Monitoring {
  if (total >= 7) return 'continuous';
  if (total >= 5 || anySingleThree) return 'hourly';
  if (total >= 1) return 'q4to6h';
  return 'q12h';
}

// ---- No measurement, no score ------------------------------------------------------------

/**
 * Whether an observation measured any NEWS2 parameter. Air or oxygen is the therapy in place, not a
 * measurement: a round with only that (and symptoms) has no score at all, never "0, low" (issue 13).
 */
export function hasVitalSign(o: VitalsObservation): boolean {
  return (
    finiteOrNull(o.respRate) !== null ||
    finiteOrNull(o.spo2) !== null ||
    finiteOrNull(o.systolicBp) !== null ||
    finiteOrNull(o.pulse) !== null ||
    isAcvpu(o.consciousness) ||
    finiteOrNull(o.temperature) !== null
  );
}

/**
 * The instant NEWS2 is scored at: the most recent observation at or before `at` that measured a
 * parameter, or null when none did (then there is no score). A later round of symptoms only does not
 * hide the score of the last measurement, and never becomes a score of its own.
 */
export function lastMeasuredAt(observations: readonly VitalsObservation[], at: string): string | null {
  const atMs = requireMs(at, 'at');
  let best: { ms: number; at: string } | null = null;
  for (const o of observations) {
    const ms = toMs(o.measuredAt);
    if (ms !== null && ms <= atMs && (best === null || ms > best.ms) && hasVitalSign(o)) best = { ms, at: o.measuredAt };
  }
  return best?.at ?? null;
}

/** Chart 4 clinical response: urgent review at 5–6 or a single parameter scoring 3; emergency at 7 or more. */
export type News2Response = 'urgent' | 'emergency';
export function news2Response(total: number, anySingleThree: boolean): News2Response | null {
  if (total >= 7) return 'emergency';
  if (total >= 5 || anySingleThree) return 'urgent';
  return null;
}

// ---- Combining observations --------------------------------------------------------------

interface Timed {
  obs: VitalsObservation;
  ms: number;
  index: number;
}

function isAcvpu(value: unknown): value is Acvpu {
  return typeof value === 'string' && (ACVPU as readonly string[]).includes(value);
}

/** Most recent observation in `window` (already newest first) for which `pick` yields a value. */
function latest<T>(window: readonly Timed[], pick: (o: VitalsObservation) => T | null): { value: T; t: Timed } | null {
  for (const t of window) {
    const value = pick(t.obs);
    if (value !== null) return { value, t };
  }
  return null;
}

function onOxygenOf(o: VitalsObservation): boolean | null {
  return typeof o.onOxygen === 'boolean' ? o.onOxygen : null;
}

/**
 * Scores the most recent set of observations at or before `opts.at`.
 * The anchor is the most recent observation at or before `at`; each parameter takes its most recent
 * value among observations measured in the 30 minutes up to and including the anchor (DESIGN.md §4:
 * "a parameter may come from a different round measured within the previous 30 minutes").
 * Observations with the same measuredAt: the later one in the array counts as more recent.
 * On scale 2, SpO2 at ≥93 % is scored with the oxygen status recorded with that same reading, or,
 * when that reading does not say, with the window's air-or-oxygen value.
 */
export function computeNews2(observations: readonly VitalsObservation[], opts: News2Options): News2Result {
  const atMs = requireMs(opts.at, 'at');
  const usable: Timed[] = [];
  observations.forEach((obs, index) => {
    const ms = toMs(obs.measuredAt);
    if (ms !== null && ms <= atMs) usable.push({ obs, ms, index });
  });
  usable.sort((a, b) => b.ms - a.ms || b.index - a.index);

  const anchor = usable[0];
  const windowStart = anchor ? anchor.ms - NEWS2_COMBINE_WINDOW_MINUTES * MINUTE_MS : 0;
  const window = anchor ? usable.filter((t) => t.ms >= windowStart) : [];

  const parts: News2Part[] = [];
  const add = (param: News2Param, value: number | string, score: number, t: Timed): void => {
    parts.push({ param, value, score, measuredAt: t.obs.measuredAt });
  };

  const rr = latest(window, (o) => finiteOrNull(o.respRate));
  if (rr) add('respRate', rr.value, scoreRespRate(rr.value), rr.t);

  const oxygen = latest(window, onOxygenOf);
  const spo2 = latest(window, (o) => finiteOrNull(o.spo2));
  if (spo2) {
    const score = opts.spo2Scale === 1 ? scoreSpo2Scale1(spo2.value) : scoreSpo2Scale2(spo2.value, onOxygenOf(spo2.t.obs) ?? oxygen?.value ?? null);
    if (score !== null) add('spo2', spo2.value, score, spo2.t);
  }
  if (oxygen) add('airOrOxygen', oxygen.value ? 'oxygen' : 'air', scoreAirOrOxygen(oxygen.value), oxygen.t);

  const sbp = latest(window, (o) => finiteOrNull(o.systolicBp));
  if (sbp) add('systolicBp', sbp.value, scoreSystolicBp(sbp.value), sbp.t);

  const pulse = latest(window, (o) => finiteOrNull(o.pulse));
  if (pulse) add('pulse', pulse.value, scorePulse(pulse.value), pulse.t);

  const acvpu = latest(window, (o) => (isAcvpu(o.consciousness) ? o.consciousness : null));
  if (acvpu) add('consciousness', acvpu.value, scoreConsciousness(acvpu.value), acvpu.t);

  const temp = latest(window, (o) => finiteOrNull(o.temperature));
  if (temp) add('temperature', temp.value, scoreTemperature(temp.value), temp.t);

  const present = new Set(parts.map((p) => p.param));
  const missing = NEWS2_PARAMS.filter((p) => !present.has(p));
  const total = parts.reduce((sum, p) => sum + p.score, 0);
  const anySingleThree = parts.some((p) => p.score === 3);

  // RCP 2017: NEWS2 is not validated in under-16s or in pregnancy; the score is still shown.
  const caveats: News2Caveat[] = [];
  const age = finiteOrNull(opts.ageYears);
  if (age !== null && age < 16) caveats.push('under16');
  if (opts.pregnant === true) caveats.push('pregnancy');
  if (missing.length > 0) caveats.push('incomplete');

  return {
    ruleSet: NEWS2_RULE_SET,
    spo2Scale: opts.spo2Scale,
    total,
    complete: missing.length === 0,
    missing,
    parts,
    anySingleThree,
    band: news2Band(total, anySingleThree),
    monitoring: news2Monitoring(total, anySingleThree),
    caveats,
    basedOn: anchor ? anchor.obs.measuredAt : null,
  };
}
