import { describe, expect, it } from 'vitest';
import { CHANNELS, contract, lookupCall, type CallDef, type ScopeEntity } from '../../../shared/api';
import type { DischargeCheck } from '../../../shared/api/discharge';
import type { SessionUser } from '../../../shared/api/auth';
import { FULL_ROUND } from '../../support/clinical';
import { addUser, admission, makeNetwork, NOW, type TestCore } from '../../support/core';
import { snapshot } from './support';
import { fieldNames } from '../../support/contract';

/**
 * Ward scope (DESIGN.md §6, issue 12): every call declares in the contract how it finds the wards it
 * touches, and dispatch enforces it. These tests are generated from the contract: a new call is walked
 * without anyone editing this file, and a new id field must be classified below before it can pass.
 */

/** Input fields that point at a record kept in a ward, and the kind of record each names. */
const ENTITY_FIELDS: Record<string, readonly ScopeEntity[]> = {
  wardId: ['ward'],
  bedId: ['bed'],
  bedA: ['bed'],
  bedB: ['bed'],
  episodeId: ['episode'],
  patientId: ['patient'],
  roundId: ['round'],
  replacesId: ['round'],
  resultId: ['labResult'],
  imagingId: ['imaging'],
  id: ['resultByKind'],
  assessmentId: ['assessment'],
  dischargeId: ['discharge'],
  reviewId: ['review'],
  transferId: ['transferDestination', 'transferEitherSide'],
};

/**
 * Id-like fields that name no ward's record, reviewed one by one: accounts, the facility or ward a
 * transfer or a review sends a patient *to* (a doctor may send their patient to any ward), filters.
 */
const NOT_WARD_RECORDS = new Set(['userId', 'attendingId', 'nurseId', 'expertId', 'toFacilityId', 'toWardId', 'facilityId', 'batchId', 'beforeId', 'baseVersion', 'wardIds']);

const callOf = (channel: string): CallDef => lookupCall(contract, channel)!;
const mayCall = (call: CallDef, role: SessionUser['role']) => (typeof call.access === 'string' ? call.access !== 'public' : call.access.includes(role));

const at = (h: number, m = 0) => `2022-03-20T${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}:00.000Z`;

/**
 * The network: ward G1 (the scoped users' ward), and in the fangcang two zones, A1 and A2, that are
 * not theirs. A1 has an active patient with every kind of record and a discharged one; a transfer runs
 * from A1 to A2, so neither of its ends is in G1.
 */
