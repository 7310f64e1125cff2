import { describe, expect, it } from 'vitest';
import type { ErrorPayload } from '../../shared/errors';
import type { Chart } from '../../shared/api/chart';
import type { WardBoard } from '../../shared/api/facilities';
import type { RoundWard } from '../../shared/api/rounds';
import { makeNetwork } from '../support/core';
import { actAs, admitted, at, FULL_ROUND } from '../support/clinical';

function setup() {
  const c = makeNetwork();
  const { episodeId, patientId } = admitted(c, { ageYears: 67, riskFactors: ['diabetes'] });
  actAs(c, 'dr.wang', 'ward_doctor', '王医生');
  return { c, episodeId, patientId };
}
const errorOf = (r: { ok: boolean; error?: ErrorPayload }) => (r.ok ? null : (r.error as ErrorPayload));

describe('laboratory results and imaging', () => {
  it('a nucleic-acid test needs both N and ORF1ab Ct (or a qualitative result), named on the field', () => {
    const { c, episodeId } = setup();
    const err = errorOf(c.call('results:record', { episodeId, collectedAt: at(30), nucleicAcid: { ctN: 36.2 } }));
    expect(err?.details.issues).toEqual([{ field: 'nucleicAcid.ctOrf1ab', key: 'validation.ct_pair' }]);
    const ct = errorOf(c.call('results:record', { episodeId, collectedAt: at(30), nucleicAcid: { ctN: 60, ctOrf1ab: 30 } }));
    expect(ct?.details.issues).toEqual([{ field: 'nucleicAcid.ctN', key: 'validation.too_big', params: { max: 45 } }]);
    expect(c.count('lab_result')).toBe(0);
  });

  it('records a nucleic-acid test and a panel as one collection, each value its own signed row; a correction keeps the original', () => {
    const { c, episodeId } = setup();
    const { resultIds } = c.ok<{ resultIds: number[] }>('results:record', {
      episodeId,
      collectedAt: at(30),
      nucleicAcid: { ctN: 24.1, ctOrf1ab: 25 },
      labs: { lymphocytes: 0.9, crp: 12.5 },
    });
    expect(resultIds).toHaveLength(3);
    expect(c.db.prepare(`SELECT count(*) FROM audit WHERE action = 'lab.record'`).pluck().get()).toBe(3);
    c.ok('results:amend', { resultId: resultIds[0], reason: '样本号对错，应为 26.3/27.0', collectedAt: at(30), ctN: 26.3, ctOrf1ab: 27 });
    const chart = c.ok<Chart>('chart:get', { episodeId });
    const tests = chart.labs.filter((l) => l.analyte === 'nucleic_acid');
    expect(tests.map((l) => [l.status, l.ctN])).toEqual([
      ['current', 26.3],
      ['superseded', 24.1],
    ]);
    expect(chart.trends.ct).toEqual([{ at: at(30), ctN: 26.3, ctOrf1ab: 27, ctE: null, qualitative: null }]);
  });

  it('imaging with pneumonia makes the rule propose "moderate"; entered in error takes it back', () => {
    const { c, episodeId } = setup();
    c.ok('rounds:record', { episodeId, measuredAt: at(10), ...FULL_ROUND });
    const { imagingId } = c.ok<{ imagingId: number }>('results:recordImaging', { episodeId, performedAt: at(40), modality: 'ct', pneumonia: true, finding: '双肺磨玻璃影' });
    expect(c.ok<Chart>('chart:get', { episodeId }).header.proposal.proposed).toBe('moderate');
    c.ok('results:enterInError', { kind: 'imaging', id: imagingId, reason: '其他患者的影像' });
    expect(c.ok<Chart>('chart:get', { episodeId }).header.proposal.proposed).toBe('mild');
  });
});

