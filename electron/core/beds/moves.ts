import { AppError } from '../../../shared/errors';
import type { BedState, PlacementStart } from '../../../shared/domain/enums';
import type { Ctx } from '../context';
import { changeParams, lastChange, type LastChange } from '../records/versions';

/** The episode's open placement with where it is; every move starts from here. */
export interface OpenPlacement {
  id: number;
  episode_id: number;
  patient_id: number;
  ward_id: number;
  bed_id: number | null;
  start_at: string;
  facility_id: number;
  facility_kind: 'designated' | 'fangcang' | 'isolation';
  ward_kind: string;
  status: string;
}

export function openPlacement(ctx: Ctx, episodeId: number): OpenPlacement {
  const row = ctx
    .stmt<[number], OpenPlacement>(
      `SELECT pl.id, pl.episode_id, e.patient_id, pl.ward_id, pl.bed_id, pl.start_at, w.facility_id, f.kind AS facility_kind, w.kind AS ward_kind, e.status
       FROM episode e JOIN placement pl ON pl.episode_id = e.id AND pl.end_at IS NULL
       JOIN ward w ON w.id = pl.ward_id JOIN facility f ON f.id = w.facility_id
       WHERE e.id = ?`,
    )
    .get(episodeId);
  if (!row) {
    const exists = ctx.stmt<[number], { status: string }>('SELECT status FROM episode WHERE id = ?').get(episodeId);
    if (!exists) throw new AppError('NOT_FOUND', `episode ${episodeId} not found`, { key: 'panel.episode_not_found' });
    throw new AppError('RULE_VIOLATION', `episode ${episodeId} is not in hospital`, { key: 'panel.episode_not_active' });
  }
  if (row.status !== 'active') throw new AppError('RULE_VIOLATION', `episode ${episodeId} is ${row.status}`, { key: 'panel.episode_not_active' });
  return row;
}

export interface BedRow {
  id: number;
  ward_id: number;
  label: string;
  state: BedState;
  tags: string;
  facility_id: number;
}

export function bedById(ctx: Ctx, bedId: number, field = 'bedId'): BedRow {
  const bed = ctx.stmt<[number], BedRow>('SELECT b.id, b.ward_id, b.label, b.state, b.tags, w.facility_id FROM bed b JOIN ward w ON w.id = b.ward_id WHERE b.id = ?').get(bedId);
  if (!bed) throw AppError.field(field, 'error.bed_not_found');
  return bed;
}

/**
 * Who took a bed that is no longer free, and when: its newest audit row (every change of a bed's state
 * is audited), else the placement that holds it (beds filled by the demo generator or an import).
 */
function whoTookBed(ctx: Ctx, bedId: number): LastChange | null {
  const audited = lastChange(ctx, 'bed', bedId);
  if (audited) return audited;
  const held = ctx
    .stmt<[number], LastChange>(
      'SELECT u.display_name AS by, pl.start_at AS at FROM placement pl JOIN app_user u ON u.id = pl.created_by WHERE pl.bed_id = ? AND pl.end_at IS NULL',
    )
    .get(bedId);
  return held ?? null;
}

/**
 * The refusal of a bed that is no longer free (place, assign to a transfer, admit): CONFLICT with the
 * bed's label and who took it and when (key `beds.not_free`, params bed, by, at, when), or the label
 * alone when nobody is recorded (`beds.no_longer_free`). The bed field carries the same message.
 */
export function bedNotFree(ctx: Ctx, bed: { id: number; label: string }, field = 'bedId'): AppError {
  const change = whoTookBed(ctx, bed.id);
  const key = change ? 'beds.not_free' : 'beds.no_longer_free';
  const params = { bed: bed.label, ...(change ? changeParams(ctx, change) : {}) };
  return new AppError('CONFLICT', `bed ${bed.label} is not free`, { key, params, issues: [{ field, key, params }] });
}

/**
 * Changes a bed's state only if it is still in the expected one. Dispatch runs commands in IMMEDIATE
 * transactions, so two workstations cannot both see a bed free and both take it; the guard makes the
 * rule explicit and still holds if a caller ever reads outside the write lock.
 */
export function changeBedState(ctx: Ctx, bed: { id: number; label: string }, from: BedState, to: BedState, patientId: number | null, reason?: string | null): void {
  const r = ctx.stmt<[string, number, string]>('UPDATE bed SET state = ? WHERE id = ? AND state = ?').run(to, bed.id, from);
  if (r.changes !== 1) {
    if (from === 'free') throw bedNotFree(ctx, bed);
    throw new AppError('CONFLICT', `bed ${bed.label} is no longer ${from}`, { key: 'beds.state_changed', params: { bed: bed.label } });
  }
  ctx.audit({ action: 'bed.state', entity: 'bed', entityId: bed.id, patientId, before: { state: from }, after: { state: to }, reason: reason ?? null });
}

/**
 * Ends the episode's open placement now and opens the next one in the same episode. Placements are
 * history (a trigger refuses edits), so every move is an end plus a start. The caller sets the beds' states.
 */
export function movePlacement(
  ctx: Ctx,
  from: OpenPlacement,
  to: { wardId: number; bedId: number | null },
  beganBy: PlacementStart,
  audit: { action: string; reason?: string | null },
): number {
  if (ctx.now < from.start_at) throw new AppError('RULE_VIOLATION', 'a move cannot precede the current placement', { key: 'panel.move_before_placement' });
  ctx.stmt<[string, number]>('UPDATE placement SET end_at = ? WHERE id = ? AND end_at IS NULL').run(ctx.now, from.id);
  const placementId = Number(
    ctx
      .stmt<[number, number, number | null, string, string, number]>(
        'INSERT INTO placement (episode_id, ward_id, bed_id, start_at, began_by, created_by) VALUES (?, ?, ?, ?, ?, ?)',
      )
      .run(from.episode_id, to.wardId, to.bedId, ctx.now, beganBy, ctx.actor.id).lastInsertRowid,
  );
  ctx.audit({
    action: audit.action,
    entity: 'placement',
    entityId: placementId,
    patientId: from.patient_id,
    before: { placementId: from.id, wardId: from.ward_id, bedId: from.bed_id },
    after: { placementId, wardId: to.wardId, bedId: to.bedId, beganBy },
    reason: audit.reason ?? null,
  });
  return placementId;
}