function network() {
  const c = makeNetwork();
  const admin = c.session.user!;
  const fc = c.db.prepare(`SELECT facility_id FROM ward WHERE id = ?`).pluck().get(c.zoneId) as number;
  const zone2 = Number(c.db.prepare(`INSERT INTO ward (facility_id, code, name, kind) VALUES (?, 'A2', 'A2舱', 'zone')`).run(fc).lastInsertRowid);
  const zone2Bed = Number(c.db.prepare(`INSERT INTO bed (ward_id, label, sort) VALUES (?, 'A2-001', 1)`).run(zone2).lastInsertRowid);
  const doctor = addUser(c, 'ward_doctor', { username: 'dr.g1', wardIds: [c.wardId] });
  const nurse = addUser(c, 'nurse', { username: 'nurse.g1', wardIds: [c.wardId] });
  const otherDoctor = addUser(c, 'ward_doctor', { username: 'dr.a1', wardIds: [c.zoneId] });
  const expert = addUser(c, 'expert', { username: 'prof' });

  // The records are entered during the morning (each at its own clock), the discharge after them.
  const admit = (bedId: number, name: string) =>
    c.ok<{ episodeId: number; patientId: number }>('patients:admit', admission({ bedId, wardId: c.zoneId }, { name, riskFactors: [] }), at(2, 10));
  const records = (episodeId: number) => {
    c.session.user = otherDoctor;
    const { roundId } = c.ok<{ roundId: number }>('rounds:record', { episodeId, measuredAt: at(3), ...FULL_ROUND }, at(3, 5));
    const { resultIds } = c.ok<{ resultIds: number[] }>('results:record', { episodeId, collectedAt: at(3, 30), nucleicAcid: { ctN: 24.1, ctOrf1ab: 25.3 } }, at(3, 35));
    const { imagingId } = c.ok<{ imagingId: number }>(
      'results:recordImaging',
      { episodeId, performedAt: at(4), modality: 'ct', pneumonia: false, finding: '未见明显异常' },
      at(4, 5),
    );
    const { assessmentId } = c.ok<{ assessmentId: number }>('classes:assess', { episodeId, proposedClass: 'mild', decision: 'confirmed' }, at(4, 10));
    c.session.user = expert;
    const { reviewId } = c.ok<{ reviewId: number }>('reviews:record', { episodeId, decision: 'continue', note: '继续观察' }, at(4, 20));
    c.session.user = admin;
    return { roundId, resultId: resultIds[0]!, imagingId, assessmentId, reviewId };
  };

  const active = admit(c.zoneBeds[0]!, '舱内在院');
  const activeRecords = records(active.episodeId);
  const gone = admit(c.zoneBeds[1]!, '舱内已出院');
  const goneRecords = records(gone.episodeId);
  const check = c.ok<DischargeCheck>('discharge:check', { episodeId: gone.episodeId }, at(5));
  const { dischargeId } = c.ok<{ dischargeId: number }>(
    'discharge:record',
    {
      episodeId: gone.episodeId,
      dischargedAt: at(5),
      disposition: 'home',
      condition: 'improved',
      overrideReason: '测试：未满足的标准',
      shown: check.check.criteria.map((x) => ({ code: x.code, status: x.status })),
    },
    at(5, 5),
  );
  const { id: transferId } = c.ok<{ id: number }>('transfers:request', { episodeId: active.episodeId, toFacilityId: fc, toWardId: zone2, reason: '分区调整' }, at(5, 10));
  c.session.user = admin;
  return { c, admin, doctor, nurse, otherDoctor, expert, zone2, zone2Bed, active, activeRecords, gone, goneRecords, dischargeId, transferId };
}

type World = ReturnType<typeof network>;

/** Input aimed at another ward's records: every entity field filled with a record of zone A1 or A2. */
function aimedElsewhere(w: World, which: 'active' | 'discharged', fields: string[]): Record<string, unknown> {
  const ep = which === 'active' ? w.active : w.gone;
  const rec = which === 'active' ? w.activeRecords : w.goneRecords;
  const value: Record<string, unknown> = {
    wardId: w.c.zoneId,
    bedId: w.zone2Bed,
    bedA: w.c.zoneBeds[0],
    bedB: w.zone2Bed,
    episodeId: ep.episodeId,
    patientId: ep.patientId,
    roundId: rec.roundId,
    replacesId: rec.roundId,
    resultId: rec.resultId,
    imagingId: rec.imagingId,
    id: rec.resultId,
    kind: 'lab',
    assessmentId: rec.assessmentId,
    dischargeId: w.dischargeId,
    reviewId: rec.reviewId,
    transferId: w.transferId,
  };
  return Object.fromEntries(
    fields
      .filter((f) => f in value)
      .map((f) => [f, value[f]])
      .concat(fields.includes('id') ? [['kind', 'lab']] : []),
  );
}

