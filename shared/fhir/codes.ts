/**
 * Terminology of Echelon's FHIR R4 export (issue 8). LOINC codes as published by Regenstrief
 * (vital signs as in the FHIR R4 vital-signs profile; SARS-CoV-2 Ct codes 94509-7/94510-5/94511-3 and
 * the qualitative 94500-6 from LOINC's SARS-CoV-2 test set, 2020); units are UCUM.
 */
import type { LabAnalyte } from '../domain/clinical';
import type { ClinicalClass } from '../clinical/classify';
import type { DischargeDisposition } from '../domain/clinical';

export const LOINC = 'http://loinc.org';
export const UCUM = 'http://unitsofmeasure.org';
export const SNOMED = 'http://snomed.info/sct';
/** Echelon's own code systems, for what no standard code says (the China protocol's classes, flag codes, plan items). */
export const ECHELON_SYSTEM = 'urn:echelon:codes';

export interface Coding {
  system: string;
  code: string;
  display?: string;
}

export interface VitalCode {
  codings: Coding[];
  unit: string;
  ucum: string;
}

/** Vital signs of a round: the column, its LOINC code(s) and UCUM unit. */
export const VITAL_CODES = {
  resp_rate: { codings: [{ system: LOINC, code: '9279-1', display: 'Respiratory rate' }], unit: '/min', ucum: '/min' },
  pulse: { codings: [{ system: LOINC, code: '8867-4', display: 'Heart rate' }], unit: '/min', ucum: '/min' },
  // The vital-signs profile asks for 2708-6; 59408-5 says it was read by pulse oximetry.
  spo2: {
    codings: [
      { system: LOINC, code: '2708-6', display: 'Oxygen saturation in Arterial blood' },
      { system: LOINC, code: '59408-5', display: 'Oxygen saturation in Arterial blood by Pulse oximetry' },
    ],
    unit: '%',
    ucum: '%',
  },
  systolic_bp: { codings: [{ system: LOINC, code: '8480-6', display: 'Systolic blood pressure' }], unit: 'mmHg', ucum: 'mm[Hg]' },
  diastolic_bp: { codings: [{ system: LOINC, code: '8462-4', display: 'Diastolic blood pressure' }], unit: 'mmHg', ucum: 'mm[Hg]' },
  temperature: { codings: [{ system: LOINC, code: '8310-5', display: 'Body temperature' }], unit: 'Cel', ucum: 'Cel' },
} as const satisfies Record<string, VitalCode>;
export type VitalColumn = keyof typeof VITAL_CODES;

/** Per-gene cycle thresholds of a nucleic-acid result. */
export const CT_CODES = {
  n_ct: { system: LOINC, code: '94510-5', display: 'SARS-CoV-2 (COVID-19) N gene [Cycle Threshold #] in Unspecified specimen by NAA with probe detection' },
  orf1ab_ct: { system: LOINC, code: '94511-3', display: 'SARS-CoV-2 (COVID-19) ORF1ab region [Cycle Threshold #] in Unspecified specimen by NAA with probe detection' },
  e_ct: { system: LOINC, code: '94509-7', display: 'SARS-CoV-2 (COVID-19) E gene [Cycle Threshold #] in Unspecified specimen by NAA with probe detection' },
} as const;
export type CtColumn = keyof typeof CT_CODES;

export const QUALITATIVE_CODE: Coding = { system: LOINC, code: '94500-6', display: 'SARS-CoV-2 (COVID-19) RNA [Presence] in Respiratory specimen by NAA with probe detection' };
export const RESULT_CODES: Record<'positive' | 'negative', Coding> = {
  positive: { system: SNOMED, code: '10828004', display: 'Positive' },
  negative: { system: SNOMED, code: '260385009', display: 'Negative' },
};

