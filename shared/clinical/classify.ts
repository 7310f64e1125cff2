// Clinical class proposal, China Diagnosis and Treatment Protocol for COVID-19, trial version 9
// (新型冠状病毒肺炎诊疗方案（试行第九版）, NHC, March 2022), §6 临床分型.
// The rule proposes; the clinician confirms or overrides. Every criterion that fires is returned
// with the values it used, and the worst class among them is the proposal.

import { CN_V9, type RuleSetId } from './ids';
import { finiteOrNull, roundTo } from './time';

export { SYMPTOMS, SYMPTOM_CODES, RESPIRATORY_SYMPTOMS, isSymptomCode } from './symptoms';
export type { SymptomCode, SymptomDef } from './symptoms';

export type ClinicalClass = 'asymptomatic' | 'mild' | 'moderate' | 'severe' | 'critical';

/** Mildest first. */
export const CLASS_ORDER: readonly ClinicalClass[] = ['asymptomatic', 'mild', 'moderate', 'severe', 'critical'];

/** Negative when a is milder than b, 0 when equal, positive when a is worse. */
export function compareClass(a: ClinicalClass, b: ClinicalClass): number {
  return CLASS_ORDER.indexOf(a) - CLASS_ORDER.indexOf(b);
}

export function worseClass(a: ClinicalClass, b: ClinicalClass): ClinicalClass {
  return compareClass(a, b) >= 0 ? a : b;
}

export interface ClassInput {
  ageYears?: number | null;
  /** Total age in completed months (15 for one year three months); preferred for children under 6. */
  ageMonths?: number | null;
  /** A positive nucleic-acid result confirms the infection (§5). */
  positive: boolean;
  /** Current symptom codes (see SYMPTOMS); any code counts as a symptom. */
  symptoms: readonly string[];
  pneumoniaOnImaging: boolean | null;
  respRate?: number | null;
  /** Defaults to whether `symptoms` contains 'breathlessness'. */
  breathless?: boolean | null;
  /** SpO2 % at rest. */
  spo2?: number | null;
  onOxygen?: boolean | null;
  pao2Fio2?: number | null;
  altitudeMetres?: number | null;
  atmosphericPressureMmHg?: number | null;
  /** Lesion progression % between two images taken at most 48 h apart. */
  lesionProgressionPct?: number | null;
  /** Hours between those two images, when known; a progression measured over > 48 h does not count. */
  lesionProgressionHours?: number | null;
  symptomsWorsening?: boolean | null;
  /** Child: days of persistent high fever. */
  feverDays?: number | null;
  nasalFlaringOrRetractions?: boolean | null;
  lethargyOrConvulsions?: boolean | null;
  refusingFeedsWithDehydration?: boolean | null;
  mechanicalVentilation?: boolean | null;
  shock?: boolean | null;
  organFailureNeedingIcu?: boolean | null;
}

export const CLASS_CRITERION_CODES = [
  'asymptomatic_positive_no_symptoms',
  'mild_symptoms_no_pneumonia',
  'moderate_pneumonia_on_imaging',
  'severe_adult_rr_breathless',
  'severe_spo2_at_rest_on_air',
  'severe_adult_pao2_fio2',
  'severe_adult_lesion_progression',
  'severe_child_persistent_fever',
  'severe_child_tachypnoea',
  'severe_child_assisted_breathing',
  'severe_child_lethargy_convulsions',
  'severe_child_refusing_feeds_dehydration',
  'critical_mechanical_ventilation',
  'critical_shock',
  'critical_organ_failure_icu',
] as const;

export type ClassCriterionCode = (typeof CLASS_CRITERION_CODES)[number];

export const CLASS_MISSING_CODES = [
  'positive_result',
  'age',
  'imaging',
  'resp_rate',
  'spo2',
  'spo2_on_air',
  'pao2_fio2',
  'atmospheric_pressure',
  'lesion_progression',
  'fever_days',
] as const;

export type ClassMissing = (typeof CLASS_MISSING_CODES)[number];

export interface ClassCriterion {
  code: ClassCriterionCode;
  class: ClinicalClass;
  values: Record<string, number | string | boolean>;
}

export interface ClassProposal {
  ruleSet: RuleSetId;
  proposed: ClinicalClass;
  ageGroup: 'adult' | 'child' | 'unknown';
  criteria: ClassCriterion[];
  /** Inputs that were needed to evaluate a criterion but were not supplied. */
  missing: ClassMissing[];
}

