/**
 * Migration 11 (issue 8): discharge statistics over 20,000 discharges read every discharge in the
 * range from one covering index, never the rows themselves with their criteria JSON (~0.7 KB each),
 * and each one's classes from another.
 *
 * When the release criteria were met is kept in its own column, written with the row by
 * electron/core/discharge/record.ts (the JSON holds it too, as signed). Existing rows get it from
 * their JSON here: the one time a signed discharge row is updated, with the immutability trigger
 * lifted for this migration's transaction only and put back exactly as migration 2 made it. (A
 * virtual generated column would need no backfill, but SQLite does not read such a column from an
 * index, so every row would still be read.)
 */
export const MIGRATION_011 = `
ALTER TABLE discharge ADD COLUMN criteria_met_at TEXT;
DROP TRIGGER discharge_immutable;
UPDATE discharge SET criteria_met_at = json_extract(criteria, '$.criteriaMetAt');
CREATE TRIGGER discharge_immutable BEFORE UPDATE ON discharge
BEGIN SELECT RAISE(ABORT, 'signed clinical records are immutable: enter an amendment'); END;
CREATE INDEX discharge_stats ON discharge(discharged_at, episode_id, disposition, criteria_met_at, entry_kind);
-- An episode's classes in time order without reading the rows: the statistics' class at admission and
-- worst class, and the reports' class in force at an instant.
CREATE INDEX class_assessment_episode_class ON class_assessment(episode_id, assessed_at, class, entry_kind);
`;
