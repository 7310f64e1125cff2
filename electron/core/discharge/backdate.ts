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
 * Where each kind of later record is, and its time column. Signed rows count only in the version in
 * force (an amended or withdrawn row no longer says anything); referrals and transfer requests are
 * not signed records.
 */
const LATER_SOURCES: readonly { kind: LaterRecordKind; table: string; at: string; signed: boolean }[] = [
  { kind: 'round', table: 'round', at: 'measured_at', signed: true },
  { kind: 'lab', table: 'lab_result', at: 'collected_at', signed: true },
  { kind: 'imaging', table: 'imaging', at: 'performed_at', signed: true },
  { kind: 'assessment', table: 'class_assessment', at: 'assessed_at', signed: true },
  { kind: 'assessment', table: 'tier_assignment', at: 'at', signed: true },
  { kind: 'panel', table: 'review', at: 'at', signed: true },
  { kind: 'panel', table: 'referral', at: 'at', signed: false },
  { kind: 'transfer', table: 'transfer_request', at: 'requested_at', signed: false },
];

/**
 * The latest record of an episode dated after `at`: a round measured, a sample collected, imaging
 * performed, a class or tier assessed, a panel review or referral, a transfer requested. Each branch
 * reads one index on (episode_id, time).
 */
const LATER_SQL = `
SELECT kind, entity, id, at FROM (
${LATER_SOURCES.map(
  (s) => `  SELECT '${s.kind}' AS kind, '${s.table}' AS entity, r.id, r.${s.at} AS at FROM ${s.table} r
   WHERE r.episode_id = @episodeId AND r.${s.at} > @at${s.signed ? ` AND ${currentRow(s.table, 'r')}` : ''}`,
).join('\n  UNION ALL\n')}
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
