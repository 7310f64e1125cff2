// Antiviral treatment proposal, China protocol trial v9 (新型冠状病毒肺炎诊疗方案（试行第九版）, NHC,
// March 2022), §10 治疗 (一) 抗病毒治疗:
// 1 奈玛特韦片/利托那韦片组合包装 (nirmatrelvir/ritonavir): 适用人群为发病5天以内的轻型和普通型且伴有
//   进展为重型高风险因素的成人和青少年（12-17岁，体重≥40kg）患者; 奈玛特韦300mg与利托那韦100mg同时服用，
//   每12小时一次，连续服用5天; 只有母亲的潜在获益大于对胎儿的潜在风险时，才能在妊娠期间使用; 不建议在
//   哺乳期使用; 中度肾功能损伤者应将奈玛特韦减半服用，重度肝、肾功能损伤者不应使用.
// 2 安巴韦单抗/罗米司韦单抗注射液 (amubarvimab/romlusevimab): 联合用于治疗轻型和普通型且伴有进展为重型
//   高风险因素的成人和青少年（12-17岁，体重≥40kg）患者; 二药的剂量分别为1000mg, 经静脉序贯输注.
// The high-risk factors are those of §7 (risk.ts). The protocol gives no eGFR numbers: "moderate" and
// "severe" renal impairment are read with the PAXLOVID label's bands (§2: eGFR ≥ 30 and < 60 mL/min/
// 1.73 m² takes 150 mg nirmatrelvir; < 30 not recommended), and severe hepatic impairment as
// Child–Pugh C. Like the other rules this proposes; the prescriber decides and checks interactions.

import { addDays, daysBetween, localDate, startOfLocalDay } from '../domain/time';
import type { ClinicalClass } from './classify';
import type { CriterionStatus } from './release';
import type { RiskFactor } from './risk';
import { requireMs } from './time';

export type { CriterionStatus } from './release';

export const ANTIVIRAL_RULE_VERSION = 'cn-v9-antiviral-1';

export const ANTIVIRAL_OPTIONS = ['nirmatrelvir_ritonavir', 'amubarvimab_romlusevimab'] as const;
export type AntiviralOption = (typeof ANTIVIRAL_OPTIONS)[number];

/** §10 (一) 1 发病5天以内: the onset day is day 0, so day 5 is the last day in the window. */
export const ANTIVIRAL_WINDOW_DAYS = 5;
/** §10 (一) 成人和青少年（12-17岁，体重≥40kg）. */
export const ANTIVIRAL_MIN_AGE_YEARS = 12;
export const ANTIVIRAL_ADULT_AGE_YEARS = 18;
export const ANTIVIRAL_ADOLESCENT_MIN_WEIGHT_KG = 40;
/** PAXLOVID label §2: eGFR ≥ 60 standard dose; ≥ 30 and < 60 nirmatrelvir halved; < 30 not recommended. */
export const NMV_R_EGFR_STANDARD_MIN = 60;
export const NMV_R_EGFR_MIN = 30;

export type Eligibility = 'eligible' | 'not_eligible' | 'unknown';
export type Pregnancy = 'none' | 'pregnant' | 'breastfeeding';

export interface AntiviralInput {
  /** ISO instant. */
  now: string;
  /** The hospital's IANA zone: days since onset are counted on its local calendar dates. */
  timeZone: string;
  /** YYYY-MM-DD local date of symptom onset; for an asymptomatic infection the caller passes the first positive test date. */
  onsetDate: string | null;
  /** The confirmed class, else the proposal. */
  clinicalClass: ClinicalClass | null;
  ageYears: number | null;
  weightKg: number | null;
  /** Effective risk factors (age_over_60 already derived). */
  riskFactors: readonly RiskFactor[];
  /** null = not recorded. */
  pregnancy: Pregnancy | null;
  egfr: { value: number; source: 'creatinine' | 'manual'; at: string } | null;
  /** Child–Pugh C; null = not recorded. */
  severeLiverImpairment: boolean | null;
}

