import { AppError } from '../../../shared/errors';
import type { SystemCancelReason, Transfer } from '../../../shared/api/transfers';
import type { Ctx } from '../context';
import { bedById, bedNotFree, changeBedState, movePlacement, openPlacement } from '../beds/moves';
import { getTransfer, openTransferOf } from './repo';

interface RequestRow {
  id: number;
  episode_id: number;
  patient_id: number;
  status: Transfer['status'];
  to_facility_id: number;
  to_ward_id: number | null;
  to_bed_id: number | null;
}

function requestRow(ctx: Ctx, transferId: number): RequestRow {
  const row = ctx
    .stmt<[number], RequestRow>(
      `SELECT t.id, t.episode_id, e.patient_id, t.status, t.to_facility_id, t.to_ward_id, t.to_bed_id
       FROM transfer_request t JOIN episode e ON e.id = t.episode_id WHERE t.id = ?`,
    )
    .get(transferId);
  if (!row) throw new AppError('NOT_FOUND', `transfer ${transferId} not found`, { key: 'transfer.not_found' });
  return row;
}

function requireOpen(row: RequestRow): void {
  if (row.status !== 'requested' && row.status !== 'bed_assigned') {
    throw new AppError('RULE_VIOLATION', `transfer ${row.id} is ${row.status}`, { key: 'transfer.not_open', params: { status: row.status } });
  }
}

/** SQLite errors are recognised by their code, never by message text. */
function isUniqueViolation(err: unknown): boolean {
  return (err as { code?: unknown }).code === 'SQLITE_CONSTRAINT_UNIQUE';
}

export interface NewTransfer {
  episodeId: number;
  toFacilityId: number;
  toWardId?: number | null;
  reason: string;
  reviewId?: number | null;
}

/** Opens a request; a second open request for the same episode is refused by the unique index. */
export function requestTransfer(ctx: Ctx, input: NewTransfer): number {
  const from = openPlacement(ctx, input.episodeId);
  const facility = ctx.stmt<[number], { id: number }>('SELECT id FROM facility WHERE id = ?').get(input.toFacilityId);
  if (!facility) throw AppError.field('toFacilityId', 'transfer.facility_not_found');
  const toWardId = input.toWardId ?? null;
  if (toWardId !== null) {
    const ward = ctx.stmt<[number], { facility_id: number }>('SELECT facility_id FROM ward WHERE id = ?').get(toWardId);
    if (!ward || ward.facility_id !== input.toFacilityId) throw AppError.field('toWardId', 'transfer.ward_not_in_facility');
    if (toWardId === from.ward_id) throw AppError.field('toWardId', 'transfer.same_ward');
  } else if (input.toFacilityId === from.facility_id) {
    // Within one facility the request must say which ward; otherwise it would not move the patient anywhere.
    throw AppError.field('toWardId', 'transfer.ward_required_same_facility');
  }
  let id: number;
  try {
    id = Number(
      ctx
        .stmt(
          `INSERT INTO transfer_request (episode_id, status, requested_at, requested_by, reason, review_id, from_placement_id, to_facility_id, to_ward_id)
           VALUES (?, 'requested', ?, ?, ?, ?, ?, ?, ?)`,
        )
        .run(input.episodeId, ctx.now, ctx.actor.id, input.reason, input.reviewId ?? null, from.id, input.toFacilityId, toWardId).lastInsertRowid,
    );
  } catch (err) {
    if (!isUniqueViolation(err)) throw err;
    const open = openTransferOf(ctx, input.episodeId);
    throw new AppError('CONFLICT', `episode ${input.episodeId} already has an open transfer request`, {
      key: 'transfer.already_open',
      ...(open ? { transferId: open.id } : {}),
    });
  }
  ctx.audit({
    action: 'transfer.request',
    entity: 'transfer_request',
    entityId: id,
    patientId: from.patient_id,
    after: { status: 'requested', fromPlacementId: from.id, toFacilityId: input.toFacilityId, toWardId, reviewId: input.reviewId ?? null },
    reason: input.reason,
  });
  return id;
}

