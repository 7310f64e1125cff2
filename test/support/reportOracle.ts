import type { DailyMetric, ReportClass } from '../../shared/api/reports';
import { compareClass } from '../../shared/clinical';
import { Ctx } from '../../electron/core/context';
import { flagsAsOf } from '../../electron/core/reports/asof';
import { emptyBuckets, type Buckets, type DayBounds } from '../../electron/core/reports/buckets';
import type { ClinicalClass } from '../../shared/clinical';
import type { DischargeDisposition } from '../../shared/domain/clinical';
import { currentRow } from '../../electron/core/clinical/current';
import {
  becameCritical,
  becameSevere,
  facilitiesOf,
  improved,
  kindsOf,
  type EndKind,
  type PlacementNeighbours,
  type StartKind,
  type Transition,
} from '../../electron/core/reports/timeline';

/* The whole network's timeline in memory: the reports' implementation before issue 8, kept as the tests' oracle. */

export interface PlacementEvent {
  id: number;
  episodeId: number;
  facilityId: number;
  wardId: number;
  bedId: number | null;
  startAt: string;
  endAt: string | null;
  startKind: StartKind;
  endKind: EndKind | null;
  prevFacilityId: number | null;
  nextFacilityId: number | null;
}

export interface ClassPoint {
  at: string;
  cls: ClinicalClass;
}

export interface Timeline {
  facilities: ReturnType<typeof facilitiesOf>;
  placements: PlacementEvent[];
  byEpisode: Map<number, PlacementEvent[]>;
  classes: Map<number, ClassPoint[]>;
  dispositions: Map<number, DischargeDisposition>;
}

interface Row extends PlacementNeighbours {
  id: number;
  episode_id: number;
  ward_id: number;
  bed_id: number | null;
  start_at: string;
}

const PLACEMENT_COLUMNS = `p.id, p.episode_id, w.facility_id, p.ward_id, p.bed_id, p.start_at, p.end_at, e.status,
  LAG(p.id) OVER ep AS prev_id, LAG(w.facility_id) OVER ep AS prev_facility,
  LEAD(p.id) OVER ep AS next_id, LEAD(w.facility_id) OVER ep AS next_facility`;
const PLACEMENT_FROM = 'placement p JOIN ward w ON w.id = p.ward_id JOIN episode e ON e.id = p.episode_id';
const PLACEMENT_WINDOW = 'WINDOW ep AS (PARTITION BY p.episode_id ORDER BY p.start_at, p.id)';

/** The timeline of the whole network: every placement with its kinds, every episode's classes and disposition. */
export function loadTimeline(ctx: Ctx): Timeline {
  const facilities = facilitiesOf(ctx);
  const rows = ctx.stmt<[], Row>(`SELECT ${PLACEMENT_COLUMNS} FROM ${PLACEMENT_FROM} ${PLACEMENT_WINDOW}`).all();
  const placements: PlacementEvent[] = rows.map((r) => {
    const { startKind, endKind } = kindsOf(r);
    return {
      id: r.id,
      episodeId: r.episode_id,
      facilityId: r.facility_id,
      wardId: r.ward_id,
      bedId: r.bed_id,
      startAt: r.start_at,
      endAt: r.end_at,
      startKind,
      endKind,
      prevFacilityId: r.prev_facility,
      nextFacilityId: r.next_facility,
    };
  });
  const byEpisode = new Map<number, PlacementEvent[]>();
  for (const p of placements) {
    const list = byEpisode.get(p.episodeId);
    if (list) list.push(p);
    else byEpisode.set(p.episodeId, [p]);
  }
  const classes = new Map<number, ClassPoint[]>();
  const classSql = `SELECT c.episode_id, c.assessed_at, c.class FROM class_assessment c WHERE ${currentRow('class_assessment', 'c')}`;
  type ClassRow = { episode_id: number; assessed_at: string; class: ClinicalClass };
  const classRows = ctx.stmt<[], ClassRow>(`${classSql} ORDER BY c.episode_id, c.assessed_at, c.id`).all();
  for (const c of classRows) {
    const list = classes.get(c.episode_id);
    const point = { at: c.assessed_at, cls: c.class };
    if (list) list.push(point);
    else classes.set(c.episode_id, [point]);
  }
  const dispositions = new Map<number, DischargeDisposition>();
  const dispositionSql = `SELECT d.episode_id, d.disposition FROM discharge d WHERE ${currentRow('discharge', 'd')}`;
  type DispositionRow = { episode_id: number; disposition: DischargeDisposition };
  const dispositionRows = ctx.stmt<[], DispositionRow>(dispositionSql).all();
  for (const d of dispositionRows) {
    dispositions.set(d.episode_id, d.disposition);
  }
  return { facilities, placements, byEpisode, classes, dispositions };
}