export const ANTIVIRAL_CRITERION_CODES = ['onset_within_window', 'class_mild_or_moderate', 'high_risk_factor', 'age_and_weight', 'renal_function', 'hepatic_function'] as const;
export type AntiviralCriterionCode = (typeof ANTIVIRAL_CRITERION_CODES)[number];

export const ANTIVIRAL_MISSING_CODES = ['onset_date', 'class', 'age', 'weight', 'egfr', 'hepatic_function'] as const;
export type AntiviralMissing = (typeof ANTIVIRAL_MISSING_CODES)[number];

export const ANTIVIRAL_CAUTIONS = ['pregnancy_benefit_risk', 'breastfeeding_not_recommended', 'renal_dose_halved'] as const;
export type AntiviralCaution = (typeof ANTIVIRAL_CAUTIONS)[number];

export const ANTIVIRAL_DOSE_CODES = ['nmv_r_standard', 'nmv_r_renal', 'amubarvimab_romlusevimab_single'] as const;
export type AntiviralDoseCode = (typeof ANTIVIRAL_DOSE_CODES)[number];

/** Values of `evidence.reason` on the onset criterion. */
export const ANTIVIRAL_ONSET_REASONS = ['no_onset_date', 'invalid_onset_date', 'onset_in_future', 'within_window', 'past_window'] as const;
export type AntiviralOnsetReason = (typeof ANTIVIRAL_ONSET_REASONS)[number];

export interface AntiviralCriterion {
  code: AntiviralCriterionCode;
  status: CriterionStatus;
  evidence: Record<string, string | number | boolean | null>;
}

export interface AntiviralDose {
  code: AntiviralDoseCode;
  nirmatrelvirMg?: number;
  ritonavirMg?: number;
  everyHours?: number;
  days?: number;
}

export interface OptionProposal {
  option: AntiviralOption;
  status: Eligibility;
  criteria: AntiviralCriterion[];
  missing: AntiviralMissing[];
  /** Only when eligible. */
  dose: AntiviralDose | null;
  cautions: AntiviralCaution[];
}

export interface AntiviralProposal {
  ruleVersion: string;
  daysSinceOnset: number | null;
  /** Start of the local day onset + 6, i.e. the end of day 5; null without a valid onset date. */
  windowEndsAt: string | null;
  options: OptionProposal[];
}

/** §10 (一) 1 用法. */
export const NMV_R_STANDARD_DOSE: AntiviralDose = { code: 'nmv_r_standard', nirmatrelvirMg: 300, ritonavirMg: 100, everyHours: 12, days: 5 };
/** §10 (一) 1 中度肾功能损伤者应将奈玛特韦减半服用. */
export const NMV_R_RENAL_DOSE: AntiviralDose = { code: 'nmv_r_renal', nirmatrelvirMg: 150, ritonavirMg: 100, everyHours: 12, days: 5 };
/** §10 (一) 2: 1,000 mg of each antibody, sequential IV infusion, once. */
export const AMUBARVIMAB_ROMLUSEVIMAB_DOSE: AntiviralDose = { code: 'amubarvimab_romlusevimab_single' };

function isLocalDate(s: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s);
  if (!m) return false;
  const d = new Date(`${s}T00:00:00Z`);
  return Number.isFinite(d.getTime()) && d.toISOString().slice(0, 10) === s;
}

/** Local calendar days from the onset date to `now`'s local date in `timeZone`; the onset day is 0. */
export function daysSinceOnset(onsetDate: string, now: string, timeZone: string): number {
  if (!isLocalDate(onsetDate)) throw new RangeError(`onsetDate is not a YYYY-MM-DD date: ${onsetDate}`);
  requireMs(now, 'now');
  return daysBetween(onsetDate, localDate(now, timeZone));
}

type Evidence = AntiviralCriterion['evidence'];
interface Judged {
  criterion: AntiviralCriterion;
  missing?: AntiviralMissing;
}

