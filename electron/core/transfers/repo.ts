import { AppError } from '../../../shared/errors';
import type { Transfer } from '../../../shared/api/transfers';
import type { Ctx } from '../context';

interface TransferRow {
  id: number;
  episode_id: number;
  patient_id: number;
  status: Transfer['status'];
  reason: string;
  review_id: number | null;
  requested_at: string;
  requested_by: string;
  from_facility_id: number;
  from_facility_name: string;
  from_facility_kind: Transfer['from']['facility']['kind'];
  from_ward_id: number;
  from_ward_name: string;
  from_bed_label: string | null;
  to_facility_id: number;
  to_facility_name: string;
  to_facility_kind: Transfer['to']['facility']['kind'];
  to_ward_id: number | null;
  to_ward_name: string | null;
  to_bed_id: number | null;
  to_bed_label: string | null;
  assigned_at: string | null;
  assigned_by: string | null;
  completed_at: string | null;
  completed_by: string | null;
  cancelled_at: string | null;
  cancelled_by: string | null;
  cancel_reason: string | null;
  version: number;
}

/**
 * "From" is where the patient is now while the request is open (a bed swap after the request must
 * not show the old bed), and the placement the request was made from once it is closed.
 */
export const TRANSFER_SELECT = `
SELECT t.id, t.episode_id, e.patient_id, t.status, t.reason, t.review_id, t.requested_at, ru.display_name AS requested_by,
       ff.id AS from_facility_id, ff.name AS from_facility_name, ff.kind AS from_facility_kind,
       fw.id AS from_ward_id, fw.name AS from_ward_name, fb.label AS from_bed_label,
       tf.id AS to_facility_id, tf.name AS to_facility_name, tf.kind AS to_facility_kind,
       tw.id AS to_ward_id, tw.name AS to_ward_name, tb.id AS to_bed_id, tb.label AS to_bed_label,
       t.assigned_at, au.display_name AS assigned_by, t.completed_at, cu.display_name AS completed_by,
       t.cancelled_at, xu.display_name AS cancelled_by, t.cancel_reason, t.version
FROM transfer_request t
JOIN episode e ON e.id = t.episode_id
JOIN placement fp ON fp.id = CASE WHEN t.status IN ('requested', 'bed_assigned')
  THEN coalesce((SELECT op.id FROM placement op WHERE op.episode_id = t.episode_id AND op.end_at IS NULL), t.from_placement_id)
  ELSE t.from_placement_id END
JOIN ward fw ON fw.id = fp.ward_id
JOIN facility ff ON ff.id = fw.facility_id
LEFT JOIN bed fb ON fb.id = fp.bed_id
JOIN facility tf ON tf.id = t.to_facility_id
LEFT JOIN ward tw ON tw.id = t.to_ward_id
LEFT JOIN bed tb ON tb.id = t.to_bed_id
JOIN app_user ru ON ru.id = t.requested_by
LEFT JOIN app_user au ON au.id = t.assigned_by
LEFT JOIN app_user cu ON cu.id = t.completed_by
LEFT JOIN app_user xu ON xu.id = t.cancelled_by`;

export function toTransfer(r: TransferRow): Transfer {
  return {
    id: r.id,
    episodeId: r.episode_id,
    patientId: r.patient_id,
    status: r.status,
    reason: r.reason,
    reviewId: r.review_id,
    requestedAt: r.requested_at,
    requestedBy: r.requested_by,
    from: {
      facility: { id: r.from_facility_id, name: r.from_facility_name, kind: r.from_facility_kind },
      ward: { id: r.from_ward_id, name: r.from_ward_name },
      bedLabel: r.from_bed_label,
    },
    to: {
      facility: { id: r.to_facility_id, name: r.to_facility_name, kind: r.to_facility_kind },
      ward: r.to_ward_id !== null && r.to_ward_name !== null ? { id: r.to_ward_id, name: r.to_ward_name } : null,
      bed: r.to_bed_id !== null && r.to_bed_label !== null ? { id: r.to_bed_id, name: r.to_bed_label } : null,
    },
    assignedAt: r.assigned_at,
    assignedBy: r.assigned_by,
    completedAt: r.completed_at,
    completedBy: r.completed_by,
    cancelledAt: r.cancelled_at,
    cancelledBy: r.cancelled_by,
    cancelReason: r.cancel_reason,
    version: r.version,
  };
}

export function getTransfer(ctx: Ctx, id: number): Transfer {
  const row = ctx.stmt<[number], TransferRow>(`${TRANSFER_SELECT} WHERE t.id = ?`).get(id);
  if (!row) throw new AppError('NOT_FOUND', `transfer ${id} not found`, { key: 'transfer.not_found' });
  return toTransfer(row);
}

export function transfersOfEpisode(ctx: Ctx, episodeId: number): Transfer[] {
  return ctx.stmt<[number], TransferRow>(`${TRANSFER_SELECT} WHERE t.episode_id = ? ORDER BY t.requested_at DESC, t.id DESC`).all(episodeId).map(toTransfer);
}

/** Open requests (requested / bed assigned) towards a facility, oldest first. */
export function openTransfersTo(ctx: Ctx, facilityId: number): Transfer[] {
  return ctx
    .stmt<[number], TransferRow>(`${TRANSFER_SELECT} WHERE t.to_facility_id = ? AND t.status IN ('requested', 'bed_assigned') ORDER BY t.requested_at, t.id`)
    .all(facilityId)
    .map(toTransfer);
}

/** Every open request of the network (a handful at any time), by episode: one query for a whole list. */
export function openTransfersByEpisode(ctx: Ctx): Map<number, Transfer> {
  const rows = ctx.stmt<[], TransferRow>(`${TRANSFER_SELECT} WHERE t.status IN ('requested', 'bed_assigned')`).all();
  return new Map(rows.map((r) => [r.episode_id, toTransfer(r)]));
}

/** The episode's open request, if any: at most one (unique index transfer_one_open). */
export function openTransferOf(ctx: Ctx, episodeId: number): Transfer | null {
  const row = ctx.stmt<[number], TransferRow>(`${TRANSFER_SELECT} WHERE t.episode_id = ? AND t.status IN ('requested', 'bed_assigned')`).get(episodeId);
  return row ? toTransfer(row) : null;
}
