// Treatment tiers (救治梯队) T1–T5 and the tier proposal.
// The tiers are Echelon's default reference data (DESIGN.md §4, editable with history). The proposal
// follows the placement rule of the China protocol trial v9, §11 (一) 根据病情确定隔离管理和治疗场所:
//   1. mild cases (轻型病例) are managed in centralised isolation (fangcang / isolation points);
//   2. moderate, severe and critical cases, and cases with high-risk factors for severe disease
//      (有重型高危因素的病例), are treated centrally in the designated hospital; severe and critical
//      cases should be admitted to ICU as early as possible.
// Reading of the protocol for the ambiguous cases:
// - "Cases with high-risk factors" are confirmed cases (病例). Asymptomatic infections (无症状感染者)
//   are not cases in the protocol's terms, so an asymptomatic patient with risk factors stays in the
//   fangcang with closer monitoring (T2, as DESIGN.md defines T2), while a mild patient with risk
//   factors is proposed for the designated hospital general ward (T3). The panel may keep a stable
//   mild high-risk patient in T2; that is its decision, recorded with a reason.
// - Severe: the protocol says ICU as early as possible; our T4 is the designated hospital's severe
//   ward / HDU with ICU-level monitoring, and T5 (ICU) is proposed for critical. The severe proposal
//   carries the reason 'consider_icu' so the panel sees the protocol's advice.

import type { ClinicalClass } from './classify';

export type TierCode = 'T1' | 'T2' | 'T3' | 'T4' | 'T5';
export const TIER_CODES: readonly TierCode[] = ['T1', 'T2', 'T3', 'T4', 'T5'];

export type Placement = 'isolation_or_fangcang' | 'fangcang' | 'designated' | 'designated_severe' | 'icu';
export type FacilityKind = 'designated' | 'fangcang' | 'isolation';

export interface TierDef {
  code: TierCode;
  nameZh: string;
  nameEn: string;
  descriptionZh: string;
  descriptionEn: string;
  placement: Placement;
  /** Facility kinds where a patient in this tier may be placed. */
  facilityKinds: readonly FacilityKind[];
}

/** Seed data for the tier reference table. */
export const DEFAULT_TIERS: readonly TierDef[] = [
  {
    code: 'T1',
    nameZh: '隔离观察',
    nameEn: 'Isolation and observation',
    descriptionZh: '隔离点或方舱医院观察：无症状感染者，无重症高危因素。',
    descriptionEn: 'Isolation point or fangcang observation: asymptomatic infection without high-risk factors.',
    placement: 'isolation_or_fangcang',
    facilityKinds: ['isolation', 'fangcang'],
  },
  {
    code: 'T2',
    nameZh: '方舱医院治疗',
    nameEn: 'Fangcang care',
    descriptionZh: '方舱医院治疗：轻型病例，或有重症高危因素的无症状感染者，加强监测。',
    descriptionEn: 'Fangcang care: mild cases, or asymptomatic infection with high-risk factors, with closer monitoring.',
    placement: 'fangcang',
    facilityKinds: ['fangcang'],
  },
  {
    code: 'T3',
    nameZh: '定点医院普通病区',
    nameEn: 'Designated hospital general ward',
    descriptionZh: '定点医院普通病区：普通型病例，或经专家组安排的有重症高危因素的病例。',
    descriptionEn: 'Designated hospital general ward: moderate cases, or cases with high-risk factors placed there by the expert panel.',
    placement: 'designated',
    facilityKinds: ['designated'],
  },
  {
    code: 'T4',
    nameZh: '定点医院重症病区',
    nameEn: 'Designated hospital severe ward (HDU)',
    descriptionZh: '定点医院重症病区（高依赖病房）：重型病例。',
    descriptionEn: 'Designated hospital severe ward / high-dependency unit: severe cases.',
    placement: 'designated_severe',
    facilityKinds: ['designated'],
  },
  {
    code: 'T5',
    nameZh: '重症监护病房',
    nameEn: 'Intensive care unit',
    descriptionZh: '重症监护病房（ICU）：危重型病例。',
    descriptionEn: 'Intensive care unit: critical cases.',
    placement: 'icu',
    facilityKinds: ['designated'],
  },
];

export const TIER_REASONS = [
  'class_asymptomatic',
  'class_mild',
  'class_moderate',
  'class_severe',
  'class_critical',
  'no_risk_factors',
  'risk_factors_closer_monitoring',
  'risk_factors_designated_hospital',
  'consider_icu',
  'transfer_to_designated_hospital',
] as const;

export type TierReason = (typeof TIER_REASONS)[number];

export const PLACEMENTS: readonly Placement[] = ['isolation_or_fangcang', 'fangcang', 'designated', 'designated_severe', 'icu'];
export const FACILITY_KINDS: readonly FacilityKind[] = ['designated', 'fangcang', 'isolation'];

export interface TierInput {
  clinicalClass: ClinicalClass;
  hasRiskFactors: boolean;
  /** Where the patient is now; used to say whether the proposal means a transfer. */
  facilityKind?: FacilityKind | null;
}

export interface TierProposal {
  tier: TierCode;
  reasons: TierReason[];
  placement: Placement;
  /** The patient is in a fangcang or isolation point and the proposal needs the designated hospital. */
  transferNeeded: boolean;
}

const PLACEMENT: Record<TierCode, Placement> = {
  T1: 'isolation_or_fangcang',
  T2: 'fangcang',
  T3: 'designated',
  T4: 'designated_severe',
  T5: 'icu',
};

function tierFor(input: TierInput): { tier: TierCode; reasons: TierReason[] } {
  switch (input.clinicalClass) {
    case 'critical':
      return { tier: 'T5', reasons: ['class_critical'] };
    case 'severe':
      return { tier: 'T4', reasons: ['class_severe', 'consider_icu'] };
    case 'moderate':
      return { tier: 'T3', reasons: ['class_moderate'] };
    case 'mild':
      return input.hasRiskFactors ? { tier: 'T3', reasons: ['class_mild', 'risk_factors_designated_hospital'] } : { tier: 'T2', reasons: ['class_mild', 'no_risk_factors'] };
    case 'asymptomatic':
      return input.hasRiskFactors
        ? { tier: 'T2', reasons: ['class_asymptomatic', 'risk_factors_closer_monitoring'] }
        : { tier: 'T1', reasons: ['class_asymptomatic', 'no_risk_factors'] };
  }
}

export function proposeTier(input: TierInput): TierProposal {
  const { tier, reasons } = tierFor(input);
  const placement = PLACEMENT[tier];
  const needsDesignated = placement === 'designated' || placement === 'designated_severe' || placement === 'icu';
  const transferNeeded = needsDesignated && (input.facilityKind === 'fangcang' || input.facilityKind === 'isolation');
  return {
    tier,
    reasons: transferNeeded ? [...reasons, 'transfer_to_designated_hospital'] : reasons,
    placement,
    transferNeeded,
  };
}
