/**
 * Migration 18 (issue 17): the daily report with no slow first open.
 *
 * report_placement is derived data, like report_cache and episode_state: one row per placement with
 * its facility and how it began and ended, the kinds of electron/core/reports/timeline.ts (kindsOf) —
 * an admission has no earlier placement in its episode, a transfer in follows one in another facility,
 * the last placement of a discharged (deceased) episode ends with its discharge (death). Those kinds
 * depend on the placement's neighbours in its episode, so every count of them used to look the
 * neighbours up row by row (a day's movements, every admission and discharge before an instant).
 * Kept here, each daily figure is a range count on one covering index, whatever the size of the
 * network: a day's admissions, transfers, discharges and deaths; the cumulative ones before an
 * instant; the census at an instant (open now − begun since + ended since).
 *
 * The triggers rebuild the rows of every episode a write touches (a placement inserted, changed or
 * deleted; an episode's status; a ward moved to another facility) from the placements themselves,
 * so the table is always what the backfill below would give now: a test holds the two together
 * after back-dated writes. An episode has a handful of placements, so a rebuild is a few rows; a
 * new episode's first placement (an admission, an import row) is inserted directly.
 */
const KINDS = `
  CASE WHEN prev_id IS NULL THEN 'admission' WHEN prev_facility <> facility_id THEN 'transfer_in' ELSE 'move' END,
  CASE WHEN end_at IS NULL THEN NULL
       WHEN next_id IS NOT NULL THEN CASE WHEN next_facility <> facility_id THEN 'transfer_out' ELSE 'move' END
       WHEN status = 'discharged' THEN 'discharge' WHEN status = 'deceased' THEN 'death' ELSE 'transfer_out' END`;

/** Inserts the rows of the episodes whose placements match `where` (on placement p). */
const rebuild = (where: string) => `
INSERT INTO report_placement (placement_id, episode_id, facility_id, start_at, end_at, start_kind, end_kind)
SELECT id, episode_id, facility_id, start_at, end_at, ${KINDS}
FROM (SELECT p.id, p.episode_id, w.facility_id, p.start_at, p.end_at, e.status,
        lag(p.id) OVER ep AS prev_id, lag(w.facility_id) OVER ep AS prev_facility,
        lead(p.id) OVER ep AS next_id, lead(w.facility_id) OVER ep AS next_facility
      FROM placement p JOIN ward w ON w.id = p.ward_id JOIN episode e ON e.id = p.episode_id
      WHERE ${where}
      WINDOW ep AS (PARTITION BY p.episode_id ORDER BY p.start_at, p.id))`;

/** Every row of report_placement from the placements as they are now: the backfill, and what a test compares the table with. */
export const REBUILD_REPORT_PLACEMENT = rebuild('1');

const refreshEpisode = (episodeId: string) => `
DELETE FROM report_placement WHERE episode_id = ${episodeId};
${rebuild(`p.episode_id = ${episodeId}`)};`;

export const MIGRATION_018 = `
CREATE TABLE report_placement (
  placement_id INTEGER PRIMARY KEY,
  episode_id INTEGER NOT NULL,
  facility_id INTEGER NOT NULL,
  start_at TEXT NOT NULL,
  end_at TEXT,
  start_kind TEXT NOT NULL CHECK (start_kind IN ('admission', 'transfer_in', 'move')),
  end_kind TEXT CHECK (end_kind IN ('discharge', 'death', 'transfer_out', 'move')),
  CHECK ((end_at IS NULL) = (end_kind IS NULL))
) STRICT;
${REBUILD_REPORT_PLACEMENT};
CREATE INDEX report_placement_episode ON report_placement(episode_id);
CREATE INDEX report_placement_start ON report_placement(start_at, start_kind, facility_id);
CREATE INDEX report_placement_end ON report_placement(end_at, end_kind, facility_id) WHERE end_at IS NOT NULL;
CREATE INDEX report_placement_open ON report_placement(facility_id) WHERE end_at IS NULL;

CREATE TRIGGER report_placement_first AFTER INSERT ON placement
WHEN NOT EXISTS (SELECT 1 FROM placement q WHERE q.episode_id = NEW.episode_id AND q.id <> NEW.id)
BEGIN
  INSERT INTO report_placement (placement_id, episode_id, facility_id, start_at, end_at, start_kind, end_kind)
  SELECT NEW.id, NEW.episode_id, w.facility_id, NEW.start_at, NEW.end_at, 'admission',
    CASE WHEN NEW.end_at IS NULL THEN NULL WHEN e.status = 'discharged' THEN 'discharge' WHEN e.status = 'deceased' THEN 'death' ELSE 'transfer_out' END
  FROM ward w, episode e WHERE w.id = NEW.ward_id AND e.id = NEW.episode_id;
END;
CREATE TRIGGER report_placement_next AFTER INSERT ON placement
WHEN EXISTS (SELECT 1 FROM placement q WHERE q.episode_id = NEW.episode_id AND q.id <> NEW.id)
BEGIN ${refreshEpisode('NEW.episode_id')} END;
CREATE TRIGGER report_placement_update AFTER UPDATE OF episode_id, ward_id, start_at, end_at ON placement
BEGIN ${refreshEpisode('OLD.episode_id')} ${refreshEpisode('NEW.episode_id')} END;
CREATE TRIGGER report_placement_delete AFTER DELETE ON placement
BEGIN ${refreshEpisode('OLD.episode_id')} END;
CREATE TRIGGER report_placement_status AFTER UPDATE OF status ON episode
BEGIN ${refreshEpisode('NEW.id')} END;
CREATE TRIGGER report_placement_ward AFTER UPDATE OF facility_id ON ward
BEGIN
  DELETE FROM report_placement WHERE episode_id IN (SELECT episode_id FROM placement WHERE ward_id = NEW.id);
  ${rebuild('p.episode_id IN (SELECT episode_id FROM placement WHERE ward_id = NEW.id)')};
END;

-- The severe and critical assessments: the few episodes whose class the trend follows day by day.
CREATE INDEX class_assessment_grave ON class_assessment(episode_id) WHERE class IN ('severe', 'critical');
`;
