import type { Ctx } from '../context';

/**
 * DESIGN.md §3: an open transfer request is closed automatically on discharge or death. Cancelled
 * with the reason key (translated where it is shown); a bed reserved for it is freed again.
 */
export function closeTransferOnDischarge(ctx: Ctx, episodeId: number, reasonKey: string, actorId: number, audit: boolean, patientId: number): void {
  const open = ctx
    .stmt<[number], { id: number; status: string; to_bed_id: number | null }>(
      `SELECT id, status, to_bed_id FROM transfer_request WHERE episode_id = ? AND status IN ('requested', 'bed_assigned')`,
    )
    .get(episodeId);
  if (!open) return;
  ctx
    .stmt(`UPDATE transfer_request SET status = 'cancelled', cancelled_at = ?, cancelled_by = ?, cancel_reason = ? WHERE id = ?`)
    .run(ctx.now, actorId, reasonKey, open.id);
  if (audit) ctx.audit({ action: 'transfer.cancel', entity: 'transfer_request', entityId: open.id, patientId, before: { status: open.status }, after: { status: 'cancelled' }, reason: reasonKey });
  if (open.to_bed_id === null) return;
  const bed = ctx.stmt<[number], { state: string }>('SELECT state FROM bed WHERE id = ?').get(open.to_bed_id);
  if (bed?.state !== 'reserved') return;
  ctx.stmt(`UPDATE bed SET state = 'free' WHERE id = ?`).run(open.to_bed_id);
  if (audit) ctx.audit({ action: 'bed.state', entity: 'bed', entityId: open.to_bed_id, patientId, before: { state: 'reserved' }, after: { state: 'free' } });
}
