import type { Ctx } from '../context';
import { getRuleSet } from '../../../shared/clinical';
import { evaluateEpisode, reviewDueOf, type EpisodeData } from '../../../shared/clinical/evaluate';
import { patientAge, type AgeRecord } from '../../../shared/domain/age';
import { addDays, localDate, startOfLocalDay } from '../../../shared/domain/time';
import { awaitingReview } from '../clinical/awaiting';
import { loadEpisode } from '../clinical/load';
import { flagsAsOf } from './asof';

/**
 * Who was awaiting review over time, per episode (migration 19's awaiting_span): each span says
 * whether `flagsAsOf` (asof.ts) finds the episode awaiting review at every instant of [from, until).
 * A past day's report reads it for its census instead of re-running the rules on every patient.
 */
export type Span = [from: string, until: string, awaiting: boolean];

/** A span with no end: nothing but a write can change the answer after its start. */
export const FOREVER = '9999-12-31T23:59:59.999Z';
/** Days a write fills after the episode's spans end (a back-dated record); older days are computed when asked. */
const MAX_FILL_DAYS = 62;
/**
 * Days a write fills when the episode's spans simply ended before now (no back-dated record cut them):
 * its record untouched for longer than its tail, or a clock far past the data (a restored old backup;
 * the server bench's 2022 network served in 2026). A longer gap is left to the reports, which compute
 * what no span covers, so a round never pays for years of evaluations.
 */
const MAX_GAP_FILL_DAYS = 14;
/** How far ahead a birthday (a new completed month or year of age) is looked for. */
const AGE_HORIZON_DAYS = 400;

const plusMs = (at: string, ms: number) => new Date(Date.parse(at) + ms).toISOString();

/** The last instant of the local day `date` (what a past day's report evaluates: reports/daily.ts endOfDayAt). */
export function dayEndOf(date: string, tz: string): string {
  return plusMs(startOfLocalDay(addDays(date, 1), tz), -1);
}

/** The day-end instants in [from, to), at most `max` of them. */
export function dayEndsBetween(from: string, to: string, tz: string, max = MAX_FILL_DAYS): string[] {
  const out: string[] = [];
  for (let date = localDate(from, tz); out.length < max; date = addDays(date, 1)) {
    const end = dayEndOf(date, tz);
    if (end >= to) break;
    if (end >= from) out.push(end);
  }
  return out;
}

/** The first local midnight after `from` at which the patient's completed months or years change, or null within the horizon. */
export function nextAgeChange(age: AgeRecord, from: string, tz: string): string | null {
  const key = (at: string) => {
    const a = patientAge(age, at, tz);
    return `${a.years}/${a.months}`;
  };
  if (age.birthDate === null && age.ageMonths === null) return null;
  const first = localDate(from, tz);
  const startOf = (k: number) => startOfLocalDay(addDays(first, k), tz);
  const now = key(from);
  if (key(startOf(AGE_HORIZON_DAYS)) === now) return null;
  // Age only grows: the first day whose age differs, by bisection.
  let lo = 0;
  let hi = AGE_HORIZON_DAYS;
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if (key(startOf(mid)) === now) lo = mid;
    else hi = mid;
  }
  return startOf(hi);
}

/**
 * The spans from `at` on, of an episode whose records all lie at or before `at` (`data`, loaded as
 * of then): the rules run at `at` and at each later instant the clock alone changes their answer — a
 * review falling due (reviewed and current until the due instant, overdue after it), a snooze running
 * out, a new completed month of age (the spans end there: the next write, or the report, goes on).
 */
