import type { Ctx } from '../context';
import { REPORT_CLASSES, type DailyMetric, type DailyReport, type Figures, type ReportClass, type TrendPoint } from '../../../shared/api/reports';
import type { DischargeDisposition } from '../../../shared/domain/clinical';
import { addDays, startOfLocalDay } from '../../../shared/domain/time';
import { currentRow } from '../clinical/current';
import { flagsAsOf } from './asof';
import { becameCritical, becameSevere, classBefore, improved, placementAt, transitions, type Timeline } from './timeline';

/** One patient (event) behind a number; the drill-down lists these. */
export interface Item {
  episodeId: number;
  placementId: number | null;
  at: string | null;
  cls?: ReportClass;
  fromClass?: ReportClass;
  otherFacilityId?: number | null;
  disposition?: DischargeDisposition | null;
}

export type Buckets = Record<DailyMetric, Item[]>;

const METRIC_KEYS: DailyMetric[] = [
  'census_prev', 'admissions', 'transfers_in', 'discharges', 'deaths', 'transfers_out', 'census', 'became_severe', 'became_critical',
  'improved', 'awaiting_review', 'reviews_done', 'beds_occupied', 'cum_admissions', 'cum_discharges', 'cum_deaths',
];

function emptyBuckets(): Buckets {
  return Object.fromEntries(METRIC_KEYS.map((k) => [k, []])) as unknown as Buckets;
}

export interface DayBounds {
  start: string;
  end: string;
}

export function dayBounds(date: string, tz: string): DayBounds {
  return { start: startOfLocalDay(date, tz), end: startOfLocalDay(addDays(date, 1), tz) };
}

/**
 * Every daily metric of one local day, per facility, as lists of the patients behind it. `queue`
 * adds the two figures that need more than the movements (reviews done, awaiting review at the end of
 * the day), for the facilities in `queueFacilities` (all when null).
 */
export function computeDay(ctx: Ctx, tl: Timeline, b: DayBounds, queue: { tz: string; facilityId: number | null } | null): Map<number, Buckets> {
  const { start: S, end: E } = b;
  const out = new Map<number, Buckets>(tl.facilities.map((f) => [f.id, emptyBuckets()]));
  const bucket = (facilityId: number) => {
    let x = out.get(facilityId);
    if (!x) out.set(facilityId, (x = emptyBuckets()));
    return x;
  };
  for (const p of tl.placements) {
    const x = bucket(p.facilityId);
    const base = { episodeId: p.episodeId, placementId: p.id };
    if (p.startAt < S && (p.endAt === null || p.endAt >= S)) x.census_prev.push({ ...base, at: null, cls: classBefore(tl, p.episodeId, S) });
    if (p.startAt < E && (p.endAt === null || p.endAt >= E)) {
      x.census.push({ ...base, at: null, cls: classBefore(tl, p.episodeId, E) });
      if (p.bedId !== null) x.beds_occupied.push({ ...base, at: null });
    }
    if (p.startAt < E) {
      const during = p.startAt >= S;
      if (p.startKind === 'admission') {
        x.cum_admissions.push({ ...base, at: p.startAt });
        if (during) x.admissions.push({ ...base, at: p.startAt });
      } else if (p.startKind === 'transfer_in' && during) {
        x.transfers_in.push({ ...base, at: p.startAt, otherFacilityId: p.prevFacilityId });
      }
    }
    if (p.endAt !== null && p.endAt < E) {
      const during = p.endAt >= S;
      const disposition = tl.dispositions.get(p.episodeId) ?? null;
      if (p.endKind === 'discharge') {
        x.cum_discharges.push({ ...base, at: p.endAt, disposition });
        if (during) x.discharges.push({ ...base, at: p.endAt, disposition });
      } else if (p.endKind === 'death') {
        x.cum_deaths.push({ ...base, at: p.endAt, disposition });
        if (during) x.deaths.push({ ...base, at: p.endAt, disposition });
      } else if (p.endKind === 'transfer_out' && during) {
        x.transfers_out.push({ ...base, at: p.endAt, otherFacilityId: p.nextFacilityId });
      }
    }
  }
  for (const t of transitions(tl, S, E)) {
    const p = placementAt(tl, t.episodeId, t.at);
    if (!p) continue;
    const x = bucket(p.facilityId);
    const item = { episodeId: t.episodeId, placementId: p.id, at: t.at, cls: t.to, fromClass: t.from };
    if (becameSevere(t)) x.became_severe.push(item);
    if (becameCritical(t)) x.became_critical.push(item);
    if (improved(t)) x.improved.push(item);
  }
  if (queue) {
    const reviews = ctx
      .stmt<[string, string], { episode_id: number; at: string }>(`SELECT r.episode_id, r.at FROM review r WHERE r.at >= ? AND r.at < ? AND ${currentRow('review', 'r')} ORDER BY r.at`)
      .all(S, E);
    for (const r of reviews) {
      const p = placementAt(tl, r.episode_id, r.at);
      if (p && (queue.facilityId === null || p.facilityId === queue.facilityId)) bucket(p.facilityId).reviews_done.push({ episodeId: r.episode_id, placementId: p.id, at: r.at });
    }
    // The end of the day as an instant inside it; for today, now (the rest of the day has not happened).
    const at = E <= ctx.now ? new Date(Date.parse(E) - 1).toISOString() : ctx.now;
    for (const [facilityId, x] of out) {
      if (queue.facilityId !== null && facilityId !== queue.facilityId) continue;
      for (const c of x.census) if (flagsAsOf(ctx, c.episodeId, at, queue.tz).awaitingReview) x.awaiting_review.push({ ...c });
    }
  }
  return out;
}

