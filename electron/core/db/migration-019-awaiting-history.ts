/**
 * Migration 19 (issue 17): who was awaiting review at the end of a past day, read instead of
 * recomputed.
 *
 * awaiting_span is derived data, like report_cache and episode_state: for one episode, whether it
 * was flagged and awaiting the panel (reports/asof.ts `flagsAsOf`, the oracle's definition) at every
 * instant of [from_at, until_at). The spans are written where the live state is
 * (clinical/state.ts → reports/history.ts): from the time of the write on, the rules on the data
 * as it stands, run at each instant the clock alone changes the answer (a review falling due, a
 * snooze running out, a birthday); and, for every day that closed since the episode's spans end, the
 * rules run as of that day's end. An instant no span covers (data from before this migration, a
 * generated network, an import) is computed as before.
 *
 * The triggers keep every span exact: a record the rules read, written with a time at or before a
 * span's end (a back-dated round, result, review, class, plan, referral or snooze, an amendment or
 * entered-in-error of one), cuts the episode's spans at that time and notes where (awaiting_cut); a change to what the rules read at
 * every instant (the patient's risk factors or age, the SpO2 scale, the time zone) drops the
 * episode's (or every) span. The next refresh of the episode fills the days it lost.
 */
const INPUTS: readonly [table: string, column: string, signed: boolean][] = [
  ['round', 'measured_at', true],
  ['lab_result', 'collected_at', true],
  ['imaging', 'performed_at', true],
  ['class_assessment', 'assessed_at', true],
  ['review', 'at', true],
  ['plan_version', 'created_at', false],
  ['referral', 'at', false],
  ['flag_snooze', 'at', false],
];

const cutTriggers = INPUTS.map(([table, column, signed]) => {
  const since = signed ? `min(NEW.${column}, coalesce((SELECT x.${column} FROM ${table} x WHERE x.id = NEW.supersedes_id), NEW.${column}))` : `NEW.${column}`;
  return `CREATE TRIGGER awaiting_span_${table} AFTER INSERT ON ${table}
BEGIN
  INSERT INTO awaiting_cut (episode_id, at) SELECT NEW.episode_id, ${since}
  WHERE EXISTS (SELECT 1 FROM awaiting_span WHERE episode_id = NEW.episode_id AND until_at > ${since})
  ON CONFLICT (episode_id) DO UPDATE SET at = min(at, excluded.at);
  DELETE FROM awaiting_span WHERE episode_id = NEW.episode_id AND from_at >= ${since};
  UPDATE awaiting_span SET until_at = ${since} WHERE episode_id = NEW.episode_id AND until_at > ${since};
END;`;
}).join('\n');

export const MIGRATION_019 = `
CREATE TABLE awaiting_span (
  episode_id INTEGER NOT NULL,
  from_at TEXT NOT NULL,
  until_at TEXT NOT NULL,
  awaiting INTEGER NOT NULL CHECK (awaiting IN (0, 1)),
  PRIMARY KEY (episode_id, from_at),
  CHECK (from_at < until_at)
) STRICT;
-- A past day's report reads the spans that begin at the end of the day (every census patient's, once
-- its day-end span is stored) in one range of this covering index.
CREATE INDEX awaiting_span_from ON awaiting_span(from_at, awaiting, episode_id);

-- Where a record cut an episode's spans since its last refresh: the refresh fills the days from there,
-- even when the cut left no span.
CREATE TABLE awaiting_cut (episode_id INTEGER PRIMARY KEY, at TEXT NOT NULL) STRICT;

-- The days of the records that existed before this migration (or lost their spans to a change of the
-- patient, the SpO2 scale or the time zone) are filled once, at the next start (reports/history.ts).
CREATE TABLE awaiting_backfill (pending INTEGER PRIMARY KEY CHECK (pending = 1)) STRICT;
INSERT INTO awaiting_backfill VALUES (1);

${cutTriggers}
CREATE TRIGGER awaiting_span_patient AFTER UPDATE OF risk_factors, birth_date, age_years, age_months ON patient
BEGIN
  DELETE FROM awaiting_span WHERE episode_id IN (SELECT id FROM episode WHERE patient_id = NEW.id);
  INSERT OR IGNORE INTO awaiting_backfill VALUES (1);
END;
CREATE TRIGGER awaiting_span_scale AFTER UPDATE OF spo2_scale ON episode
BEGIN
  DELETE FROM awaiting_span WHERE episode_id = NEW.id;
  INSERT OR IGNORE INTO awaiting_backfill VALUES (1);
END;
CREATE TRIGGER awaiting_span_zone_new AFTER INSERT ON setting WHEN NEW.key = 'timeZone'
BEGIN
  DELETE FROM awaiting_span;
  INSERT OR IGNORE INTO awaiting_backfill VALUES (1);
END;
CREATE TRIGGER awaiting_span_zone AFTER UPDATE ON setting WHEN (NEW.key = 'timeZone' OR OLD.key = 'timeZone') AND (NEW.key IS NOT OLD.key OR NEW.value IS NOT OLD.value)
BEGIN
  DELETE FROM awaiting_span;
  INSERT OR IGNORE INTO awaiting_backfill VALUES (1);
END;
`;
