import { AppError } from '../../../shared/errors';
import type { DomainHandlers } from '../context';
import type { FreeBed } from '../../../shared/api/beds';
import { availability, waitingList } from './availability';
import { admitWaiting } from './admitWaiting';
import { bedById, bedNotFree, changeBedState, movePlacement, openPlacement } from './moves';
import { expectVersion } from '../records/versions';

/** Ward scope is declared per call in shared/api/beds.ts and enforced by dispatch: `place` checks both the patient's ward and the bed's. */
export const bedHandlers: DomainHandlers<'beds'> = {
  setState(ctx, { bedId, state, reason, version }) {
    const bed = bedById(ctx, bedId);
    expectVersion(ctx, { table: 'bed', id: bed.id, version });
    const holder = ctx.stmt<[number], { episode_id: number }>('SELECT episode_id FROM placement WHERE bed_id = ? AND end_at IS NULL').get(bed.id);
    // A patient is in it: only a move, transfer or discharge frees it.
    if (bed.state === 'occupied' || holder) throw new AppError('RULE_VIOLATION', `bed ${bed.label} is occupied`, { key: 'beds.occupied', params: { bed: bed.label } });
    const transfer = ctx.stmt<[number], { id: number }>(`SELECT id FROM transfer_request WHERE to_bed_id = ? AND status = 'bed_assigned'`).get(bed.id);
    if (transfer)
      throw new AppError('RULE_VIOLATION', `bed ${bed.label} is reserved for transfer ${transfer.id}`, {
        key: 'beds.reserved_for_transfer',
        params: { bed: bed.label },
        transferId: transfer.id,
      });
    if (bed.state === state) throw AppError.field('state', 'beds.same_state');
    changeBedState(ctx, bed, bed.state, state, null, reason);
    return { bedId: bed.id, label: bed.label, before: bed.state, state };
  },

  swap(ctx, { bedA, bedB }) {
    if (bedA === bedB) throw AppError.field('bedB', 'beds.swap_same_bed');
    const a = bedById(ctx, bedA, 'bedA');
    const b = bedById(ctx, bedB, 'bedB');
    if (a.facility_id !== b.facility_id) throw AppError.field('bedB', 'beds.swap_other_facility');
    const holderOf = (bedId: number, field: string) => {
      const p = ctx.stmt<[number], { episode_id: number }>('SELECT episode_id FROM placement WHERE bed_id = ? AND end_at IS NULL').get(bedId);
      if (!p) throw AppError.field(field, 'beds.swap_needs_patient');
      return openPlacement(ctx, p.episode_id);
    };
    const pa = holderOf(a.id, 'bedA');
    const pb = holderOf(b.id, 'bedB');
    // End both first: the one-open-placement-per-bed index would refuse the second start otherwise.
    ctx.stmt<[string, number, number]>('UPDATE placement SET end_at = ? WHERE id IN (?, ?) AND end_at IS NULL').run(ctx.now, pa.id, pb.id);
    const insert = ctx.stmt<[number, number, number, string, number]>(
      `INSERT INTO placement (episode_id, ward_id, bed_id, start_at, began_by, created_by) VALUES (?, ?, ?, ?, 'move', ?)`,
    );
    for (const [p, to] of [
      [pa, b],
      [pb, a],
    ] as const) {
      if (ctx.now < p.start_at) throw new AppError('RULE_VIOLATION', 'a move cannot precede the current placement', { key: 'panel.move_before_placement' });
      const id = Number(insert.run(p.episode_id, to.ward_id, to.id, ctx.now, ctx.actor.id).lastInsertRowid);
      ctx.audit({
        action: 'episode.swap',
        entity: 'placement',
        entityId: id,
        patientId: p.patient_id,
        before: { placementId: p.id, wardId: p.ward_id, bedId: p.bed_id },
        after: { placementId: id, wardId: to.ward_id, bedId: to.id, beganBy: 'move' },
      });
    }
    return { ok: true as const };
  },

  place(ctx, { episodeId, bedId }) {
    const from = openPlacement(ctx, episodeId);
    const bed = bedById(ctx, bedId);
    if (bed.facility_id !== from.facility_id) throw AppError.field('bedId', 'beds.place_other_facility');
    if (from.bed_id === bed.id) throw AppError.field('bedId', 'beds.same_bed');
    if (bed.state !== 'free') throw bedNotFree(ctx, bed);
    const placementId = movePlacement(ctx, from, { wardId: bed.ward_id, bedId: bed.id }, 'move', { action: from.bed_id === null ? 'episode.place_from_waiting' : 'episode.move' });
    if (from.bed_id !== null) changeBedState(ctx, bedById(ctx, from.bed_id), 'occupied', 'cleaning', from.patient_id);
    changeBedState(ctx, bed, 'free', 'occupied', from.patient_id);
    return { episodeId, placementId, bedId: bed.id };
  },

  admitWaiting,

  waiting(ctx, { facilityId }) {
    return waitingList(ctx, facilityId);
  },

  freeBeds(ctx, { facilityId, wardId }) {
    return ctx
      .stmt<[number, number | null, number | null], { id: number; label: string; wardId: number; wardName: string; wardKind: FreeBed['wardKind']; tags: string; version: number }>(
        `SELECT b.id, b.label, w.id AS wardId, w.name AS wardName, w.kind AS wardKind, b.tags, b.version FROM ward w JOIN bed b ON b.ward_id = w.id AND b.state = 'free'
         WHERE w.facility_id = ? AND (? IS NULL OR w.id = ?) ORDER BY w.sort, w.id, b.sort, b.id`,
      )
      .all(facilityId, wardId ?? null, wardId ?? null)
      .map((b) => ({ ...b, tags: JSON.parse(b.tags) as FreeBed['tags'] }));
  },

  availability(ctx, { facilityId }) {
    return availability(ctx, facilityId ?? null);
  },
};
