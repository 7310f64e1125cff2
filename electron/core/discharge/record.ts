import type { Ctx } from '../context';
import type { DischargeCondition } from '../../../shared/api/discharge';
import { HOME_MONITORING_DAYS, type ReleaseCheck } from '../../../shared/clinical';
import type { DischargeDisposition } from '../../../shared/domain/clinical';
import { AppError } from '../../../shared/errors';
import { closeOpenTransfer } from '../transfers/service';
import { assertNothingRecordedAfter } from './backdate';
import { criteriaMetAt, evaluateRelease, loadOne, type ReleaseData } from './release';
import { DISCHARGE_COLUMNS, loadHeader, type DischargeRow, type StoredCriteria } from './repo';
import { changeParams } from '../records/versions';

/** What a discharge says, as first signed and as amended. */
export interface DischargeDetails {
  disposition: DischargeDisposition;
  condition: DischargeCondition;
  conditionNote: string | null;
  followUpNote: string | null;
  overrideReason: string | null;
  summary: string | null;
}

export interface DischargeArgs extends DischargeDetails {
  episodeId: number;
  dischargedAt: string;
  /** Criteria statuses the user saw; null skips the comparison (the demo generator). */
  shown: readonly { code: string; status: string }[] | null;
  authorId: number;
  /** Write the audit rows (every user action does; the demo writes one row for the whole network). */
  audit: boolean;
  /** Touch the episode so dispatch stores its state anew (every user action does; the demo generator skips it for ended episodes). */
  refresh?: boolean;
  /** The episode's release inputs when the caller already loaded them (the demo generator). */
  data?: ReleaseData;
}

/** An unmet (or unknown) criterion needs a recorded reason, except for a death, where the criteria do not apply. */
export function needsOverride(check: ReleaseCheck, disposition: DischargeDisposition): boolean {
  return disposition !== 'deceased' && check.criteria.some((c) => c.status !== 'met');
}

/** The episode's status once discharged with this disposition. */
const statusAfter = (disposition: DischargeDisposition) => (disposition === 'deceased' ? 'deceased' : 'discharged');

const conditionJson = (code: DischargeCondition, note: string | null) => JSON.stringify({ code, note });
const followUpJson = (note: string | null) => JSON.stringify({ homeMonitoringDays: HOME_MONITORING_DAYS, note });

/**
 * Discharges one episode in the caller's transaction: the criteria checked at the discharge time and
 * stored as shown, the override reason enforced, the open placement ended, the episode closed
 * (discharged or deceased), the bed set to cleaning, an open transfer request closed, and the derived
 * state refreshed.
 */
export function applyDischarge(ctx: Ctx, a: DischargeArgs): { dischargeId: number; status: 'discharged' | 'deceased'; bedId: number | null } {
  const { header, placementId, placementStart, bedId } = loadHeader(ctx, a.episodeId);
  if (header.status !== 'active') throw new AppError('CONFLICT', 'episode already ended', { key: 'discharge.not_active' });
  const open = placementId !== null && ctx.stmt<[number], { end_at: string | null }>('SELECT end_at FROM placement WHERE id = ?').get(placementId)?.end_at === null;
  if (!open || placementStart === null) throw new AppError('CONFLICT', 'episode has no open placement', { key: 'discharge.no_placement' });
  if (a.dischargedAt > ctx.now) throw AppError.field('dischargedAt', 'validation.future');
  if (a.dischargedAt < placementStart) throw AppError.field('dischargedAt', 'discharge.before_placement');
  assertNothingRecordedAfter(ctx, a.episodeId, a.dischargedAt);

  const data = a.data ?? loadOne(ctx, a.episodeId);
  if (!data) throw new AppError('NOT_FOUND', `episode ${a.episodeId} has no placement`, { key: 'discharge.no_placement' });
  const check = evaluateRelease(data, a.dischargedAt);
  if (a.shown) {
    const seen = new Map(a.shown.map((s) => [s.code, s.status]));
    const changed = check.criteria.length !== a.shown.length || check.criteria.some((c) => seen.get(c.code) !== c.status);
    if (changed) throw new AppError('CONFLICT', 'the criteria changed since they were shown', { key: 'discharge.criteria_changed' });
  }
  if (needsOverride(check, a.disposition) && !a.overrideReason) throw AppError.field('overrideReason', 'release.override_reason_required');

  const stored: StoredCriteria = { check, evaluatedAt: a.dischargedAt, criteriaMetAt: criteriaMetAt(check) };
  const dischargeId = insertDischarge(ctx, {
    episodeId: a.episodeId,
    dischargedAt: a.dischargedAt,
    criteria: JSON.stringify(stored),
    criteriaMetAt: stored.criteriaMetAt,
    details: a,
    authorId: a.authorId,
    amends: null,
  });
  const status = statusAfter(a.disposition);
  ctx.stmt('UPDATE placement SET end_at = ? WHERE id = ? AND end_at IS NULL').run(a.dischargedAt, placementId);
  ctx.stmt(`UPDATE episode SET status = ?, ended_at = ? WHERE id = ? AND status = 'active'`).run(status, a.dischargedAt, a.episodeId);
  const bedBefore = bedId === null ? undefined : ctx.stmt<[number], { state: string }>('SELECT state FROM bed WHERE id = ?').get(bedId)?.state;
  if (bedId !== null) ctx.stmt(`UPDATE bed SET state = 'cleaning' WHERE id = ?`).run(bedId);
  // DESIGN.md §3: an open transfer request is closed on discharge or death (the panel's own cancel, with its audit).
  closeOpenTransfer(ctx, a.episodeId, status === 'deceased' ? 'deceased' : 'discharged');
  if (a.refresh !== false) ctx.touchEpisode(a.episodeId);

  if (a.audit) {
    const patientId = header.patientId;
    ctx.audit({
      action: 'discharge.record',
      entity: 'discharge',
      entityId: dischargeId,
      patientId,
      after: {
        dischargedAt: a.dischargedAt,
        disposition: a.disposition,
        condition: a.condition,
        eligible: check.eligible,
        unmet: check.criteria.filter((c) => c.status !== 'met').map((c) => c.code),
      },
      reason: a.overrideReason,
    });
    ctx.audit({
      action: 'episode.end',
      entity: 'episode',
      entityId: a.episodeId,
      patientId,
      before: { status: 'active', endedAt: null },
      after: { status, endedAt: a.dischargedAt },
    });
    ctx.audit({ action: 'placement.end', entity: 'placement', entityId: placementId, patientId, before: { endAt: null }, after: { endAt: a.dischargedAt } });
    if (bedId !== null) ctx.audit({ action: 'bed.state', entity: 'bed', entityId: bedId, patientId, before: { state: bedBefore ?? null }, after: { state: 'cleaning' } });
  }
  return { dischargeId, status, bedId };
}

