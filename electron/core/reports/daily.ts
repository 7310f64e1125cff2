import type { Ctx } from '../context';
import { REPORT_CLASSES, type DailyReport, type Figures, type TrendPoint } from '../../../shared/api/reports';
import { addDays, startOfLocalDay } from '../../../shared/domain/time';
import { awaitingAt, awaitingCountsAt, undecidedAwaitingNow } from './awaiting';
import { bucketOf, emptyBuckets, METRIC_KEYS, type Buckets, type DayBounds } from './buckets';
import { cached } from './cache';
import { censusTotalsAt, cumulativeAt, graveDays, placementMoves } from './counts';
import { antiviralsStarted, classChanges, movements, reviewsDone } from './movements';
import { admissionsBefore, censusAt, censusNow, emptyPopulation, endsBefore, pastPopulationAt, type Population } from './population';
import { facilitiesOf } from './timeline';

export type { Buckets, DayBounds, Item } from './buckets';

export function dayBounds(date: string, tz: string): DayBounds {
  return { start: startOfLocalDay(date, tz), end: startOfLocalDay(addDays(date, 1), tz) };
}

/** The end of the day as an instant inside it; for today, now (the rest of the day has not happened). */
function endOfDayAt(ctx: Ctx, b: DayBounds): string {
  return b.end <= ctx.now ? new Date(Date.parse(b.end) - 1).toISOString() : ctx.now;
}

/**
 * Every daily metric of one local day, per facility, as lists of the patients behind it (the
 * drill-down). `queue` adds the two figures that need the panel's work (reviews done, awaiting review
 * at the end of the day). The report's numbers count the same definitions without listing every
 * patient (dayFigures); a test holds the two together.
 */
export function computeDay(ctx: Ctx, b: DayBounds, queue: { tz: string } | null): Map<number, Buckets> {
  const out = movements(ctx, b, queue !== null);
  for (const c of censusAt(ctx, b.start)) bucketOf(out, c.facilityId).census_prev.push({ episodeId: c.episodeId, placementId: c.placementId, at: null, cls: c.cls });
  const census = censusAt(ctx, b.end);
  for (const c of census) {
    const x = bucketOf(out, c.facilityId);
    x.census.push({ episodeId: c.episodeId, placementId: c.placementId, at: null, cls: c.cls });
    if (c.bedId !== null) x.beds_occupied.push({ episodeId: c.episodeId, placementId: c.placementId, at: null });
  }
  for (const a of admissionsBefore(ctx, b.end)) bucketOf(out, a.facilityId).cum_admissions.push({ episodeId: a.episodeId, placementId: a.placementId, at: a.at });
  for (const [status, key] of [
    ['discharged', 'cum_discharges'],
    ['deceased', 'cum_deaths'],
  ] as const) {
    for (const d of endsBefore(ctx, b.end, status))
      bucketOf(out, d.facilityId)[key].push({ episodeId: d.episodeId, placementId: d.placementId, at: d.at, disposition: d.disposition ?? null });
  }
  if (queue) {
    const awaiting = awaitingAt(
      ctx,
      endOfDayAt(ctx, b),
      queue.tz,
      census.map((c) => c.episodeId),
    );
    for (const c of census)
      if (awaiting.has(c.episodeId)) bucketOf(out, c.facilityId).awaiting_review.push({ episodeId: c.episodeId, placementId: c.placementId, at: null, cls: c.cls });
  }
  return out;
}

type DayCounts = Omit<Figures, 'beds_total'>;
const MOVEMENT_KEYS = ['admissions', 'transfers_in', 'discharges', 'deaths', 'transfers_out', 'became_severe', 'became_critical', 'improved'] as const;
type MovementCounts = Record<(typeof MOVEMENT_KEYS)[number], number>;

const HOUR_MS = 3_600_000;
const noMovements = () => Object.fromEntries(MOVEMENT_KEYS.map((k) => [k, 0])) as MovementCounts;

/** The day's movement counts per facility: the placements' kinds from their index (counts.ts), the class changes from movements.ts. */
function countMovements(ctx: Ctx, b: DayBounds): Map<number, MovementCounts> {
  const out = new Map<number, MovementCounts>();
  const of = (id: number) => {
    let x = out.get(id);
    if (!x) out.set(id, (x = noMovements()));
    return x;
  };
  for (const [id, m] of placementMoves(ctx, b))
    Object.assign(of(id), { admissions: m.admissions, transfers_in: m.transfers_in, discharges: m.discharges, deaths: m.deaths, transfers_out: m.transfers_out });
  for (const [id, c] of classChanges(ctx, b))
    Object.assign(of(id), { became_severe: c.became_severe.length, became_critical: c.became_critical.length, improved: c.improved.length });
  return out;
}

