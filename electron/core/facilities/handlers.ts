import { AppError } from '../../../shared/errors';
import type { DomainHandlers } from '../context';
import type { Facility, Bed } from '../../../shared/api/facilities';
import { dayOfStay } from '../../../shared/domain/time';
import { currentAge } from '../patients/repo';
import { settingsOf } from '../settings/settings';
import { pendingEscalationsOfWard } from '../rounds/escalation';

interface WardRow {
  id: number;
  facility_id: number;
  code: string;
  name: string;
  kind: Facility['wards'][number]['kind'];
  beds: number;
  occupied: number;
  free: number;
}

interface BoardRow {
  id: number;
  label: string;
  state: Bed['state'];
  tags: string;
  version: number;
  patient_id: number | null;
  episode_id: number | null;
  name: string | null;
  sex: 'M' | 'F' | null;
  birth_date: string | null;
  age_years: number | null;
  admitted_at: string | null;
  current_class: string | null;
  proposed_class: string | null;
  current_tier: string | null;
  news2_total: number | null;
  news2_band: string | null;
  news2_complete: 0 | 1 | null;
  flags: string | null;
  next_obs_due_at: string | null;
  urgency: number | null;
  antiviral_window_ends_at: string | null;
}

type Occupant = NonNullable<Bed['occupant']>;

/** Severity columns of the board, from episode_state (kept current by every clinical write). */
function boardState(
  r: BoardRow,
  now: string,
): Pick<Occupant, 'currentClass' | 'proposedClass' | 'tier' | 'news2Total' | 'news2Band' | 'news2Complete' | 'flags' | 'nextObsDueAt' | 'overdue' | 'urgency'> {
  return {
    currentClass: r.current_class as Occupant['currentClass'],
    proposedClass: r.proposed_class as Occupant['proposedClass'],
    tier: r.current_tier as Occupant['tier'],
    news2Total: r.news2_total,
    news2Band: r.news2_band as Occupant['news2Band'],
    news2Complete: r.news2_complete === null ? null : r.news2_complete === 1,
    // The antiviral flag lapses with its 5-day window, which no write marks (issue 19): the stored flags still hold it.
    flags: r.flags
      ? (JSON.parse(r.flags) as { code: Occupant['flags'][number] }[])
          .map((f) => f.code)
          .filter((c) => c !== 'antiviral_eligible' || r.antiviral_window_ends_at === null || r.antiviral_window_ends_at > now)
      : [],
    nextObsDueAt: r.next_obs_due_at,
    overdue: r.next_obs_due_at !== null && r.next_obs_due_at < now,
    urgency: r.urgency ?? 0,
  };
}

export const facilityHandlers: DomainHandlers<'facilities'> = {
  list(ctx) {
    const facilities = ctx.stmt<[], Omit<Facility, 'wards'>>('SELECT id, code, name, kind FROM facility ORDER BY sort, id').all();
    const wards = ctx
      .stmt<[], WardRow>(
        `SELECT w.id, w.facility_id, w.code, w.name, w.kind,
                count(b.id) AS beds,
                count(b.id) FILTER (WHERE b.state = 'occupied') AS occupied,
                count(b.id) FILTER (WHERE b.state = 'free') AS free
         FROM ward w LEFT JOIN bed b ON b.ward_id = w.id
         GROUP BY w.id ORDER BY w.facility_id, w.sort, w.id`,
      )
      .all();
    return facilities.map((f) => ({
      ...f,
      wards: wards.filter((w) => w.facility_id === f.id).map(({ facility_id: _f, ...w }) => w),
    }));
  },
};

export const wardHandlers: DomainHandlers<'wards'> = {
  board(ctx, { wardId }) {
    const ward = ctx
      .stmt<[number], { id: number; name: string; kind: Facility['wards'][number]['kind']; facilityId: number; facilityName: string; facilityKind: Facility['kind'] }>(
        `SELECT w.id, w.name, w.kind, f.id AS facilityId, f.name AS facilityName, f.kind AS facilityKind
         FROM ward w JOIN facility f ON f.id = w.facility_id WHERE w.id = ?`,
      )
      .get(wardId);
    if (!ward) throw new AppError('NOT_FOUND', `ward ${wardId} not found`, { key: 'error.ward_not_found' });
    const tz = settingsOf(ctx).timeZone;
    const rows = ctx
      .stmt<[number], BoardRow>(
        `SELECT b.id, b.label, b.state, b.tags, b.version,
                p.id AS patient_id, e.id AS episode_id, p.name, p.sex, p.birth_date, p.age_years, e.admitted_at,
                es.current_class, es.proposed_class, es.current_tier, es.news2_total, es.news2_band, es.news2_complete, es.flags,
                es.next_obs_due_at, es.urgency, es.antiviral_window_ends_at
         FROM bed b
         LEFT JOIN placement pl ON pl.bed_id = b.id AND pl.end_at IS NULL
         LEFT JOIN episode e ON e.id = pl.episode_id
         LEFT JOIN patient p ON p.id = e.patient_id
         LEFT JOIN episode_state es ON es.episode_id = e.id
         WHERE b.ward_id = ?
         ORDER BY b.sort, b.id`,
      )
      .all(wardId);
    const escalations = pendingEscalationsOfWard(ctx, wardId);
    return {
      ward,
      beds: rows.map((r) => ({
        id: r.id,
        label: r.label,
        state: r.state,
        tags: JSON.parse(r.tags) as Bed['tags'],
        version: r.version,
        occupant:
          r.patient_id !== null && r.episode_id !== null && r.name !== null && r.sex !== null && r.admitted_at !== null
            ? {
                patientId: r.patient_id,
                episodeId: r.episode_id,
                name: r.name,
                sex: r.sex,
                ageYears: currentAge(r, ctx.now, tz),
                admittedAt: r.admitted_at,
                dayOfStay: dayOfStay(r.admitted_at, ctx.now, tz),
                ...boardState(r, ctx.now),
                escalation: escalations.get(r.episode_id) ?? null,
              }
            : null,
      })),
    };
  },
};