/** Reserves a free bed of the receiving facility; assigning another bed releases the first. */
export function assignBed(ctx: Ctx, transferId: number, bedId: number): void {
  const t = requestRow(ctx, transferId);
  requireOpen(t);
  const bed = bedById(ctx, bedId);
  if (bed.facility_id !== t.to_facility_id) throw AppError.field('bedId', 'transfer.bed_not_in_facility');
  if (t.to_bed_id === bed.id) throw AppError.field('bedId', 'transfer.bed_already_assigned');
  if (bed.state !== 'free') throw bedNotFree(ctx, bed);
  if (t.to_bed_id !== null) changeBedState(ctx, bedById(ctx, t.to_bed_id), 'reserved', 'free', t.patient_id, 'transfer.bed_reassigned');
  changeBedState(ctx, bed, 'free', 'reserved', t.patient_id);
  ctx
    .stmt(`UPDATE transfer_request SET status = 'bed_assigned', to_ward_id = ?, to_bed_id = ?, assigned_at = ?, assigned_by = ? WHERE id = ?`)
    .run(bed.ward_id, bed.id, ctx.now, ctx.actor.id, t.id);
  ctx.audit({
    action: 'transfer.assign_bed',
    entity: 'transfer_request',
    entityId: t.id,
    patientId: t.patient_id,
    before: { status: t.status, toWardId: t.to_ward_id, toBedId: t.to_bed_id },
    after: { status: 'bed_assigned', toWardId: bed.ward_id, toBedId: bed.id },
  });
}

/**
 * The patient has arrived. Same episode: the open placement ends and a new one begins in the reserved
 * bed ('transfer' between facilities, 'move' within one, so reports never count a ward move as a
 * transfer in or out); the old bed needs cleaning, the new one is occupied.
 */
export function completeTransfer(ctx: Ctx, transferId: number, options: { refresh: boolean } = { refresh: true }): void {
  const t = requestRow(ctx, transferId);
  requireOpen(t);
  if (t.status !== 'bed_assigned' || t.to_bed_id === null || t.to_ward_id === null) {
    throw new AppError('RULE_VIOLATION', `transfer ${t.id} has no bed yet`, { key: 'transfer.no_bed' });
  }
  const from = openPlacement(ctx, t.episode_id);
  const toBed = bedById(ctx, t.to_bed_id);
  const beganBy = from.facility_id === t.to_facility_id ? 'move' : 'transfer';
  const placementId = movePlacement(ctx, from, { wardId: t.to_ward_id, bedId: toBed.id }, beganBy, { action: beganBy === 'transfer' ? 'episode.transfer' : 'episode.move' });
  if (from.bed_id !== null) changeBedState(ctx, bedById(ctx, from.bed_id), 'occupied', 'cleaning', t.patient_id);
  changeBedState(ctx, toBed, 'reserved', 'occupied', t.patient_id);
  ctx.stmt(`UPDATE transfer_request SET status = 'completed', completed_at = ?, completed_by = ? WHERE id = ?`).run(ctx.now, ctx.actor.id, t.id);
  ctx.audit({
    action: 'transfer.complete',
    entity: 'transfer_request',
    entityId: t.id,
    patientId: t.patient_id,
    before: { status: t.status, placementId: from.id },
    after: { status: 'completed', placementId },
  });
  // Dispatch stores the touched episode's state; a generator writing a whole history (the demo) refreshes every episode once at the end instead.
  if (options.refresh) ctx.touchEpisode(t.episode_id);
}

/** Cancels an open request; a bed reserved for it becomes free again. */
export function cancelTransfer(ctx: Ctx, transferId: number, reason: string): void {
  const t = requestRow(ctx, transferId);
  requireOpen(t);
  if (t.to_bed_id !== null) changeBedState(ctx, bedById(ctx, t.to_bed_id), 'reserved', 'free', t.patient_id, reason);
  ctx.stmt(`UPDATE transfer_request SET status = 'cancelled', cancelled_at = ?, cancelled_by = ?, cancel_reason = ? WHERE id = ?`).run(ctx.now, ctx.actor.id, reason, t.id);
  ctx.audit({
    action: 'transfer.cancel',
    entity: 'transfer_request',
    entityId: t.id,
    patientId: t.patient_id,
    before: { status: t.status, toBedId: t.to_bed_id },
    after: { status: 'cancelled' },
    reason,
  });
}

/**
 * For the discharge handler (and any other end of stay): closes the episode's open request, if any,
 * with a system reason ('discharged', 'deceased'), releasing a reserved bed, in the caller's
 * transaction. Returns the id of the request it closed, or null when none was open.
 */
export function closeOpenTransfer(ctx: Ctx, episodeId: number, reasonKey: SystemCancelReason): number | null {
  const open = openTransferOf(ctx, episodeId);
  if (!open) return null;
  cancelTransfer(ctx, open.id, reasonKey);
  return open.id;
}

export { getTransfer };
