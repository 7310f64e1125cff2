import { describe, expect, it } from 'vitest';
import type { DischargeCheck, ReadyList } from '../../shared/api/discharge';
import { admission, makeNetwork } from '../support/core';
import { classAt, ctTest, imagingAt, sh, temperatures, roundAt, transferAt } from '../support/timeline';
import type { DischargeSummary } from '../../shared/api/summary';

type Net = ReturnType<typeof makeNetwork>;

function admit(c: Net, bedId: number, wardId: number, admittedAt: string, name = '张伟'): number {
  return c.ok<{ episodeId: number }>('patients:admit', admission({ bedId, wardId, admittedAt }, { name, riskFactors: [] })).episodeId;
}

/** The two samples that meet the release criteria: N and ORF1ab Ct ≥ 35 on 17 and 18 March, over 24 h apart. */
function releaseSamples(c: Net, ep: number): void {
  ctTest(c.db, ep, sh('2022-03-17T08:00'), 36.2, 35.8);
  ctTest(c.db, ep, sh('2022-03-18T08:30'), 37.9, 38.4);
}

const shownOf = (check: DischargeCheck) => check.check.criteria.map((c) => ({ code: c.code, status: c.status }));

function dischargeInput(episodeId: number, dischargedAt: string, check: DischargeCheck, over: Record<string, unknown> = {}) {
  return { episodeId, dischargedAt, disposition: 'home', condition: 'cured', shown: shownOf(check), ...over };
}