describe('ward scope is declared for every call, and covers every field that names a ward record', () => {
  it('every id field of every call is either a ward record the scope resolves, or reviewed as none', () => {
    for (const channel of CHANNELS) {
      for (const f of fieldNames(callOf(channel).input)) {
        if (!/(Id|Ids|^id|^bed[AB])$/.test(f)) continue;
        expect(f in ENTITY_FIELDS || NOT_WARD_RECORDS.has(f), `${channel}.${f}: classify this field for ward scope`).toBe(true);
      }
    }
  });

  it('a call that writes names each ward record of its input in its scope; only reads may look across the network', () => {
    for (const channel of CHANNELS) {
      const call = callOf(channel);
      const entityFields = fieldNames(call.input).filter((f) => f in ENTITY_FIELDS);
      if (call.kind === 'query') continue;
      if ('network' in call.scope) {
        expect(entityFields, `${channel} writes but declares no ward scope`).toEqual([]);
        continue;
      }
      for (const f of entityFields) {
        expect(call.scope.targets[f], `${channel}.${f} is not in its declared scope`).toBeDefined();
        expect(ENTITY_FIELDS[f], `${channel}.${f}`).toContain(call.scope.targets[f]);
      }
    }
  });
});

describe('the contract walk: a ward-limited doctor and nurse aim every call at another ward', { timeout: 60_000 }, () => {
  it('every scoped call is refused with FORBIDDEN (scope.ward_forbidden), and nothing is written', async () => {
    const w = network();
    let refused = 0;
    for (const user of [w.doctor, w.nurse]) {
      w.c.session.user = user;
      for (const channel of CHANNELS) {
        const call = callOf(channel);
        if (!('targets' in call.scope) || !mayCall(call, user.role)) continue;
        for (const which of ['active', 'discharged'] as const) {
          const input = aimedElsewhere(w, which, fieldNames(call.input));
          const before = snapshot(w.c.db);
          const r = await w.c.run(channel, input, NOW);
          expect(r.ok, `${user.role} → ${channel} (${which})`).toBe(false);
          if (!r.ok) {
            expect(r.error.code, `${user.role} → ${channel} (${which})`).toBe('FORBIDDEN');
            expect(r.error.details.key, `${user.role} → ${channel} (${which})`).toBe('scope.ward_forbidden');
          }
          expect(snapshot(w.c.db), `${user.role} → ${channel} (${which})`).toEqual(before);
          refused += 1;
        }
      }
    }
    // Ward doctors and nurses between them may make some 25 scoped calls; each is tried twice.
    expect(refused).toBeGreaterThan(40);
  });

  it('the same calls aimed at their own ward get past the scope (the walk refuses for the ward, not for the call)', () => {
    const w = network();
    w.c.session.user = w.doctor;
    const own = w.c.ok<{ episodeId: number }>('patients:admit', admission({ bedId: w.c.beds[0]!, wardId: w.c.wardId }, { name: '本病区' }));
    expect(w.c.call('rounds:record', { episodeId: own.episodeId, measuredAt: at(5), ...FULL_ROUND }).ok).toBe(true);
    expect(w.c.call('queue:refer', { episodeId: own.episodeId, note: '请专家组评估' }).ok).toBe(true);
  });
});

