// High-risk groups for severe/critical disease, China protocol trial v9 §7 重型/危重型高危人群:
// (一) older than 60; (二) cardio-/cerebrovascular disease including hypertension, chronic lung disease,
// diabetes, chronic liver or kidney disease, cancer; (三) immunodeficiency (e.g. AIDS, long-term
// corticosteroids or other immunosuppressants); (四) obesity, BMI ≥ 30; (五) late pregnancy and the
// perinatal period; (六) heavy smokers.

export const RISK_FACTORS = [
  'age_over_60',
  'cardio_cerebrovascular',
  'chronic_lung',
  'diabetes',
  'chronic_liver',
  'chronic_kidney',
  'cancer',
  'immunodeficiency',
  'obesity_bmi30',
  'late_pregnancy_perinatal',
  'heavy_smoker',
] as const;

export type RiskFactor = (typeof RISK_FACTORS)[number];

/** §7 (一) 大于60岁: strictly older than 60 — a patient aged exactly 60 does not qualify by age. */
export const HIGH_RISK_AGE_ABOVE_YEARS = 60;

/** §7 (四) 体质指数≥30. */
export const HIGH_RISK_BMI_AT_LEAST = 30;

export function isRiskFactor(code: string): code is RiskFactor {
  return (RISK_FACTORS as readonly string[]).includes(code);
}

/**
 * The risk factors that apply, in RISK_FACTORS order, without duplicates. `age_over_60` is derived
 * from the age when the age is known (a stale recorded code neither adds nor hides it); when the age
 * is unknown a recorded `age_over_60` is kept.
 */
export function effectiveRiskFactors(ageYears: number | null | undefined, recorded: readonly RiskFactor[]): RiskFactor[] {
  const set = new Set<RiskFactor>(recorded);
  if (typeof ageYears === 'number' && Number.isFinite(ageYears)) {
    if (ageYears > HIGH_RISK_AGE_ABOVE_YEARS) set.add('age_over_60');
    else set.delete('age_over_60');
  }
  return RISK_FACTORS.filter((f) => set.has(f));
}
