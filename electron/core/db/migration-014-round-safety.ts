import { sqlIn } from '../../../shared/domain/enums';
import { ESCALATION_RESPONSES, NOT_DONE_REASONS } from '../../../shared/api/rounds';

/**
 * Migration 14 (issue 13): round mode never records what was not measured, and never lets a warning
 * pass unseen.
 *
 * - `round_not_done`: a bed's observations were not taken on a round, and why (off the ward, refused,
 *   asleep by plan). Append-only: a bed counts as done on the round once one is recorded.
 * - `round_escalation`: the answer to a round whose NEWS2 called for a clinical response (RCP 2017
 *   Chart 4: urgent at 5–6 or a single parameter scoring 3, emergency at 7 or more). Append-only; it
 *   acknowledges the alert shown on the ward board and in round mode.
 * - Rounds that measured no NEWS2 parameter were stored with "0, low"; they have no score. The one
 *   time signed rounds are updated: only these derived score columns, with the immutability trigger
 *   lifted for this migration's transaction and put back exactly as migration 2 made it. Their
 *   episode_state rows are recomputed by the next clinical write of the episode.
 */
/** The stored score of rounds that measured nothing set to NULL (exported for its test on legacy rows). */
export const UNMEASURED_ROUNDS_UNSCORED = `
DROP TRIGGER round_immutable;
UPDATE round SET news2_total = NULL, news2_complete = NULL, news2_band = NULL
WHERE news2_total IS NOT NULL AND resp_rate IS NULL AND spo2 IS NULL AND systolic_bp IS NULL AND pulse IS NULL
  AND consciousness IS NULL AND temperature IS NULL;
CREATE TRIGGER round_immutable BEFORE UPDATE ON round
BEGIN SELECT RAISE(ABORT, 'signed clinical records are immutable: enter an amendment'); END;
`;

export const MIGRATION_014 = `
CREATE TABLE round_not_done (
  id INTEGER PRIMARY KEY,
  episode_id INTEGER NOT NULL REFERENCES episode(id),
  at TEXT NOT NULL,
  reason TEXT NOT NULL CHECK (reason IN ${sqlIn(NOT_DONE_REASONS)}),
  note TEXT,
  author_id INTEGER NOT NULL REFERENCES app_user(id)
) STRICT;
CREATE INDEX round_not_done_episode ON round_not_done(episode_id, at);
CREATE TRIGGER round_not_done_immutable BEFORE UPDATE ON round_not_done BEGIN SELECT RAISE(ABORT, 'not-done records are immutable'); END;
CREATE TRIGGER round_not_done_no_delete BEFORE DELETE ON round_not_done BEGIN SELECT RAISE(ABORT, 'not-done records are immutable'); END;
CREATE TRIGGER round_not_done_no_replace BEFORE INSERT ON round_not_done WHEN EXISTS (SELECT 1 FROM round_not_done x WHERE x.id = NEW.id)
BEGIN SELECT RAISE(ABORT, 'not-done records cannot be replaced'); END;

CREATE TABLE round_escalation (
  id INTEGER PRIMARY KEY,
  round_id INTEGER NOT NULL REFERENCES round(id),
  episode_id INTEGER NOT NULL REFERENCES episode(id),
  at TEXT NOT NULL,
  level TEXT NOT NULL CHECK (level IN ('urgent', 'emergency')),
  news2_total INTEGER NOT NULL,
  response TEXT NOT NULL CHECK (response IN ${sqlIn(ESCALATION_RESPONSES)}),
  informed_who TEXT,
  note TEXT,
  author_id INTEGER NOT NULL REFERENCES app_user(id),
  CHECK (response <> 'doctor_informed' OR length(trim(informed_who)) > 0)
) STRICT;
CREATE UNIQUE INDEX round_escalation_round ON round_escalation(round_id);
CREATE INDEX round_escalation_episode ON round_escalation(episode_id, at);
CREATE TRIGGER round_escalation_immutable BEFORE UPDATE ON round_escalation BEGIN SELECT RAISE(ABORT, 'escalation answers are immutable'); END;
CREATE TRIGGER round_escalation_no_delete BEFORE DELETE ON round_escalation BEGIN SELECT RAISE(ABORT, 'escalation answers are immutable'); END;
-- REPLACE deletes the colliding row without firing the DELETE trigger (migration 12): refused before the insert.
CREATE TRIGGER round_escalation_no_replace BEFORE INSERT ON round_escalation
WHEN EXISTS (SELECT 1 FROM round_escalation x WHERE x.id = NEW.id) OR EXISTS (SELECT 1 FROM round_escalation x WHERE x.round_id = NEW.round_id)
BEGIN SELECT RAISE(ABORT, 'escalation answers cannot be replaced'); END;

${UNMEASURED_ROUNDS_UNSCORED}`;
