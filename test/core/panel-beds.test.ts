import { describe, expect, it } from 'vitest';
import type { Availability, WaitingPatient } from '../../shared/api/beds';
import type { Transfer } from '../../shared/api/transfers';
import type { WardBoard } from '../../shared/api/facilities';
import { NOW } from '../support/core';
import { admit, as, auditSince, lastAuditId, panelNetwork } from '../support/panel';
import { bedVersion, transferVersion } from '../support/versions';

const bedState = (c: ReturnType<typeof panelNetwork>, bedId: number) => c.db.prepare('SELECT state FROM bed WHERE id = ?').pluck().get(bedId);

describe('bed states', () => {
  it('follow the rules: an occupied bed cannot be freed by hand, a bed held for a transfer cannot be changed, out of service needs a reason', () => {
    const c = panelNetwork();
    const p = admit(c, { wardId: c.zoneId, bedId: c.zoneBeds[0]! }, { name: '孙丽', ageYears: 40 });
    const occupied = as(c, c.nurse, () => c.call('beds:setState', { bedId: c.zoneBeds[0]!, state: 'free', version: bedVersion(c, c.zoneBeds[0]!) }));
    expect(!occupied.ok && occupied.error).toMatchObject({ code: 'RULE_VIOLATION', details: { key: 'beds.occupied' } });

    const t = as(c, c.doctor, () => c.ok<Transfer>('transfers:request', { episodeId: p.episodeId, toFacilityId: c.dh, reason: '转院' }));
    as(c, c.doctor, () => c.ok('transfers:assignBed', { transferId: t.id, bedId: c.beds[0]!, version: transferVersion(c, t.id) }));
    const held = as(c, c.nurse, () => c.call('beds:setState', { bedId: c.beds[0]!, state: 'free', version: bedVersion(c, c.beds[0]!) }));
    expect(!held.ok && held.error.details.key).toBe('beds.reserved_for_transfer');

    const noReason = as(c, c.nurse, () => c.call('beds:setState', { bedId: c.beds[1]!, state: 'out_of_service', version: bedVersion(c, c.beds[1]!) }));
    expect(!noReason.ok && noReason.error.details.issues?.[0]).toEqual({ field: 'reason', key: 'validation.beds_reason_required' });
    const notOccupied = as(c, c.nurse, () => c.call('beds:setState', { bedId: c.beds[1]!, state: 'occupied', version: bedVersion(c, c.beds[1]!) }));
    expect(!notOccupied.ok && notOccupied.error.code).toBe('VALIDATION');

    const before = lastAuditId(c);
    as(c, c.nurse, () => c.ok('beds:setState', { bedId: c.beds[1]!, state: 'out_of_service', reason: '供氧装置故障', version: bedVersion(c, c.beds[1]!) }));
    as(c, c.nurse, () => c.ok('beds:setState', { bedId: c.beds[1]!, state: 'cleaning', version: bedVersion(c, c.beds[1]!) }));
    as(c, c.nurse, () => c.ok('beds:setState', { bedId: c.beds[1]!, state: 'free', version: bedVersion(c, c.beds[1]!) }));
    expect(auditSince(c, before).map((a) => [a.before, a.after, a.reason])).toEqual([
      ['{"state":"free"}', '{"state":"out_of_service"}', '供氧装置故障'],
      ['{"state":"out_of_service"}', '{"state":"cleaning"}', null],
      ['{"state":"cleaning"}', '{"state":"free"}', null],
    ]);
  });

  it('swap: two patients exchange beds in one transaction, both beds stay occupied', () => {
    const c = panelNetwork();
    const a = admit(c, { wardId: c.wardId, bedId: c.beds[0]! }, { name: '甲', ageYears: 40 });
    const b = admit(c, { wardId: c.wardId, bedId: c.beds[1]! }, { name: '乙', ageYears: 41 });
    const notOccupied = as(c, c.nurse, () => c.call('beds:swap', { bedA: c.beds[0]!, bedB: c.beds[2]! }));
    expect(!notOccupied.ok && notOccupied.error.details.issues?.[0]).toEqual({ field: 'bedB', key: 'beds.swap_needs_patient' });
    as(c, c.nurse, () => c.ok('beds:swap', { bedA: c.beds[0]!, bedB: c.beds[1]! }));
    const board = as(c, c.nurse, () => c.ok<WardBoard>('wards:board', { wardId: c.wardId }));
    expect(board.beds.slice(0, 2).map((x) => [x.state, x.occupant?.name])).toEqual([
      ['occupied', '乙'],
      ['occupied', '甲'],
    ]);
    expect(c.db.prepare('SELECT count(*) FROM placement WHERE episode_id IN (?, ?) AND began_by = ? AND end_at IS NULL').pluck().get(a.episodeId, b.episodeId, 'move')).toBe(2);
  });

  it('admit without a bed puts the patient on the ward waiting list; placing them takes a free bed', () => {
    const c = panelNetwork();
    const r = as(c, c.doctor, () =>
      c.ok<{ episodeId: number; placementId: number }>('beds:admitWaiting', {
        patient: { name: '候床者', sex: 'F', ageYears: 58, riskFactors: [] },
        wardId: c.zoneId,
        admittedAt: '2022-03-20T05:00:00.000Z',
        source: 'community_screening',
      }),
    );
    expect(c.db.prepare('SELECT bed_id FROM placement WHERE id = ?').pluck().get(r.placementId)).toBeNull();
    const waiting = as(c, c.doctor, () => c.ok<WaitingPatient[]>('beds:waiting', { facilityId: c.fc }));
    expect(waiting.map((w) => [w.name, w.wardId, w.waitingSince])).toEqual([['候床者', c.zoneId, '2022-03-20T05:00:00.000Z']]);
    const avail = as(c, c.doctor, () => c.ok<Availability>('beds:availability', { facilityId: c.fc }));
    expect(avail[0]?.wards.find((w) => w.id === c.zoneId)?.waiting).toBe(1);

    const other = as(c, c.doctor, () => c.call('beds:place', { episodeId: r.episodeId, bedId: c.beds[0]! }));
    expect(!other.ok && other.error.details.issues?.[0]?.key).toBe('beds.place_other_facility');
    as(c, c.doctor, () => c.ok('beds:place', { episodeId: r.episodeId, bedId: c.zone2Beds[0]! }));
    expect(bedState(c, c.zone2Beds[0]!)).toBe('occupied');
    expect(as(c, c.doctor, () => c.ok<WaitingPatient[]>('beds:waiting', { facilityId: c.fc }))).toEqual([]);
    // Moving on to another bed leaves the first one for cleaning.
    as(c, c.doctor, () => c.ok('beds:place', { episodeId: r.episodeId, bedId: c.zone2Beds[1]! }));
    expect([bedState(c, c.zone2Beds[0]!), bedState(c, c.zone2Beds[1]!)]).toEqual(['cleaning', 'occupied']);
  });

  it('availability counts free beds per facility and ward, with tags', () => {
    const c = panelNetwork();
    admit(c, { wardId: c.zone2Id, bedId: c.zone2Beds[1]! }, { name: '丙', ageYears: 30 });
    c.db.prepare(`UPDATE bed SET state = 'cleaning' WHERE id = ?`).run(c.zone2Beds[2]!);
    const avail = as(c, c.nurse, () => c.ok<Availability>('beds:availability', {}, NOW));
    const fc = avail.find((f) => f.id === c.fc)!;
    expect(fc.wards.find((w) => w.id === c.zone2Id)).toMatchObject({ total: 3, free: 1, occupied: 1, cleaning: 1, freeByTag: { oxygen: 1 } });
    expect(fc.totals).toMatchObject({ total: 5, free: 3, occupied: 1, cleaning: 1 });
    const free = as(c, c.nurse, () => c.ok<{ label: string; tags: string[] }[]>('beds:freeBeds', { facilityId: c.fc }));
    expect(free.map((b) => [b.label, b.tags])).toEqual([
      ['A1-001', []],
      ['A1-002', []],
      ['A2-001', ['oxygen']],
    ]);
    const dh = avail.find((f) => f.id === c.dh)!;
    expect(dh.wards.find((w) => w.id === c.icuId)).toMatchObject({ free: 2, freeByTag: { oxygen: 2, monitor: 2, ventilator: 2 } });
  });
});
