import { describe, expect, it } from 'vitest';
import type { Incoming, Transfer } from '../../shared/api/transfers';
import type { WardBoard } from '../../shared/api/facilities';
import { Ctx } from '../../electron/core/context';
import { closeOpenTransfer } from '../../electron/core/transfers/service';
import { NOW } from '../support/core';
import { admit, as, auditSince, lastAuditId, panelNetwork, round, user } from '../support/panel';
import { bedVersion, transferVersion } from '../support/versions';

const H = 3600_000;
const at = (hoursBeforeNow: number) => new Date(Date.parse(NOW) - hoursBeforeNow * H).toISOString();

function fangcangPatient() {
  const c = panelNetwork();
  const p = admit(
    c,
    { wardId: c.zoneId, bedId: c.zoneBeds[0]! },
    { name: '陈建华', ageYears: 72, riskFactors: ['chronic_lung'], allergies: '青霉素', chronicMedications: '噻托溴铵吸入' },
  );
  round(c, p.episodeId, at(3), { spo2: 93, respRate: 22, onOxygen: false }, { symptoms: ['cough', 'breathlessness'] });
  return { c, ...p };
}

const bedState = (c: ReturnType<typeof panelNetwork>, bedId: number) => c.db.prepare('SELECT state FROM bed WHERE id = ?').pluck().get(bedId);