// §6 (三) thresholds.
/** Adult: 出现气促，RR≥30次/分. */
export const ADULT_RR_SEVERE = 30;
/** Adult and child: 静息状态下，吸空气时指氧饱和度≤93%. */
export const SPO2_SEVERE_MAX = 93;
/** Adult: PaO2/FiO2 ≤ 300 mmHg. */
export const PAO2_FIO2_SEVERE_MAX = 300;
/** Adult: correct PaO2/FiO2 × [760 / atmospheric pressure (mmHg)] above 1,000 m. */
export const ALTITUDE_CORRECTION_ABOVE_M = 1000;
export const SEA_LEVEL_PRESSURE_MMHG = 760;
/** Adult: 肺部影像学显示24～48小时内病灶明显进展＞50%. */
export const LESION_PROGRESSION_SEVERE_PCT = 50;
export const LESION_PROGRESSION_MAX_HOURS = 48;
/** Child: 持续高热超过3天. */
export const CHILD_FEVER_SEVERE_DAYS = 3;
/** Children are patients under 18 years (protocol "儿童"; Chinese paediatric practice). */
export const CHILD_AGE_BELOW_YEARS = 18;

/**
 * Child tachypnoea, §6 (三) 儿童 2: <2 months RR ≥ 60; 2–12 months ≥ 50; 1–5 years ≥ 40; >5 years ≥ 30
 * (excluding the effect of fever and crying — the RR should be counted with the child calm).
 * The bands overlap at 12 months; like the WHO fast-breathing bands they come from, 12 months
 * belongs to the 1–5-year band. ">5 years" is read numerically: older than 60 months.
 */
export function childTachypnoeaThreshold(ageMonths: number): number {
  if (ageMonths < 2) return 60;
  if (ageMonths < 12) return 50;
  if (ageMonths <= 60) return 40;
  return 30;
}

/** Total months, from ageMonths when given, else ageYears × 12; null when neither is known. */
export function ageInMonths(input: Pick<ClassInput, 'ageYears' | 'ageMonths'>): number | null {
  const months = finiteOrNull(input.ageMonths);
  if (months !== null && months >= 0) return months;
  const years = finiteOrNull(input.ageYears);
  if (years !== null && years >= 0) return years * 12;
  return null;
}

/** The altitude-corrected PaO2/FiO2 (§6 (三) 3), and whether the correction could be applied. */
export function correctedPao2Fio2(
  pao2Fio2: number,
  altitudeMetres: number | null | undefined,
  atmosphericPressureMmHg: number | null | undefined,
): { value: number; corrected: boolean; needsPressure: boolean } {
  const altitude = finiteOrNull(altitudeMetres);
  if (altitude === null || altitude <= ALTITUDE_CORRECTION_ABOVE_M) {
    return { value: pao2Fio2, corrected: false, needsPressure: false };
  }
  const pressure = finiteOrNull(atmosphericPressureMmHg);
  // Without the measured pressure the uncorrected ratio is used: at altitude it is lower than the
  // corrected one, so the criterion errs towards "severe" and the missing pressure is reported.
  if (pressure === null || pressure <= 0) return { value: pao2Fio2, corrected: false, needsPressure: true };
  return { value: (pao2Fio2 * SEA_LEVEL_PRESSURE_MMHG) / pressure, corrected: true, needsPressure: false };
}

type Values = ClassCriterion['values'];

