/**
 * Migration 15 (issue 13 item 10): an infant's or young child's age in completed months when there is
 * no birth date, as stated at admission or in a case list ("3月龄"). The child criteria of the
 * protocol are banded by months (< 2, 2–12, 12–60, > 60), so whole years lose them. `age_years` stays
 * filled (the completed years of the same statement) so that every reader of the age in years and
 * the patient CHECK of migration 1 keep working; the two must agree. Months are kept below 72: the
 * last tachypnoea band begins after 5 years.
 */
export const MIGRATION_015 = `
ALTER TABLE patient ADD COLUMN age_months INTEGER
  CHECK (age_months IS NULL OR (age_months BETWEEN 0 AND 71 AND birth_date IS NULL AND age_years = age_months / 12));
`;
