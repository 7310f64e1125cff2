import { describe, expect, it } from 'vitest';
import { LAB_LIMITS, PCR_CT_CUTOFF, VITAL_LIMITS, VITAL_SIGN_LIMITS } from '../../../shared/clinical/limits';
import { validateLabs, validateVitals, type LabValues, type VitalsValues } from '../../../shared/clinical/validate';

type Outcome = 'ok' | 'warning' | 'error';

const outcome = (r: { errors: unknown[]; warnings: unknown[] }): Outcome => (r.errors.length > 0 ? 'error' : r.warnings.length > 0 ? 'warning' : 'ok');

describe('vital signs at the bedside', () => {
  it.each<[keyof VitalsValues, number, Outcome]>([
    ['respRate', -1, 'error'],
    ['respRate', 0, 'warning'],
    ['respRate', 5, 'warning'],
    ['respRate', 6, 'ok'],
    ['respRate', 60, 'ok'],
    ['respRate', 61, 'warning'],
    ['respRate', 100, 'warning'],
    ['respRate', 101, 'error'],
    ['spo2', -1, 'error'],
    ['spo2', 69, 'warning'],
    ['spo2', 70, 'ok'],
    ['spo2', 100, 'ok'],
    ['spo2', 101, 'error'],
    ['systolicBp', 59, 'warning'],
    ['systolicBp', 60, 'ok'],
    ['systolicBp', 250, 'ok'],
    ['systolicBp', 251, 'warning'],
    ['systolicBp', 301, 'error'],
    ['diastolicBp', 29, 'warning'],
    ['diastolicBp', 30, 'ok'],
    ['diastolicBp', 151, 'warning'],
    ['diastolicBp', 201, 'error'],
    ['pulse', 29, 'warning'],
    ['pulse', 30, 'ok'],
    ['pulse', 220, 'ok'],
    ['pulse', 221, 'warning'],
    ['pulse', 301, 'error'],
    ['temperature', 24.9, 'error'],
    ['temperature', 25, 'warning'],
    ['temperature', 33.9, 'warning'],
    ['temperature', 34, 'ok'],
    ['temperature', 42, 'ok'],
    ['temperature', 42.1, 'warning'],
    ['temperature', 45, 'warning'],
    ['temperature', 45.1, 'error'],
    ['oxygenFlow', -0.5, 'error'],
    ['oxygenFlow', 0, 'ok'],
    ['oxygenFlow', 60, 'ok'],
    ['oxygenFlow', 61, 'warning'],
    ['oxygenFlow', 81, 'error'],
  ])('%s of %d → %s', (field, value, expected) => {
    expect(outcome(validateVitals({ [field]: value }))).toBe(expected);
  });

  it('a temperature typed as 3.7 is rejected naming the field and the possible range', () => {
    expect(validateVitals({ temperature: 3.7 })).toEqual({
      errors: [{ field: 'temperature', code: 'out_of_range', min: 25, max: 45 }],
      warnings: [],
    });
  });

  it('an SpO2 of 65 % is accepted but must be confirmed', () => {
    expect(validateVitals({ spo2: 65 })).toEqual({
      errors: [],
      warnings: [{ field: 'spo2', code: 'implausible', plausibleMin: 70, plausibleMax: 100 }],
    });
  });

  it('a partial round (only some fields, others null) is valid', () => {
    expect(validateVitals({ respRate: 18, spo2: null, pulse: undefined })).toEqual({ errors: [], warnings: [] });
  });

  it('a value that is not a number is an error', () => {
    expect(validateVitals({ pulse: Number.NaN }).errors).toEqual([{ field: 'pulse', code: 'out_of_range', min: 0, max: 300 }]);
  });

  it('several problems in one round are all reported, in field order', () => {
    const r = validateVitals({ respRate: 120, spo2: 65, temperature: 50 });
    expect(r.errors.map((e) => e.field)).toEqual(['respRate', 'temperature']);
    expect(r.warnings.map((w) => w.field)).toEqual(['spo2']);
  });
});

describe('laboratory results', () => {
  it.each<[keyof LabValues, number, Outcome]>([
    ['ctN', -0.1, 'error'],
    ['ctN', 9.9, 'warning'],
    ['ctN', 10, 'ok'],
    ['ctN', 40, 'ok'],
    ['ctN', 41, 'warning'],
    ['ctN', 45, 'warning'],
    ['ctN', 45.1, 'error'],
    ['ctN', 60, 'error'],
    ['ctOrf1ab', 60, 'error'],
    ['ctOrf1ab', 35, 'ok'],
    ['ctE', 46, 'error'],
    ['lymphocytes', -0.1, 'error'],
    ['lymphocytes', 0.01, 'warning'],
    ['lymphocytes', 0.8, 'ok'],
    ['lymphocytes', 25, 'warning'],
    ['crp', 12, 'ok'],
    ['crp', 350, 'warning'],
    ['crp', 1001, 'error'],
    ['il6', 7, 'ok'],
    ['il6', 6000, 'warning'],
    ['il6', 100001, 'error'],
    ['ferritin', 0.5, 'warning'],
    ['ferritin', 500, 'ok'],
    ['ferritin', 20000, 'warning'],
    ['ddimer', 0.4, 'ok'],
    ['ddimer', 25, 'warning'],
    ['ddimer', 101, 'error'],
    ['lactate', 0.1, 'warning'],
    ['lactate', 1.8, 'ok'],
    ['lactate', 16, 'warning'],
    ['lactate', 31, 'error'],
    ['pao2Fio2', 9, 'error'],
    ['pao2Fio2', 45, 'warning'],
    ['pao2Fio2', 300, 'ok'],
    ['pao2Fio2', 650, 'warning'],
    ['pao2Fio2', 801, 'error'],
    ['progressionPct', -101, 'error'],
    ['progressionPct', -100, 'ok'],
    ['progressionPct', 150, 'ok'],
    ['progressionPct', 301, 'warning'],
    ['progressionPct', 1001, 'error'],
  ])('%s of %d → %s', (field, value, expected) => {
    expect(outcome(validateLabs({ [field]: value }))).toBe(expected);
  });

  it('a Ct of 60 is impossible (PCR runs 45 cycles) and names the gene', () => {
    expect(validateLabs({ ctN: 60 }).errors).toEqual([{ field: 'ctN', code: 'out_of_range', min: 0, max: 45 }]);
  });
});

describe('limits exported for the IPC schemas', () => {
  it('VITAL_LIMITS holds every field, bedside and laboratory, and the Ct limits straddle the cut-off of 40', () => {
    expect(Object.keys(VITAL_LIMITS).sort()).toEqual([...Object.keys(VITAL_SIGN_LIMITS), ...Object.keys(LAB_LIMITS)].sort());
    expect(PCR_CT_CUTOFF).toBe(40);
    expect(VITAL_LIMITS.ctN).toMatchObject({ min: 0, max: 45, plausibleMax: PCR_CT_CUTOFF });
  });

  it('validateVitals checks bedside fields only; a lab value passed with a round is left to validateLabs', () => {
    expect(validateVitals({ respRate: 18, ...({ ctN: 60 } as object) })).toEqual({ errors: [], warnings: [] });
  });

  it('every limit is ordered min ≤ plausibleMin < plausibleMax ≤ max', () => {
    for (const [field, l] of Object.entries(VITAL_LIMITS)) {
      expect(l.min, field).toBeLessThanOrEqual(l.plausibleMin);
      expect(l.plausibleMin, field).toBeLessThan(l.plausibleMax);
      expect(l.plausibleMax, field).toBeLessThanOrEqual(l.max);
    }
  });
});
