import type { Ctx } from '../context';
import type { ClinicalClass } from '../../../shared/clinical';
import { currentRow } from '../clinical/current';
import type { DayBounds } from './buckets';
import { becameCritical, becameSevere, type Transition } from './timeline';

/**
 * The daily report's counts of placements, each a range count on migration 18's report_placement
 * (every placement with its facility and how it began and ended, timeline.ts's kinds): what they
 * cost is what happened in the period, or one pass over one index, never a lookup per patient.
 */

export interface PlacementMoves {
  admissions: number;
  transfers_in: number;
  discharges: number;
  deaths: number;
  transfers_out: number;
  /** Every placement begun (moves included) and ended in the period: the census changes by their difference. */
  begun: number;
  ended: number;
}

const START_KEY = { admission: 'admissions', transfer_in: 'transfers_in' } as const;
const END_KEY = { discharge: 'discharges', death: 'deaths', transfer_out: 'transfers_out' } as const;

export const noPlacementMoves = (): PlacementMoves => ({ admissions: 0, transfers_in: 0, discharges: 0, deaths: 0, transfers_out: 0, begun: 0, ended: 0 });

type KindRow = [facilityId: number, kind: string, n: number];

/** The placements begun and ended in [S, E), per facility, by kind. */
export function placementMoves(ctx: Ctx, b: DayBounds): Map<number, PlacementMoves> {
  const out = new Map<number, PlacementMoves>();
  const of = (id: number) => {
    let x = out.get(id);
    if (!x) out.set(id, (x = noPlacementMoves()));
    return x;
  };
  const begun = ctx
    .stmt<[string, string], KindRow>('SELECT facility_id, start_kind, count(*) FROM report_placement WHERE start_at >= ? AND start_at < ? GROUP BY facility_id, start_kind')
    .raw(true)
    .all(b.start, b.end) as unknown as KindRow[];
  for (const [id, kind, n] of begun) {
    const x = of(id);
    x.begun += n;
    const key = START_KEY[kind as keyof typeof START_KEY];
    if (key) x[key] += n;
  }
  const ended = ctx
    .stmt<[string, string], KindRow>('SELECT facility_id, end_kind, count(*) FROM report_placement WHERE end_at >= ? AND end_at < ? GROUP BY facility_id, end_kind')
    .raw(true)
    .all(b.start, b.end) as unknown as KindRow[];
  for (const [id, kind, n] of ended) {
    const x = of(id);
    x.ended += n;
    const key = END_KEY[kind as keyof typeof END_KEY];
    if (key) x[key] += n;
  }
  return out;
}

type CountRow = [facilityId: number, n: number];
const addTo = (m: Map<number, number>, id: number, n: number) => m.set(id, (m.get(id) ?? 0) + n);

/**
 * The census at instant `at` per facility (placements open then: begun before it, not ended before
 * it): those open now, less those begun since, plus those ended since.
 */
export function censusTotalsAt(ctx: Ctx, at: string): Map<number, number> {
  const out = new Map<number, number>();
  const count = (sql: string, ...args: string[]) =>
    ctx
      .stmt<string[], CountRow>(sql)
      .raw(true)
      .all(...args) as unknown as CountRow[];
  for (const [id, n] of count('SELECT facility_id, count(*) FROM report_placement WHERE end_at IS NULL GROUP BY facility_id')) addTo(out, id, n);
  for (const [id, n] of count('SELECT facility_id, count(*) FROM report_placement WHERE start_at >= ? GROUP BY facility_id', at)) addTo(out, id, -n);
  for (const [id, n] of count('SELECT facility_id, count(*) FROM report_placement WHERE end_at >= ? GROUP BY facility_id', at)) addTo(out, id, n);
  return out;
}

export interface Cumulative {
  cumAdmissions: number;
  cumDischarges: number;
  cumDeaths: number;
}

