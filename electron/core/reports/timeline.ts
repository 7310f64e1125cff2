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

export function loadTimeline(ctx: Ctx): Timeline {
  const facilities = ctx.stmt<[], { id: number; name: string; kind: FacilityKind }>('SELECT id, name, kind FROM facility ORDER BY sort, id').all();
  const rows = ctx
    .stmt<[], Row>(
      `SELECT p.id, p.episode_id, w.facility_id, p.ward_id, p.bed_id, p.start_at, p.end_at, e.status,
              LAG(p.id) OVER ep AS prev_id, LAG(w.facility_id) OVER ep AS prev_facility,
              LEAD(p.id) OVER ep AS next_id, LEAD(w.facility_id) OVER ep AS next_facility
       FROM placement p JOIN ward w ON w.id = p.ward_id JOIN episode e ON e.id = p.episode_id
       WINDOW ep AS (PARTITION BY p.episode_id ORDER BY p.start_at, p.id)`,
    )
    .all();
  const placements: PlacementEvent[] = rows.map((r) => {
    const startKind: StartKind = r.prev_id === null ? 'admission' : r.prev_facility !== r.facility_id ? 'transfer_in' : 'move';
    let endKind: EndKind | null = null;
    if (r.end_at !== null) {
      if (r.next_id !== null) endKind = r.next_facility !== r.facility_id ? 'transfer_out' : 'move';
      else endKind = r.status === 'discharged' ? 'discharge' : r.status === 'deceased' ? 'death' : 'transfer_out';
    }
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
  for (const c of ctx
    .stmt<[], { episode_id: number; assessed_at: string; class: ClinicalClass }>(
      `SELECT c.episode_id, c.assessed_at, c.class FROM class_assessment c WHERE ${currentRow('class_assessment', 'c')} ORDER BY c.episode_id, c.assessed_at, c.id`,
    )
    .all()) {
    const list = classes.get(c.episode_id);
    const point = { at: c.assessed_at, cls: c.class };
    if (list) list.push(point);
    else classes.set(c.episode_id, [point]);
  }
  const dispositions = new Map<number, DischargeDisposition>();
  for (const d of ctx
    .stmt<[], { episode_id: number; disposition: DischargeDisposition }>(`SELECT d.episode_id, d.disposition FROM discharge d WHERE ${currentRow('discharge', 'd')}`)
    .all()) {
    dispositions.set(d.episode_id, d.disposition);
  }
  return { facilities, placements, byEpisode, classes, dispositions };
}

/** The class in force just before `at` (the latest assessment strictly before it), or 'unassessed'. */
export function classBefore(tl: Timeline, episodeId: number, at: string): ReportClass {
  const list = tl.classes.get(episodeId);
  if (!list) return 'unassessed';
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((list[mid] as ClassPoint).at < at) lo = mid + 1;
    else hi = mid;
  }
  return lo === 0 ? 'unassessed' : (list[lo - 1] as ClassPoint).cls;
}

/** The placement the episode was in at `at` (for attributing an assessment or a review to a facility). */
export function placementAt(tl: Timeline, episodeId: number, at: string): PlacementEvent | undefined {
  const list = tl.byEpisode.get(episodeId) ?? [];
  let found = list[0];
  for (const p of list) if (p.startAt <= at) found = p;
  return found;
}

export interface Transition {
  episodeId: number;
  at: string;
  from: ReportClass;
  to: ClinicalClass;
}

/** Class changes with assessed_at in [start, end): each assessment against the one before it. */
export function transitions(tl: Timeline, start: string, end: string): Transition[] {
  const out: Transition[] = [];
  for (const [episodeId, list] of tl.classes) {
    list.forEach((c, i) => {
      if (c.at < start || c.at >= end) return;
      out.push({ episodeId, at: c.at, from: i === 0 ? 'unassessed' : (list[i - 1] as ClassPoint).cls, to: c.cls });
    });
  }
  return out;
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