/**
 * The daily metrics computed the slow, obvious way: the whole network's timeline loaded into memory
 * and every placement and assessment walked in JavaScript, and "awaiting review" re-derived by the
 * rules for every census patient (asof.ts). This was the report's implementation before issue 8
 * moved it to time-ranged SQL and a cache; tests hold the two together.
 */
function classBefore(tl: Timeline, episodeId: number, at: string): ReportClass {
  const list = tl.classes.get(episodeId) ?? [];
  let found: ReportClass = 'unassessed';
  for (const c of list) if (c.at < at) found = c.cls;
  return found;
}

function placementAt(tl: Timeline, episodeId: number, at: string): PlacementEvent | undefined {
  const list = tl.byEpisode.get(episodeId) ?? [];
  let found = list[0];
  for (const p of list) if (p.startAt <= at) found = p;
  return found;
}

function transitions(tl: Timeline, start: string, end: string): Transition[] {
  const out: Transition[] = [];
  for (const [episodeId, list] of tl.classes) {
    list.forEach((c: ClassPoint, i) => {
      if (c.at >= start && c.at < end) out.push({ episodeId, at: c.at, from: i === 0 ? 'unassessed' : (list[i - 1] as ClassPoint).cls, to: c.cls });
    });
  }
  return out;
}