export function tailSpans(data: EpisodeData, at: string, tz: string): Span[] {
  const rules = getRuleSet();
  const end = nextAgeChange(data.age, at, tz) ?? FOREVER;
  const awaitingAt = (t: string) => {
    const s = evaluateEpisode(data, { now: t, timeZone: tz, rules });
    return awaitingReview(s.flags, s.lastReviewAt, s.reviewDueAt, t);
  };
  const due = reviewDueOf(data.lastReview, data.plan);
  const events = new Set([at]);
  if (due !== null) [due, plusMs(due, 1)].forEach((t) => events.add(t));
  for (const s of data.snoozes) events.add(s.until);
  const times = [...events].filter((t) => t >= at && t < end).sort();
  const out: Span[] = [];
  times.forEach((t, i) => {
    const value = awaitingAt(t);
    const last = out[out.length - 1];
    if (last && last[2] === value) last[1] = times[i + 1] ?? end;
    else out.push([t, times[i + 1] ?? end, value]);
  });
  return out;
}

function insertSpans(ctx: Ctx, episodeId: number, spans: readonly Span[]): void {
  const put = ctx.stmt<[number, string, string, number]>('INSERT INTO awaiting_span (episode_id, from_at, until_at, awaiting) VALUES (?, ?, ?, ?)');
  for (const [from, until, awaiting] of spans) put.run(episodeId, from, until, awaiting ? 1 : 0);
}

/** One-instant spans at each of the day ends given, by the rules as of then. */
function daySpans(ctx: Ctx, episodeId: number, ends: readonly string[], tz: string): Span[] {
  return ends.map((e) => [e, plusMs(e, 1), flagsAsOf(ctx, episodeId, e, tz).awaitingReview]);
}

/**
 * Stores what a write changed in the episode's spans (clinical/state.ts, with the data the live state
 * was just computed from, all of it at or before now). Migration 19's triggers have cut the spans at
 * the time of any record this write added; the spans from now on are replaced by the tail from now,
 * and the days that closed between where the spans ended and now are filled by the rules as of their
 * end (from where a record cut them, when the cut left none). An episode with no span before (new,
 * generated, imported, recorded before migration 19) gets only the tail: the backfill fills its
 * earlier days, and a report computes what no span covers.
 */
export function writeAwaitingSpans(ctx: Ctx, data: EpisodeData, tz: string): void {
  const id = data.episodeId;
  const now = ctx.now;
  const covered = ctx.stmt<[number], string | null>('SELECT max(until_at) FROM awaiting_span WHERE episode_id = ?').pluck().get(id) ?? null;
  ctx.stmt<[number, string]>('DELETE FROM awaiting_span WHERE episode_id = ? AND from_at >= ?').run(id, now);
  ctx.stmt<[string, number, string]>('UPDATE awaiting_span SET until_at = ? WHERE episode_id = ? AND until_at > ?').run(now, id, now);
  // Where this write's records cut the spans, when that left none.
  const cut = ctx.stmt<[number], string>('SELECT at FROM awaiting_cut WHERE episode_id = ?').pluck().get(id) ?? null;
  if (cut !== null) ctx.stmt<[number]>('DELETE FROM awaiting_cut WHERE episode_id = ?').run(id);
  const from = covered ?? cut;
  let spans: Span[] = [];
  if (from !== null && from < now) {
    const ends = dayEndsBetween(from, now, tz, cut === null ? MAX_GAP_FILL_DAYS + 1 : MAX_FILL_DAYS);
    if (cut !== null || ends.length <= MAX_GAP_FILL_DAYS) spans = daySpans(ctx, id, ends, tz);
  }
  insertSpans(ctx, id, [...spans, ...tailSpans(data, now, tz)]);
}

/**
 * Whether each of `episodeIds` was awaiting review at instant `at`, from its spans; the episodes no
 * span covers then are left out (the caller computes them).
 */
export function spansAt(ctx: Ctx, at: string, episodeIds: Iterable<number>): Map<number, boolean> {
  const get = ctx
    .stmt<[number, string], [string, number]>('SELECT until_at, awaiting FROM awaiting_span WHERE episode_id = ? AND from_at <= ? ORDER BY from_at DESC LIMIT 1')
    .raw(true);
  const out = new Map<number, boolean>();
  for (const id of episodeIds) {
    const row = get.get(id, at) as [string, number] | undefined;
    if (row && row[0] > at) out.set(id, row[1] === 1);
  }
  return out;
}

