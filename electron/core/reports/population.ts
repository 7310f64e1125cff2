import type { Ctx } from '../context';
import { REPORT_CLASSES, type ReportClass } from '../../../shared/api/reports';
import type { ClinicalClass } from '../../../shared/clinical';
import type { DischargeDisposition } from '../../../shared/domain/clinical';
import { currentRow } from '../clinical/current';
import { AWAITING_SURE } from './awaiting';
import { cached } from './cache';
import { cumulativeAt } from './counts';

/**
 * The network's population at an instant, straight from the placement history in SQL: the census
 * (placements open at T, with the class in force just before T) and the cumulative admissions,
 * discharges and deaths before T. These are the daily report's figures that involve every patient,
 * so at 50,000 patients they are never computed in JavaScript over a loaded timeline (issue 8). The
 * kinds follow electron/core/reports/timeline.ts: a placement with no earlier placement in its
 * episode is an admission; the last placement of a discharged (deceased) episode ends with its
 * discharge (death). Placements of an episode are ordered by (start_at, id), as there.
 */
// The unary + keeps SQLite off the start_at index here: "started before T" matches nearly every
// placement, and a full scan is several times faster than walking the index and the table.
const OPEN_AT = '+p.start_at < @at AND (p.end_at IS NULL OR p.end_at >= @at)';
const CLASS_BEFORE = `(SELECT c.class FROM class_assessment c WHERE c.episode_id = p.episode_id AND c.assessed_at < @at AND ${currentRow('class_assessment', 'c')}
  ORDER BY c.assessed_at DESC, c.id DESC LIMIT 1)`;
const FIRST_OF_EPISODE = `NOT EXISTS (SELECT 1 FROM placement q WHERE q.episode_id = p.episode_id AND (q.start_at < p.start_at OR (q.start_at = p.start_at AND q.id < p.id)))`;
const LAST_OF_EPISODE = `NOT EXISTS (SELECT 1 FROM placement q WHERE q.episode_id = p.episode_id AND (q.start_at > p.start_at OR (q.start_at = p.start_at AND q.id > p.id)))`;
const DISPOSITION = `(SELECT d.disposition FROM discharge d WHERE d.episode_id = p.episode_id AND ${currentRow('discharge', 'd')} ORDER BY d.id DESC LIMIT 1)`;

const CENSUS_SQL = `SELECT w.facility_id, p.episode_id, p.id AS placement_id, p.bed_id, ${CLASS_BEFORE} AS cls
  FROM placement p JOIN ward w ON w.id = p.ward_id WHERE ${OPEN_AT}`;
const ADMISSIONS_SQL = `SELECT w.facility_id, p.episode_id, p.id AS placement_id, p.start_at AS at
  FROM placement p JOIN ward w ON w.id = p.ward_id WHERE +p.start_at < @at AND ${FIRST_OF_EPISODE}`;
const ENDS_SQL = `SELECT w.facility_id, p.episode_id, p.id AS placement_id, p.end_at AS at, e.status
  FROM placement p JOIN ward w ON w.id = p.ward_id JOIN episode e ON e.id = p.episode_id
  WHERE p.end_at < @at AND e.status IN ('discharged', 'deceased') AND ${LAST_OF_EPISODE}`;

export interface CensusRow {
  facilityId: number;
  episodeId: number;
  placementId: number;
  bedId: number | null;
  cls: ReportClass;
}

/** Who was in hospital at instant `at`, with the class in force just before it ('unassessed' when none). */
export function censusAt(ctx: Ctx, at: string): CensusRow[] {
  return ctx
    .stmt<[{ at: string }], { facility_id: number; episode_id: number; placement_id: number; bed_id: number | null; cls: ClinicalClass | null }>(CENSUS_SQL)
    .all({ at })
    .map((r) => ({ facilityId: r.facility_id, episodeId: r.episode_id, placementId: r.placement_id, bedId: r.bed_id, cls: r.cls ?? 'unassessed' }));
}

export interface MovementRow {
  facilityId: number;
  episodeId: number;
  placementId: number;
  at: string;
  disposition?: DischargeDisposition | null;
}

/** Every admission to the network before `at`, in the facility it entered. */
export function admissionsBefore(ctx: Ctx, at: string): MovementRow[] {
  return ctx
    .stmt<[{ at: string }], { facility_id: number; episode_id: number; placement_id: number; at: string }>(ADMISSIONS_SQL)
    .all({ at })
    .map((r) => ({ facilityId: r.facility_id, episodeId: r.episode_id, placementId: r.placement_id, at: r.at }));
}