describe('class and tier decisions', () => {
  it('the doctor confirms the rule proposal; it is stored with the proposal and the rule set', () => {
    const { c, episodeId } = setup();
    c.ok('rounds:record', { episodeId, measuredAt: at(10), ...FULL_ROUND });
    c.ok('classes:assess', { episodeId, proposedClass: 'mild', decision: 'confirmed' });
    const row = c.db.prepare('SELECT class, proposed_class, decision, rule_set, proposal FROM class_assessment').get() as {
      class: string;
      proposed_class: string;
      decision: string;
      rule_set: string;
      proposal: string;
    };
    expect(row).toMatchObject({ class: 'mild', proposed_class: 'mild', decision: 'confirmed', rule_set: 'cn-v9' });
    expect(JSON.parse(row.proposal).criteria[0].code).toBe('mild_symptoms_no_pneumonia');
    expect(c.db.prepare('SELECT current_class FROM episode_state WHERE episode_id = ?').pluck().get(episodeId)).toBe('mild');
  });

  it('an override needs a class other than the proposal and a reason; a stale proposal is refused', () => {
    const { c, episodeId } = setup();
    c.ok('rounds:record', { episodeId, measuredAt: at(10), ...FULL_ROUND });
    const err = errorOf(c.call('classes:assess', { episodeId, proposedClass: 'mild', decision: 'overridden', class: 'mild' }));
    expect(err?.details.issues).toEqual([
      { field: 'class', key: 'validation.override_same' },
      { field: 'overrideReason', key: 'validation.override_reason' },
    ]);
    const stale = errorOf(c.call('classes:assess', { episodeId, proposedClass: 'asymptomatic', decision: 'confirmed' }));
    expect(stale).toMatchObject({ code: 'CONFLICT', details: { key: 'classes.proposal_changed' } });
    c.ok('classes:assess', { episodeId, proposedClass: 'mild', decision: 'overridden', class: 'moderate', overrideReason: '床旁超声示B线' });
    expect(c.ok<Chart>('chart:get', { episodeId }).classHistory[0]).toMatchObject({
      class: 'moderate',
      proposedClass: 'mild',
      decision: 'overridden',
      overrideReason: '床旁超声示B线',
      authorName: '王医生',
    });
  });

  it('a nurse may not decide the class', () => {
    const { c, episodeId } = setup();
    actAs(c, 'nurse.zhang', 'nurse');
    expect(errorOf(c.call('classes:assess', { episodeId, proposedClass: 'asymptomatic', decision: 'confirmed' }))?.code).toBe('FORBIDDEN');
  });

  it('a tier change carries a reason and the rule proposal of the moment, and appears in the history', () => {
    const { c, episodeId } = setup();
    expect(errorOf(c.call('tiers:assign', { episodeId, tier: 'T3', reason: '' }))?.details.issues).toEqual([{ field: 'reason', key: 'validation.required' }]);
    c.ok('tiers:assign', { episodeId, tier: 'T3', reason: '高龄合并糖尿病，收定点医院' });
    expect(errorOf(c.call('tiers:assign', { episodeId, tier: 'T3', reason: '重复' }))?.details.issues).toEqual([{ field: 'tier', key: 'tiers.unchanged' }]);
    const chart = c.ok<Chart>('chart:get', { episodeId });
    expect(chart.header.tier).toBe('T3');
    expect(chart.tierHistory[0]).toMatchObject({ tier: 'T3', proposedTier: 'T2', source: 'manual', reason: '高龄合并糖尿病，收定点医院' });
  });
});

