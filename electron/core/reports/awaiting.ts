import type { Ctx } from '../context';
import { getRuleSet } from '../../../shared/clinical';
import { awaitingReview } from '../clinical/awaiting';
import { computeSnapshot } from '../clinical/state';
import { flagsAsOf } from './asof';
import { spansAt } from './history';

type Candidate = [episodeId: number, facilityId: number, computedAt: string, flags: string, reviewDueAt: string | null, lastReviewAt: string | null];

/** Today's census: the open placements (nothing ends in the future), each with its facility. */
const OPEN = 'CROSS JOIN placement pl ON pl.episode_id = s.episode_id AND pl.end_at IS NULL CROSS JOIN ward w ON w.id = pl.ward_id';

/** Flagged and never reviewed: awaiting whatever the clock does (it can only add flags), decided in SQL on episode_state `s`. */
export const AWAITING_SURE = '(s.flag_count > 0 AND s.last_review_at IS NULL)';
const SURE_SQL = `FROM episode_state s ${OPEN} WHERE ${AWAITING_SURE}`;

/**
 * The other episodes whose stored state may be flagged now: reviewed and flagged, or unflagged when
 * computed but made stale by the clock since (a review fell due, a snooze ran out) — the queue's
 * candidates (queue/rank.ts). Each source is read by itself so no scan joins every episode.
 */
const UNDECIDED_SQL = `
WITH cand(episode_id) AS (
  SELECT episode_id FROM episode_state WHERE flag_count > 0 AND last_review_at IS NOT NULL
  UNION SELECT episode_id FROM episode_state WHERE flag_count = 0 AND review_due_at >= computed_at AND review_due_at <= @now
  UNION SELECT z.episode_id FROM flag_snooze z JOIN episode_state s ON s.episode_id = z.episode_id
    WHERE s.flag_count = 0 AND z.until > s.computed_at AND z.until <= @now
)
SELECT s.episode_id, w.facility_id, s.computed_at, s.flags, s.review_due_at, s.last_review_at
FROM cand CROSS JOIN episode_state s ON s.episode_id = cand.episode_id ${OPEN}`;

/** Of the undecided candidates, those awaiting review now, with their facility. */
export function undecidedAwaitingNow(ctx: Ctx): Map<number, number> {
  const snoozedOverdue = new Set(ctx.stmt<[string], number>(`SELECT episode_id FROM flag_snooze WHERE flag_code = 'review_overdue' AND until > ?`).pluck().all(ctx.now));
  const expired = new Map(
    ctx
      .stmt<[string], { episode_id: number; until: string }>('SELECT episode_id, max(until) AS until FROM flag_snooze WHERE until <= ? GROUP BY episode_id')
      .all(ctx.now)
      .map((z) => [z.episode_id, z.until]),
  );
  const overdueNow = (dueAt: string) =>
    getRuleSet()
      .computeFlags({ now: ctx.now, riskFactors: [], reviewDueAt: dueAt })
      .some((f) => f.code === 'review_overdue');
  const out = new Map<number, number>();
  const rows = ctx.stmt<[{ now: string }], Candidate>(UNDECIDED_SQL).raw(true).all({ now: ctx.now }) as unknown as Candidate[];
  for (const [episodeId, facilityId, computedAt, stored, reviewDueAt, lastReviewAt] of rows) {
    let flags: { code: string }[];
    if ((expired.get(episodeId) ?? '') > computedAt) {
      flags = computeSnapshot(ctx, episodeId).flags;
    } else {
      flags = (JSON.parse(stored) as { code: string }[]).filter((f) => f.code !== 'review_overdue');
      if (reviewDueAt !== null && !snoozedOverdue.has(episodeId) && overdueNow(reviewDueAt)) flags.push({ code: 'review_overdue' });
    }
    if (awaitingReview(flags, lastReviewAt, reviewDueAt, ctx.now)) out.set(episodeId, facilityId);
  }
  return out;
}

/**
 * Who of today's census is flagged and awaiting review now (episode → facility), from the stored
 * state (electron/core/clinical/state.ts) adjusted for the clock as the queue is: a review that fell
 * due since the state was computed raises the overdue flag unless that flag is snoozed; a snooze that
 * ran out since is recomputed.
 */
export function awaitingNow(ctx: Ctx): Map<number, number> {
  const out = undecidedAwaitingNow(ctx);
  for (const [episodeId, facilityId] of ctx.stmt<[], [number, number]>(`SELECT s.episode_id, w.facility_id ${SURE_SQL}`).raw(true).all() as unknown as [number, number][]) {
    out.set(episodeId, facilityId);
  }
  return out;
}

/**
 * Of `episodeIds` (a census), those flagged and awaiting review at instant `at`: for the present
 * (`at` not before now) the live state above — what the panel's queue shows; for a past instant the
 * episodes' stored spans (history.ts), and for those no span covers the rules re-run on the records
 * signed up to then (asof.ts), which is what every span holds.
 */
export function awaitingAt(ctx: Ctx, at: string, tz: string, episodeIds: Iterable<number>): Set<number> {
  const out = new Set<number>();
  if (at >= ctx.now) {
    const live = awaitingNow(ctx);
    for (const id of episodeIds) if (live.has(id)) out.add(id);
    return out;
  }
  const ids = [...episodeIds];
  const stored = spansAt(ctx, at, ids);
  for (const id of ids) if (stored.get(id) ?? flagsAsOf(ctx, id, at, tz).awaitingReview) out.add(id);
  return out;
}

/**
 * Who of the census at instant `censusAt` (placements open then) was awaiting review at instant `at`,
 * counted per facility: the spans that begin at `at` (a day's end: one range of migration 19's index),
 * then each other census episode's span covering `at` (history.ts), and the rules re-run as of `at`
 * only for the episodes no span covers.
 */
export function awaitingCountsAt(ctx: Ctx, censusAt: string, at: string, tz: string): Map<number, number> {
  const starting = new Map(
    ctx.stmt<[string], [number, number]>('SELECT episode_id, awaiting FROM awaiting_span WHERE from_at = ?').raw(true).all(at) as unknown as [number, number][],
  );
  const census = ctx
    .stmt<[{ at: string }], [number, number]>('SELECT facility_id, episode_id FROM report_placement WHERE +start_at < @at AND (end_at IS NULL OR end_at >= @at)')
    .raw(true)
    .all({ at: censusAt }) as unknown as [number, number][];
  const covering = ctx
    .stmt<[number, string], [string, number]>('SELECT until_at, awaiting FROM awaiting_span WHERE episode_id = ? AND from_at <= ? ORDER BY from_at DESC LIMIT 1')
    .raw(true);
  const out = new Map<number, number>();
  for (const [facilityId, episodeId] of census) {
    let stored = starting.get(episodeId);
    if (stored === undefined) {
      const span = covering.get(episodeId, at) as [string, number] | undefined;
      stored = span && span[0] > at ? span[1] : undefined;
    }
    if (stored === 1 || (stored === undefined && flagsAsOf(ctx, episodeId, at, tz).awaitingReview)) out.set(facilityId, (out.get(facilityId) ?? 0) + 1);
  }
  return out;
}
