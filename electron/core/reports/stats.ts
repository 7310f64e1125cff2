import type { Ctx } from '../context';
import { REPORT_CLASSES, type DischargeStats, type QuantileSummary, type ReportClass } from '../../../shared/api/reports';
import { compareClass, type ClinicalClass } from '../../../shared/clinical';
import { DISCHARGE_DISPOSITIONS, type DischargeDisposition } from '../../../shared/domain/clinical';
import { addDays, daysBetween, localDate, startOfLocalDay } from '../../../shared/domain/time';
import { currentRow } from '../clinical/current';
import { facilitiesOf, loadTimeline } from './timeline';

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
  /** Length of stay, days (decimal). */
  los: number;
  /** Days from admission to the release criteria met; null when they were not met at discharge. */
  toCriteria: number | null;
}

/** The discharges (and deaths) dated in [from, to], with only their own episodes' histories loaded. */
export function statRows(ctx: Ctx, from: string, to: string, facilityId: number | null, tz: string): StatRow[] {
  const rows = ctx
    .stmt<[string, string], { episode_id: number; discharged_at: string; disposition: DischargeDisposition; met_at: string | null; admitted_at: string }>(
      `SELECT d.episode_id, d.discharged_at, d.disposition, json_extract(d.criteria, '$.criteriaMetAt') AS met_at, e.admitted_at
       FROM discharge d JOIN episode e ON e.id = d.episode_id
       WHERE d.discharged_at >= ? AND d.discharged_at < ? AND ${currentRow('discharge', 'd')} ORDER BY d.discharged_at, d.id`,
    )
    .all(startOfLocalDay(from, tz), startOfLocalDay(addDays(to, 1), tz));
  const tl = loadTimeline(ctx, [...new Set(rows.map((r) => r.episode_id))]);
  const out: StatRow[] = [];
  for (const r of rows) {
    const placements = tl.byEpisode.get(r.episode_id) ?? [];
    const last = placements[placements.length - 1];
    if (facilityId !== null && last?.facilityId !== facilityId) continue;
    const classes = (tl.classes.get(r.episode_id) ?? []).filter((c) => c.at <= r.discharged_at);
    const worst = classes.reduce<ClinicalClass | null>((w, c) => (w === null || compareClass(c.cls, w) > 0 ? c.cls : w), null);
    const admittedMs = Date.parse(r.admitted_at);
    out.push({
      episodeId: r.episode_id,
      placementId: last?.id ?? null,
      facilityId: last?.facilityId ?? null,
      admittedAt: r.admitted_at,
      dischargedAt: r.discharged_at,
      date: localDate(r.discharged_at, tz),
      disposition: r.disposition,
      classAtAdmission: classes[0]?.cls ?? 'unassessed',
      worstClass: worst ?? 'unassessed',
      los: (Date.parse(r.discharged_at) - admittedMs) / DAY_MS,
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