/** Other laboratory values of DESIGN.md §3, with the units Echelon records them in. */
export const LAB_CODES: Record<Exclude<LabAnalyte, 'nucleic_acid'>, { coding: Coding; unit: string; ucum: string }> = {
  lymphocytes: { coding: { system: LOINC, code: '731-0', display: 'Lymphocytes [#/volume] in Blood by Automated count' }, unit: '10^9/L', ucum: '10*9/L' },
  crp: { coding: { system: LOINC, code: '1988-5', display: 'C reactive protein [Mass/volume] in Serum or Plasma' }, unit: 'mg/L', ucum: 'mg/L' },
  il6: { coding: { system: LOINC, code: '26881-3', display: 'Interleukin 6 [Mass/volume] in Serum or Plasma' }, unit: 'pg/mL', ucum: 'pg/mL' },
  ferritin: { coding: { system: LOINC, code: '2276-4', display: 'Ferritin [Mass/volume] in Serum or Plasma' }, unit: 'ng/mL', ucum: 'ng/mL' },
  ddimer: { coding: { system: LOINC, code: '48065-7', display: 'Fibrin D-dimer FEU [Mass/volume] in Platelet poor plasma' }, unit: 'mg/L FEU', ucum: 'mg/L{FEU}' },
  lactate: { coding: { system: LOINC, code: '2524-7', display: 'Lactate [Moles/volume] in Serum or Plasma' }, unit: 'mmol/L', ucum: 'mmol/L' },
  pao2_fio2: { coding: { system: LOINC, code: '50984-4', display: 'Horowitz index in Arterial blood' }, unit: 'mmHg', ucum: 'mm[Hg]' },
};

export const COVID19_CONDITION: Coding[] = [
  { system: SNOMED, code: '840539006', display: 'Disease caused by severe acute respiratory syndrome coronavirus 2 (disorder)' },
  { system: 'http://hl7.org/fhir/sid/icd-10', code: 'U07.1', display: 'COVID-19, virus identified' },
];

/** Clinical class (China protocol v9) as Condition.severity: Echelon's code, plus SNOMED's severity where one fits. */
export const CLASS_SEVERITY: Record<ClinicalClass, Coding | null> = {
  asymptomatic: null,
  mild: { system: SNOMED, code: '255604002', display: 'Mild' },
  moderate: { system: SNOMED, code: '6736007', display: 'Moderate' },
  severe: { system: SNOMED, code: '24484000', display: 'Severe' },
  critical: { system: SNOMED, code: '442452003', display: 'Life threatening severity' },
};

/** Encounter.hospitalization.dischargeDisposition (terminology.hl7.org discharge-disposition). */
export const DISPOSITION_CODES: Record<DischargeDisposition, Coding> = {
  home: { system: 'http://terminology.hl7.org/CodeSystem/discharge-disposition', code: 'home', display: 'Home' },
  other_facility: { system: 'http://terminology.hl7.org/CodeSystem/discharge-disposition', code: 'other-hcf', display: 'Other healthcare facility' },
  deceased: { system: 'http://terminology.hl7.org/CodeSystem/discharge-disposition', code: 'exp', display: 'Expired' },
  other: { system: 'http://terminology.hl7.org/CodeSystem/discharge-disposition', code: 'oth', display: 'Other' },
};

/** NEWS2 band → RiskAssessment qualitative risk (terminology.hl7.org risk-probability). */
export const NEWS2_RISK: Record<string, Coding> = {
  low: { system: 'http://terminology.hl7.org/CodeSystem/risk-probability', code: 'low', display: 'Low likelihood' },
  low_medium: { system: 'http://terminology.hl7.org/CodeSystem/risk-probability', code: 'moderate', display: 'Moderate likelihood' },
  medium: { system: 'http://terminology.hl7.org/CodeSystem/risk-probability', code: 'moderate', display: 'Moderate likelihood' },
  high: { system: 'http://terminology.hl7.org/CodeSystem/risk-probability', code: 'high', display: 'High likelihood' },
};

export const LOCATION_TYPE = {
  facility: { system: 'http://terminology.hl7.org/CodeSystem/location-physical-type', code: 'si', display: 'Site' },
  ward: { system: 'http://terminology.hl7.org/CodeSystem/location-physical-type', code: 'wa', display: 'Ward' },
  bed: { system: 'http://terminology.hl7.org/CodeSystem/location-physical-type', code: 'bd', display: 'Bed' },
} as const;