describe('issue 12 findings, each as it was reported', () => {
  const refusedWithNothingWritten = (c: TestCore, channel: string, input: unknown) => {
    const before = snapshot(c.db);
    const r = c.call(channel, input);
    expect(!r.ok && r.error.code, channel).toBe('FORBIDDEN');
    expect(!r.ok && r.error.details.key, channel).toBe('scope.ward_forbidden');
    expect(snapshot(c.db), channel).toEqual(before);
  };

  it("finding 1: a doctor limited to one ward cannot discharge another ward's patient, record them deceased, or amend another ward's discharge", () => {
    const w = network();
    w.c.session.user = w.admin;
    const check = w.c.ok<DischargeCheck>('discharge:check', { episodeId: w.active.episodeId });
    const shown = check.check.criteria.map((x) => ({ code: x.code, status: x.status }));
    w.c.session.user = w.doctor;
    for (const disposition of ['home', 'deceased'] as const) {
      refusedWithNothingWritten(w.c, 'discharge:record', {
        episodeId: w.active.episodeId,
        dischargedAt: at(6),
        disposition,
        condition: disposition === 'deceased' ? 'deceased' : 'improved',
        overrideReason: '越权',
        shown,
      });
    }
    refusedWithNothingWritten(w.c, 'discharge:amend', { dischargeId: w.dischargeId, reason: '越权修改', disposition: 'deceased', condition: 'deceased' });
    expect(w.c.db.prepare(`SELECT status FROM episode WHERE id = ?`).pluck().get(w.active.episodeId)).toBe('active');
  });

  it('finding 3: corrections on a discharged patient of another ward are refused: a positive Ct cannot be rewritten as 38', () => {
    const w = network();
    w.c.session.user = w.doctor;
    const g = w.goneRecords;
    refusedWithNothingWritten(w.c, 'results:amend', { resultId: g.resultId, reason: '改写', ctN: 38, ctOrf1ab: 38 });
    refusedWithNothingWritten(w.c, 'results:enterInError', { kind: 'lab', id: g.resultId, reason: '撤回' });
    refusedWithNothingWritten(w.c, 'results:amendImaging', { imagingId: g.imagingId, reason: '改写', performedAt: at(4), modality: 'ct', pneumonia: true, finding: '改写' });
    refusedWithNothingWritten(w.c, 'rounds:enterInError', { roundId: g.roundId, reason: '撤回' });
    refusedWithNothingWritten(w.c, 'rounds:amend', { roundId: g.roundId, reason: '改写', measuredAt: at(3), ...FULL_ROUND, spo2: 99 });
    refusedWithNothingWritten(w.c, 'classes:enterInError', { assessmentId: g.assessmentId, reason: '撤回' });
    // The ward that discharged the patient still may correct its own records after discharge.
    w.c.session.user = w.otherDoctor;
    expect(w.c.call('rounds:enterInError', { roundId: g.roundId, reason: '录入错误' }).ok).toBe(true);
  });

  it("finding 5: a ward-limited doctor cannot export another ward's patient as FHIR; an allowed export is audited", () => {
    const w = network();
    w.c.session.user = w.doctor;
    refusedWithNothingWritten(w.c, 'fhir:patient', { patientId: w.active.patientId });
    w.c.session.user = w.otherDoctor;
    const audits = w.c.count('audit');
    expect(w.c.call('fhir:patient', { patientId: w.active.patientId }).ok).toBe(true);
    expect(w.c.count('audit')).toBe(audits + 1);
    const row = w.c.db.prepare(`SELECT action, user_id, patient_id, at FROM audit ORDER BY id DESC LIMIT 1`).get();
    expect(row).toEqual({ action: 'export.fhir_patient', user_id: w.otherDoctor.id, patient_id: w.active.patientId, at: NOW });
    w.c.session.user = w.admin;
    expect(w.c.call('fhir:range', { from: '2022-03-19', to: '2022-03-20' }).ok).toBe(true);
    expect(w.c.db.prepare(`SELECT action FROM audit ORDER BY id DESC LIMIT 1`).pluck().get()).toBe('export.fhir_range');
  });

  it("finding 7: a nurse limited to G1 cannot move another ward's patient into a G1 bed (the source ward is checked too)", () => {
    const w = network();
    w.c.session.user = w.nurse;
    refusedWithNothingWritten(w.c, 'beds:place', { episodeId: w.active.episodeId, bedId: w.c.beds[0] });
    expect(w.c.db.prepare(`SELECT state FROM bed WHERE id = ?`).pluck().get(w.c.zoneBeds[0])).toBe('occupied');
    // With the patient in G1, the nurse moves them within G1.
    w.c.session.user = w.admin;
    const own = w.c.ok<{ episodeId: number }>('patients:admit', admission({ bedId: w.c.beds[1]!, wardId: w.c.wardId }, { name: '本病区' }));
    w.c.session.user = w.nurse;
    expect(w.c.call('beds:place', { episodeId: own.episodeId, bedId: w.c.beds[2] }).ok).toBe(true);
  });
});
