import type { Ctx } from '../context';
import type { ClinicalClass } from '../../../shared/clinical';
import type { DischargeDisposition } from '../../../shared/domain/clinical';
import { currentRow } from '../clinical/current';
import { bucketOf, type Buckets, type DayBounds, type Item } from './buckets';
import { becameCritical, becameSevere, improved, kindsOf, type PlacementNeighbours, type Transition } from './timeline';

/** A placement's neighbour in its episode (placements ordered by start, then id), by facility: null when there is none. */
const neighbour = (dir: 'prev' | 'next') => {
  const cmp = dir === 'prev' ? '<' : '>';
  const order = dir === 'prev' ? 'DESC' : 'ASC';
  return `(SELECT w2.facility_id FROM placement q JOIN ward w2 ON w2.id = q.ward_id
    WHERE q.episode_id = p.episode_id AND (q.start_at ${cmp} p.start_at OR (q.start_at = p.start_at AND q.id ${cmp} p.id))
    ORDER BY q.start_at ${order}, q.id ${order} LIMIT 1)`;
};

/**
 * The placements that begin or end in [S, E), with their neighbours (a ward always has a facility, so
 * null means none). Each neighbour, the status and the disposition are read only where the day needs
 * them: the predecessor of a placement beginning in the day, the rest for one ending in it.
 */
const ENDS_IN_DAY = 'p.end_at >= @S AND p.end_at < @E';
const PLACEMENTS_SQL = `
SELECT p.id, p.episode_id, w.facility_id, p.start_at, p.end_at,
       CASE WHEN p.start_at >= @S AND p.start_at < @E THEN ${neighbour('prev')} END AS prev_facility,
       CASE WHEN ${ENDS_IN_DAY} THEN ${neighbour('next')} END AS next_facility,
       CASE WHEN ${ENDS_IN_DAY} THEN (SELECT e.status FROM episode e WHERE e.id = p.episode_id) END AS status,
       CASE WHEN ${ENDS_IN_DAY} THEN (SELECT d.disposition FROM discharge d WHERE d.episode_id = p.episode_id AND ${currentRow('discharge', 'd')} ORDER BY d.id DESC LIMIT 1) END AS disposition
FROM placement p JOIN ward w ON w.id = p.ward_id
WHERE (p.start_at >= @S AND p.start_at < @E) OR (${ENDS_IN_DAY})`;

/** Class assessments in [S, E), each with the class of the current assessment before it (null: none). */
const TRANSITIONS_SQL = `
SELECT c.episode_id, c.assessed_at AS at, c.class AS cls,
       (SELECT c2.class FROM class_assessment c2 WHERE c2.episode_id = c.episode_id
          AND (c2.assessed_at < c.assessed_at OR (c2.assessed_at = c.assessed_at AND c2.id < c.id)) AND ${currentRow('class_assessment', 'c2')}
        ORDER BY c2.assessed_at DESC, c2.id DESC LIMIT 1) AS from_cls
FROM class_assessment c WHERE c.assessed_at >= @S AND c.assessed_at < @E AND ${currentRow('class_assessment', 'c')}`;

const LATEST_BEGUN_SQL = `SELECT p.id, w.facility_id FROM placement p JOIN ward w ON w.id = p.ward_id WHERE p.episode_id = ? AND p.start_at <= ?
  ORDER BY p.start_at DESC, p.id DESC LIMIT 1`;
const FIRST_SQL = 'SELECT p.id, w.facility_id FROM placement p JOIN ward w ON w.id = p.ward_id WHERE p.episode_id = ? ORDER BY p.start_at, p.id LIMIT 1';

/**
 * The placement an episode was in at `at`, for attributing an assessment or a review to a facility:
 * the latest that had begun by then, or the first when none had.
 */
function placementAt(ctx: Ctx, episodeId: number, at: string): { id: number; facility_id: number } | undefined {
  type P = { id: number; facility_id: number };
  return ctx.stmt<[number, string], P>(LATEST_BEGUN_SQL).get(episodeId, at) ?? ctx.stmt<[number], P>(FIRST_SQL).get(episodeId);
}

interface PlacementRow extends PlacementNeighbours {
  id: number;
  episode_id: number;
  start_at: string;
  disposition: DischargeDisposition | null;
}

/**
 * What happened during one local day, per facility, as lists of the patients behind each number:
 * admissions, transfers in and out, discharges, deaths, class changes and (with `reviews`) the
 * reviews done. Read by time range, so a day costs what happened in it, not the size of the network;
 * the kinds of movements are timeline.ts's (kindsOf).
 */
