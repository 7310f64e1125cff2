/**
 * A patient's age at an instant, in completed months and completed years (issue 13 item 10). The
 * protocol's child criteria are banded by months (tachypnoea: < 2 months, 2–12 months, 1–5 years,
 * > 5 years), so whole years are not enough under 6.
 *
 * Calendar-month arithmetic on the hospital's local dates: N months are completed on the day of the
 * month that corresponds to the birth day; when the month has no such day (born on the 31st, or on
 * 29 February), on that month's last day — the rule of the PRC Civil Code for periods counted in
 * months (art. 202: 没有对应日的，月末日为期间的最后一日), and that of java.time and date-fns. So a
 * child born on 31 January is 1 month old on 28 February (29 in a leap year) and 2 months old on
 * 31 March; one born on 29 February 2020 is 12 months old on 28 February 2021. The birthday itself
 * counts as completed, as in `ageOn`.
 */
import { localDate } from './time';

/** Ages below this many months are stored and shown in months (the child tachypnoea bands end after 5 years). */
export const AGE_MONTHS_BELOW = 72;

export interface PatientAge {
  /** Completed years; null when unknown. */
  years: number | null;
  /** Completed months in total (15 for one year three months); null when only years are known. */
  months: number | null;
}

function ymd(date: string): [number, number, number] {
  return date.slice(0, 10).split('-').map(Number) as [number, number, number];
}

export function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/**
 * Completed calendar months from local date `from` to local date `to` (both `YYYY-MM-DD`), with the
 * end-of-month rule above; 0 when `to` is before `from`.
 */
export function completedMonthsBetween(from: string, to: string): number {
  const [fy, fm, fd] = ymd(from);
  const [ty, tm, td] = ymd(to);
  let months = (ty - fy) * 12 + (tm - fm);
  if (td < Math.min(fd, daysInMonth(ty, tm))) months -= 1;
  return Math.max(0, months);
}

/** Completed months of age at instant `at`, born on local date `birthDate`, in time zone `tz`. */
export function ageInMonthsOn(birthDate: string, at: string, tz: string): number {
  return completedMonthsBetween(birthDate, localDate(at, tz));
}

/** What a patient row knows about the age. */
export interface AgeRecord {
  birthDate: string | null;
  ageYears: number | null;
  /** Completed months when the age was stated (an infant or young child without a birth date). */
  ageMonths: number | null;
  /** When the stated age was recorded (the patient row's created_at). */
  statedAt: string;
}

/**
 * The age at instant `at`: from the birth date when known; else from an age stated in months, plus
 * the calendar months completed since it was stated (a 1-month-old admitted for three weeks passes
 * 2 months on the ward; before the statement the stated age is kept); else the stated years, which
 * stay as recorded and give no months.
 */
export function patientAge(r: AgeRecord, at: string, tz: string): PatientAge {
  if (r.birthDate) {
    const months = ageInMonthsOn(r.birthDate, at, tz);
    return { years: Math.floor(months / 12), months };
  }
  if (r.ageMonths !== null) {
    const months = r.ageMonths + completedMonthsBetween(localDate(r.statedAt, tz), localDate(at, tz));
    return { years: Math.floor(months / 12), months };
  }
  return { years: r.ageYears, months: null };
}

/** The message that shows an age: months under 2 years, years and months under 6, else years. */
export function ageMessage(age: PatientAge): { key: 'patient.age_months' | 'patient.age_years_months' | 'patient.age_years' | 'common.unknown'; params: Record<string, number> } {
  const { years, months } = age;
  if (months !== null && months < 24) return { key: 'patient.age_months', params: { n: months } };
  if (months !== null && months < AGE_MONTHS_BELOW && months % 12 !== 0) return { key: 'patient.age_years_months', params: { y: Math.floor(months / 12), m: months % 12 } };
  if (months !== null) return { key: 'patient.age_years', params: { n: Math.floor(months / 12) } };
  if (years !== null) return { key: 'patient.age_years', params: { n: years } };
  return { key: 'common.unknown', params: {} };
}

/** The age as text, through the caller's translate function: the one formatter of every screen that shows an age. */
export function formatAge(t: (key: string, params?: Record<string, number>) => string, age: PatientAge): string {
  const m = ageMessage(age);
  return t(m.key, m.params);
}