export interface AmendArgs extends DischargeDetails {
  dischargeId: number;
  reason: string;
}

/**
 * The refusal of an amendment made against a discharge row that is no longer the head of its chain:
 * who signed the newest row of the episode's discharge and when (params by, at, when), and its id.
 */
function staleDischarge(ctx: Ctx, old: DischargeRow): AppError {
  const head = ctx
    .stmt<[number], { id: number; by: string; at: string }>(
      'SELECT d.id, u.display_name AS by, d.entered_at AS at FROM discharge d JOIN app_user u ON u.id = d.author_id WHERE d.episode_id = ? ORDER BY d.id DESC LIMIT 1',
    )
    .get(old.episode_id) ?? { id: old.id, by: old.author_name, at: old.entered_at };
  return new AppError('CONFLICT', `discharge ${old.id} is not the current version`, {
    key: 'discharge.superseded',
    params: changeParams(ctx, head),
    currentId: head.id,
  });
}

/** One signed discharge row: the first, or an amendment that supersedes `amends.id` with its reason. */
function insertDischarge(
  ctx: Ctx,
  r: {
    episodeId: number;
    dischargedAt: string;
    criteria: string;
    criteriaMetAt: string | null;
    details: DischargeDetails;
    authorId: number;
    amends: { id: number; reason: string } | null;
  },
): number {
  const d = r.details;
  return Number(
    ctx
      .stmt(
        `INSERT INTO discharge (episode_id, discharged_at, disposition, criteria, criteria_met_at, override_reason, condition, summary, follow_up, entered_at, author_id, entry_kind, supersedes_id, reason)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        r.episodeId,
        r.dischargedAt,
        d.disposition,
        r.criteria,
        r.criteriaMetAt,
        d.overrideReason,
        conditionJson(d.condition, d.conditionNote),
        d.summary,
        followUpJson(d.followUpNote),
        ctx.now,
        r.authorId,
        r.amends ? 'amendment' : 'original',
        r.amends?.id ?? null,
        r.amends?.reason ?? null,
      ).lastInsertRowid,
  );
}

/**
 * A correction of a signed discharge: a new row superseding the current one, with a reason. The time
 * and the criteria snapshot stay those of the discharge (the placement history is immutable); a change
 * between death and discharge updates the episode's status.
 */
export function amendDischarge(ctx: Ctx, a: AmendArgs): { dischargeId: number; episodeId: number; status: 'discharged' | 'deceased'; bedId: number | null } {
  const old = ctx.stmt<[number], DischargeRow>(`SELECT ${DISCHARGE_COLUMNS} FROM discharge d JOIN app_user u ON u.id = d.author_id WHERE d.id = ?`).get(a.dischargeId);
  if (!old) throw new AppError('NOT_FOUND', `discharge ${a.dischargeId} not found`, { key: 'discharge.not_found' });
  const superseded = ctx.stmt<[number], { id: number }>('SELECT id FROM discharge WHERE supersedes_id = ?').get(a.dischargeId);
  if (superseded || old.entry_kind === 'entered_in_error') throw staleDischarge(ctx, old);
  const stored = JSON.parse(old.criteria) as StoredCriteria;
  if (needsOverride(stored.check, a.disposition) && !a.overrideReason) throw AppError.field('overrideReason', 'release.override_reason_required');

  const id = insertDischarge(ctx, {
    episodeId: old.episode_id,
    dischargedAt: old.discharged_at,
    criteria: old.criteria,
    criteriaMetAt: stored.criteriaMetAt,
    details: a,
    authorId: ctx.actor.id,
    amends: { id: old.id, reason: a.reason },
  });
  const before = statusAfter(old.disposition);
  const status = statusAfter(a.disposition);
  const patientId = ctx.stmt<[number], { patient_id: number }>('SELECT patient_id FROM episode WHERE id = ?').get(old.episode_id)?.patient_id ?? null;
  ctx.audit({
    action: 'discharge.amend',
    entity: 'discharge',
    entityId: id,
    patientId,
    before: { id: old.id, disposition: old.disposition, condition: old.condition, overrideReason: old.override_reason },
    after: { id, disposition: a.disposition, condition: a.condition, overrideReason: a.overrideReason },
    reason: a.reason,
  });
  if (status !== before) {
    ctx.stmt('UPDATE episode SET status = ? WHERE id = ?').run(status, old.episode_id);
    ctx.audit({ action: 'episode.status', entity: 'episode', entityId: old.episode_id, patientId, before: { status: before }, after: { status }, reason: a.reason });
  }
  ctx.touchEpisode(old.episode_id);
  return { dischargeId: id, episodeId: old.episode_id, status, bedId: null };
}