export function proposeClass(input: ClassInput): ClassProposal {
  const criteria: ClassCriterion[] = [];
  const missing = new Set<ClassMissing>();
  const fire = (code: ClassCriterionCode, cls: ClinicalClass, values: Values): void => {
    criteria.push({ code, class: cls, values });
  };

  if (!input.positive) missing.add('positive_result');
  const months = ageInMonths(input);
  if (months === null) missing.add('age');
  const isChild = months !== null && months < CHILD_AGE_BELOW_YEARS * 12;

  // §6 (一)(二) and the asymptomatic definition (无症状感染者: no symptoms and no COVID-19 pneumonia
  // on CT). Pneumonia on imaging makes the case moderate even without reported symptoms.
  const symptoms = input.symptoms;
  if (input.pneumoniaOnImaging === true) {
    fire('moderate_pneumonia_on_imaging', 'moderate', { pneumoniaOnImaging: true, symptomCount: symptoms.length });
  } else {
    if (input.pneumoniaOnImaging === null) missing.add('imaging');
    const imaging: Values = input.pneumoniaOnImaging === false ? { pneumoniaOnImaging: false } : {};
    if (symptoms.length > 0) {
      fire('mild_symptoms_no_pneumonia', 'mild', { symptoms: symptoms.join(','), ...imaging });
    } else {
      fire('asymptomatic_positive_no_symptoms', 'asymptomatic', { positive: input.positive, ...imaging });
    }
  }

  const rr = finiteOrNull(input.respRate);
  if (rr === null) missing.add('resp_rate');

  // Adult 2 / child 3: SpO2 ≤ 93 % at rest on air. Round readings are taken with the patient at
  // rest, so every reading is treated as a resting one. A reading ≤ 93 % taken on oxygen (or with the
  // oxygen status unknown) qualifies too: on air it could only be lower. A reading above 93 % on
  // oxygen, or with the status unknown, cannot exclude the criterion.
  const spo2 = finiteOrNull(input.spo2);
  const onOxygen = typeof input.onOxygen === 'boolean' ? input.onOxygen : null;
  if (spo2 === null) missing.add('spo2');
  else if (spo2 <= SPO2_SEVERE_MAX) {
    fire('severe_spo2_at_rest_on_air', 'severe', onOxygen === null ? { spo2 } : { spo2, onOxygen });
  } else if (onOxygen !== false) missing.add('spo2_on_air');

  if (isChild) {
    const ageMonthsValue = roundTo(months, 1);
    // 儿童 1: 持续高热超过3天 — more than 3 days.
    const feverDays = finiteOrNull(input.feverDays);
    if (feverDays !== null && feverDays > CHILD_FEVER_SEVERE_DAYS) {
      fire('severe_child_persistent_fever', 'severe', { feverDays });
    } else if (feverDays === null && symptoms.includes('fever')) missing.add('fever_days');
    // 儿童 2: tachypnoea by age band.
    if (rr !== null) {
      const threshold = childTachypnoeaThreshold(months);
      if (rr >= threshold) fire('severe_child_tachypnoea', 'severe', { respRate: rr, ageMonths: ageMonthsValue, threshold });
    }
    // 儿童 4–6: signs recorded when present; not recorded means not observed.
    if (input.nasalFlaringOrRetractions === true) {
      fire('severe_child_assisted_breathing', 'severe', { nasalFlaringOrRetractions: true });
    }
    if (input.lethargyOrConvulsions === true) {
      fire('severe_child_lethargy_convulsions', 'severe', { lethargyOrConvulsions: true });
    }
    if (input.refusingFeedsWithDehydration === true) {
      fire('severe_child_refusing_feeds_dehydration', 'severe', { refusingFeedsWithDehydration: true });
    }
  } else {
    // Adults, and patients of unknown age (reported as missing 'age').
    // 成人 1: 出现气促，RR≥30次/分 — both the breathlessness and the rate.
    const breathless = input.breathless ?? symptoms.includes('breathlessness');
    if (rr !== null && rr >= ADULT_RR_SEVERE && breathless) {
      fire('severe_adult_rr_breathless', 'severe', { respRate: rr, breathless });
    }
    // 成人 3: PaO2/FiO2 ≤ 300 mmHg, altitude-corrected above 1,000 m.
    const pf = finiteOrNull(input.pao2Fio2);
    if (pf === null) missing.add('pao2_fio2');
    else {
      const c = correctedPao2Fio2(pf, input.altitudeMetres, input.atmosphericPressureMmHg);
      if (c.needsPressure) missing.add('atmospheric_pressure');
      if (c.value <= PAO2_FIO2_SEVERE_MAX) {
        const values: Values = { pao2Fio2: pf, corrected: c.corrected, pao2Fio2Used: roundTo(c.value, 1) };
        const altitude = finiteOrNull(input.altitudeMetres);
        const pressure = finiteOrNull(input.atmosphericPressureMmHg);
        if (altitude !== null) values.altitudeMetres = altitude;
        if (pressure !== null && c.corrected) values.atmosphericPressureMmHg = pressure;
        fire('severe_adult_pao2_fio2', 'severe', values);
      }
    }
    // 成人 4: 临床症状进行性加重，24～48小时内病灶明显进展＞50%.
    const pct = finiteOrNull(input.lesionProgressionPct);
    const hours = finiteOrNull(input.lesionProgressionHours);
    if (input.symptomsWorsening === true) {
      if (pct === null) missing.add('lesion_progression');
      else if (pct > LESION_PROGRESSION_SEVERE_PCT && (hours === null || hours <= LESION_PROGRESSION_MAX_HOURS)) {
        const values: Values = { lesionProgressionPct: pct, symptomsWorsening: true };
        if (hours !== null) values.hours = hours;
        fire('severe_adult_lesion_progression', 'severe', values);
      }
    }
  }

  // §6 (四) 危重型, any age.
  if (input.mechanicalVentilation === true) fire('critical_mechanical_ventilation', 'critical', { mechanicalVentilation: true });
  if (input.shock === true) fire('critical_shock', 'critical', { shock: true });
  if (input.organFailureNeedingIcu === true) fire('critical_organ_failure_icu', 'critical', { organFailureNeedingIcu: true });

  const proposed = criteria.reduce<ClinicalClass>((worst, c) => worseClass(worst, c.class), 'asymptomatic');
  return {
    ruleSet: CN_V9,
    proposed,
    ageGroup: months === null ? 'unknown' : isChild ? 'child' : 'adult',
    criteria,
    missing: [...missing],
  };
}
