import type { Ctx } from '../context';
import { REPORT_CLASSES, type DischargeStats, type QuantileSummary, type ReportClass } from '../../../shared/api/reports';
import { CLASS_ORDER, type ClinicalClass } from '../../../shared/clinical';
import { DISCHARGE_DISPOSITIONS, type DischargeDisposition } from '../../../shared/domain/clinical';
import { addDays, daysBetween, lengthOfStayDays, startOfLocalDay } from '../../../shared/domain/time';
import { currentRow } from '../clinical/current';
import { facilitiesOf } from './timeline';

const DAY_MS = 86_400_000;

/** One discharge (or death) in the range, with what the statistics group it by. */
export interface StatRow {
  episodeId: number;
  placementId: number | null;
  facilityId: number | null;
  admittedAt: string;
  dischargedAt: string;
  date: string;
  disposition: DischargeDisposition;
  classAtAdmission: ReportClass;
  worstClass: ReportClass;
  /** Length of stay, 住院天数 (shared/domain/time.ts lengthOfStayDays: calendar days, as on the discharge summary). */
  los: number;
  /** Days from admission to the release criteria met; null when they were not met at discharge. */
  toCriteria: number | null;
}

const CURRENT_CLASS = currentRow('class_assessment', 'c');

/**
 * Each discharge (or death) dated in [@S, @E), with what the statistics group it by, read per
 * discharge from the indexes (never the discharged episodes' whole histories): the last placement
 * and its facility, and the classes assessed up to the discharge in time order (the first is the
 * class at admission; the worst is taken in JS). The discharge itself comes from its covering index
 * (migration 11): the criteria JSON is never read here.
 */
const STAT_ROWS_SQL = `
SELECT d.episode_id, d.discharged_at, d.disposition, d.criteria_met_at AS met_at, e.admitted_at, last.id AS placement_id, last.ward_id,
  (SELECT group_concat(c.class, ',' ORDER BY c.assessed_at, c.id) FROM class_assessment c
   WHERE c.episode_id = d.episode_id AND c.assessed_at <= d.discharged_at AND ${CURRENT_CLASS}) AS classes
FROM discharge d INDEXED BY discharge_stats
JOIN episode e ON e.id = d.episode_id
LEFT JOIN placement last ON last.id = (SELECT q.id FROM placement q WHERE q.episode_id = d.episode_id ORDER BY q.start_at DESC, q.id DESC LIMIT 1)
WHERE d.discharged_at >= @S AND d.discharged_at < @E AND ${currentRow('discharge', 'd')}
ORDER BY d.discharged_at, d.episode_id`;

interface StatSqlRow {
  episode_id: number;
  discharged_at: string;
  disposition: DischargeDisposition;
  met_at: string | null;
  admitted_at: string;
  placement_id: number | null;
  ward_id: number | null;
  classes: string | null;
}

const RANK = new Map<string, number>(CLASS_ORDER.map((c, i) => [c, i]));

/** The discharges (and deaths) dated in [from, to], local days, optionally of one facility (the one discharged from). */
export function statRows(ctx: Ctx, from: string, to: string, facilityId: number | null, tz: string): StatRow[] {
  // The local day of each discharge from the days' start instants (ISO strings compare as times):
  // formatting 20,000 instants in a time zone costs more than the whole query.
  const dates: string[] = [];
  const starts: string[] = [];
  for (let d = from; d <= addDays(to, 1); d = addDays(d, 1)) {
    dates.push(d);
    starts.push(startOfLocalDay(d, tz));
  }
  const dateOf = (at: string) => {
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if ((starts[mid] as string) <= at) lo = mid;
      else hi = mid - 1;
    }
    return dates[lo] as string;
  };
  const rows = ctx.stmt<[{ S: string; E: string }], StatSqlRow>(STAT_ROWS_SQL).all({ S: starts[0] as string, E: starts[starts.length - 1] as string });
  const facilityOfWard = new Map(ctx.stmt<[], [number, number]>('SELECT id, facility_id FROM ward').raw(true).all() as unknown as [number, number][]);
  const out: StatRow[] = [];
  for (const r of rows) {
    const facility = r.ward_id === null ? null : (facilityOfWard.get(r.ward_id) ?? null);
    if (facilityId !== null && facility !== facilityId) continue;
    const admittedMs = Date.parse(r.admitted_at);
    const classes = r.classes === null ? [] : (r.classes.split(',') as ClinicalClass[]);
    let worst: ClinicalClass | undefined;
    for (const c of classes) if (worst === undefined || (RANK.get(c) ?? 0) > (RANK.get(worst) ?? 0)) worst = c;
    out.push({
      episodeId: r.episode_id,
      placementId: r.placement_id,
      facilityId: facility,
      admittedAt: r.admitted_at,
      dischargedAt: r.discharged_at,
      date: dateOf(r.discharged_at),
      disposition: r.disposition,
      classAtAdmission: classes[0] ?? 'unassessed',
      worstClass: worst ?? 'unassessed',
      los: lengthOfStayDays(r.admitted_at, r.discharged_at, tz),
      toCriteria: r.met_at ? Math.max(0, (Date.parse(r.met_at) - admittedMs) / DAY_MS) : null,
    });
  }
  return out;
}