describe('the plan (一人一策)', () => {
  it('each save is a new version; saving from an outdated version is refused', () => {
    const { c, episodeId } = setup();
    const drId = c.session.user!.id;
    const v1 = c.ok<{ version: number }>('plans:save', {
      episodeId,
      baseVersion: 0,
      attendingId: drId,
      goals: '对症治疗',
      items: [{ kind: 'antiviral', detail: '奈玛特韦/利托那韦', startDate: '2022-03-20', courseDays: 5 }],
      monitoring: 'q4to6h',
    });
    expect(v1.version).toBe(1);
    const v2 = c.ok<{ version: number }>('plans:save', {
      episodeId,
      baseVersion: 1,
      attendingId: drId,
      goals: '对症治疗',
      items: [
        { kind: 'antiviral', detail: '奈玛特韦/利托那韦', startDate: '2022-03-20', courseDays: 5 },
        { kind: 'oxygen_therapy', detail: '鼻导管 2 L/min' },
      ],
      monitoring: 'q4to6h',
      changeNote: '加用氧疗',
    });
    expect(v2.version).toBe(2);
    expect(errorOf(c.call('plans:save', { episodeId, baseVersion: 1, goals: 'x' }))).toMatchObject({ code: 'CONFLICT', details: { key: 'plans.version_conflict' } });
    const noStart = errorOf(c.call('plans:save', { episodeId, baseVersion: 2, items: [{ kind: 'antiviral' }] }));
    expect(noStart?.details.issues).toEqual([{ field: 'items.0.startDate', key: 'validation.antiviral_start' }]);
    const nurseAsAttending = actAs(c, 'nurse.zhang', 'nurse');
    actAs(c, 'dr.wang', 'ward_doctor');
    expect(errorOf(c.call('plans:save', { episodeId, baseVersion: 2, attendingId: nurseAsAttending }))?.details.issues).toEqual([{ field: 'attendingId', key: 'plans.team_role' }]);
    const plans = c.ok<Chart>('chart:get', { episodeId }).plans;
    expect(plans.map((p) => p.version)).toEqual([2, 1]);
    expect(() => c.db.prepare('UPDATE plan_version SET goals = ? WHERE version = 1').run('改写')).toThrow(/immutable/);
  });
});

describe('the chart, the ward board and round mode', () => {
  it('the chart header shows class, tier, NEWS2, risk factors and flags with reasons; the board and round mode show the same state', () => {
    const { c, episodeId } = setup();
    actAs(c, 'nurse.zhang', 'nurse');
    c.ok('rounds:record', { episodeId, measuredAt: '2022-03-20T06:00:00.000Z', ...FULL_ROUND, respRate: 26, spo2: 93, pulse: 112 });
    const chart = c.ok<Chart>('chart:get', { episodeId });
    expect(chart.header).toMatchObject({ name: '张伟', ageYears: 67, bedLabel: 'G1-001', riskFactors: ['age_over_60', 'diabetes'] });
    expect(chart.header.news2).toMatchObject({ total: 3 + 2 + 2, band: 'high' });
    expect(chart.header.flags.map((f) => f.code)).toEqual(expect.arrayContaining(['risk_factors', 'news2_high', 'hypoxaemia_worsening']));
    expect(chart.trends.vitals).toHaveLength(1);

    const board = c.ok<WardBoard>('wards:board', { wardId: c.wardId });
    const occupant = board.beds.find((b) => b.occupant?.episodeId === episodeId)?.occupant;
    expect(occupant).toMatchObject({ news2Total: 7, news2Band: 'high', news2Complete: true, proposedClass: 'severe', overdue: false });
    expect(occupant?.flags).toContain('news2_high');
    // NEWS2 ≥ 7 → continuous monitoring: due 15 minutes after the observation (14:00), overdue at 14:30.
    const later = c.ok<WardBoard>('wards:board', { wardId: c.wardId }, '2022-03-20T06:30:00.000Z');
    expect(later.beds.find((b) => b.occupant?.episodeId === episodeId)?.occupant?.overdue).toBe(true);

    const ward = c.ok<RoundWard>('rounds:ward', { wardId: c.wardId });
    expect(ward.beds[0]).toMatchObject({ bedLabel: 'G1-001', episodeId, news2Total: 7 });
    expect(ward.beds[0]?.last).toMatchObject({ respRate: 26, spo2: 93 });
  });

  it("the round form's cross-field checks name their fields", () => {
    const { c, episodeId } = setup();
    const err = errorOf(c.call('rounds:record', { episodeId, measuredAt: at(10), onOxygen: false, o2Device: 'nasal_cannula', systolicBp: 90, diastolicBp: 95 }));
    expect(err?.details.issues).toEqual([
      { field: 'o2Device', key: 'validation.device_needs_oxygen' },
      { field: 'diastolicBp', key: 'validation.diastolic_not_below_systolic' },
    ]);
    expect(errorOf(c.call('rounds:record', { episodeId, measuredAt: at(10) }))?.details.issues).toEqual([{ field: '', key: 'validation.round_empty' }]);
  });
});
