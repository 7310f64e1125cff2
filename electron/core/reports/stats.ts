import type { Ctx } from '../context';
import { REPORT_CLASSES, type DischargeStats, type QuantileSummary, type ReportClass } from '../../../shared/api/reports';
import { CLASS_ORDER, type ClinicalClass } from '../../../shared/clinical';
import { DISCHARGE_DISPOSITIONS, type DischargeDisposition } from '../../../shared/domain/clinical';
import { addDays, daysBetween, localDate, startOfLocalDay } from '../../../shared/domain/time';
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

const WORST_FIRST = [...CLASS_ORDER].reverse();

/** The first of the classes in time order (comma-separated, as the query lists them): the class at admission. */
function firstClass(list: string | null): ReportClass {
  if (list === null) return 'unassessed';
  const comma = list.indexOf(',');
  return (comma < 0 ? list : list.slice(0, comma)) as ClinicalClass;
}

/** The worst of the listed classes, read without splitting the list (no class's name contains another's). */
function worstClass(list: string | null): ReportClass {
  return (list === null ? undefined : WORST_FIRST.find((c) => list.includes(c))) ?? 'unassessed';
}

/** The local days from `first` to `last` with their start instants: each instant's day found by a binary search. */
function localDays(first: string, last: string, tz: string) {
  const dates: string[] = [];
  const starts: string[] = [];
  for (let d = first; d <= last; d = addDays(d, 1)) {
    dates.push(d);
    starts.push(startOfLocalDay(d, tz));
  }
  /** The index of the day `at` falls in (ISO strings compare as times); the first day for anything before it. */
  const indexOf = (at: string) => {
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if ((starts[mid] as string) <= at) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  };
  return { dates, starts, indexOf };
}

type StatTuple = [
  episodeId: number,
  dischargedAt: string,
  disposition: DischargeDisposition,
  metAt: string | null,
  admittedAt: string,
  placementId: number | null,
  wardId: number | null,
  classes: string | null,
];

/** The discharges (and deaths) dated in [from, to], local days, optionally of one facility (the one discharged from). */
export function statRows(ctx: Ctx, from: string, to: string, facilityId: number | null, tz: string): StatRow[] {
  // Local days from the days' start instants: formatting 20,000 instants (twice, with the admission)
  // in a time zone costs more than the whole query.
  const range = localDays(from, addDays(to, 1), tz);
  const rows = ctx
    .stmt<[{ S: string; E: string }], StatTuple>(STAT_ROWS_SQL)
    .raw(true)
    .all({ S: range.starts[0] as string, E: range.starts[range.starts.length - 1] as string }) as unknown as StatTuple[];
  let firstAdmitted = range.starts[0] as string;
  for (const r of rows) if (r[4] < firstAdmitted) firstAdmitted = r[4];
  // The length of stay counts local dates from the admission's (stats.ts StatRow.los): the same days, from the earliest admission.
  const stay = localDays(localDate(firstAdmitted, tz), addDays(to, 1), tz);
  const facilityOfWard = new Map(ctx.stmt<[], [number, number]>('SELECT id, facility_id FROM ward').raw(true).all() as unknown as [number, number][]);
  const out: StatRow[] = [];
  for (const [episodeId, dischargedAt, disposition, metAt, admittedAt, placementId, wardId, classList] of rows) {
    const facility = wardId === null ? null : (facilityOfWard.get(wardId) ?? null);
    if (facilityId !== null && facility !== facilityId) continue;
    const dischargedDay = stay.indexOf(dischargedAt);
    out.push({
      episodeId,
      placementId,
      facilityId: facility,
      admittedAt,
      dischargedAt,
      date: stay.dates[dischargedDay] as string,
      disposition,
      classAtAdmission: firstClass(classList),
      worstClass: worstClass(classList),
      // lengthOfStayDays (shared/domain/time.ts): the local dates' difference, a same-day stay counting 1.
      los: Math.max(1, dischargedDay - stay.indexOf(admittedAt)),
      toCriteria: metAt ? Math.max(0, (Date.parse(metAt) - Date.parse(admittedAt)) / DAY_MS) : null,
    });
  }
  return out;
}