export function figuresOf(x: Buckets, bedsTotal: number): Figures {
  const censusByClass = Object.fromEntries(REPORT_CLASSES.map((c) => [c, 0])) as Record<ReportClass, number>;
  for (const c of x.census) censusByClass[c.cls ?? 'unassessed'] += 1;
  const count = Object.fromEntries(METRIC_KEYS.map((k) => [k, x[k].length])) as Record<DailyMetric, number>;
  return { ...count, censusByClass, beds_total: bedsTotal };
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

export function dailyReport(ctx: Ctx, tl: Timeline, date: string, facilityId: number | null, tz: string): DailyReport {
  const bounds = dayBounds(date, tz);
  const day = computeDay(ctx, tl, bounds, { tz, facilityId });
  const beds = new Map(
    ctx
      .stmt<[], { facility_id: number; n: number }>(`SELECT w.facility_id, count(*) AS n FROM bed b JOIN ward w ON w.id = b.ward_id WHERE b.state <> 'out_of_service' GROUP BY w.facility_id`)
      .all()
      .map((r) => [r.facility_id, r.n]),
  );
  const inScope = tl.facilities.filter((f) => facilityId === null || f.id === facilityId);
  const rows: DailyReport['rows'] = inScope.map((f) => ({ facilityId: f.id, name: f.name, kind: f.kind, figures: figuresOf(day.get(f.id) ?? emptyBuckets(), beds.get(f.id) ?? 0) }));
  if (facilityId === null) {
    const total = [...beds.values()].reduce((a, n) => a + n, 0);
    rows.push({ facilityId: null, name: null, kind: null, figures: figuresOf(scoped(day, null), total) });
  }
  const trend: TrendPoint[] = [];
  for (let i = TREND_DAYS - 1; i >= 0; i -= 1) {
    const d = addDays(date, -i);
    const x = i === 0 ? scoped(day, facilityId) : scoped(computeDay(ctx, tl, dayBounds(d, tz), null), facilityId);
    trend.push({
      date: d,
      census: x.census.length,
      severeCritical: x.census.filter((c) => c.cls === 'severe' || c.cls === 'critical').length,
      admissions: x.admissions.length,
      discharges: x.discharges.length,
      deaths: x.deaths.length,
      transfersIn: x.transfers_in.length,
      transfersOut: x.transfers_out.length,
      becameSevere: x.became_severe.length,
      becameCritical: x.became_critical.length,
    });
  }
  return { date, timeZone: tz, facilityId, start: bounds.start, end: bounds.end, generatedAt: ctx.now, generatedBy: ctx.actor.displayName, rows, trend };
}
