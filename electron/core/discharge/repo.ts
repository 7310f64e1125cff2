import type { ClinicalClass } from '../../../shared/clinical';
import type { Ctx } from '../context';
import type { DischargeCondition, DischargeRecord, EpisodeHeader } from '../../../shared/api/discharge';
import type { ReleaseCheck } from '../../../shared/clinical';
import type { DischargeDisposition } from '../../../shared/domain/clinical';
import { maskIdCard } from '../../../shared/domain/idcard';
import { lengthOfStayDays } from '../../../shared/domain/time';
import { AppError } from '../../../shared/errors';
import { currentAge, type PatientIdentity } from '../patients/repo';
import { settingsOf } from '../settings/settings';
import { currentRow } from '../clinical/current';
import type { SignedMetaRow } from '../records/signed';

interface HeaderRow extends PatientIdentity {
  id_card: string | null;
  admitted_at: string;
  ended_at: string | null;
  status: 'active' | 'discharged' | 'deceased';
  placement_id: number | null;
  placement_start: string | null;
  bed_id: number | null;
  facility_id: number | null;
  facility_name: string | null;
  facility_kind: 'designated' | 'fangcang' | 'isolation' | null;
  ward_name: string | null;
  bed_label: string | null;
  current_class: ClinicalClass | null;
}

/** The episode with its current placement (or, once ended, its last one) and its current class. */
export function loadHeader(ctx: Ctx, episodeId: number): { header: EpisodeHeader; placementId: number | null; placementStart: string | null; bedId: number | null } {
  const row = ctx
    .stmt<[number], HeaderRow>(
      `SELECT e.id AS episode_id, p.id AS patient_id, p.name, p.sex, p.birth_date, p.age_years, p.id_card, e.admitted_at, e.ended_at, e.status,
              pl.id AS placement_id, pl.start_at AS placement_start, pl.bed_id, f.id AS facility_id, f.name AS facility_name, f.kind AS facility_kind,
              w.name AS ward_name, b.label AS bed_label,
              (SELECT c.class FROM class_assessment c WHERE c.episode_id = e.id AND ${currentRow('class_assessment', 'c')}
               ORDER BY c.assessed_at DESC, c.id DESC LIMIT 1) AS current_class
       FROM episode e JOIN patient p ON p.id = e.patient_id
       LEFT JOIN placement pl ON pl.id = (SELECT p2.id FROM placement p2 WHERE p2.episode_id = e.id ORDER BY p2.end_at IS NULL DESC, p2.start_at DESC, p2.id DESC LIMIT 1)
       LEFT JOIN ward w ON w.id = pl.ward_id LEFT JOIN facility f ON f.id = w.facility_id LEFT JOIN bed b ON b.id = pl.bed_id
       WHERE e.id = ?`,
    )
    .get(episodeId);
  if (!row) throw new AppError('NOT_FOUND', `episode ${episodeId} not found`, { key: 'error.episode_not_found' });
  const tz = settingsOf(ctx).timeZone;
  return {
    placementId: row.placement_id,
    placementStart: row.placement_start,
    bedId: row.bed_id,
    header: {
      episodeId: row.episode_id,
      patientId: row.patient_id,
      name: row.name,
      sex: row.sex,
      ageYears: currentAge(row, ctx.now, tz),
      idCardMasked: maskIdCard(row.id_card),
      admittedAt: row.admitted_at,
      lengthOfStayDays: lengthOfStayDays(row.admitted_at, row.ended_at ?? ctx.now, tz),
      status: row.status,
      endedAt: row.ended_at,
      facilityId: row.facility_id,
      facilityName: row.facility_name,
      facilityKind: row.facility_kind,
      wardName: row.ward_name,
      bedLabel: row.bed_label,
      currentClass: row.current_class ?? 'unassessed',
    },
  };
}

/** What discharge.criteria holds: the check that was shown, the instant it was evaluated at, and when the criteria were met. */
export interface StoredCriteria {
  check: ReleaseCheck;
  evaluatedAt: string;
  criteriaMetAt: string | null;
}

/** A discharge is signed like the clinical records (its correction chain has no status column). */
export interface DischargeRow extends Omit<SignedMetaRow, 'status'> {
  episode_id: number;
  discharged_at: string;
  disposition: DischargeDisposition;
  criteria: string;
  override_reason: string | null;
  condition: string | null;
  summary: string | null;
  follow_up: string | null;
}

export const DISCHARGE_COLUMNS = `d.id, d.episode_id, d.discharged_at, d.disposition, d.criteria, d.override_reason, d.condition, d.summary, d.follow_up,
  d.entered_at, d.author_id, u.display_name AS author_name, d.entry_kind, d.supersedes_id, d.reason`;

export function toRecord(r: DischargeRow): DischargeRecord {
  const criteria = JSON.parse(r.criteria) as StoredCriteria;
  const condition = r.condition ? (JSON.parse(r.condition) as { code: DischargeCondition; note: string | null }) : { code: 'other' as const, note: null };
  const followUp = r.follow_up ? (JSON.parse(r.follow_up) as { homeMonitoringDays: number; note: string | null }) : { homeMonitoringDays: 7, note: null };
  return {
    id: r.id,
    episodeId: r.episode_id,
    dischargedAt: r.discharged_at,
    disposition: r.disposition,
    condition: condition.code,
    conditionNote: condition.note,
    followUpDays: followUp.homeMonitoringDays,
    followUpNote: followUp.note,
    overrideReason: r.override_reason,
    summary: r.summary,
    check: criteria.check,
    criteriaMetAt: criteria.criteriaMetAt,
    enteredAt: r.entered_at,
    authorName: r.author_name,
    entryKind: r.entry_kind,
    reason: r.reason,
    supersedesId: r.supersedes_id,
  };
}

/** Every version of an episode's discharge, newest first; the first is the current one. */
export function dischargeHistory(ctx: Ctx, episodeId: number): DischargeRecord[] {
  return ctx
    .stmt<[number], DischargeRow>(`SELECT ${DISCHARGE_COLUMNS} FROM discharge d JOIN app_user u ON u.id = d.author_id WHERE d.episode_id = ? ORDER BY d.id DESC`)
    .all(episodeId)
    .map(toRecord);
}

export function currentDischarge(ctx: Ctx, episodeId: number): DischargeRecord | null {
  const row = ctx
    .stmt<[number], DischargeRow>(
      `SELECT ${DISCHARGE_COLUMNS} FROM discharge d JOIN app_user u ON u.id = d.author_id
       WHERE d.episode_id = ? AND ${currentRow('discharge', 'd')} ORDER BY d.id DESC LIMIT 1`,
    )
    .get(episodeId);
  return row ? toRecord(row) : null;
}
