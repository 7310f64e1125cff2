import type { QueueFilter } from '../../../shared/api/queue';
import type { Flag } from '../../../shared/api/reviews';
import { FLAG_CODES, getRuleSet, type ClassProposal, type ClinicalClass, type News2Result, type RiskFlag } from '../../../shared/clinical';
import type { Ctx } from '../context';
import { computeSnapshot, urgencyOf, waitingSince } from '../clinical/state';

/** What ranking needs of a stored state, read as an array (better-sqlite3 raw mode). */
export type StateRow = [
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

export const STATE_COLUMNS = 's.episode_id, s.computed_at, s.flags, s.urgency, s.review_due_at, s.last_review_at, s.proposed_class, s.news2_band, e.admitted_at';

/** The queue's order on a stored state: episode_state_queue (migration 9) holds exactly these keys. */
const ORDER = 'ORDER BY s.urgency DESC, s.waiting_since, s.episode_id';

/**
 * States the clock made stale: a review fell due after the state was computed (its stored flags lack
 * review_overdue and its stored urgency the 15 that flag adds), from the episode_state_review_pending
 * index; and a snooze ran out after it was computed (a hidden flag is back), with the latest expiry.
 */
export const REVIEW_FELL_DUE_SQL = 'SELECT episode_id FROM episode_state WHERE review_due_at >= computed_at AND review_due_at <= ?';
/** States whose antiviral_eligible flag (issue 19) lapsed with its 5-day window after they were computed (migration 20's partial index). */
export const ANTIVIRAL_WINDOW_CLOSED_SQL = 'SELECT episode_id, antiviral_window_ends_at AS until FROM episode_state WHERE antiviral_window_ends_at <= ?';
export const SNOOZE_RAN_OUT_SQL = `SELECT z.episode_id, max(z.until) AS until FROM flag_snooze z CROSS JOIN episode_state s ON s.episode_id = z.episode_id
WHERE z.until <= ? AND z.until > s.computed_at GROUP BY z.episode_id`;

type Filter = Omit<QueueFilter, 'limit' | 'after'>;

/**
 * Which rows after a cursor a page statement reads, each an index range of episode_state_queue:
 * `same`, the rest of the cursor's urgency (later waiting, then later episode); `below`, every lower
 * urgency. Two ranges rather than one OR, so neither walks the rows before the cursor.
 */
export type AfterPart = 'same' | 'below';
const AFTER: Record<AfterPart, string> = {
  same: 'AND s.urgency = @afterUrgency AND (s.waiting_since, s.episode_id) > (@afterWaiting, @afterEpisode)',
  below: 'AND s.urgency < @afterUrgency',
};

/**
 * The list's conditions on a stored state `s`: an active episode in an open placement, within the
 * filter. `stale` leaves out the clock-stale states, which are ranked in JS instead.
 */
function conditions(filter: Filter, stale: boolean): string {
  const place = [
    'pl.episode_id = s.episode_id AND pl.end_at IS NULL',
    filter.wardId !== undefined ? 'AND pl.ward_id = @wardId' : '',
    filter.facilityId !== undefined ? 'AND pl.ward_id IN (SELECT w.id FROM ward w WHERE w.facility_id = @facilityId)' : '',
  ].join(' ');
  return [
    `EXISTS (SELECT 1 FROM episode e WHERE e.id = s.episode_id AND e.status = 'active')`,
    `AND EXISTS (SELECT 1 FROM placement pl WHERE ${place})`,
    stale ? 'AND s.episode_id NOT IN (SELECT value FROM json_each(@stale))' : '',
    filter.tier !== undefined ? 'AND s.current_tier = @tier' : '',
    filter.flag !== undefined ? `AND EXISTS (SELECT 1 FROM json_each(s.flags) j WHERE j.value ->> 'code' = @flag)` : '',
  ].join('\n');
}

/**
 * Where the flagged states are read from: a ward's open placements for a ward's list (a few hundred
 * beds), else the index named (both partial on flag_count > 0, migration 9).
 */
function flagged(filter: Filter, index: 'episode_state_queue' | 'episode_state_flagged_id'): { from: string; where: string } {
  return filter.wardId !== undefined
    ? { from: 'placement wp CROSS JOIN episode_state s ON s.episode_id = wp.episode_id', where: 'wp.ward_id = @wardId AND wp.end_at IS NULL AND s.flag_count > 0' }
    : { from: `episode_state s INDEXED BY ${index}`, where: 's.flag_count > 0' };
}

/**
 * The page of stored states in the queue's order, walking episode_state_queue and stopping after
 * `limit` rows; and how many there are, walking the flagged states in episode order
 * (episode_state_flagged_id), so that the two lookups per state hit neighbouring pages: half the time
 * of the same count in urgency order.
 */
export function pageSql(filter: Filter, stale: boolean, after?: AfterPart): string {
  const f = flagged(filter, 'episode_state_queue');
  return `SELECT ${STATE_COLUMNS} FROM ${f.from} CROSS JOIN episode e ON e.id = s.episode_id
WHERE ${f.where} ${after ? AFTER[after] : ''} AND ${conditions(filter, stale)}
${ORDER} LIMIT @limit`;
}
export function countSql(filter: Filter, stale: boolean): string {
  const f = flagged(filter, 'episode_state_flagged_id');
  return `SELECT count(*) FROM ${f.from} WHERE ${f.where} AND ${conditions(filter, stale)}`;
}

/** The clock-stale states by id, within the filter but whatever their stored flags (the flag filter is applied after ranking). */
function staleSql(filter: Filter): string {
  const { flag: _ignored, ...where } = filter;
  return `SELECT ${STATE_COLUMNS} FROM json_each(@stale) ids
CROSS JOIN episode_state s ON s.episode_id = ids.value
CROSS JOIN episode e ON e.id = s.episode_id
WHERE ${conditions(where, false)}`;
}

export interface Ranked {
  episodeId: number;
  flags: Flag[];
  urgency: number;
  /** Set when the stored state was recomputed (an expired snooze): its class fields replace the stored ones. */
  recomputed: { currentClass: ClinicalClass | null; proposedClass: ClinicalClass } | null;
  waitingSince: string;
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

/** A row's place in the queue's order (QueueCursor). */
type Place = Pick<Ranked, 'urgency' | 'waitingSince' | 'episodeId'>;

export const byQueueOrder = (a: Place, b: Place): number =>
  b.urgency - a.urgency || (a.waitingSince < b.waitingSince ? -1 : a.waitingSince > b.waitingSince ? 1 : 0) || a.episodeId - b.episodeId;

/**
 * A stored state as the queue shows it at now, or null when it is not on the queue (no flag, or not
 * the filter's). Only the clock changes a state between writes: a snooze that ran out since the state
 * was computed (`expired`: recomputed, read-only; rare), and review_overdue, which is taken from the
 * rules at now (hidden while snoozed) on every row, its evidence counting the hours overdue.
 */
export function stateRanker(ctx: Ctx, flag: QueueFilter['flag'], expired: ReadonlyMap<number, string>, snoozedOverdue: ReadonlySet<number>) {
  const rules = getRuleSet();
  const overdueFlag = (dueAt: string): Flag | null => rules.computeFlags({ now: ctx.now, riskFactors: [], reviewDueAt: dueAt }).find((f) => f.code === 'review_overdue') ?? null;
  return ([episodeId, computedAt, storedFlags, storedUrgency, reviewDueAt, lastReviewAt, proposedClass, band, admittedAt]: StateRow): Ranked | null => {
    let flags: Flag[];
    let urgency = storedUrgency;
    let recomputed: Ranked['recomputed'] = null;
    if ((expired.get(episodeId) ?? '') > computedAt) {
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
      // The stored urgency counts review_overdue as it stood when computed: if the clock changed that, urgencyOf again.
      if (hadOverdue !== (overdue !== null)) urgency = urgencyFrom(proposedClass, band, flags);
    }
    if (flags.length === 0) return null;
    if (flag && !flags.some((f) => f.code === flag)) return null;
    return { episodeId, flags, urgency, recomputed, waitingSince: waitingSince(lastReviewAt ?? admittedAt, flags) };
  };
}

/**
 * The queue, most urgent first: urgency (urgencyOf), then longest waiting (waitingSince), then
 * episode; `limit` rows of it after the cursor (`after`, else from the top), how many there are in all,
 * and whether more follow. Stored states rank from the queue index, which keeps urgency and
 * waiting_since as refreshEpisodeState computed them. The states the clock changed since (a review
 * fell due, a snooze ran out, a snoozed review_overdue the state may hold) are few: they are left out
 * of the SQL page and count, ranked by stateRanker at now, and merged in.
 */
export function rankQueue(ctx: Ctx, filter: Omit<QueueFilter, 'limit'> & { limit: number }, snoozedOverdue: ReadonlySet<number>): { total: number; rows: Ranked[]; more: boolean } {
  // A snooze that ran out and an antiviral window that closed both call for the rules at now.
  const expired = new Map(
    [
      ...ctx.stmt<[string], { episode_id: number; until: string }>(SNOOZE_RAN_OUT_SQL).all(ctx.now),
      ...ctx.stmt<[string], { episode_id: number; until: string }>(ANTIVIRAL_WINDOW_CLOSED_SQL).all(ctx.now),
    ].map((z) => [z.episode_id, z.until]),
  );
  const stale = new Set([...ctx.stmt<[string], number>(REVIEW_FELL_DUE_SQL).pluck().all(ctx.now), ...expired.keys(), ...snoozedOverdue]);
  const rank = stateRanker(ctx, filter.flag, expired, snoozedOverdue);
  const { limit, after, ...where } = filter;
  const params = {
    stale: JSON.stringify([...stale]),
    wardId: filter.wardId,
    facilityId: filter.facilityId,
    tier: filter.tier,
    flag: filter.flag,
    afterUrgency: after?.urgency,
    afterWaiting: after?.waitingSince,
    afterEpisode: after?.episodeId,
  };
  // One row past the page says whether another page follows.
  const states = (sql: string, rows?: number) =>
    ctx
      .stmt<[typeof params & { limit?: number }], StateRow>(sql)
      .raw(true)
      .all({ ...params, limit: rows }) as unknown as StateRow[];
  let stored = states(pageSql(where, stale.size > 0, after ? 'same' : undefined), limit + 1);
  if (after && stored.length <= limit) stored = [...stored, ...states(pageSql(where, stale.size > 0, 'below'), limit + 1 - stored.length)];
  const page = stored.flatMap((s) => rank(s) ?? []);
  const restaled = stale.size > 0 ? states(staleSql(where)).flatMap((s) => rank(s) ?? []) : [];
  const total =
    (ctx
      .stmt<[typeof params], number>(countSql(where, stale.size > 0))
      .pluck()
      .get(params) ?? 0) + restaled.length;
  const merged = [...page, ...(after ? restaled.filter((r) => byQueueOrder(r, after) > 0) : restaled)].sort(byQueueOrder);
  return { total, rows: merged.slice(0, limit), more: stored.length > limit || merged.length > limit };
}
