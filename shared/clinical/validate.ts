// Range validation for entered vitals and lab results against limits.ts. Errors block the save;
// warnings ask the user to confirm. Absent values (undefined or null) are not checked: partial
// rounds are allowed. A value that is not a finite number is an error.

import { LAB_LIMITS, VITAL_SIGN_LIMITS, type LabField, type Limit, type LimitField, type VitalField } from './limits';

export interface LimitError {
  field: LimitField;
  code: 'out_of_range';
  min: number;
  max: number;
}

export interface LimitWarning {
  field: LimitField;
  code: 'implausible';
  plausibleMin: number;
  plausibleMax: number;
}

export interface ValidationResult {
  errors: LimitError[];
  warnings: LimitWarning[];
}

export type VitalsValues = Partial<Record<VitalField, number | null>>;
export type LabValues = Partial<Record<LabField, number | null>>;

function check<F extends LimitField>(values: Partial<Record<F, number | null>>, limits: Readonly<Record<F, Limit>>): ValidationResult {
  const result: ValidationResult = { errors: [], warnings: [] };
  for (const field of Object.keys(limits) as F[]) {
    const value = values[field];
    if (value === undefined || value === null) continue;
    const limit = limits[field];
    if (!Number.isFinite(value) || value < limit.min || value > limit.max) {
      result.errors.push({ field, code: 'out_of_range', min: limit.min, max: limit.max });
    } else if (value < limit.plausibleMin || value > limit.plausibleMax) {
      result.warnings.push({
        field,
        code: 'implausible',
        plausibleMin: limit.plausibleMin,
        plausibleMax: limit.plausibleMax,
      });
    }
  }
  return result;
}

export function validateVitals(values: VitalsValues): ValidationResult {
  return check<VitalField>(values, VITAL_SIGN_LIMITS);
}

export function validateLabs(values: LabValues): ValidationResult {
  return check<LabField>(values, LAB_LIMITS);
}
