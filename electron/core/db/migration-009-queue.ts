/**
 * waitingSince (electron/core/clinical/state.ts) in SQL, for a state row named `row`: the later of the
 * last review (or admission) and the earliest start of a stored flag. A test holds it equal to the JS.
 */
export function waitingSinceSql(row: string): string {
  return `(SELECT max(coalesce(${row}.last_review_at, e.admitted_at),
                 coalesce((SELECT min(json_extract(j.value, '$.since')) FROM json_each(${row}.flags) j), ''))
          FROM episode e WHERE e.id = ${row}.episode_id)`;
}

/**
 * Migration 9 (issue 8): the expert queue ranks from an index instead of reading every flagged state.
 * Its order is urgency, then longest waiting, so the waiting time of the stored flags is stored beside
 * the urgency; refreshEpisodeState writes both.
 */
export const MIGRATION_009 = `
ALTER TABLE episode_state ADD COLUMN waiting_since TEXT;
UPDATE episode_state SET waiting_since = ${waitingSinceSql('episode_state')} WHERE flag_count > 0;
-- A writer that inserts states itself without it (a bulk import) gets it from the same rule.
CREATE TRIGGER episode_state_waiting_since AFTER INSERT ON episode_state WHEN NEW.waiting_since IS NULL
BEGIN
  UPDATE episode_state SET waiting_since = ${waitingSinceSql('NEW')} WHERE episode_id = NEW.episode_id;
END;

-- The queue's page, in its order (the urgency-only index it replaces is a prefix of this one).
DROP INDEX episode_state_flagged;
CREATE INDEX episode_state_queue ON episode_state(urgency DESC, waiting_since, episode_id) WHERE flag_count > 0;
-- The same states in episode order, to count them: each one's episode and placement lookups then
-- fall on neighbouring pages.
CREATE INDEX episode_state_flagged_id ON episode_state(episode_id) WHERE flag_count > 0;
-- States whose review falls due after they were computed: once the clock passes the due time, the
-- stored flags lack review_overdue, so the queue ranks these few at now.
CREATE INDEX episode_state_review_pending ON episode_state(review_due_at) WHERE review_due_at >= computed_at;
`;
