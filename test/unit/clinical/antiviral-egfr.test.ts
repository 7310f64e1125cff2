import { describe, expect, it } from 'vitest';
import { CREATININE_UMOL_PER_MG_DL, ckdEpi2021, roundEgfr } from '../../../shared/clinical';

// CKD-EPI 2021 (Inker LA et al., N Engl J Med 2021;385:1737–49; restated on NIDDK's "Glomerular
// filtration rate equations: adults" page): eGFR = 142 × min(Scr/κ,1)^α × max(Scr/κ,1)^−1.200 ×
// 0.9938^age × 1.012 [female]; κ 0.7 F / 0.9 M; α −0.241 F / −0.302 M. The paper publishes the
// equation, not worked patients, so each expected value below is worked by hand from it (the steps
// are in the comment) and checked to one decimal.
const umol = (mgDl: number): number => mgDl * CREATININE_UMOL_PER_MG_DL;

describe('CKD-EPI 2021 creatinine equation', () => {
  it.each([
    // 50-year-old woman, Scr 1.0 mg/dL: Scr/κ = 1.4286; 1.4286^−1.2 = 0.65180; 0.9938^50 = 0.73274;
    // 142 × 0.65180 × 0.73274 × 1.012 = 68.63.
    { who: 'a 50-year-old woman with creatinine 1.0 mg/dL', mgDl: 1.0, ageYears: 50, sex: 'F' as const, egfr: 68.6 },
    // 60-year-old man, Scr 1.2 mg/dL: Scr/κ = 1.3333; 1.3333^−1.2 = 0.70807; 0.9938^60 = 0.68856;
    // 142 × 0.70807 × 0.68856 = 69.23.
    { who: 'a 60-year-old man with creatinine 1.2 mg/dL', mgDl: 1.2, ageYears: 60, sex: 'M' as const, egfr: 69.2 },
    // Scr exactly κ: both power terms are 1, so eGFR = 142 × 0.9938^40 (= 0.77976) = 110.73 for a man…
    { who: 'a 40-year-old man with creatinine exactly κ (0.9 mg/dL)', mgDl: 0.9, ageYears: 40, sex: 'M' as const, egfr: 110.7 },
    // …and × 1.012 = 112.05 for a woman at her κ.
    { who: 'a 40-year-old woman with creatinine exactly κ (0.7 mg/dL)', mgDl: 0.7, ageYears: 40, sex: 'F' as const, egfr: 112.1 },
    // Below κ the α term applies: (0.5/0.7)^−0.241 = 1.08447; 0.9938^30 = 0.82979; 142 × 1.08447 × 0.82979 × 1.012 = 129.32.
    { who: 'a 30-year-old woman with creatinine 0.5 mg/dL', mgDl: 0.5, ageYears: 30, sex: 'F' as const, egfr: 129.3 },
    // Severe impairment: (2.5/0.9)^−1.2 = 0.29347; 0.9938^75 = 0.62723; 142 × 0.29347 × 0.62723 = 26.14.
    { who: 'a 75-year-old man with creatinine 2.5 mg/dL', mgDl: 2.5, ageYears: 75, sex: 'M' as const, egfr: 26.1 },
  ])('$who: $egfr mL/min/1.73 m²', ({ mgDl, ageYears, sex, egfr }) => {
    expect(roundEgfr(ckdEpi2021({ creatinineUmolL: umol(mgDl), ageYears, sex }))).toBe(egfr);
  });

  it('at creatinine = κ is exactly 142 × 0.9938^age (× 1.012 for a woman)', () => {
    for (const age of [18, 45, 80]) {
      expect(ckdEpi2021({ creatinineUmolL: umol(0.9), ageYears: age, sex: 'M' })).toBeCloseTo(142 * 0.9938 ** age, 10);
      expect(ckdEpi2021({ creatinineUmolL: umol(0.7), ageYears: age, sex: 'F' })).toBeCloseTo(142 * 0.9938 ** age * 1.012, 10);
    }
  });

  it('converts µmol/L to mg/dL with 88.4', () => {
    expect(CREATININE_UMOL_PER_MG_DL).toBe(88.4);
    // 88.4 µmol/L is 1.0 mg/dL: the same result as the worked 50-year-old woman.
    expect(roundEgfr(ckdEpi2021({ creatinineUmolL: 88.4, ageYears: 50, sex: 'F' }))).toBe(68.6);
    expect(roundEgfr(ckdEpi2021({ creatinineUmolL: 106.08, ageYears: 60, sex: 'M' }))).toBe(69.2);
  });

  it('falls with creatinine and with age', () => {
    const at = (u: number, age = 50) => ckdEpi2021({ creatinineUmolL: u, ageYears: age, sex: 'M' });
    expect(at(60)).toBeGreaterThan(at(80));
    expect(at(80)).toBeGreaterThan(at(200));
    expect(at(80, 40)).toBeGreaterThan(at(80, 70));
  });

  it('returns a value under 18 (outside the validated range) and refuses impossible input', () => {
    expect(ckdEpi2021({ creatinineUmolL: 50, ageYears: 15, sex: 'F' })).toBeGreaterThan(0);
    for (const creatinineUmolL of [0, -5, Number.NaN, Number.POSITIVE_INFINITY]) {
      expect(() => ckdEpi2021({ creatinineUmolL, ageYears: 50, sex: 'M' })).toThrow(RangeError);
    }
    expect(() => ckdEpi2021({ creatinineUmolL: 80, ageYears: -1, sex: 'M' })).toThrow(RangeError);
  });

  it('rounds to one decimal', () => {
    expect(roundEgfr(59.94)).toBe(59.9);
    expect(roundEgfr(59.95)).toBe(60);
    expect(roundEgfr(29.96)).toBe(30);
  });
});
