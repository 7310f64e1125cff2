import type { Ctx } from '../context';
import { getRuleSet } from '../../../shared/clinical';
import { evaluateEpisode, type ClinicalSnapshot, type EpisodeData } from '../../../shared/clinical/evaluate';
import { settingsOf } from '../settings/settings';
import { writeAwaitingSpans } from '../reports/history';
import { loadEpisode } from './load';

export { MONITORING_INTERVAL_MINUTES, urgencyOf, waitingSince, type ClinicalSnapshot } from '../../../shared/clinical/evaluate';

/** The live snapshot of loaded data: the evaluator at `ctx.now` with the current rule set and the hospital's time zone. */
export function evaluateLive(ctx: Ctx, data: EpisodeData): ClinicalSnapshot {
  return evaluateEpisode(data, { now: ctx.now, timeZone: settingsOf(ctx).timeZone, rules: getRuleSet() });
}

/** The episode's data as it stands now (clinical/load.ts); throws for an unknown episode. */
export function loadLive(ctx: Ctx, episodeId: number, spare = false): EpisodeData {
  const data = loadEpisode(ctx, episodeId, { spare });
  if (!data) throw new RangeError(`episode ${episodeId} not found`);
  return data;
}

/**
 * Everything the rules need about one episode, read from the current signed rows (clinical/load.ts),
 * and the rules' answers (shared/clinical/evaluate.ts): NEWS2 now, the class proposal, the severe-risk
 * flags (minus active snoozes), urgency. Reads only: the stored state is written by dispatch, once per
 * call, for the episodes a handler touched (`ctx.touchEpisode`).
 */
export function computeSnapshot(ctx: Ctx, episodeId: number): ClinicalSnapshot {
  return evaluateLive(ctx, loadLive(ctx, episodeId));
}

/**
 * Recomputes and stores the derived state of one episode. A handler does not call it: it touches the
 * episode (`ctx.touchEpisode`) and dispatch refreshes every touched episode once before commit; a
 * generator writing a whole history outside dispatch (the demo) calls it once per episode at the end.
 */
export function refreshEpisodeState(ctx: Ctx, episodeId: number): ClinicalSnapshot {
  const data = loadLive(ctx, episodeId);
  const timeZone = settingsOf(ctx).timeZone;
  const s = evaluateEpisode(data, { now: ctx.now, timeZone, rules: getRuleSet() });
  writeEpisodeState(ctx, s);
  // Who is awaiting review from now on, kept beside the live state for the past days' reports.
  writeAwaitingSpans(ctx, data, timeZone);
  return s;
}

/** Stores a snapshot as the episode's derived state (the ward board, the queue and the reports read it). */
function writeEpisodeState(ctx: Ctx, s: ClinicalSnapshot): void {
  ctx
    .stmt(
      `INSERT INTO episode_state (episode_id, computed_at, last_round_at, news2_total, news2_complete, news2_band, news2_monitoring, news2_any_three,
         next_obs_due_at, proposed_class, current_class, worst_class, current_tier, flags, flag_count, urgency, review_due_at, last_review_at, last_review_decision, waiting_since,
         antiviral_window_ends_at)
       VALUES (@episodeId, @now, @lastRoundAt, @total, @complete, @band, @monitoring, @anyThree, @nextObsDueAt, @proposed, @currentClass, @worstClass,
         @currentTier, @flags, @flagCount, @urgency, @reviewDueAt, @lastReviewAt, @lastReviewDecision, @waitingSince, @antiviralWindowEndsAt)
       ON CONFLICT (episode_id) DO UPDATE SET computed_at = excluded.computed_at, last_round_at = excluded.last_round_at,
         news2_total = excluded.news2_total, news2_complete = excluded.news2_complete, news2_band = excluded.news2_band,
         news2_monitoring = excluded.news2_monitoring, news2_any_three = excluded.news2_any_three, next_obs_due_at = excluded.next_obs_due_at,
         proposed_class = excluded.proposed_class, current_class = excluded.current_class, worst_class = excluded.worst_class,
         current_tier = excluded.current_tier, flags = excluded.flags, flag_count = excluded.flag_count, urgency = excluded.urgency,
         review_due_at = excluded.review_due_at, last_review_at = excluded.last_review_at, last_review_decision = excluded.last_review_decision,
         waiting_since = excluded.waiting_since, antiviral_window_ends_at = excluded.antiviral_window_ends_at`,
    )
    .run({
      episodeId: s.episodeId,
      now: ctx.now,
      lastRoundAt: s.lastRoundAt,
      total: s.news2?.total ?? null,
      complete: s.news2 ? (s.news2.complete ? 1 : 0) : null,
      band: s.news2?.band ?? null,
      monitoring: s.news2?.monitoring ?? null,
      anyThree: s.news2 ? (s.news2.anySingleThree ? 1 : 0) : null,
      nextObsDueAt: s.nextObsDueAt,
      proposed: s.proposal.proposed,
      currentClass: s.currentClass,
      worstClass: s.worstClass,
      currentTier: s.currentTier,
      flags: JSON.stringify(s.flags),
      flagCount: s.flags.length,
      urgency: s.urgency,
      reviewDueAt: s.reviewDueAt,
      lastReviewAt: s.lastReviewAt,
      lastReviewDecision: s.lastReviewDecision,
      waitingSince: s.waitingSince,
      antiviralWindowEndsAt: s.antiviralWindowEndsAt,
    });
}