/** Every discharge (or death) before `at`, in the facility the patient left from. */
export function endsBefore(ctx: Ctx, at: string, status: 'discharged' | 'deceased'): MovementRow[] {
  return ctx
    .stmt<[{ at: string; status: string }], { facility_id: number; episode_id: number; placement_id: number; at: string; disposition: DischargeDisposition | null }>(
      `SELECT facility_id, episode_id, placement_id, at, ${DISPOSITION.replaceAll('p.episode_id', 'x.episode_id')} AS disposition FROM (${ENDS_SQL}) x WHERE x.status = @status`,
    )
    .all({ at, status })
    .map((r) => ({ facilityId: r.facility_id, episodeId: r.episode_id, placementId: r.placement_id, at: r.at, disposition: r.disposition }));
}

/** The population figures of one facility at an instant. */
export interface Population {
  census: number;
  censusByClass: Record<ReportClass, number>;
  bedsOccupied: number;
  cumAdmissions: number;
  cumDischarges: number;
  cumDeaths: number;
}

export function emptyPopulation(): Population {
  return {
    census: 0,
    censusByClass: Object.fromEntries(REPORT_CLASSES.map((c) => [c, 0])) as Record<ReportClass, number>,
    bedsOccupied: 0,
    cumAdmissions: 0,
    cumDischarges: 0,
    cumDeaths: 0,
  };
}

/** The census at `at` per facility (total, by class, in a bed), counted in SQL; the cumulative figures left at 0. */
export function censusCountsAt(ctx: Ctx, at: string): Map<number, Population> {
  const out = new Map<number, Population>();
  for (const r of ctx
    .stmt<[{ at: string }], { facility_id: number; cls: ClinicalClass | null; n: number; beds: number }>(
      `SELECT facility_id, cls, count(*) AS n, count(bed_id) AS beds FROM (${CENSUS_SQL}) GROUP BY facility_id, cls`,
    )
    .all({ at })) {
    let x = out.get(r.facility_id);
    if (!x) out.set(r.facility_id, (x = emptyPopulation()));
    x.census += r.n;
    x.censusByClass[r.cls ?? 'unassessed'] += r.n;
    x.bedsOccupied += r.beds;
  }
  return out;
}

/**
 * The census at the end of today (any instant after now): the open placements (nothing ends in the
 * future), each with the current class the live state keeps (electron/core/clinical/state.ts: the
 * latest current assessment, which is the one in force just before any later instant). Counted like
 * censusCountsAt, about four times faster at 50,000 patients; a test holds the two together. The
 * same pass counts the census members surely awaiting review (awaiting.ts: flagged, never reviewed).
 */
export function censusNow(ctx: Ctx): { population: Map<number, Population>; awaitingSure: Map<number, number> } {
  const population = new Map<number, Population>();
  const awaitingSure = new Map<number, number>();
  for (const r of ctx
    .stmt<[], { facility_id: number; cls: ClinicalClass | null; n: number; beds: number; sure: number }>(
      `SELECT w.facility_id, s.current_class AS cls, count(*) AS n, count(p.bed_id) AS beds, sum(${AWAITING_SURE}) AS sure
       FROM placement p JOIN ward w ON w.id = p.ward_id LEFT JOIN episode_state s ON s.episode_id = p.episode_id
       WHERE p.end_at IS NULL GROUP BY w.facility_id, s.current_class`,
    )
    .all()) {
    let x = population.get(r.facility_id);
    if (!x) population.set(r.facility_id, (x = emptyPopulation()));
    x.census += r.n;
    x.censusByClass[r.cls ?? 'unassessed'] += r.n;
    x.bedsOccupied += r.beds;
    awaitingSure.set(r.facility_id, (awaitingSure.get(r.facility_id) ?? 0) + r.sure);
  }
  return { population, awaitingSure };
}

/** The same figures as counting censusAt / admissionsBefore / endsBefore: per facility at `at`, the cumulative ones from their index (counts.ts). */
export function populationAt(ctx: Ctx, at: string): Map<number, Population> {
  const out = censusCountsAt(ctx, at);
  for (const [id, c] of cumulativeAt(ctx, at)) {
    let x = out.get(id);
    if (!x) out.set(id, (x = emptyPopulation()));
    Object.assign(x, c);
  }
  return out;
}

/** populationAt for an instant that is over, from the report cache (cache.ts). */
export function pastPopulationAt(ctx: Ctx, at: string): Map<number, Population> {
  return cached(ctx, 'population', '', at, () => populationAt(ctx, at), emptyPopulation);
}
