import type { Ctx } from '../context';
import type { ReportClass } from '../../../shared/api/reports';
import { compareClass, type ClinicalClass } from '../../../shared/clinical';
import type { DischargeDisposition } from '../../../shared/domain/clinical';
import type { FacilityKind } from '../../../shared/domain/enums';
import { currentRow } from '../clinical/current';

/**
 * The network's movements as the reports count them (DESIGN.md §5). Every count comes from the
 * placement history:
 *  - a placement with no earlier placement in its episode begins with an **admission** (to the network
 *    and to its facility);
 *  - a placement whose predecessor is in another facility begins with a **transfer in**, and that
 *    predecessor ends with a **transfer out** — never a discharge or an admission;
 *  - a placement whose predecessor is in the same facility is a **move** (ward or bed) and counts nowhere;
 *  - the last placement of an ended episode ends with its **discharge** or **death**; a placement that
 *    ended without a successor while the episode is still active counts as a transfer out (left the
 *    facility, destination not yet recorded).
 * The census of a facility at an instant is its placements open then (start ≤ t < end). A patient
 * admitted and discharged within one day is counted in both and in no census.
 */
export type StartKind = 'admission' | 'transfer_in' | 'move';
export type EndKind = 'discharge' | 'death' | 'transfer_out' | 'move';

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
  facilities: { id: number; name: string; kind: FacilityKind }[];
  placements: PlacementEvent[];
  byEpisode: Map<number, PlacementEvent[]>;
  classes: Map<number, ClassPoint[]>;
  dispositions: Map<number, DischargeDisposition>;
}

interface Row {
  id: number;
  episode_id: number;
  facility_id: number;
  ward_id: number;
  bed_id: number | null;
  start_at: string;
  end_at: string | null;
  prev_id: number | null;
  prev_facility: number | null;
  next_id: number | null;
  next_facility: number | null;
  status: 'active' | 'discharged' | 'deceased';
}

/** A placement and its neighbours in its episode: what decides the kinds of its start and its end. */
export interface PlacementNeighbours {
  facility_id: number;
  end_at: string | null;
  prev_id: number | null;
  prev_facility: number | null;
  next_id: number | null;
  next_facility: number | null;
  status: 'active' | 'discharged' | 'deceased';
}

/** How a placement began and ended (the rules at the top of this file). */
export function kindsOf(r: PlacementNeighbours): { startKind: StartKind; endKind: EndKind | null } {
  const startKind: StartKind = r.prev_id === null ? 'admission' : r.prev_facility !== r.facility_id ? 'transfer_in' : 'move';
  let endKind: EndKind | null = null;
  if (r.end_at !== null) {
    if (r.next_id !== null) endKind = r.next_facility !== r.facility_id ? 'transfer_out' : 'move';
    else endKind = r.status === 'discharged' ? 'discharge' : r.status === 'deceased' ? 'death' : 'transfer_out';
  }
  return { startKind, endKind };
}

/** The network's facilities in their display order. */
export function facilitiesOf(ctx: Ctx): Timeline['facilities'] {
  return ctx.stmt<[], { id: number; name: string; kind: FacilityKind }>('SELECT id, name, kind FROM facility ORDER BY sort, id').all();
}

const PLACEMENT_COLUMNS = `p.id, p.episode_id, w.facility_id, p.ward_id, p.bed_id, p.start_at, p.end_at, e.status,
  LAG(p.id) OVER ep AS prev_id, LAG(w.facility_id) OVER ep AS prev_facility,
  LEAD(p.id) OVER ep AS next_id, LEAD(w.facility_id) OVER ep AS next_facility`;
const PLACEMENT_FROM = 'placement p JOIN ward w ON w.id = p.ward_id JOIN episode e ON e.id = p.episode_id';
const PLACEMENT_WINDOW = 'WINDOW ep AS (PARTITION BY p.episode_id ORDER BY p.start_at, p.id)';

/**
 * The timeline of the whole network, or of the given episodes only (each episode's history is
 * complete either way: the kinds of its movements depend on nothing outside it). The daily report and
 * the statistics load only the episodes their period touches; a 50,000-patient network is not read
 * whole for one day (issue 8).
 */
export function loadTimeline(ctx: Ctx, episodeIds?: readonly number[]): Timeline {
  const facilities = facilitiesOf(ctx);
  const ids = episodeIds === undefined ? null : JSON.stringify(episodeIds);
  const rows =
    ids === null
      ? ctx.stmt<[], Row>(`SELECT ${PLACEMENT_COLUMNS} FROM ${PLACEMENT_FROM} ${PLACEMENT_WINDOW}`).all()
      : ctx.stmt<[string], Row>(`SELECT ${PLACEMENT_COLUMNS} FROM ${PLACEMENT_FROM} WHERE p.episode_id IN (SELECT value FROM json_each(?)) ${PLACEMENT_WINDOW}`).all(ids);
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
  const classRows =
    ids === null
      ? ctx.stmt<[], ClassRow>(`${classSql} ORDER BY c.episode_id, c.assessed_at, c.id`).all()
      : ctx.stmt<[string], ClassRow>(`${classSql} AND c.episode_id IN (SELECT value FROM json_each(?)) ORDER BY c.episode_id, c.assessed_at, c.id`).all(ids);
  for (const c of classRows) {
    const list = classes.get(c.episode_id);
    const point = { at: c.assessed_at, cls: c.class };
    if (list) list.push(point);
    else classes.set(c.episode_id, [point]);
  }
  const dispositions = new Map<number, DischargeDisposition>();
  const dispositionSql = `SELECT d.episode_id, d.disposition FROM discharge d WHERE ${currentRow('discharge', 'd')}`;
  type DispositionRow = { episode_id: number; disposition: DischargeDisposition };
  const dispositionRows =
    ids === null
      ? ctx.stmt<[], DispositionRow>(dispositionSql).all()
      : ctx.stmt<[string], DispositionRow>(`${dispositionSql} AND d.episode_id IN (SELECT value FROM json_each(?))`).all(ids);
  for (const d of dispositionRows) {
    dispositions.set(d.episode_id, d.disposition);
  }
  return { facilities, placements, byEpisode, classes, dispositions };
}

export interface Transition {
  episodeId: number;
  at: string;
  from: ReportClass;
  to: ClinicalClass;
}

const isClass = (c: ReportClass): c is ClinicalClass => c !== 'unassessed';

/** Became severe: a transition into severe from a milder class or none. Became critical: into critical from anything else. */
export function becameSevere(t: Transition): boolean {
  return t.to === 'severe' && (!isClass(t.from) || compareClass(t.from, 'severe') < 0);
}
export function becameCritical(t: Transition): boolean {
  return t.to === 'critical' && t.from !== 'critical';
}
/** Improved: a transition to a milder class than the one before it. */
export function improved(t: Transition): boolean {
  return isClass(t.from) && compareClass(t.to, t.from) < 0;
}
