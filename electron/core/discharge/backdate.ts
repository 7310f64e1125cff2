import type { Ctx } from '../context';
import { formatLocal } from '../../../shared/domain/time';
import { AppError } from '../../../shared/errors';
import { currentRow } from '../clinical/current';
import { settingsOf } from '../settings/settings';

/** The kinds of record that show the patient was still in hospital at their time; each has its own message. */
export const LATER_RECORD_KINDS = ['round', 'lab', 'imaging', 'assessment', 'panel', 'transfer'] as const;
export type LaterRecordKind = (typeof LATER_RECORD_KINDS)[number];

interface LaterRow {
  kind: LaterRecordKind;
  entity: string;
  id: number;
  at: string;
}

/**
 * The latest record of an episode dated after `at`: a round measured, a sample collected, imaging
 * performed, a class or tier assessed, a panel review or referral, a transfer requested. Only the
 * versions in force count (an amended or withdrawn row no longer says anything). Each branch reads
 * one index on (episode_id, time).
 */
const LATER_SQL = `
SELECT kind, entity, id, at FROM (
  SELECT 'round' AS kind, 'round' AS entity, r.id, r.measured_at AS at FROM round r
   WHERE r.episode_id = @episodeId AND r.measured_at > @at AND ${currentRow('round', 'r')}
  UNION ALL
  SELECT 'lab', 'lab_result', r.id, r.collected_at FROM lab_result r
   WHERE r.episode_id = @episodeId AND r.collected_at > @at AND ${currentRow('lab_result', 'r')}
  UNION ALL
  SELECT 'imaging', 'imaging', r.id, r.performed_at FROM imaging r
   WHERE r.episode_id = @episodeId AND r.performed_at > @at AND ${currentRow('imaging', 'r')}
  UNION ALL
  SELECT 'assessment', 'class_assessment', r.id, r.assessed_at FROM class_assessment r
   WHERE r.episode_id = @episodeId AND r.assessed_at > @at AND ${currentRow('class_assessment', 'r')}
  UNION ALL
  SELECT 'assessment', 'tier_assignment', r.id, r.at FROM tier_assignment r
   WHERE r.episode_id = @episodeId AND r.at > @at AND ${currentRow('tier_assignment', 'r')}
  UNION ALL
  SELECT 'panel', 'review', r.id, r.at FROM review r
   WHERE r.episode_id = @episodeId AND r.at > @at AND ${currentRow('review', 'r')}
  UNION ALL
  SELECT 'panel', 'referral', r.id, r.at FROM referral r WHERE r.episode_id = @episodeId AND r.at > @at
  UNION ALL
  SELECT 'transfer', 'transfer_request', t.id, t.requested_at FROM transfer_request t WHERE t.episode_id = @episodeId AND t.requested_at > @at
) ORDER BY at DESC, id DESC LIMIT 1`;

/**
 * A discharge may not be dated before what was recorded during the stay (issue 12 finding 8). Such a
 * discharge would end the stay before a round, a result or a review of a patient who was still there,
 * and its stored criteria, evaluated at the earlier time, would never have seen them (a positive Ct
 * collected later, for one). Refused on `dischargedAt`, naming the record and its time; the clinician
 * enters the real discharge time, or first corrects the record (amend or enter in error) if it is the
 * one that is wrong. A recorded "reason" instead would leave the summary contradicting its own data.
 */
export function assertNothingRecordedAfter(ctx: Ctx, episodeId: number, dischargedAt: string): void {
  const later = ctx.stmt<[{ episodeId: number; at: string }], LaterRow>(LATER_SQL).get({ episodeId, at: dischargedAt });
  if (!later) return;
  const key = `discharge.before_${later.kind}`;
  const at = formatLocal(later.at, settingsOf(ctx).timeZone);
  throw new AppError('VALIDATION', `dischargedAt: ${later.entity} ${later.id} is dated later (${later.at})`, {
    key,
    params: { at },
    issues: [{ field: 'dischargedAt', key, params: { at } }],
    conflict: { entity: later.entity, id: later.id, at: later.at },
  });
}
