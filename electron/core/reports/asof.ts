import type { Ctx } from '../context';
import { getRuleSet, type RiskFlag } from '../../../shared/clinical';
import { evaluateEpisode } from '../../../shared/clinical/evaluate';
import { awaitingReview } from '../clinical/awaiting';
import { loadEpisode } from '../clinical/load';

/**
 * The severe-risk flags of one episode as the rules saw them at instant `at`: the episode evaluator
 * (shared/clinical/evaluate.ts) on the signed rows recorded up to then (clinical/load.ts with `asOf`),
 * so a past day's report shows that day's queue, not today's.
 */
export function flagsAsOf(ctx: Ctx, episodeId: number, at: string, tz: string): { flags: RiskFlag[]; awaitingReview: boolean } {
  const data = loadEpisode(ctx, episodeId, { asOf: at });
  if (!data) return { flags: [], awaitingReview: false };
  const s = evaluateEpisode(data, { now: at, timeZone: tz, rules: getRuleSet() });
  return { flags: s.flags, awaitingReview: awaitingReview(s.flags, s.lastReviewAt, s.reviewDueAt, at) };
}
