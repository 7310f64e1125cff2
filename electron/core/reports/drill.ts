import type { Ctx } from '../context';
import type { DailyMetric, DrillRow, ReportClass, StatsMetric } from '../../../shared/api/reports';
import { DAILY_METRICS } from '../../../shared/api/reports';
import { AppError } from '../../../shared/errors';
import { currentAge } from '../patients/repo';
import { computeDay, dayBounds, scoped, type Item } from './daily';
import { statRows } from './stats';
import { facilitiesOf } from './timeline';

export interface DrillArgs {
  metric: string;
  date?: string | undefined;
  from?: string | undefined;
  to?: string | undefined;
  facilityId: number | null;
  value?: string | undefined;
}

const QUEUE_METRICS = new Set<string>(['awaiting_review', 'reviews_done']);

function items(ctx: Ctx, a: DrillArgs, tz: string): Item[] {
  if ((DAILY_METRICS as readonly string[]).includes(a.metric)) {
    if (!a.date) throw AppError.field('date', 'validation.required');
    const day = computeDay(ctx, dayBounds(a.date, tz), QUEUE_METRICS.has(a.metric) ? { tz } : null);
    const list = scoped(day, a.facilityId)[a.metric as DailyMetric];
    return a.value && (a.metric === 'census' || a.metric === 'census_prev') ? list.filter((i) => i.cls === a.value) : list;
  }
  if (!a.from) throw AppError.field('from', 'validation.required');
  if (!a.to) throw AppError.field('to', 'validation.required');
  const rows = statRows(ctx, a.from, a.to, a.facilityId, tz);
  const metric = a.metric as StatsMetric;
  const keep = rows.filter((r) => {
    if (metric === 'stats_all' || !a.value) return true;
    if (metric === 'stats_day') return r.date === a.value;
    if (metric === 'stats_class_admission') return r.classAtAdmission === a.value;
    if (metric === 'stats_worst_class') return r.worstClass === a.value;
    return r.disposition === a.value;
  });
  return keep.map((r) => ({
    episodeId: r.episodeId,
    placementId: r.placementId,
    at: r.dischargedAt,
    cls: metric === 'stats_class_admission' ? r.classAtAdmission : r.worstClass,
    disposition: r.disposition,
    days: Math.round(r.los * 10) / 10,
  }));
}

/** The patients behind one number of a report, in the order of their event. */
export function drillRows(ctx: Ctx, a: DrillArgs, tz: string): DrillRow[] {
  const list = items(ctx, a, tz) as (Item & { days?: number })[];
  const episodeIds = [...new Set(list.map((i) => i.episodeId))];
  const placementIds = [...new Set(list.flatMap((i) => (i.placementId === null ? [] : [i.placementId])))];
  const people = new Map(
    ctx
      .stmt<[string], { episode_id: number; patient_id: number; name: string; sex: 'M' | 'F'; birth_date: string | null; age_years: number | null; admitted_at: string }>(
        `SELECT e.id AS episode_id, p.id AS patient_id, p.name, p.sex, p.birth_date, p.age_years, e.admitted_at
         FROM episode e JOIN patient p ON p.id = e.patient_id WHERE e.id IN (SELECT value FROM json_each(?))`,
      )
      .all(JSON.stringify(episodeIds))
      .map((r) => [r.episode_id, r]),
  );
  const places = new Map(
    ctx
      .stmt<[string], { id: number; facility_name: string; ward_name: string; bed_label: string | null }>(
        `SELECT pl.id, f.name AS facility_name, w.name AS ward_name, b.label AS bed_label
         FROM placement pl JOIN ward w ON w.id = pl.ward_id JOIN facility f ON f.id = w.facility_id LEFT JOIN bed b ON b.id = pl.bed_id
         WHERE pl.id IN (SELECT value FROM json_each(?))`,
      )
      .all(JSON.stringify(placementIds))
      .map((r) => [r.id, r]),
  );
  const facilityName = new Map(facilitiesOf(ctx).map((f) => [f.id, f.name]));
  const rows: DrillRow[] = [];
  for (const i of list) {
    const p = people.get(i.episodeId);
    if (!p) continue;
    const place = i.placementId === null ? undefined : places.get(i.placementId);
    rows.push({
      episodeId: i.episodeId,
      patientId: p.patient_id,
      name: p.name,
      sex: p.sex,
      ageYears: currentAge(p, i.at ?? ctx.now, tz),
      facilityName: place?.facility_name ?? null,
      wardName: place?.ward_name ?? null,
      bedLabel: place?.bed_label ?? null,
      admittedAt: p.admitted_at,
      at: i.at,
      cls: (i.cls ?? null) as ReportClass | null,
      fromClass: (i.fromClass ?? null) as ReportClass | null,
      otherFacility: i.otherFacilityId ? (facilityName.get(i.otherFacilityId) ?? null) : null,
      disposition: i.disposition ?? null,
      days: i.days ?? null,
    });
  }
  return rows.sort((a, b) => (a.at ?? '').localeCompare(b.at ?? '') || a.name.localeCompare(b.name, 'zh-CN'));
}