const round1 = (v: number) => Math.round(v * 10) / 10;

/** Quantile by linear interpolation between order statistics (Hyndman & Fan type 7, as R and Excel). */
export function quantile(sorted: readonly number[], p: number): number | null {
  if (sorted.length === 0) return null;
  const h = (sorted.length - 1) * p;
  const lo = Math.floor(h);
  const a = sorted[lo] as number;
  const b = sorted[Math.min(lo + 1, sorted.length - 1)] as number;
  return a + (h - lo) * (b - a);
}

export function summarise(values: readonly number[]): QuantileSummary {
  const s = [...values].sort((a, b) => a - b);
  const r = (v: number | null) => (v === null ? null : round1(v));
  return {
    n: s.length,
    median: r(quantile(s, 0.5)),
    q1: r(quantile(s, 0.25)),
    q3: r(quantile(s, 0.75)),
    mean: s.length ? round1(s.reduce((a, v) => a + v, 0) / s.length) : null,
    min: r(s[0] ?? null),
    max: r(s[s.length - 1] ?? null),
  };
}

export function dischargeStats(ctx: Ctx, from: string, to: string, facilityId: number | null, tz: string): DischargeStats {
  const rows = statRows(ctx, from, to, facilityId, tz);
  const alive = rows.filter((r) => r.disposition !== 'deceased');
  const perDay: DischargeStats['perDay'] = [];
  const byDate = new Map<string, { n: number; deaths: number }>();
  for (const r of rows) {
    const x = byDate.get(r.date) ?? { n: 0, deaths: 0 };
    x.n += 1;
    if (r.disposition === 'deceased') x.deaths += 1;
    byDate.set(r.date, x);
  }
  let cumulative = 0;
  for (let i = 0, d = from; i <= daysBetween(from, to); i += 1, d = addDays(from, i)) {
    const onDay = byDate.get(d) ?? { n: 0, deaths: 0 };
    cumulative += onDay.n;
    perDay.push({ date: d, discharged: onDay.n - onDay.deaths, deaths: onDay.deaths, cumulative });
  }
  const countBy = <K extends string>(keys: readonly K[], key: (r: StatRow) => K) => keys.map((k) => ({ k, n: rows.filter((r) => key(r) === k).length }));
  return {
    from,
    to,
    timeZone: tz,
    facilityId,
    generatedAt: ctx.now,
    generatedBy: ctx.actor.displayName,
    total: rows.length,
    discharged: alive.length,
    deaths: rows.length - alive.length,
    perDay,
    byFacility: facilitiesOf(ctx)
      .filter((f) => facilityId === null || f.id === facilityId)
      .map((f) => ({ facilityId: f.id, name: f.name, n: rows.filter((r) => r.facilityId === f.id).length })),
    byClassAtAdmission: countBy(REPORT_CLASSES, (r) => r.classAtAdmission).map(({ k, n }) => ({ class: k, n })),
    byWorstClass: countBy(REPORT_CLASSES, (r) => r.worstClass).map(({ k, n }) => ({ class: k, n })),
    byDisposition: countBy(DISCHARGE_DISPOSITIONS, (r) => r.disposition).map(({ k, n }) => ({ disposition: k, n })),
    lengthOfStay: summarise(alive.map((r) => r.los)),
    daysToCriteria: { ...summarise(alive.flatMap((r) => (r.toCriteria === null ? [] : [r.toCriteria]))), notMet: alive.filter((r) => r.toCriteria === null).length },
  };
}
