// Estimated glomerular filtration rate for the renal criterion of nirmatrelvir/ritonavir (antiviral.ts).
// CKD-EPI 2021 creatinine equation without race: Inker LA et al., New creatinine- and cystatin C-based
// equations to estimate GFR without race, N Engl J Med 2021;385:1737–49, as restated on NIDDK's "GFR
// equations: adults" page:
//   eGFR = 142 × min(Scr/κ, 1)^α × max(Scr/κ, 1)^−1.200 × 0.9938^age × 1.012 [if female]
//   κ = 0.7 (F) / 0.9 (M); α = −0.241 (F) / −0.302 (M); Scr in mg/dL; result in mL/min/1.73 m².
// The equation was developed and validated in adults (≥ 18 years); for a younger patient it still
// returns a value, and the caller (or clinician) must know it is outside the validated range.

/** 1 mg/dL of creatinine = 88.4 µmol/L (molar mass 113.12 g/mol). */
export const CREATININE_UMOL_PER_MG_DL = 88.4;

/** Age from which the CKD-EPI equations are validated. */
export const CKD_EPI_MIN_VALIDATED_AGE_YEARS = 18;

const CKD_EPI_2021 = {
  F: { kappa: 0.7, alpha: -0.241, factor: 1.012 },
  M: { kappa: 0.9, alpha: -0.302, factor: 1 },
} as const;

/**
 * CKD-EPI 2021 eGFR in mL/min/1.73 m², unrounded. Throws RangeError for a creatinine that is not a
 * positive finite number or an age that is not a finite number ≥ 0 (programming or entry errors the
 * caller must catch before asking).
 */
export function ckdEpi2021(input: { creatinineUmolL: number; ageYears: number; sex: 'M' | 'F' }): number {
  const { creatinineUmolL, ageYears, sex } = input;
  if (!Number.isFinite(creatinineUmolL) || creatinineUmolL <= 0) throw new RangeError(`creatinine must be a positive number of µmol/L: ${creatinineUmolL}`);
  if (!Number.isFinite(ageYears) || ageYears < 0) throw new RangeError(`age must be a number of years ≥ 0: ${ageYears}`);
  const { kappa, alpha, factor } = CKD_EPI_2021[sex];
  const ratio = creatinineUmolL / CREATININE_UMOL_PER_MG_DL / kappa;
  return 142 * Math.min(ratio, 1) ** alpha * Math.max(ratio, 1) ** -1.2 * 0.9938 ** ageYears * factor;
}

/** One decimal, as shown and stored. */
export function roundEgfr(v: number): number {
  return Math.round(v * 10) / 10;
}