describe('discharge', () => {
  it('a fangcang patient with two Ct ≥ 35 samples 24 h apart is on the ready list and is released home; the bed goes to cleaning', () => {
    const c = makeNetwork();
    const ep = admit(c, c.zoneBeds[0]!, c.zoneId, sh('2022-03-10T10:00'));
    ctTest(c.db, ep, sh('2022-03-12T08:00'), 28.1, 27.5);
    releaseSamples(c, ep);

    const ready = c.ok<ReadyList>('discharge:readyList', {});
    const fc = ready.facilities.find((f) => f.kind === 'fangcang')!;
    expect(fc.patients.map((p) => p.episodeId)).toEqual([ep]);
    expect(fc.patients[0]).toMatchObject({ eligible: true, kind: 'release_from_isolation', lastNCt: 37.9 });

    const check = c.ok<DischargeCheck>('discharge:check', { episodeId: ep });
    expect(check.check.eligible).toBe(true);
    expect(check.evidence.tests.map((t) => t.verdict)).toEqual(['not_qualifying', 'qualifies', 'qualifies']);
    c.ok('discharge:record', dischargeInput(ep, '2022-03-20T02:00:00.000Z', check, { followUpNote: '每日测体温两次' }));

    const episode = c.db.prepare('SELECT status, ended_at FROM episode WHERE id = ?').get(ep);
    expect(episode).toEqual({ status: 'discharged', ended_at: '2022-03-20T02:00:00.000Z' });
    expect(c.db.prepare('SELECT end_at FROM placement WHERE episode_id = ?').pluck().get(ep)).toBe('2022-03-20T02:00:00.000Z');
    expect(c.db.prepare('SELECT state FROM bed WHERE id = ?').pluck().get(c.zoneBeds[0])).toBe('cleaning');
    const actions = c.db.prepare(`SELECT action FROM audit WHERE action IN ('discharge.record', 'episode.end', 'placement.end', 'bed.state') ORDER BY id`).pluck().all();
    expect(actions).toEqual(['bed.state', 'discharge.record', 'episode.end', 'placement.end', 'bed.state']);

    const after = c.ok<DischargeCheck>('discharge:check', { episodeId: ep });
    expect(after.discharge).toMatchObject({ disposition: 'home', condition: 'cured', followUpDays: 7, followUpNote: '每日测体温两次', criteriaMetAt: sh('2022-03-18T08:30') });
    expect(c.ok<ReadyList>('discharge:readyList', {}).facilities.every((f) => f.patients.length === 0)).toBe(true);
    expect(c.call('discharge:record', dischargeInput(ep, '2022-03-20T03:00:00.000Z', check))).toMatchObject({
      ok: false,
      error: { code: 'CONFLICT', details: { key: 'discharge.not_active' } },
    });
  });

  it('a designated-hospital patient whose imaging has not improved is refused without a reason, and discharged against that criterion with one', () => {
    const c = makeNetwork();
    const ep = admit(c, c.beds[0]!, c.wardId, sh('2022-03-08T10:00'));
    ctTest(c.db, ep, sh('2022-03-17T08:00'), 36.0, 36.5);
    ctTest(c.db, ep, sh('2022-03-18T09:00'), 38.0, 37.0);
    temperatures(c.db, ep, sh('2022-03-14T08:00'), sh('2022-03-20T08:00'), 36.6, 8, []);
    imagingAt(c.db, ep, sh('2022-03-18T10:00'), true, false);

    const check = c.ok<DischargeCheck>('discharge:check', { episodeId: ep });
    expect(check.check.kind).toBe('discharge');
    expect(Object.fromEntries(check.check.criteria.map((x) => [x.code, x.status]))).toEqual({
      temperature_normal: 'met',
      respiratory_symptoms_improved: 'met',
      imaging_improved: 'not_met',
      nucleic_acid: 'met',
    });

    const refused = c.call('discharge:record', dischargeInput(ep, '2022-03-20T02:00:00.000Z', check));
    expect(refused).toMatchObject({ ok: false, error: { code: 'VALIDATION', details: { issues: [{ field: 'overrideReason', key: 'release.override_reason_required' }] } } });
    expect(c.count('discharge')).toBe(0);
    expect(c.db.prepare('SELECT status FROM episode WHERE id = ?').pluck().get(ep)).toBe('active');
    expect(c.db.prepare('SELECT state FROM bed WHERE id = ?').pluck().get(c.beds[0])).toBe('occupied');

    const reason = '影像吸收缓慢但临床稳定，经专家组讨论同意出院，出院后2周复查胸部CT';
    c.ok('discharge:record', dischargeInput(ep, '2022-03-20T02:00:00.000Z', check, { condition: 'improved', overrideReason: reason }));
    const stored = c.ok<DischargeCheck>('discharge:check', { episodeId: ep });
    expect(stored.discharge?.overrideReason).toBe(reason);
    expect(stored.check.criteria.find((x) => x.code === 'imaging_improved')?.status).toBe('not_met');
    expect(c.db.prepare(`SELECT reason FROM audit WHERE action = 'discharge.record'`).pluck().get()).toBe(reason);
  });

  it('only ward doctors and admin may discharge: a nurse is refused and nothing is written', () => {
    const c = makeNetwork();
    const ep = admit(c, c.zoneBeds[0]!, c.zoneId, sh('2022-03-10T10:00'));
    c.db.prepare(`INSERT INTO app_user (username, display_name, role, password_hash, created_at) VALUES ('nurse', '护士', 'nurse', 'x', ?)`).run('2022-03-01T00:00:00.000Z');
    const check = c.ok<DischargeCheck>('discharge:check', { episodeId: ep });
    c.session.user = { id: 2, username: 'nurse', displayName: '护士', role: 'nurse' };
    const r = c.call('discharge:record', dischargeInput(ep, '2022-03-20T02:00:00.000Z', check, { overrideReason: '家属要求' }));
    expect(!r.ok && r.error.code).toBe('FORBIDDEN');
    expect(c.count('discharge')).toBe(0);
  });

  it('refuses with CONFLICT when a result arrived after the check was shown, and the user sees the new check', () => {
    const c = makeNetwork();
    const ep = admit(c, c.zoneBeds[0]!, c.zoneId, sh('2022-03-10T10:00'));
    releaseSamples(c, ep);
    const seen = c.ok<DischargeCheck>('discharge:check', { episodeId: ep });
    ctTest(c.db, ep, sh('2022-03-19T08:30'), 31.0, 30.2);
    const r = c.call('discharge:record', dischargeInput(ep, '2022-03-20T02:00:00.000Z', seen));
    expect(r).toMatchObject({ ok: false, error: { code: 'CONFLICT', details: { key: 'discharge.criteria_changed' } } });
    expect(c.count('discharge')).toBe(0);
  });

  it('refuses a discharge time in the future or before the current placement began', () => {
    const c = makeNetwork();
    const ep = admit(c, c.zoneBeds[0]!, c.zoneId, sh('2022-03-10T10:00'));
    const check = c.ok<DischargeCheck>('discharge:check', { episodeId: ep });
    const early = c.call('discharge:record', dischargeInput(ep, sh('2022-03-09T10:00'), check, { overrideReason: '测试' }));
    expect(early).toMatchObject({ ok: false, error: { details: { issues: [{ field: 'dischargedAt', key: 'discharge.before_placement' }] } } });
    const future = c.call('discharge:record', dischargeInput(ep, '2022-03-21T02:00:00.000Z', check, { overrideReason: '测试' }));
    expect(future).toMatchObject({ ok: false, error: { details: { issues: [{ field: 'dischargedAt', key: 'validation.future' }] } } });
    expect(c.count('discharge')).toBe(0);
  });

  it('a death needs no override reason, ends the episode as deceased, and closes an open transfer request freeing the reserved bed', () => {
    const c = makeNetwork();
    const ep = admit(c, c.zoneBeds[0]!, c.zoneId, sh('2022-03-10T10:00'));
    const placement = c.db.prepare('SELECT id FROM placement WHERE episode_id = ?').pluck().get(ep);
    c.db.prepare(`UPDATE bed SET state = 'reserved' WHERE id = ?`).run(c.beds[2]);
    const facility = c.db.prepare(`SELECT id FROM facility WHERE code = 'DH'`).pluck().get();
    c.db
      .prepare(
        `INSERT INTO transfer_request (episode_id, status, requested_at, requested_by, reason, from_placement_id, to_facility_id, to_ward_id, to_bed_id, assigned_at, assigned_by)
         VALUES (?, 'bed_assigned', ?, 1, '病情加重', ?, ?, ?, ?, ?, 1)`,
      )
      .run(ep, sh('2022-03-19T08:00'), placement, facility, c.wardId, c.beds[2], sh('2022-03-19T09:00'));
    const check = c.ok<DischargeCheck>('discharge:check', { episodeId: ep });
    expect(check.check.eligible).toBe(false);
    const r = c.call('discharge:record', dischargeInput(ep, '2022-03-20T01:00:00.000Z', check, { overrideReason: null }));
    expect(!r.ok && r.error.details.issues?.[0]).toMatchObject({ field: 'overrideReason' });
    c.ok('discharge:record', dischargeInput(ep, '2022-03-20T01:00:00.000Z', check, { disposition: 'deceased', condition: 'deceased', conditionNote: '呼吸循环衰竭' }));
    expect(c.db.prepare('SELECT status FROM episode WHERE id = ?').pluck().get(ep)).toBe('deceased');
    expect(c.db.prepare('SELECT status, cancel_reason FROM transfer_request WHERE episode_id = ?').get(ep)).toEqual({ status: 'cancelled', cancel_reason: 'deceased' });
    expect(c.db.prepare('SELECT state FROM bed WHERE id = ?').pluck().get(c.beds[2])).toBe('free');
    const mismatch = c.call('discharge:record', dischargeInput(ep, '2022-03-20T01:00:00.000Z', check, { disposition: 'deceased', condition: 'cured' }));
    expect(!mismatch.ok && mismatch.error.details.issues?.[0]).toMatchObject({ field: 'condition', key: 'validation.discharge_condition_deceased' });
  });

  it('a signed discharge is corrected by an amendment with a reason; the original stays, and only the current version can be amended', () => {
    const c = makeNetwork();
    const ep = admit(c, c.zoneBeds[0]!, c.zoneId, sh('2022-03-10T10:00'));
    releaseSamples(c, ep);
    const check = c.ok<DischargeCheck>('discharge:check', { episodeId: ep });
    const { dischargeId } = c.ok<{ dischargeId: number }>('discharge:record', dischargeInput(ep, '2022-03-20T02:00:00.000Z', check));
    expect(() => c.db.prepare(`UPDATE discharge SET disposition = 'other' WHERE id = ?`).run(dischargeId)).toThrow(/immutable/);

    const noReason = c.call('discharge:amend', { dischargeId, reason: ' ', disposition: 'other_facility', condition: 'improved' });
    expect(!noReason.ok && noReason.error.details.issues?.[0]).toMatchObject({ field: 'reason' });
    const amended = c.ok<{ dischargeId: number }>('discharge:amend', { dischargeId, reason: '去向录入错误：转康复医院', disposition: 'other_facility', condition: 'improved' });
    const now = c.ok<DischargeCheck>('discharge:check', { episodeId: ep });
    expect(now.discharge).toMatchObject({
      id: amended.dischargeId,
      disposition: 'other_facility',
      entryKind: 'amendment',
      reason: '去向录入错误：转康复医院',
      supersedesId: dischargeId,
    });
    expect(now.history.map((h) => h.id)).toEqual([amended.dischargeId, dischargeId]);
    const again = c.call('discharge:amend', { dischargeId, reason: '再次更正', disposition: 'home', condition: 'cured' });
    expect(again).toMatchObject({ ok: false, error: { code: 'CONFLICT', details: { key: 'discharge.superseded' } } });
  });

  it('respiratory symptoms count as improved when the latest round lists fewer than the worst round', () => {
    const c = makeNetwork();
    const ep = admit(c, c.beds[0]!, c.wardId, sh('2022-03-10T10:00'));
    roundAt(c.db, ep, sh('2022-03-11T08:00'), 38.2, ['fever', 'cough', 'sore_throat']);
    roundAt(c.db, ep, sh('2022-03-19T08:00'), 36.5, ['cough']);
    const check = c.ok<DischargeCheck>('discharge:check', { episodeId: ep });
    expect(check.check.criteria.find((x) => x.code === 'respiratory_symptoms_improved')?.status).toBe('met');
    expect(check.evidence.symptoms).toMatchObject({ latestRespiratory: 1, peakRespiratory: 2 });
    roundAt(c.db, ep, sh('2022-03-19T20:00'), 36.5, ['cough', 'sore_throat']);
    const worse = c.ok<DischargeCheck>('discharge:check', { episodeId: ep });
    expect(worse.check.criteria.find((x) => x.code === 'respiratory_symptoms_improved')?.status).toBe('not_met');
  });

  it('the discharge summary gathers identity (ID masked), beds over time, classes, the Ct series, treatment from the plan versions and the discharge', () => {
    const c = makeNetwork();
    const ep = c.ok<{ episodeId: number }>(
      'patients:admit',
      admission(
        { bedId: c.zoneBeds[0]!, wardId: c.zoneId, admittedAt: sh('2022-03-10T10:00') },
        { name: '钱芳', sex: 'F', idCard: '11010519491231002X', ageYears: null, riskFactors: [] },
      ),
    ).episodeId;
    classAt(c.db, ep, sh('2022-03-10T12:00'), 'mild');
    classAt(c.db, ep, sh('2022-03-12T09:00'), 'moderate');
    transferAt(c.db, ep, sh('2022-03-12T12:00'), c.wardId, c.beds[0]!);
    const plan = c.db.prepare(`INSERT INTO plan_version (episode_id, version, created_at, author_id, items) VALUES (?, ?, ?, 1, ?)`);
    const antiviral = { kind: 'antiviral', detail: '奈玛特韦/利托那韦', startDate: '2022-03-12', courseDays: 5 };
    plan.run(ep, 1, sh('2022-03-10T12:00'), JSON.stringify([{ kind: 'symptomatic', detail: '对症支持', startDate: null, courseDays: null }]));
    plan.run(ep, 2, sh('2022-03-12T13:00'), JSON.stringify([{ kind: 'symptomatic', detail: '对症支持', startDate: null, courseDays: null }, antiviral]));
    releaseSamples(c, ep);
    const check = c.ok<DischargeCheck>('discharge:check', { episodeId: ep, at: '2022-03-20T02:00:00.000Z' });
    c.ok('discharge:record', dischargeInput(ep, '2022-03-20T02:00:00.000Z', check, { condition: 'improved', overrideReason: '影像未复查，临床稳定' }));
    const s = c.ok<DischargeSummary>('summary:get', { episodeId: ep });
    expect(s.patient).toMatchObject({ name: '钱芳', idCardMasked: '110105********002X' });
    expect(JSON.stringify(s)).not.toContain('11010519491231002X');
    expect(s.placements.map((p) => [p.facilityName, p.bedLabel, p.beganBy])).toEqual([
      ['方舱医院', 'A1-001', 'admission'],
      ['定点医院', 'G1-001', 'transfer'],
    ]);
    expect(s.classes.map((x) => x.class)).toEqual(['mild', 'moderate']);
    expect(s.tests.map((x) => x.nCt)).toEqual([36.2, 37.9]);
    expect(s.treatment).toEqual([
      { kind: 'symptomatic', detail: '对症支持', startDate: null, courseDays: null, firstVersion: 1, lastVersion: 2, since: sh('2022-03-10T12:00') },
      { kind: 'antiviral', detail: '奈玛特韦/利托那韦', startDate: '2022-03-12', courseDays: 5, firstVersion: 2, lastVersion: 2, since: sh('2022-03-12T13:00') },
    ]);
    expect(s).toMatchObject({ status: 'discharged', lengthOfStayDays: 10, discharge: { condition: 'improved', overrideReason: '影像未复查，临床稳定', followUpDays: 7 } });
  });
});
