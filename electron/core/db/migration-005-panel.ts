/**
 * Migration 5 (issue 5): the expert queue, transfers and beds need no new tables (migration 2 has
 * referral, flag_snooze, review, transfer_request); they need a rule and the indexes their screens run.
 */
export const MIGRATION_005 = `
-- A bed is held for at most one transfer at a time, whatever the code does: the second of two
-- concurrent assignments of the same free bed fails here even if it slipped past the state check.
CREATE UNIQUE INDEX transfer_bed_assigned ON transfer_request(to_bed_id) WHERE status = 'bed_assigned';
-- The chart's transfer history, and the request a review opened (amending a review follows it).
CREATE INDEX transfer_episode ON transfer_request(episode_id, requested_at);
CREATE INDEX transfer_review ON transfer_request(review_id) WHERE review_id IS NOT NULL;
-- The bed availability panel counts beds per ward, state and tags without reading the table.
CREATE INDEX bed_ward_state ON bed(ward_id, state, tags);
-- Active snoozes of an episode, by expiry (queue rows; stale-state check).
CREATE INDEX flag_snooze_until ON flag_snooze(until);
`;
