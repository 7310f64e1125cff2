import type { Ctx } from '../context';
import type { ReportClass } from '../../../shared/api/reports';
import { compareClass, type ClinicalClass } from '../../../shared/clinical';
import type { FacilityKind } from '../../../shared/domain/enums';

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
export function facilitiesOf(ctx: Ctx): { id: number; name: string; kind: FacilityKind }[] {
  return ctx.stmt<[], { id: number; name: string; kind: FacilityKind }>('SELECT id, name, kind FROM facility ORDER BY sort, id').all();
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