describe('a transfer between facilities', () => {
  it('moves the patient in the same episode: requested → bed assigned → completed, beds following each step', () => {
    const { c, episodeId } = fangcangPatient();
    const [fromBed] = c.zoneBeds as [number];
    const toBed = c.beds[1]!;
    const t = as(c, c.doctor, () => c.ok<Transfer>('transfers:request', { episodeId, toFacilityId: c.dh, reason: '慢阻肺基础，指氧下降' }));
    expect(t).toMatchObject({ status: 'requested', from: { ward: { id: c.zoneId }, bedLabel: 'A1-001' }, to: { facility: { id: c.dh }, ward: null, bed: null } });

    // The receiving hospital sees who is coming, with what it needs before arrival.
    const incoming = as(c, c.doctor, () => c.ok<{ transfers: Incoming[] }>('transfers:listIncoming', { facilityId: c.dh, wardId: c.wardId })).transfers;
    expect(incoming).toHaveLength(1);
    expect(incoming[0]).toMatchObject({
      patient: { name: '陈建华', ageYears: 72, allergies: '青霉素', chronicMedications: '噻托溴铵吸入', riskFactors: ['chronic_lung'] },
      onOxygen: false,
    });
    expect(incoming[0]?.flagCodes).toContain('hypoxaemia_worsening');

    as(c, c.doctor, () => c.ok('transfers:assignBed', { transferId: t.id, bedId: toBed, version: transferVersion(c, t.id) }));
    expect([bedState(c, fromBed), bedState(c, toBed)]).toEqual(['occupied', 'reserved']);

    const before = lastAuditId(c);
    const done = as(c, c.doctor, () => c.ok<Transfer>('transfers:complete', { transferId: t.id, version: transferVersion(c, t.id) }, at(-1)));
    expect(done.status).toBe('completed');
    expect([bedState(c, fromBed), bedState(c, toBed)]).toEqual(['cleaning', 'occupied']);
    expect(c.db.prepare('SELECT ward_id, bed_id, start_at, end_at, began_by FROM placement WHERE episode_id = ? ORDER BY id').all(episodeId)).toEqual([
      { ward_id: c.zoneId, bed_id: fromBed, start_at: '2022-03-18T02:00:00.000Z', end_at: at(-1), began_by: 'admission' },
      { ward_id: c.wardId, bed_id: toBed, start_at: at(-1), end_at: null, began_by: 'transfer' },
    ]);
    expect(c.db.prepare('SELECT count(*) FROM episode WHERE patient_id = (SELECT patient_id FROM episode WHERE id = ?)').pluck().get(episodeId)).toBe(1);
    expect(auditSince(c, before).map((a) => a.action)).toEqual(['episode.transfer', 'bed.state', 'bed.state', 'transfer.complete']);

    const board = as(c, c.doctor, () => c.ok<WardBoard>('wards:board', { wardId: c.wardId }, at(-1)));
    expect(board.beds.find((b) => b.id === toBed)?.occupant).toMatchObject({ name: '陈建华', episodeId });
  });

  it('allows one open request per episode: a second is refused with CONFLICT', () => {
    const { c, episodeId } = fangcangPatient();
    const first = as(c, c.doctor, () => c.ok<Transfer>('transfers:request', { episodeId, toFacilityId: c.dh, reason: '转定点医院' }));
    const before = lastAuditId(c);
    const second = as(c, c.doctor, () => c.call('transfers:request', { episodeId, toFacilityId: c.dh, toWardId: c.icuId, reason: '转ICU' }));
    expect(!second.ok && second.error.code).toBe('CONFLICT');
    expect(!second.ok && second.error.details).toMatchObject({ key: 'transfer.already_open', transferId: first.id });
    // A review deciding a transfer is refused whole: no review row, no tier change.
    const review = as(c, c.expert, () => c.call('reviews:record', { episodeId, decision: 'transfer_icu', tier: 'T5', note: '呼吸衰竭' }));
    expect(!review.ok && review.error.code).toBe('CONFLICT');
    expect(c.count('review')).toBe(0);
    // Nothing of either refused write stands; each refusal (CONFLICT) is recorded as dispatch's call.conflict row.
    expect(auditSince(c, before).map((a) => a.action)).toEqual(['call.conflict', 'call.conflict']);
    // Once the first is cancelled, a new request may be opened.
    as(c, c.doctor, () => c.ok('transfers:cancel', { transferId: first.id, reason: '患者拒绝转运', version: transferVersion(c, first.id) }));
    as(c, c.doctor, () => c.ok('transfers:request', { episodeId, toFacilityId: c.dh, reason: '再次申请' }));
  });

  it('cancelled with a reason frees the reserved bed', () => {
    const { c, episodeId } = fangcangPatient();
    const t = as(c, c.doctor, () => c.ok<Transfer>('transfers:request', { episodeId, toFacilityId: c.dh, reason: '转定点医院' }));
    as(c, c.admin, () => c.ok('transfers:assignBed', { transferId: t.id, bedId: c.beds[2]!, version: transferVersion(c, t.id) }));
    const noReason = as(c, c.admin, () => c.call('transfers:cancel', { transferId: t.id, reason: '  ', version: transferVersion(c, t.id) }));
    expect(!noReason.ok && noReason.error.details.issues?.[0]?.field).toBe('reason');
    const cancelled = as(c, c.admin, () => c.ok<Transfer>('transfers:cancel', { transferId: t.id, reason: '病情好转，暂不转运', version: transferVersion(c, t.id) }));
    expect(cancelled).toMatchObject({ status: 'cancelled', cancelReason: '病情好转，暂不转运', cancelledBy: c.admin.displayName });
    expect(bedState(c, c.beds[2]!)).toBe('free');
    const late = as(c, c.admin, () => c.call('transfers:complete', { transferId: t.id, version: transferVersion(c, t.id) }));
    expect(!late.ok && late.error.details.key).toBe('transfer.not_open');
  });

  it('is closed by the discharge handler through closeOpenTransfer, releasing the bed, in the caller’s transaction', () => {
    const { c, episodeId } = fangcangPatient();
    const t = as(c, c.doctor, () => c.ok<Transfer>('transfers:request', { episodeId, toFacilityId: c.dh, reason: '转定点医院' }));
    as(c, c.admin, () => c.ok('transfers:assignBed', { transferId: t.id, bedId: c.beds[0]!, version: transferVersion(c, t.id) }));
    const ctx = new Ctx(c.db, NOW, { user: c.admin });
    const closed = c.db.transaction(() => closeOpenTransfer(ctx, episodeId, 'discharged')).immediate();
    expect(closed).toBe(t.id);
    expect(c.db.prepare('SELECT status, cancel_reason FROM transfer_request WHERE id = ?').get(t.id)).toEqual({ status: 'cancelled', cancel_reason: 'discharged' });
    expect(bedState(c, c.beds[0]!)).toBe('free');
    expect(ctx.auditCount).toBe(2);
    expect(c.db.transaction(() => closeOpenTransfer(ctx, episodeId, 'discharged')).immediate()).toBeNull();
  });

  it('within the designated hospital (to ICU) begins the new placement as a move, not a transfer', () => {
    const c = panelNetwork();
    const p = admit(c, { wardId: c.wardId, bedId: c.beds[0]! }, { name: '赵国强', ageYears: 80, riskFactors: ['cardio_cerebrovascular'] });
    const r = as(c, c.expert, () => c.ok<{ transferId: number }>('reviews:record', { episodeId: p.episodeId, decision: 'transfer_icu', tier: 'T5', note: '呼吸衰竭，需机械通气' }));
    const t = as(c, c.expert, () => c.ok<Transfer[]>('transfers:forEpisode', { episodeId: p.episodeId }))[0];
    expect(t).toMatchObject({ id: r.transferId, to: { facility: { id: c.dh }, ward: { id: c.icuId } } });
    as(c, c.admin, () => c.ok('transfers:assignBed', { transferId: r.transferId, bedId: c.icuBeds[0]!, version: transferVersion(c, r.transferId) }));
    as(c, c.admin, () => c.ok('transfers:complete', { transferId: r.transferId, version: transferVersion(c, r.transferId) }));
    expect(c.db.prepare('SELECT began_by FROM placement WHERE episode_id = ? AND end_at IS NULL').pluck().get(p.episodeId)).toBe('move');
  });

  it('refuses a bed of another facility and a bed that is not free', () => {
    const { c, episodeId } = fangcangPatient();
    const t = as(c, c.doctor, () => c.ok<Transfer>('transfers:request', { episodeId, toFacilityId: c.dh, reason: '转定点医院' }));
    const wrong = as(c, c.admin, () => c.call('transfers:assignBed', { transferId: t.id, bedId: c.zone2Beds[0]!, version: transferVersion(c, t.id) }));
    expect(!wrong.ok && wrong.error.details.issues?.[0]).toEqual({ field: 'bedId', key: 'transfer.bed_not_in_facility' });
    c.db.prepare(`UPDATE bed SET state = 'cleaning' WHERE id = ?`).run(c.beds[0]!);
    const dirty = as(c, c.admin, () => c.call('transfers:assignBed', { transferId: t.id, bedId: c.beds[0]!, version: transferVersion(c, t.id) }));
    expect(!dirty.ok && dirty.error.code).toBe('CONFLICT');
    const complete = as(c, c.admin, () => c.call('transfers:complete', { transferId: t.id, version: transferVersion(c, t.id) }));
    expect(!complete.ok && complete.error.details.key).toBe('transfer.no_bed');
  });

  it('is limited to the wards of a ward doctor assigned to wards: receiving into their ward only', () => {
    const { c, episodeId } = fangcangPatient();
    const t = as(c, c.doctor, () => c.ok<Transfer>('transfers:request', { episodeId, toFacilityId: c.dh, reason: '转定点医院' }));
    const icuDoctor = user(c, 'ward_doctor', 'dr.icu', 'ICU医生');
    c.db.prepare('INSERT INTO user_ward (user_id, ward_id, assigned_at) VALUES (?, ?, ?)').run(icuDoctor.id, c.icuId, NOW);
    const outside = as(c, icuDoctor, () => c.call('transfers:assignBed', { transferId: t.id, bedId: c.beds[0]!, version: transferVersion(c, t.id) }));
    expect(!outside.ok && outside.error).toMatchObject({ code: 'FORBIDDEN', details: { key: 'scope.ward_forbidden' } });
    const bedState = as(c, icuDoctor, () => c.call('beds:setState', { bedId: c.beds[0]!, state: 'cleaning', version: bedVersion(c, c.beds[0]!) }));
    expect(!bedState.ok && bedState.error.code).toBe('FORBIDDEN');
    as(c, icuDoctor, () => c.ok('transfers:assignBed', { transferId: t.id, bedId: c.icuBeds[0]!, version: transferVersion(c, t.id) }));
  });
});
