import type { Rng } from './random';

/**
 * Synthetic disease courses for the demo network. A course is a severity curve s(day) in [0, 1]
 * (0 = well, 1 = severe pneumonia with hypoxaemia) from which vitals, symptoms and laboratory values
 * are drawn. Shapes follow the Omicron BA.2 experience of 2022: most infections asymptomatic or mild
 * and improving within days; some worsen for a few days and recover; a few turn severe in the first
 * week and recover slowly. Nobody dies. Purely illustrative numbers, never clinical guidance.
 */
export type CourseKind = 'asymptomatic' | 'mild' | 'moderate' | 'worsen_recover' | 'severe';

export interface Course {
  kind: CourseKind;
  /** Day of stay (fractional, 0 = admission) on which a worsening begins. */
  onset: number;
  /** Peak severity reached. */
  peak: number;
  /** Days symptoms last after admission (before any worsening). */
  symptomDays: number;
  /** Symptom codes this patient has while symptomatic. */
  symptoms: string[];
  /** Pneumonia on the admission CT. */
  pneumonia: boolean;
  /** Nucleic-acid Ct at admission and its daily rise. */
  ct0: number;
  ctRise: number;
  /** Baseline systolic BP. */
  sbp: number;
  pulse: number;
}

const UPPER = ['cough', 'sore_throat', 'dry_throat', 'runny_nose', 'nasal_congestion', 'fatigue', 'myalgia', 'headache', 'hoarseness', 'sputum'];

const clamp = (v: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, v));
const uniform = (rng: Rng, lo: number, hi: number) => lo + rng.next() * (hi - lo);

export function chooseCourse(rng: Rng, o: { designated: boolean; ageYears: number; riskFactors: number; daysSinceAdmission: number }): Course {
  const vulnerable = o.ageYears > 50 || o.riskFactors > 0;
  let kind: CourseKind;
  const x = rng.next();
  if (o.designated) {
    // A handful of severe courses among older or high-risk patients admitted long enough ago to have turned.
    if (vulnerable && o.daysSinceAdmission > 3 && x < 0.05) kind = 'severe';
    else if (x < 0.3) kind = 'moderate';
    else if (x < 0.4) kind = 'worsen_recover';
    else if (x < 0.75) kind = 'mild';
    else kind = 'asymptomatic';
  } else if (x < 0.03) kind = 'worsen_recover';
  else if (x < 0.3) kind = 'mild';
  else kind = 'asymptomatic';

  const symptomatic = kind !== 'asymptomatic';
  const symptoms = symptomatic ? UPPER.filter(() => rng.chance(0.35)) : [];
  if (symptomatic && symptoms.length === 0) symptoms.push('cough');
  if (symptomatic && rng.chance(0.6)) symptoms.unshift('fever');
  const slow = kind === 'severe' || kind === 'moderate';
  return {
    kind,
    onset: kind === 'severe' ? uniform(rng, 1, 3) : kind === 'worsen_recover' ? uniform(rng, 2, 4) : 99,
    peak: kind === 'severe' ? uniform(rng, 0.95, 1) : kind === 'worsen_recover' ? uniform(rng, 0.35, 0.55) : 0,
    symptomDays: kind === 'asymptomatic' ? 0 : uniform(rng, slow ? 5 : 2.5, slow ? 8 : 5.5),
    symptoms,
    pneumonia: kind === 'moderate' || (kind === 'severe' && rng.chance(0.5)),
    // Ct rises about 1.1–1.8 cycles a day from ~22: most patients cross 35 after 7–12 days.
    ct0: clamp(rng.normal(22, 3), 15, 31),
    ctRise: kind === 'severe' ? uniform(rng, 0.8, 1.1) : uniform(rng, 1.1, 1.8),
    sbp: Math.round(clamp(112 + o.ageYears * 0.35 + rng.normal(0, 8), 100, 165)),
    pulse: Math.round(clamp(rng.normal(76, 7), 60, 92)),
  };
}

/** Severity at a fractional day of stay. */
export function severity(c: Course, day: number): number {
  const early = c.kind === 'asymptomatic' ? 0 : c.kind === 'moderate' ? 0.22 : 0.1;
  const base = day < c.symptomDays ? early * (1 - day / c.symptomDays) + 0.02 : 0;
  if (c.kind === 'worsen_recover') {
    const t = day - c.onset;
    if (t < 0) return base;
    if (t < 1.5) return Math.max(base, (c.peak * t) / 1.5);
    return Math.max(base, c.peak * Math.max(0, 1 - (t - 1.5) / 3.5));
  }
  if (c.kind === 'severe') {
    const t = day - c.onset;
    if (t < 0) return Math.max(base, 0.15);
    if (t < 2) return Math.max(0.15, (c.peak * t) / 2);
    if (t < 5.5) return c.peak;
    return Math.max(0.03, c.peak * (1 - (t - 5.5) / 9));
  }
  return base;
}

