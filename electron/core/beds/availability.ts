import type { Availability, WaitingPatient } from '../../../shared/api/beds';
import { BED_STATES, BED_TAGS, type BedTag, type FacilityKind, type WardKind } from '../../../shared/domain/enums';
import type { Ctx } from '../context';
import { currentAge, type PatientIdentity } from '../patients/repo';
import { settingsOf } from '../settings/settings';

type Counts = Availability[number]['totals'];

function emptyCounts(): Counts {
  return { total: 0, free: 0, reserved: 0, occupied: 0, cleaning: 0, out_of_service: 0, waiting: 0, freeByTag: {} };
}

function add(into: Counts, from: Counts): void {
  into.total += from.total;
  for (const s of BED_STATES) into[s] += from[s];
  into.waiting += from.waiting;
  for (const tag of BED_TAGS) {
    const n = from.freeByTag[tag];
    if (n) into.freeByTag[tag] = (into.freeByTag[tag] ?? 0) + n;
  }
}

/** Beds per state and free beds per tag, per ward and facility: one grouped scan over bed(ward_id, state). */
export function availability(ctx: Ctx, facilityId: number | null): Availability {
  const facilities = ctx
    .stmt<[number | null, number | null], { id: number; name: string; kind: FacilityKind }>('SELECT id, name, kind FROM facility WHERE ? IS NULL OR id = ? ORDER BY sort, id')
    .all(facilityId, facilityId);
  const wards = ctx
    .stmt<[number | null, number | null], { id: number; facility_id: number; name: string; kind: WardKind }>(
      'SELECT id, facility_id, name, kind FROM ward WHERE ? IS NULL OR facility_id = ? ORDER BY facility_id, sort, id',
    )
    .all(facilityId, facilityId);
  const states = ctx
    .stmt<[number | null, number | null], { ward_id: number; state: (typeof BED_STATES)[number]; tags: string; n: number }>(
      `SELECT b.ward_id, b.state, b.tags, count(*) AS n FROM bed b JOIN ward w ON w.id = b.ward_id
       WHERE ? IS NULL OR w.facility_id = ? GROUP BY b.ward_id, b.state, b.tags`,
    )
    .all(facilityId, facilityId);
  const waiting = ctx
    .stmt<[number | null, number | null], { ward_id: number; n: number }>(
      `SELECT pl.ward_id, count(*) AS n FROM placement pl JOIN ward w ON w.id = pl.ward_id JOIN episode e ON e.id = pl.episode_id
       WHERE pl.end_at IS NULL AND pl.bed_id IS NULL AND e.status = 'active' AND (? IS NULL OR w.facility_id = ?) GROUP BY pl.ward_id`,
    )
    .all(facilityId, facilityId);

  const perWard = new Map<number, Counts>(wards.map((w) => [w.id, emptyCounts()]));
  for (const r of states) {
    const c = perWard.get(r.ward_id);
    if (!c) continue;
    c.total += r.n;
    c[r.state] += r.n;
    if (r.state === 'free') {
      for (const tag of JSON.parse(r.tags) as BedTag[]) c.freeByTag[tag] = (c.freeByTag[tag] ?? 0) + r.n;
    }
  }
  for (const r of waiting) {
    const c = perWard.get(r.ward_id);
    if (c) c.waiting = r.n;
  }
  return facilities.map((f) => {
    const totals = emptyCounts();
    const fw = wards
      .filter((w) => w.facility_id === f.id)
      .map((w) => {
        const c = perWard.get(w.id) ?? emptyCounts();
        add(totals, c);
        return { id: w.id, name: w.name, kind: w.kind, ...c };
      });
    return { ...f, totals, wards: fw };
  });
}

/** The facility's waiting list: active episodes whose open placement has no bed, longest waiting first. */
export function waitingList(ctx: Ctx, facilityId: number): WaitingPatient[] {
  const tz = settingsOf(ctx).timeZone;
  return ctx
    .stmt<
      [number],
      PatientIdentity & {
        placement_id: number;
        ward_id: number;
        ward_name: string;
        start_at: string;
        admitted_at: string;
        current_class: string | null;
        proposed_class: string | null;
        flag_count: number | null;
      }
    >(
      `SELECT pl.id AS placement_id, e.id AS episode_id, p.id AS patient_id, p.name, p.sex, p.birth_date, p.age_years,
              w.id AS ward_id, w.name AS ward_name, pl.start_at, e.admitted_at, s.current_class, s.proposed_class, s.flag_count
       FROM ward w JOIN placement pl ON pl.ward_id = w.id AND pl.end_at IS NULL AND pl.bed_id IS NULL
       JOIN episode e ON e.id = pl.episode_id AND e.status = 'active' JOIN patient p ON p.id = e.patient_id
       LEFT JOIN episode_state s ON s.episode_id = e.id
       WHERE w.facility_id = ? ORDER BY pl.start_at, pl.id`,
    )
    .all(facilityId)
    .map((r) => ({
      placementId: r.placement_id,
      episodeId: r.episode_id,
      patientId: r.patient_id,
      name: r.name,
      sex: r.sex,
      ageYears: currentAge(r, ctx.now, tz),
      wardId: r.ward_id,
      wardName: r.ward_name,
      waitingSince: r.start_at,
      admittedAt: r.admitted_at,
      currentClass: r.current_class,
      proposedClass: r.proposed_class,
      flagCount: r.flag_count ?? 0,
    }));
}
