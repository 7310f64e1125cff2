import { DAILY_METRICS, type DailyMetric, type ReportClass } from '../../../shared/api/reports';
import type { DischargeDisposition } from '../../../shared/domain/clinical';

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

/** Every figure of the daily report, in the contract's order. */
export const METRIC_KEYS: readonly DailyMetric[] = DAILY_METRICS;

export function emptyBuckets(): Buckets {
  return Object.fromEntries(METRIC_KEYS.map((k) => [k, []])) as unknown as Buckets;
}

/** The buckets of one facility, made on first use. */
export function bucketOf(map: Map<number, Buckets>, facilityId: number): Buckets {
  let x = map.get(facilityId);
  if (!x) map.set(facilityId, (x = emptyBuckets()));
  return x;
}

export interface DayBounds {
  start: string;
  end: string;
}