const round1 = (v: number) => Math.round(v * 10) / 10;

/** Quantile by linear interpolation between order statistics (Hyndman & Fan type 7, as R and Excel). */
export function quantile(sorted: ArrayLike<number>, p: number): number | null {
  if (sorted.length === 0) return null;
  const h = (sorted.length - 1) * p;
  const lo = Math.floor(h);
  const a = sorted[lo] as number;
  const b = sorted[Math.min(lo + 1, sorted.length - 1)] as number;
  return a + (h - lo) * (b - a);
}

export function summarise(values: readonly number[]): QuantileSummary {
  // A typed array sorts numbers as numbers, several times faster than a comparator.
  const s = Float64Array.from(values).sort();
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

/** How many rows fall under each key, in the keys' order (every key listed, 0 when none). */
function tally<K extends string>(keys: readonly K[], counts: Map<string, number>): { k: K; n: number }[] {
  return keys.map((k) => ({ k, n: counts.get(k) ?? 0 }));
}

export function dischargeStats(ctx: Ctx, from: string, to: string, facilityId: number | null, tz: string): DischargeStats {
  const rows = statRows(ctx, from, to, facilityId, tz);
  // One pass over the rows (20,000 at full scale) for every grouping.
  const byDate = new Map<string, { n: number; deaths: number }>();
  const counts = { facility: new Map<string, number>(), admission: new Map<string, number>(), worst: new Map<string, number>(), disposition: new Map<string, number>() };
  const add = (m: Map<string, number>, k: string) => m.set(k, (m.get(k) ?? 0) + 1);
  const los: number[] = [];
  const toCriteria: number[] = [];
  let notMet = 0;
  for (const r of rows) {
    let x = byDate.get(r.date);
    if (!x) byDate.set(r.date, (x = { n: 0, deaths: 0 }));
    x.n += 1;
    add(counts.facility, String(r.facilityId));
    add(counts.admission, r.classAtAdmission);
    add(counts.worst, r.worstClass);
    add(counts.disposition, r.disposition);
    if (r.disposition === 'deceased') {
      x.deaths += 1;
      continue;
    }
    los.push(r.los);
    if (r.toCriteria === null) notMet += 1;
    else toCriteria.push(r.toCriteria);
  }
  const perDay: DischargeStats['perDay'] = [];
  let cumulative = 0;
  for (let i = 0, d = from; i <= daysBetween(from, to); i += 1, d = addDays(from, i)) {
    const onDay = byDate.get(d) ?? { n: 0, deaths: 0 };
    cumulative += onDay.n;
    perDay.push({ date: d, discharged: onDay.n - onDay.deaths, deaths: onDay.deaths, cumulative });
  }
  return {
    from,
    to,
    timeZone: tz,
    facilityId,
    generatedAt: ctx.now,
    generatedBy: ctx.actor.displayName,
    total: rows.length,
    discharged: los.length,
    deaths: rows.length - los.length,
    perDay,
    byFacility: facilitiesOf(ctx)
      .filter((f) => facilityId === null || f.id === facilityId)
      .map((f) => ({ facilityId: f.id, name: f.name, n: counts.facility.get(String(f.id)) ?? 0 })),
    byClassAtAdmission: tally(REPORT_CLASSES, counts.admission).map(({ k, n }) => ({ class: k, n })),
    byWorstClass: tally(REPORT_CLASSES, counts.worst).map(({ k, n }) => ({ class: k, n })),
    byDisposition: tally(DISCHARGE_DISPOSITIONS, counts.disposition).map(({ k, n }) => ({ disposition: k, n })),
    lengthOfStay: summarise(los),
    daysToCriteria: { ...summarise(toCriteria), notMet },
  };
}