/** Every admission, discharge and death before `at`, per facility (admitted to, discharged or died from). */
export function cumulativeAt(ctx: Ctx, at: string): Map<number, Cumulative> {
  const out = new Map<number, Cumulative>();
  const of = (id: number) => {
    let x = out.get(id);
    if (!x) out.set(id, (x = { cumAdmissions: 0, cumDischarges: 0, cumDeaths: 0 }));
    return x;
  };
  const admitted = ctx
    .stmt<[string], CountRow>(`SELECT facility_id, count(*) FROM report_placement WHERE start_at < ? AND start_kind = 'admission' GROUP BY facility_id`)
    .raw(true)
    .all(at) as unknown as CountRow[];
  for (const [id, n] of admitted) of(id).cumAdmissions = n;
  const ended = ctx
    .stmt<[string], KindRow>(`SELECT facility_id, end_kind, count(*) FROM report_placement WHERE end_at < ? AND end_kind IN ('discharge', 'death') GROUP BY facility_id, end_kind`)
    .raw(true)
    .all(at) as unknown as KindRow[];
  for (const [id, kind, n] of ended) {
    if (kind === 'discharge') of(id).cumDischarges = n;
    else of(id).cumDeaths = n;
  }
  return out;
}

/** Per facility, for one instant or one day of the trend. */
export interface GraveDay {
  /** In the census at the end of the day with a severe or critical class in force then. */
  severeCritical: Map<number, number>;
  became_severe: Map<number, number>;
  became_critical: Map<number, number>;
}

const GRAVE_EPISODES_SQL = `SELECT DISTINCT episode_id FROM class_assessment WHERE class IN ('severe', 'critical') AND entry_kind <> 'entered_in_error'`;
const CLASSES_SQL = `SELECT c.episode_id, c.assessed_at, c.class FROM class_assessment c
  WHERE c.episode_id IN (SELECT value FROM json_each(?)) AND ${currentRow('class_assessment', 'c')} ORDER BY c.episode_id, c.assessed_at, c.id`;
const PLACEMENTS_SQL = `SELECT episode_id, facility_id, start_at, end_at FROM report_placement
  WHERE episode_id IN (SELECT value FROM json_each(?)) ORDER BY episode_id, start_at, placement_id`;

type Assessed = { at: string; cls: ClinicalClass };
type Placed = { facility_id: number; start_at: string; end_at: string | null };

/** The placement an episode was in at `at` (movements.ts placementAt): the latest begun by then, else the first. */
function facilityAt(placements: readonly Placed[], at: string): number | undefined {
  let found: Placed | undefined;
  for (const p of placements) if (p.start_at <= at) found = p;
  return (found ?? placements[0])?.facility_id;
}

/**
 * The trend's severe and critical figures of each day: the census at its end with a severe or
 * critical class in force (the class of the latest current assessment before the end), and who
 * became severe or critical during it (timeline.ts). Only episodes ever assessed severe or critical
 * can count, and they are few: their assessments and placements are read and followed in full,
 * exactly as population.ts and movements.ts define the figures.
 */
export function graveDays(ctx: Ctx, days: readonly DayBounds[]): GraveDay[] {
  const out: GraveDay[] = days.map(() => ({ severeCritical: new Map(), became_severe: new Map(), became_critical: new Map() }));
  const ids = JSON.stringify(ctx.stmt<[], number>(GRAVE_EPISODES_SQL).pluck().all());
  const classes = new Map<number, Assessed[]>();
  for (const r of ctx.stmt<[string], { episode_id: number; assessed_at: string; class: ClinicalClass }>(CLASSES_SQL).all(ids)) {
    const list = classes.get(r.episode_id) ?? [];
    list.push({ at: r.assessed_at, cls: r.class });
    classes.set(r.episode_id, list);
  }
  const placements = new Map<number, Placed[]>();
  for (const r of ctx.stmt<[string], Placed & { episode_id: number }>(PLACEMENTS_SQL).all(ids)) {
    const list = placements.get(r.episode_id) ?? [];
    list.push(r);
    placements.set(r.episode_id, list);
  }
  for (const [episodeId, list] of classes) {
    const places = placements.get(episodeId) ?? [];
    days.forEach((b, i) => {
      const day = out[i] as GraveDay;
      let before: ClinicalClass | null = null;
      for (const a of list) {
        if (a.at >= b.end) break;
        if (a.at >= b.start) {
          const t: Transition = { episodeId, at: a.at, from: before ?? 'unassessed', to: a.cls };
          const facility = facilityAt(places, a.at);
          if (facility !== undefined && becameSevere(t)) addTo(day.became_severe, facility, 1);
          if (facility !== undefined && becameCritical(t)) addTo(day.became_critical, facility, 1);
        }
        before = a.cls;
      }
      if (before !== 'severe' && before !== 'critical') return;
      for (const p of places) if (p.start_at < b.end && (p.end_at === null || p.end_at >= b.end)) addTo(day.severeCritical, p.facility_id, 1);
    });
  }
  return out;
}