/** The latest time of any record the rules read of one episode (migration 19's inputs): nothing after it changes the answer but the clock. */
const HORIZON_SQL = `SELECT max(t) FROM (
  SELECT max(measured_at) AS t FROM round WHERE episode_id = @id UNION ALL SELECT max(collected_at) FROM lab_result WHERE episode_id = @id
  UNION ALL SELECT max(performed_at) FROM imaging WHERE episode_id = @id UNION ALL SELECT max(assessed_at) FROM class_assessment WHERE episode_id = @id
  UNION ALL SELECT max(at) FROM review WHERE episode_id = @id UNION ALL SELECT max(created_at) FROM plan_version WHERE episode_id = @id
  UNION ALL SELECT max(at) FROM referral WHERE episode_id = @id UNION ALL SELECT max(at) FROM flag_snooze WHERE episode_id = @id
  UNION ALL SELECT min(start_at) FROM placement WHERE episode_id = @id)`;

/**
 * Fills the spans of the records written before migration 19 (or before a change of a patient, an
 * SpO2 scale or the time zone dropped them): for each episode with no span covering its latest record, the
 * tail from that record on; then every day end of its stay that no span covers, up to the last write
 * of the network, by the rules as of then. Runs at the start after such a change (awaiting_backfill), in one
 * transaction.
 */
export function backfillAwaitingSpans(ctx: Ctx, tz: string): number {
  const rows = ctx
    .stmt<[], [number, string | null, string | null, number]>(
      `SELECT e.id, (SELECT min(p.start_at) FROM placement p WHERE p.episode_id = e.id),
         (SELECT max(p.end_at) FROM placement p WHERE p.episode_id = e.id),
         (SELECT count(*) FROM placement p WHERE p.episode_id = e.id AND p.end_at IS NULL)
       FROM episode e`,
    )
    .raw(true)
    .all() as [number, string | null, string | null, number][];
  const horizonOf = ctx.stmt<[{ id: number }], string>(HORIZON_SQL).pluck();
  const nextFrom = ctx.stmt<[number, string], string | null>('SELECT min(from_at) FROM awaiting_span WHERE episode_id = ? AND from_at >= ?').pluck();
  // The network's clock when it was last written: no later day has closed for its records.
  const lastWrite = ctx.stmt<[], string | null>('SELECT max(computed_at) FROM episode_state').pluck().get() ?? null;
  let n = 0;
  for (const [id, start, lastEnd, open] of rows) {
    if (start === null) continue;
    const horizon = horizonOf.get({ id }) as string;
    // A census counts the episode at a day's end only while one of its placements is open.
    const stayEnd = open === 0 && lastEnd !== null ? plusMs(lastEnd, 1) : FOREVER;
    const tail: Span[] = [];
    if (horizon < stayEnd && !spansAt(ctx, horizon, [id]).has(id)) {
      const data = loadEpisode(ctx, id, { asOf: horizon });
      const until = nextFrom.get(id, horizon) ?? FOREVER;
      for (const [from, end, awaiting] of data ? tailSpans(data, horizon, tz) : []) if (from < until) tail.push([from, end < until ? end : until, awaiting]);
      insertSpans(ctx, id, tail);
    }
    const upTo = lastWrite !== null && lastWrite > horizon ? lastWrite : horizon;
    const days: Span[] = dayEndsBetween(plusMs(start, -1), stayEnd < upTo ? stayEnd : upTo, tz)
      .filter((e) => !spansAt(ctx, e, [id]).has(id))
      .map((e) => [e, plusMs(e, 1), flagsAsOf(ctx, id, e, tz).awaitingReview]);
    insertSpans(ctx, id, days);
    n += tail.length + days.length;
  }
  return n;
}