/**
 * The day's movement counts per facility, cached once the day is over (cache.ts). Today's are the
 * sum of the hours that are over (cached, the older partial sums dropped) and the current hour: each
 * admission, transfer, discharge and class change falls in exactly one of the two, so at 5,000
 * admissions a day the report reads only the last hour's.
 */
function movementCounts(ctx: Ctx, b: DayBounds): Map<number, MovementCounts> {
  if (b.end <= ctx.now) return cached(ctx, 'day', b.start, b.end, () => countMovements(ctx, b), noMovements);
  const hour = new Date(Math.floor(Date.parse(ctx.now) / HOUR_MS) * HOUR_MS).toISOString();
  if (hour <= b.start) return countMovements(ctx, b);
  const done = cached(ctx, 'day', b.start, hour, () => countMovements(ctx, { start: b.start, end: hour }), noMovements, { replacesEarlier: true });
  const out = new Map<number, MovementCounts>();
  for (const part of [done, countMovements(ctx, { start: hour, end: b.end })]) {
    for (const [id, m] of part) {
      const sum = out.get(id) ?? noMovements();
      for (const k of MOVEMENT_KEYS) sum[k] += m[k];
      out.set(id, sum);
    }
  }
  return out;
}

/**
 * The report's figures of one day per facility: the lengths of computeDay's lists, counted without
 * listing every patient. The census at the start of the day and the cumulative figures are range
 * counts (counts.ts); the census by class at the end of a past day and its movements come from the
 * cache when there; for today the census at the end is counted now and the cumulative figures are
 * the start's plus the day's.
 */
function dayFigures(ctx: Ctx, b: DayBounds, queue: { tz: string } | null): Map<number, DayCounts> {
  const moved = movementCounts(ctx, b);
  const censusBefore = censusTotalsAt(ctx, b.start);
  const today = b.end > ctx.now;
  // Today's start is over: its cumulative figures (a pass over every admission's index entry) are cached.
  const cumBefore = today
    ? cached(
        ctx,
        'population',
        'cumulative',
        b.start,
        () => cumulativeAt(ctx, b.start),
        () => ({ cumAdmissions: 0, cumDischarges: 0, cumDeaths: 0 }),
      )
    : new Map<number, never>();
  const now = today ? censusNow(ctx) : null;
  const after = now ? now.population : pastPopulationAt(ctx, b.end);
  const reviews = queue ? reviewsDone(ctx, b) : null;
  const started = antiviralsStarted(ctx, b);
  const awaiting = queue ? awaitingCounts(ctx, b, queue.tz, now?.awaitingSure ?? null) : null;
  const out = new Map<number, DayCounts>();
  for (const id of new Set([...moved.keys(), ...censusBefore.keys(), ...cumBefore.keys(), ...after.keys(), ...(awaiting?.keys() ?? []), ...started.keys()])) {
    const m = moved.get(id) ?? noMovements();
    const c = cumBefore.get(id) ?? { cumAdmissions: 0, cumDischarges: 0, cumDeaths: 0 };
    const e: Population = after.get(id) ?? emptyPopulation();
    out.set(id, {
      ...m,
      census_prev: censusBefore.get(id) ?? 0,
      census: e.census,
      beds_occupied: e.bedsOccupied,
      // Today's end is not past yet: the cumulative figures are the start's plus the day's.
      cum_admissions: today ? c.cumAdmissions + m.admissions : e.cumAdmissions,
      cum_discharges: today ? c.cumDischarges + m.discharges : e.cumDischarges,
      cum_deaths: today ? c.cumDeaths + m.deaths : e.cumDeaths,
      awaiting_review: awaiting?.get(id) ?? 0,
      reviews_done: reviews?.get(id)?.length ?? 0,
      antiviral_started: started.get(id)?.length ?? 0,
      censusByClass: { ...e.censusByClass },
    });
  }
  return out;
}

/**
 * Who of the census was awaiting review at the end of the day, per facility: today from the live
 * state (`awaitingSure` from censusNow, plus the undecided ones); a past day from the episodes'
 * stored spans at the end of the day (history.ts), the rules re-run only where none covers it, once
 * (cached).
 */
function awaitingCounts(ctx: Ctx, b: DayBounds, tz: string, awaitingSure: Map<number, number> | null): Map<number, number> {
  if (awaitingSure) {
    const awaiting = new Map(awaitingSure);
    for (const facilityId of undecidedAwaitingNow(ctx).values()) awaiting.set(facilityId, (awaiting.get(facilityId) ?? 0) + 1);
    return awaiting;
  }
  return cached(
    ctx,
    'awaiting',
    b.start,
    b.end,
    () => awaitingCountsAt(ctx, b.end, endOfDayAt(ctx, b), tz),
    () => 0,
  );
}

export function mergeBuckets(list: readonly Buckets[]): Buckets {
  const m = emptyBuckets();
  for (const x of list) for (const k of METRIC_KEYS) m[k].push(...x[k]);
  return m;
}