export function oracleDay(ctx: Ctx, b: DayBounds, tz: string): Map<number, Buckets> {
  const tl = loadTimeline(ctx);
  const { start: S, end: E } = b;
  const out = new Map<number, Buckets>(tl.facilities.map((f) => [f.id, emptyBuckets()]));
  const bucket = (id: number) => out.get(id) ?? (out.set(id, emptyBuckets()).get(id) as Buckets);
  for (const p of tl.placements) {
    const x = bucket(p.facilityId);
    const base = { episodeId: p.episodeId, placementId: p.id };
    if (p.startAt < S && (p.endAt === null || p.endAt >= S)) x.census_prev.push({ ...base, at: null, cls: classBefore(tl, p.episodeId, S) });
    if (p.startAt < E && (p.endAt === null || p.endAt >= E)) {
      x.census.push({ ...base, at: null, cls: classBefore(tl, p.episodeId, E) });
      if (p.bedId !== null) x.beds_occupied.push({ ...base, at: null });
    }
    if (p.startAt < E) {
      if (p.startKind === 'admission') {
        x.cum_admissions.push({ ...base, at: p.startAt });
        if (p.startAt >= S) x.admissions.push({ ...base, at: p.startAt });
      } else if (p.startKind === 'transfer_in' && p.startAt >= S) x.transfers_in.push({ ...base, at: p.startAt, otherFacilityId: p.prevFacilityId });
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
      } else if (p.endKind === 'transfer_out' && during) x.transfers_out.push({ ...base, at: p.endAt, otherFacilityId: p.nextFacilityId });
    }
  }
  for (const t of transitions(tl, S, E)) {
    const p = placementAt(tl, t.episodeId, t.at);
    if (!p) continue;
    const item = { episodeId: t.episodeId, placementId: p.id, at: t.at, cls: t.to, fromClass: t.from };
    if (becameSevere(t)) bucket(p.facilityId).became_severe.push(item);
    if (becameCritical(t)) bucket(p.facilityId).became_critical.push(item);
    if (improved(t)) bucket(p.facilityId).improved.push(item);
  }
  for (const r of ctx.db
    .prepare(
      `SELECT r.episode_id, r.at FROM review r WHERE r.at >= ? AND r.at < ? AND r.entry_kind <> 'entered_in_error' AND NOT EXISTS (SELECT 1 FROM review s WHERE s.supersedes_id = r.id)`,
    )
    .all(S, E) as { episode_id: number; at: string }[]) {
    const p = placementAt(tl, r.episode_id, r.at);
    if (p) bucket(p.facilityId).reviews_done.push({ episodeId: r.episode_id, placementId: p.id, at: r.at });
  }
  // Started on an antiviral (issue 19): each episode's first start decision of the day, where the patient was then.
  const firstStart = new Map<number, string>();
  for (const d of ctx.db.prepare(`SELECT episode_id, created_at FROM antiviral_decision WHERE decision = 'start'`).all() as { episode_id: number; created_at: string }[]) {
    if (d.created_at < S || d.created_at >= E) continue;
    const seen = firstStart.get(d.episode_id);
    if (seen === undefined || d.created_at < seen) firstStart.set(d.episode_id, d.created_at);
  }
  for (const [episodeId, at] of firstStart) {
    const p = placementAt(tl, episodeId, at);
    if (p) bucket(p.facilityId).antiviral_started.push({ episodeId, placementId: p.id, at });
  }
  const at = E <= ctx.now ? new Date(Date.parse(E) - 1).toISOString() : ctx.now;
  for (const x of out.values()) for (const c of x.census) if (flagsAsOf(ctx, c.episodeId, at, tz).awaitingReview) x.awaiting_review.push({ ...c });
  return out;
}

/** A bucket's patients as a sorted, comparable list (episode, placement, time, classes, other facility, disposition). */
export function itemKeys(x: Buckets, metric: DailyMetric): string[] {
  return x[metric].map((i) => [i.episodeId, i.placementId, i.at, i.cls ?? '', i.fromClass ?? '', i.otherFacilityId ?? '', i.disposition ?? ''].join('|')).sort();
}

/** The discharge statistics' rows the slow, obvious way: every discharged episode's whole timeline walked in JavaScript. */
export function oracleStatRows(
  ctx: Ctx,
  start: string,
  end: string,
): { episodeId: number; placementId: number | null; facilityId: number | null; classAtAdmission: ReportClass; worstClass: ReportClass; metAt: string | null }[] {
  const tl = loadTimeline(ctx);
  const rows = ctx.db
    .prepare(
      `SELECT d.episode_id, d.discharged_at, json_extract(d.criteria, '$.criteriaMetAt') AS met_at FROM discharge d
       WHERE d.discharged_at >= ? AND d.discharged_at < ? AND d.entry_kind <> 'entered_in_error' AND NOT EXISTS (SELECT 1 FROM discharge s WHERE s.supersedes_id = d.id)
       ORDER BY d.discharged_at, d.id`,
    )
    .all(start, end) as { episode_id: number; discharged_at: string; met_at: string | null }[];
  return rows.map((r) => {
    const placements = tl.byEpisode.get(r.episode_id) ?? [];
    const last = placements[placements.length - 1];
    const classes = (tl.classes.get(r.episode_id) ?? []).filter((c) => c.at <= r.discharged_at);
    let worst: ReportClass = 'unassessed';
    for (const c of classes) if (worst === 'unassessed' || compareClass(c.cls, worst) > 0) worst = c.cls;
    return {
      episodeId: r.episode_id,
      placementId: last?.id ?? null,
      facilityId: last?.facilityId ?? null,
      classAtAdmission: classes[0]?.cls ?? 'unassessed',
      worstClass: worst,
      metAt: r.met_at,
    };
  });
}