const judged = (code: AntiviralCriterionCode, status: CriterionStatus, evidence: Evidence, missing?: AntiviralMissing): Judged => ({
  criterion: { code, status, evidence },
  ...(missing ? { missing } : {}),
});

/**
 * An onset date after today's local date is a data error, not a patient outside the window: the
 * criterion is unknown (reason onset_in_future) so the date gets corrected rather than the patient
 * silently turned away.
 */
function onsetCriterion(onsetDate: string | null, days: number | null): Judged {
  const base = { onsetDate, daysSinceOnset: days, windowDays: ANTIVIRAL_WINDOW_DAYS };
  if (onsetDate === null) return judged('onset_within_window', 'unknown', { ...base, reason: 'no_onset_date' }, 'onset_date');
  if (days === null) return judged('onset_within_window', 'unknown', { ...base, reason: 'invalid_onset_date' }, 'onset_date');
  if (days < 0) return judged('onset_within_window', 'unknown', { ...base, reason: 'onset_in_future' });
  if (days <= ANTIVIRAL_WINDOW_DAYS) return judged('onset_within_window', 'met', { ...base, reason: 'within_window' });
  return judged('onset_within_window', 'not_met', { ...base, reason: 'past_window' });
}

/** §10 (一) 轻型和普通型: asymptomatic, severe and critical are outside the indication. */
function classCriterion(clinicalClass: ClinicalClass | null): Judged {
  if (clinicalClass === null) return judged('class_mild_or_moderate', 'unknown', { clinicalClass: null }, 'class');
  const ok = clinicalClass === 'mild' || clinicalClass === 'moderate';
  return judged('class_mild_or_moderate', ok ? 'met' : 'not_met', { clinicalClass });
}

/** §10 (一) 伴有进展为重型高风险因素 (§7). */
function riskCriterion(riskFactors: readonly RiskFactor[]): Judged {
  return judged('high_risk_factor', riskFactors.length > 0 ? 'met' : 'not_met', { riskFactors: riskFactors.join(','), riskFactorCount: riskFactors.length });
}

/** §10 (一) 成人和青少年（12-17岁，体重≥40kg）: adults regardless of weight. */
function ageWeightCriterion(ageYears: number | null, weightKg: number | null): Judged {
  const evidence = {
    ageYears,
    weightKg,
    minAgeYears: ANTIVIRAL_MIN_AGE_YEARS,
    adultAgeYears: ANTIVIRAL_ADULT_AGE_YEARS,
    minWeightKg: ANTIVIRAL_ADOLESCENT_MIN_WEIGHT_KG,
  };
  if (ageYears === null || !Number.isFinite(ageYears)) return judged('age_and_weight', 'unknown', evidence, 'age');
  if (ageYears < ANTIVIRAL_MIN_AGE_YEARS) return judged('age_and_weight', 'not_met', evidence);
  if (ageYears >= ANTIVIRAL_ADULT_AGE_YEARS) return judged('age_and_weight', 'met', evidence);
  if (weightKg === null || !Number.isFinite(weightKg)) return judged('age_and_weight', 'unknown', evidence, 'weight');
  return judged('age_and_weight', weightKg >= ANTIVIRAL_ADOLESCENT_MIN_WEIGHT_KG ? 'met' : 'not_met', evidence);
}

function renalCriterion(egfr: AntiviralInput['egfr']): Judged & { dose: AntiviralDose } {
  const evidence = { egfr: egfr?.value ?? null, egfrSource: egfr?.source ?? null, egfrAt: egfr?.at ?? null, standardMin: NMV_R_EGFR_STANDARD_MIN, min: NMV_R_EGFR_MIN };
  if (egfr === null || !Number.isFinite(egfr.value)) return { ...judged('renal_function', 'unknown', evidence, 'egfr'), dose: NMV_R_STANDARD_DOSE };
  if (egfr.value >= NMV_R_EGFR_STANDARD_MIN) return { ...judged('renal_function', 'met', evidence), dose: NMV_R_STANDARD_DOSE };
  if (egfr.value >= NMV_R_EGFR_MIN) return { ...judged('renal_function', 'met', evidence), dose: NMV_R_RENAL_DOSE };
  return { ...judged('renal_function', 'not_met', evidence), dose: NMV_R_STANDARD_DOSE };
}

