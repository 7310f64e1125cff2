import type { QueueFilter } from '../../../shared/api/queue';
import type { Flag } from '../../../shared/api/reviews';
import { FLAG_CODES, getRuleSet, type ClassProposal, type ClinicalClass, type News2Result, type RiskFlag } from '../../../shared/clinical';
import type { Ctx } from '../context';
import { computeSnapshot, urgencyOf } from '../clinical/state';

/** What ranking needs of a candidate, read as an array (better-sqlite3 raw mode): the queue can hold tens of thousands. */
type CandidateRow = [
  episodeId: number,
  computedAt: string,
  flags: string,
  urgency: number,
  reviewDueAt: string | null,
  lastReviewAt: string | null,
  proposedClass: ClinicalClass | null,
  news2Band: string | null,
  admittedAt: string,
];

/**
 * Candidates: episodes whose stored state is flagged, plus those whose stored state went stale
 * because time passed without a write: a review fell due, or a snooze expired, after the state was
 * computed. The ids come from episode_state alone (the flagged index, one scan for due reviews, the
 * expired snoozes) before anything is joined, so the joins run only for the queue's own rows (CROSS
 * JOIN keeps SQLite from driving the join from a scan of every episode instead).
 */
export const CANDIDATES_SQL = `
WITH cand(episode_id) AS (
  SELECT episode_id FROM episode_state WHERE flag_count > 0
  UNION SELECT episode_id FROM episode_state WHERE review_due_at > computed_at AND review_due_at <= @now
  UNION SELECT z.episode_id FROM flag_snooze z JOIN episode_state s ON s.episode_id = z.episode_id WHERE z.until > s.computed_at AND z.until <= @now
)
SELECT s.episode_id, s.computed_at, s.flags, s.urgency, s.review_due_at, s.last_review_at, s.proposed_class, s.news2_band, e.admitted_at
FROM cand
CROSS JOIN episode_state s ON s.episode_id = cand.episode_id
CROSS JOIN episode e ON e.id = s.episode_id AND e.status = 'active'
CROSS JOIN placement pl ON pl.episode_id = e.id AND pl.end_at IS NULL
CROSS JOIN ward w ON w.id = pl.ward_id
WHERE (@facilityId IS NULL OR w.facility_id = @facilityId)
  AND (@wardId IS NULL OR w.id = @wardId)
  AND (@tier IS NULL OR s.current_tier = @tier)`;

export interface Ranked {
  episodeId: number;
  flags: Flag[];
  urgency: number;
  /** Set when the stored state was recomputed (an expired snooze): its class fields replace the stored ones. */
  recomputed: { currentClass: ClinicalClass | null; proposedClass: ClinicalClass } | null;
  waitingSince: string;
}

/**
 * How long the patient has waited for the panel: since the later of (the last review, or admission
 * when never reviewed) and the start of the earliest active flag. A flag older than the last review
 * was already seen then; a newer one starts the wait.
 */
export function waitingSince(base: string, flags: readonly Flag[]): string {
  let earliest: string | null = null;
  for (const f of flags) if (f.since !== null && (earliest === null || f.since < earliest)) earliest = f.since;
  return earliest !== null && earliest > base ? earliest : base;
}

const FLAG_ORDER = new Map<string, number>(FLAG_CODES.map((c, i) => [c, i]));

/**
 * urgencyOf (electron/core/clinical/state.ts, the one definition of the order) for a stored state
 * whose flags changed with the clock. urgencyOf reads the proposal's class and the NEWS2 band only,
 * which episode_state stores; a test checks this equals a full recomputation.
 */
function urgencyFrom(proposedClass: ClinicalClass | null, band: string | null, flags: readonly Flag[]): number {
  const proposal = { proposed: proposedClass ?? 'asymptomatic' } as ClassProposal;
  const news2 = band === null ? null : ({ band } as News2Result);
  return urgencyOf(proposal, news2, flags as RiskFlag[]);
}

/**
 * Every patient on the queue, most urgent first: urgency (urgencyOf), then longest waiting, then
 * episode. Only the review-overdue flag moves with the clock; it is taken from the rules at now.
 */
export function rankQueue(ctx: Ctx, filter: Omit<QueueFilter, 'limit'>, snoozedOverdue: ReadonlySet<number>): Ranked[] {
  const rules = getRuleSet();
  const overdueFlag = (dueAt: string): Flag | null =>
    rules.computeFlags({ now: ctx.now, riskFactors: [], reviewDueAt: dueAt }).find((f) => f.code === 'review_overdue') ?? null;
  // The latest expiry of each episode's snoozes that have run out: if after the state was computed, a hidden flag is back.
  const expired = new Map(
    ctx
      .stmt<[string], { episode_id: number; until: string }>('SELECT episode_id, max(until) AS until FROM flag_snooze WHERE until <= ? GROUP BY episode_id')
      .all(ctx.now)
      .map((z) => [z.episode_id, z.until]),
  );
  const rows = ctx
    .stmt<[Record<string, unknown>], CandidateRow>(CANDIDATES_SQL)
    .raw(true)
    .all({ now: ctx.now, facilityId: filter.facilityId ?? null, wardId: filter.wardId ?? null, tier: filter.tier ?? null }) as unknown as CandidateRow[];

  const ranked: Ranked[] = [];
  for (const [episodeId, computedAt, storedFlags, storedUrgency, reviewDueAt, lastReviewAt, proposedClass, band, admittedAt] of rows) {
    let flags: Flag[];
    let urgency = storedUrgency;
    let recomputed: Ranked['recomputed'] = null;
    if ((expired.get(episodeId) ?? '') > computedAt) {
      // A snooze ran out since the state was computed: recompute (read-only; rare).
      const s = computeSnapshot(ctx, episodeId);
      flags = s.flags;
      urgency = s.urgency;
      recomputed = { currentClass: s.currentClass, proposedClass: s.proposal.proposed };
    } else {
      flags = JSON.parse(storedFlags) as Flag[];
      const overdue = reviewDueAt !== null && !snoozedOverdue.has(episodeId) ? overdueFlag(reviewDueAt) : null;
      const hadOverdue = flags.some((f) => f.code === 'review_overdue');
      if (hadOverdue || overdue) {
        flags = flags.filter((f) => f.code !== 'review_overdue');
        if (overdue) flags.push(overdue);
        flags.sort((a, b) => (FLAG_ORDER.get(a.code) ?? 0) - (FLAG_ORDER.get(b.code) ?? 0));
      }
      if (reviewDueAt !== null && reviewDueAt > computedAt && reviewDueAt <= ctx.now) urgency = urgencyFrom(proposedClass, band, flags);
    }
    if (flags.length === 0) continue;
    if (filter.flag && !flags.some((f) => f.code === filter.flag)) continue;
    ranked.push({ episodeId, flags, urgency, recomputed, waitingSince: waitingSince(lastReviewAt ?? admittedAt, flags) });
  }
  return ranked.sort((a, b) => b.urgency - a.urgency || (a.waitingSince < b.waitingSince ? -1 : a.waitingSince > b.waitingSince ? 1 : 0) || a.episodeId - b.episodeId);
}