export function movements(ctx: Ctx, b: DayBounds, reviews: boolean): Map<number, Buckets> {
  const { start: S, end: E } = b;
  const out = new Map<number, Buckets>();
  const rows = ctx.stmt<[{ S: string; E: string }], Omit<PlacementRow, 'prev_id' | 'next_id'>>(PLACEMENTS_SQL).all({ S, E });
  for (const r of rows) {
    const { startKind, endKind } = kindsOf({ ...r, prev_id: r.prev_facility, next_id: r.next_facility });
    const x = bucketOf(out, r.facility_id);
    const base = { episodeId: r.episode_id, placementId: r.id };
    if (r.start_at >= S && r.start_at < E) {
      if (startKind === 'admission') x.admissions.push({ ...base, at: r.start_at });
      else if (startKind === 'transfer_in') x.transfers_in.push({ ...base, at: r.start_at, otherFacilityId: r.prev_facility });
    }
    if (r.end_at !== null && r.end_at >= S && r.end_at < E) {
      if (endKind === 'discharge') x.discharges.push({ ...base, at: r.end_at, disposition: r.disposition });
      else if (endKind === 'death') x.deaths.push({ ...base, at: r.end_at, disposition: r.disposition });
      else if (endKind === 'transfer_out') x.transfers_out.push({ ...base, at: r.end_at, otherFacilityId: r.next_facility });
    }
  }
  for (const [facilityId, changes] of classChanges(ctx, b)) {
    const x = bucketOf(out, facilityId);
    x.became_severe.push(...changes.became_severe);
    x.became_critical.push(...changes.became_critical);
    x.improved.push(...changes.improved);
  }
  if (reviews) for (const [facilityId, list] of reviewsDone(ctx, b)) bucketOf(out, facilityId).reviews_done.push(...list);
  for (const [facilityId, list] of antiviralsStarted(ctx, b)) bucketOf(out, facilityId).antiviral_started.push(...list);
  return out;
}

export type ClassChanges = Pick<Buckets, 'became_severe' | 'became_critical' | 'improved'>;

/** The class changes of [S, E) that the report counts (timeline.ts), per facility the patient was in then. */
export function classChanges(ctx: Ctx, b: DayBounds): Map<number, ClassChanges> {
  const out = new Map<number, ClassChanges>();
  const rows = ctx
    .stmt<[{ S: string; E: string }], { episode_id: number; at: string; cls: ClinicalClass; from_cls: ClinicalClass | null }>(TRANSITIONS_SQL)
    .all({ S: b.start, E: b.end });
  for (const c of rows) {
    const t: Transition = { episodeId: c.episode_id, at: c.at, from: c.from_cls ?? 'unassessed', to: c.cls };
    const severe = becameSevere(t);
    const critical = becameCritical(t);
    const better = improved(t);
    if (!severe && !critical && !better) continue;
    const p = placementAt(ctx, t.episodeId, t.at);
    if (!p) continue;
    let x = out.get(p.facility_id);
    if (!x) out.set(p.facility_id, (x = { became_severe: [], became_critical: [], improved: [] }));
    const item = { episodeId: t.episodeId, placementId: p.id, at: t.at, cls: t.to, fromClass: t.from };
    if (severe) x.became_severe.push(item);
    if (critical) x.became_critical.push(item);
    if (better) x.improved.push(item);
  }
  return out;
}

/** Events of the day (an episode and when), each under the facility the patient was in then. */
function byFacilityThen(ctx: Ctx, events: readonly { episode_id: number; at: string }[]): Map<number, Item[]> {
  const out = new Map<number, Item[]>();
  for (const r of events) {
    const p = placementAt(ctx, r.episode_id, r.at);
    if (!p) continue;
    const list = out.get(p.facility_id) ?? [];
    list.push({ episodeId: r.episode_id, placementId: p.id, at: r.at });
    out.set(p.facility_id, list);
  }
  return out;
}

/** The panel's reviews signed during [S, E), per facility the patient was in then. */
export function reviewsDone(ctx: Ctx, b: DayBounds): Map<number, Item[]> {
  return byFacilityThen(
    ctx,
    ctx
      .stmt<[string, string], { episode_id: number; at: string }>(
        `SELECT r.episode_id, r.at FROM review r WHERE r.at >= ? AND r.at < ? AND ${currentRow('review', 'r')} ORDER BY r.at`,
      )
      .all(b.start, b.end),
  );
}

/**
 * The patients started on an antiviral during [S, E) (issue 19): a start decision recorded then (the
 * course goes into the plan with it), per facility the patient was in then; a patient started twice in
 * a day counts once.
 */
export function antiviralsStarted(ctx: Ctx, b: DayBounds): Map<number, Item[]> {
  return byFacilityThen(
    ctx,
    ctx
      .stmt<[string, string], { episode_id: number; at: string }>(
        `SELECT episode_id, min(created_at) AS at FROM antiviral_decision INDEXED BY antiviral_decision_started
         WHERE decision = 'start' AND created_at >= ? AND created_at < ? GROUP BY episode_id ORDER BY at`,
      )
      .all(b.start, b.end),
  );
}
