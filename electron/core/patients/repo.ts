import { patientAge, type PatientAge } from '../../../shared/domain/age';

/** The age columns of a patient row. */
export interface AgeColumns {
  birth_date: string | null;
  age_years: number | null;
  /** Migration 15; rows read without it are treated as having no age in months. */
  age_months?: number | null;
  /** When the age was stated; without it an age in months is taken as stated at `at`. */
  created_at?: string;
}

/** Who a listed patient is: the columns every patient list reads, declared once. */
export interface PatientIdentity extends AgeColumns {
  episode_id: number;
  patient_id: number;
  name: string;
  sex: 'M' | 'F';
}

/**
 * Age at `at` in completed years and months (shared/domain/age.ts): from the birth date when known,
 * else from the age in months stated at admission (advanced by the months since), else the age in
 * years recorded at admission. The clinical rules take `months` whenever it is known.
 */
export function ageAt(p: AgeColumns, at: string, tz: string): PatientAge {
  return patientAge({ birthDate: p.birth_date, ageYears: p.age_years, ageMonths: p.age_months ?? null, statedAt: p.created_at ?? at }, at, tz);
}

/** Age in completed years now: from the birth date when known, else the age recorded at admission. */
export function currentAge(p: AgeColumns, now: string, tz: string): number | null {
  return ageAt(p, now, tz).years;
}

/**
 * The age columns to store for a new patient: none when the birth date is known (the age is computed
 * from it); else the age in months with its completed years (migration 15 requires them to agree);
 * else the age in years.
 */
export function storedAge(birthDate: string | null, p: { ageYears?: number | null; ageMonths?: number | null }): { age_years: number | null; age_months: number | null } {
  if (birthDate) return { age_years: null, age_months: null };
  if (p.ageMonths != null) return { age_years: Math.floor(p.ageMonths / 12), age_months: p.ageMonths };
  return { age_years: p.ageYears ?? null, age_months: null };
}