/** §10 (一) 1 重度肝功能损伤者不应使用 (Child–Pugh C). */
function hepaticCriterion(severe: boolean | null): Judged {
  if (severe === null) return judged('hepatic_function', 'unknown', { severeLiverImpairment: null }, 'hepatic_function');
  return judged('hepatic_function', severe ? 'not_met' : 'met', { severeLiverImpairment: severe });
}

function statusOf(criteria: readonly AntiviralCriterion[]): Eligibility {
  if (criteria.some((c) => c.status === 'not_met')) return 'not_eligible';
  if (criteria.some((c) => c.status === 'unknown')) return 'unknown';
  return 'eligible';
}

function option(opt: AntiviralOption, judgements: readonly Judged[], dose: AntiviralDose, cautions: AntiviralCaution[]): OptionProposal {
  const criteria = judgements.map((j) => j.criterion);
  const status = statusOf(criteria);
  const missing = [...new Set(judgements.flatMap((j) => (j.missing ? [j.missing] : [])))];
  return { option: opt, status, criteria, missing, dose: status === 'eligible' ? dose : null, cautions };
}

/**
 * Both options of §10 (一), each with its criteria in a fixed order. Status: not_eligible when any
 * criterion is not met, else unknown when any is unknown, else eligible. Pregnancy and breastfeeding
 * give cautions for nirmatrelvir/ritonavir, never a block (§10 (一) 1 leaves the decision to the
 * prescriber). The protocol sets no onset window for the antibodies; the same 5-day window is applied
 * as issue 19 asks ("for the same group of patients"), so both options are offered in one window.
 */
export function proposeAntivirals(input: AntiviralInput): AntiviralProposal {
  requireMs(input.now, 'now');
  const validOnset = input.onsetDate !== null && isLocalDate(input.onsetDate);
  const days = validOnset && input.onsetDate !== null ? daysSinceOnset(input.onsetDate, input.now, input.timeZone) : null;
  const windowEndsAt = validOnset && input.onsetDate !== null ? startOfLocalDay(addDays(input.onsetDate, ANTIVIRAL_WINDOW_DAYS + 1), input.timeZone) : null;

  const common = [onsetCriterion(input.onsetDate, days), classCriterion(input.clinicalClass), riskCriterion(input.riskFactors), ageWeightCriterion(input.ageYears, input.weightKg)];
  const renal = renalCriterion(input.egfr);

  const nmvCautions: AntiviralCaution[] = [];
  if (input.pregnancy === 'pregnant') nmvCautions.push('pregnancy_benefit_risk');
  if (input.pregnancy === 'breastfeeding') nmvCautions.push('breastfeeding_not_recommended');
  if (renal.criterion.status === 'met' && renal.dose.code === 'nmv_r_renal') nmvCautions.push('renal_dose_halved');

  return {
    ruleVersion: ANTIVIRAL_RULE_VERSION,
    daysSinceOnset: days,
    windowEndsAt,
    options: [
      option('nirmatrelvir_ritonavir', [...common, renal, hepaticCriterion(input.severeLiverImpairment)], renal.dose, nmvCautions),
      option('amubarvimab_romlusevimab', common, AMUBARVIMAB_ROMLUSEVIMAB_DOSE, []),
    ],
  };
}

/** Some option is eligible and the patient is still within the window (for queues and reminders). */
export function anyEligibleInWindow(p: AntiviralProposal): boolean {
  return p.daysSinceOnset !== null && p.daysSinceOnset <= ANTIVIRAL_WINDOW_DAYS && p.options.some((o) => o.status === 'eligible');
}
