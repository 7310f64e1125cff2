/**
 * Migration 8 (issue 8): the daily report at 50,000 patients.
 *
 * - placement(start_at), placement(end_at): one day's admissions, transfers and discharges are read
 *   by time range, not by scanning every placement.
 * - report_cache (electron/core/reports/cache.ts): per-facility figures of periods that are over —
 *   the population at a past instant (census by class, beds occupied, cumulative admissions,
 *   discharges and deaths: reports/population.ts), a past day's movement counts
 *   (reports/movements.ts) and who was awaiting review at its end (reports/awaiting.ts, the flag
 *   rules re-run on every census patient) — computed once and reused: the 14-day trend needs 14 days and each
 *   population reads every patient. It is derived data, never a clinical record: the triggers below
 *   delete every cached figure whose period ends after the time a write changes (a back-dated
 *   admission, transfer, discharge or class assessment, an amendment, a ward moved to another
 *   facility), so a cached figure is always what a recomputation would give. Writes at the present
 *   time change no period that is over and delete nothing.
 */
/**
 * The records the flag rules read (reports/asof.ts), each with the time it takes effect: a write
 * there changes who was awaiting review at every later instant. Signed rows can be amended: the
 * amendment also changes the time of the row it replaces.
 */
const AWAITING_INPUTS: readonly [table: string, column: string, signed: boolean][] = [
  ['round', 'measured_at', true],
  ['lab_result', 'collected_at', true],
  ['imaging', 'performed_at', true],
  ['review', 'at', true],
  ['plan_version', 'created_at', false],
  ['referral', 'at', false],
  ['flag_snooze', 'at', false],
];

const awaitingTriggers = AWAITING_INPUTS.map(([table, column, signed]) => {
  const since = signed ? `min(NEW.${column}, coalesce((SELECT x.${column} FROM ${table} x WHERE x.id = NEW.supersedes_id), NEW.${column}))` : `NEW.${column}`;
  return `CREATE TRIGGER report_cache_awaiting_${table} AFTER INSERT ON ${table}
BEGIN DELETE FROM report_cache WHERE kind = 'awaiting' AND at > ${since}; END;`;
}).join('\n');

export const MIGRATION_008 = `
CREATE INDEX placement_start ON placement(start_at);
CREATE INDEX placement_end ON placement(end_at) WHERE end_at IS NOT NULL;

CREATE TABLE report_cache (
  kind TEXT NOT NULL CHECK (kind IN ('population', 'day', 'awaiting')),
  from_at TEXT NOT NULL,
  at TEXT NOT NULL,
  facility_id INTEGER NOT NULL,
  figures TEXT NOT NULL CHECK (json_valid(figures)),
  PRIMARY KEY (kind, from_at, at, facility_id)
) STRICT;
CREATE INDEX report_cache_at ON report_cache(at);

-- The reviewed, flagged states: the few whose "awaiting review" needs their flags read (reports/awaiting.ts).
CREATE INDEX episode_state_reviewed_flagged ON episode_state(episode_id) WHERE flag_count > 0 AND last_review_at IS NOT NULL;

-- A new placement changes the day it begins in, and how its predecessor ended (a move or a transfer).
CREATE TRIGGER report_cache_placement_in AFTER INSERT ON placement
BEGIN
  DELETE FROM report_cache
  WHERE at > min(NEW.start_at, coalesce((SELECT max(q.end_at) FROM placement q WHERE q.episode_id = NEW.episode_id AND q.id <> NEW.id), NEW.start_at));
END;
CREATE TRIGGER report_cache_placement_end AFTER UPDATE OF end_at ON placement
BEGIN DELETE FROM report_cache WHERE at > NEW.end_at; END;
CREATE TRIGGER report_cache_class AFTER INSERT ON class_assessment
BEGIN
  DELETE FROM report_cache
  WHERE at > min(NEW.assessed_at, coalesce((SELECT c.assessed_at FROM class_assessment c WHERE c.id = NEW.supersedes_id), NEW.assessed_at));
END;
-- The status decides whether an ended last placement was a discharge or a death (or neither).
CREATE TRIGGER report_cache_status AFTER UPDATE OF status ON episode
BEGIN
  DELETE FROM report_cache
  WHERE at > (SELECT p.end_at FROM placement p WHERE p.episode_id = NEW.id ORDER BY p.start_at DESC, p.id DESC LIMIT 1);
END;
CREATE TRIGGER report_cache_ward AFTER UPDATE OF facility_id ON ward
BEGIN DELETE FROM report_cache; END;
${awaitingTriggers}
-- Risk factors, age and the SpO2 scale are read at every instant.
CREATE TRIGGER report_cache_awaiting_patient AFTER UPDATE OF risk_factors, birth_date, age_years ON patient
BEGIN DELETE FROM report_cache WHERE kind = 'awaiting'; END;
CREATE TRIGGER report_cache_awaiting_scale AFTER UPDATE OF spo2_scale ON episode
BEGIN DELETE FROM report_cache WHERE kind = 'awaiting'; END;
`;