export interface DemoVitals {
  respRate: number;
  spo2: number;
  onOxygen: boolean;
  o2Device: string | null;
  o2Flow: number | null;
  systolicBp: number;
  diastolicBp: number;
  pulse: number;
  temperature: number;
  symptoms: string[];
  signs: string[];
}

export function vitalsAt(rng: Rng, c: Course, day: number, worsening: boolean): DemoVitals {
  const s = severity(c, day);
  const spo2Air = clamp(Math.round(98 - s * 9.5 + rng.normal(0, 0.8)), 82, 100);
  const onOxygen = spo2Air <= 93;
  const febrile = (day < Math.min(2, c.symptomDays) && c.symptoms.includes('fever')) || s > 0.3;
  const temperature = Math.round((36.6 + (febrile ? 1.1 + s * 0.8 : 0) + rng.normal(0, 0.2)) * 10) / 10;
  const symptoms = s > 0.05 || day < c.symptomDays ? c.symptoms.filter((code) => code !== 'fever' || temperature >= 37.3) : [];
  if (s > 0.4 && !symptoms.includes('chest_tightness')) symptoms.push('chest_tightness');
  if (s > 0.6 && !symptoms.includes('breathlessness')) symptoms.push('breathlessness');
  const sbp = Math.round(c.sbp + rng.normal(0, 6));
  return {
    respRate: Math.round(clamp(16 + s * 15 + rng.normal(0, 1.2), 12, 36)),
    spo2: onOxygen ? clamp(spo2Air + 4, 92, 98) : spo2Air,
    onOxygen,
    o2Device: onOxygen ? (s > 0.9 ? 'simple_mask' : 'nasal_cannula') : null,
    o2Flow: onOxygen ? (s > 0.9 ? 6 : 3) : null,
    systolicBp: sbp,
    diastolicBp: Math.round(sbp * 0.62 + rng.normal(0, 4)),
    pulse: Math.round(clamp(c.pulse + s * 32 + (febrile ? 8 : 0) + rng.normal(0, 5), 50, 140)),
    temperature: clamp(temperature, 35.8, 40.2),
    symptoms,
    signs: worsening && s > 0.3 ? ['symptoms_worsening'] : [],
  };
}

/** Nucleic-acid result at a day: N and ORF1ab Ct, or negative above the assay's cut-off of 40. */
export function ctAt(rng: Rng, c: Course, day: number): { ctN: number | null; ctOrf1ab: number | null; qualitative: 'negative' | null } {
  const n = c.ct0 + c.ctRise * day + rng.normal(0, 1.1);
  const orf = n + rng.normal(0.4, 0.8);
  if (n > 40 && orf > 40) return { ctN: null, ctOrf1ab: null, qualitative: 'negative' };
  const r = (v: number) => Math.round(clamp(v, 12, 40) * 10) / 10;
  return { ctN: r(n), ctOrf1ab: r(orf), qualitative: null };
}

/** Laboratory panel at a day (units of shared/clinical LAB_LIMITS). */
export function labsAt(rng: Rng, c: Course, day: number): Record<'lymphocytes' | 'crp' | 'il6' | 'ferritin' | 'ddimer', number> {
  const s = severity(c, day);
  const r = (v: number, d: number) => Math.round(v * 10 ** d) / 10 ** d;
  return {
    lymphocytes: r(clamp(1.7 - s * 1.15 + rng.normal(0, 0.08), 0.2, 3.5), 2),
    crp: r(clamp(3 + s * 85 + rng.normal(0, 2), 0.5, 250), 1),
    il6: r(clamp(3 + s * 55 + rng.normal(0, 1.5), 1, 500), 1),
    ferritin: Math.round(clamp(140 + s * 750 + rng.normal(0, 30), 20, 3000)),
    ddimer: r(clamp(0.25 + s * 1.6 + rng.normal(0, 0.05), 0.1, 10), 2),
  };
}

export function severeLabsAt(rng: Rng, c: Course, day: number): { lactate: number; pao2Fio2: number } {
  const s = severity(c, day);
  return {
    lactate: Math.round(clamp(1.0 + s * 1.7 + rng.normal(0, 0.1), 0.5, 8) * 10) / 10,
    pao2Fio2: Math.round(clamp(440 - s * 215 + rng.normal(0, 12), 120, 520)),
  };
}
