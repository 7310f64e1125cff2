import { ageOn } from '../../../shared/domain/time';

/** Age in completed years now: from the birth date when known, else the age recorded at admission. */
export function currentAge(p: { birth_date: string | null; age_years: number | null }, now: string, tz: string): number | null {
  if (p.birth_date) return ageOn(p.birth_date, now, tz);
  return p.age_years;
}
