/** Vocabularies of the clinical records (DESIGN.md §3), shared by the contract, the schema and the UI. */
export const ENTRY_KINDS = ['original', 'amendment', 'entered_in_error'] as const;
export type EntryKind = (typeof ENTRY_KINDS)[number];

export const LAB_ANALYTES = ['nucleic_acid', 'lymphocytes', 'crp', 'il6', 'ferritin', 'ddimer', 'lactate', 'pao2_fio2'] as const;
export type LabAnalyte = (typeof LAB_ANALYTES)[number];

export const OXYGEN_DEVICES = ['nasal_cannula', 'simple_mask', 'venturi', 'non_rebreather', 'hfnc', 'niv', 'ventilator'] as const;
export type OxygenDevice = (typeof OXYGEN_DEVICES)[number];

/** Observed signs beyond vitals that the class rules need (child severity, critical criteria). */
export const CLINICAL_SIGNS = [
  'symptoms_worsening',
  'nasal_flaring_retractions',
  'lethargy_convulsions',
  'refusing_feeds_dehydration',
  'mechanical_ventilation',
  'shock',
  'organ_failure_icu',
] as const;
export type ClinicalSign = (typeof CLINICAL_SIGNS)[number];

export const TIER_CODES = ['T1', 'T2', 'T3', 'T4', 'T5'] as const;
export type TierCode = (typeof TIER_CODES)[number];
export const TIER_SOURCES = ['admission', 'manual', 'review'] as const;

export const REVIEW_DECISIONS = ['continue', 'escalate_tier', 'transfer_designated', 'transfer_icu', 'step_down', 'ready_for_discharge'] as const;
export type ReviewDecision = (typeof REVIEW_DECISIONS)[number];

export const TRANSFER_STATUSES = ['requested', 'bed_assigned', 'completed', 'cancelled'] as const;
export type TransferStatus = (typeof TRANSFER_STATUSES)[number];

export const DISCHARGE_DISPOSITIONS = ['home', 'other_facility', 'deceased', 'other'] as const;
export type DischargeDisposition = (typeof DISCHARGE_DISPOSITIONS)[number];

export const PLAN_ITEM_KINDS = [
  'antiviral',
  'oxygen_therapy',
  'prone_position',
  'anticoagulation',
  'tcm',
  'symptomatic',
  'chronic_medication',
  'psychological_support',
  'special_needs',
] as const;
export type PlanItemKind = (typeof PLAN_ITEM_KINDS)[number];