/** Buckets of one facility, or of the whole network (facilityId null). */
export function scoped(day: Map<number, Buckets>, facilityId: number | null): Buckets {
  if (facilityId !== null) return day.get(facilityId) ?? emptyBuckets();
  return mergeBuckets([...day.values()]);
}

export const TREND_DAYS = 14;

function sumCounts(list: readonly DayCounts[]): DayCounts {
  const total = { ...Object.fromEntries(METRIC_KEYS.map((k) => [k, 0])), censusByClass: Object.fromEntries(REPORT_CLASSES.map((c) => [c, 0])) } as DayCounts;
  for (const f of list) {
    for (const k of METRIC_KEYS) total[k] += f[k];
    for (const c of REPORT_CLASSES) total.censusByClass[c] += f.censusByClass[c];
  }
  return total;
}

/**
 * The trend's points of the days before `date` (oldest first), in the facilities in scope: the same
 * figures as the report of each day (a test holds them to the oracle), counted for all the days at
 * once. Each day's movements are range counts of its placements by kind (counts.ts); the census at
 * the end of the day before `date` is counted, and each earlier day's end is the next day's end less
 * what began in that day plus what ended in it; the severe and critical figures follow the few
 * episodes ever assessed so (graveDays).
 */
function pastTrend(ctx: Ctx, date: string, tz: string, inScope: (facilityId: number) => boolean): TrendPoint[] {
  const dates = Array.from({ length: TREND_DAYS - 1 }, (_, i) => addDays(date, i - (TREND_DAYS - 1)));
  const bounds = dates.map((d) => dayBounds(d, tz));
  const grave = graveDays(ctx, bounds);
  const sum = (m: Map<number, number>) => [...m].reduce((a, [id, n]) => (inScope(id) ? a + n : a), 0);
  let census = sum(censusTotalsAt(ctx, dayBounds(date, tz).start));
  const out: TrendPoint[] = [];
  for (let i = dates.length - 1; i >= 0; i -= 1) {
    const moves = [...placementMoves(ctx, bounds[i] as DayBounds)].filter(([id]) => inScope(id)).map(([, m]) => m);
    const total = (k: keyof (typeof moves)[number]) => moves.reduce((a, m) => a + m[k], 0);
    const g = grave[i] as (typeof grave)[number];
    out.push({
      date: dates[i] as string,
      census,
      severeCritical: sum(g.severeCritical),
      admissions: total('admissions'),
      discharges: total('discharges'),
      deaths: total('deaths'),
      transfersIn: total('transfers_in'),
      transfersOut: total('transfers_out'),
      becameSevere: sum(g.became_severe),
      becameCritical: sum(g.became_critical),
    });
    census += total('ended') - total('begun');
  }
  return out.reverse();
}

export function dailyReport(ctx: Ctx, date: string, facilityId: number | null, tz: string): DailyReport {
  const bounds = dayBounds(date, tz);
  const facilities = facilitiesOf(ctx);
  const beds = new Map(
    ctx
      .stmt<[], { facility_id: number; n: number }>(
        `SELECT w.facility_id, count(*) AS n FROM bed b JOIN ward w ON w.id = b.ward_id WHERE b.state <> 'out_of_service' GROUP BY w.facility_id`,
      )
      .all()
      .map((r) => [r.facility_id, r.n]),
  );
  const inScope = (id: number) => facilityId === null || id === facilityId;
  const figuresOfDay = (b: DayBounds, queue: boolean) => {
    const day = dayFigures(ctx, b, queue ? { tz } : null);
    return { day, scope: sumCounts([...day].filter(([id]) => inScope(id)).map(([, f]) => f)) };
  };
  const today = figuresOfDay(bounds, true);
  const empty = sumCounts([]);
  const rows: DailyReport['rows'] = facilities
    .filter((f) => inScope(f.id))
    .map((f) => ({ facilityId: f.id, name: f.name, kind: f.kind, figures: { ...(today.day.get(f.id) ?? empty), beds_total: beds.get(f.id) ?? 0 } }));
  if (facilityId === null) {
    const total = [...beds.values()].reduce((a, n) => a + n, 0);
    rows.push({ facilityId: null, name: null, kind: null, figures: { ...today.scope, beds_total: total } });
  }
  const x = today.scope;
  const trend = pastTrend(ctx, date, tz, inScope);
  trend.push({
    date,
    census: x.census,
    severeCritical: x.censusByClass.severe + x.censusByClass.critical,
    admissions: x.admissions,
    discharges: x.discharges,
    deaths: x.deaths,
    transfersIn: x.transfers_in,
    transfersOut: x.transfers_out,
    becameSevere: x.became_severe,
    becameCritical: x.became_critical,
  });
  return { date, timeZone: tz, facilityId, start: bounds.start, end: bounds.end, generatedAt: ctx.now, generatedBy: ctx.actor.displayName, rows, trend };
}
