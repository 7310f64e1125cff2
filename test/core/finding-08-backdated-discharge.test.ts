import { describe, expect, it } from 'vitest';
import type { DischargeCheck } from '../../shared/api/discharge';
import type { Result } from '../../shared/errors';
import { actAs, at, FULL_ROUND } from '../support/clinical';
import { admission, makeNetwork } from '../support/core';
import { classAt, ctTest, imagingAt, roundAt, sh } from '../support/timeline';

/**
 * Issue 12 finding 8: a discharge dated before a positive Ct that was already recorded was accepted,
 * and the stored release check, evaluated at the back-dated time, never saw the result. Likewise an
 * amendment after discharge could move a measured-at past the end of the stay. Both are refused.
 */
type Net = ReturnType<typeof makeNetwork>;

function admit(c: Net, admittedAt: string, bed = c.zoneBeds[0]!, ward = c.zoneId): number {
  return c.ok<{ episodeId: number }>('patients:admit', admission({ bedId: bed, wardId: ward, admittedAt }, { riskFactors: [] })).episodeId;
}

/** A discharge as the screen sends it: the criteria shown by the check at the discharge time. */
function discharge(c: Net, episodeId: number, dischargedAt: string): Result<{ dischargeId: number }> {
  const check = c.ok<DischargeCheck>('discharge:check', { episodeId, at: dischargedAt });
  const shown = check.check.criteria.map((x) => ({ code: x.code, status: x.status }));
  const overrideReason = check.check.eligible ? undefined : '家属要求，临床稳定';
  return c.call('discharge:record', { episodeId, dischargedAt, disposition: 'home', condition: 'improved', shown, ...(overrideReason ? { overrideReason } : {}) });
}

const written = (c: Net) => ({
  discharges: c.count('discharge'),
  audit: c.count('audit'),
  active: c.db.prepare(`SELECT count(*) FROM episode WHERE status = 'active'`).pluck().get(),
});

describe('finding 8: back-dated discharge', () => {
  it('a discharge dated before a positive Ct already recorded is refused on dischargedAt, naming the result; after it is withdrawn as entered in error, the discharge goes through', () => {
    const c = makeNetwork();
    const ep = admit(c, sh('2022-03-10T10:00'));
    ctTest(c.db, ep, sh('2022-03-16T08:00'), 36.2, 35.8);
    ctTest(c.db, ep, sh('2022-03-17T08:30'), 37.9, 38.4);
    const positive = ctTest(c.db, ep, sh('2022-03-19T08:00'), 24.1, 25.0);
    // At the back-dated time the check sees only the two negatives: it looks eligible.
    expect(c.ok<DischargeCheck>('discharge:check', { episodeId: ep, at: sh('2022-03-18T10:00') }).check.eligible).toBe(true);

    const before = written(c);
    const r = discharge(c, ep, sh('2022-03-18T10:00'));
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.error).toMatchObject({
      code: 'VALIDATION',
      details: {
        key: 'discharge.before_lab',
        issues: [{ field: 'dischargedAt', key: 'discharge.before_lab', params: { at: '2022-03-19 08:00' } }],
        conflict: { entity: 'lab_result', id: positive },
      },
    });
    expect(written(c)).toEqual(before);

    // The clinician finds the positive belonged to another patient and withdraws it; the real discharge time then stands.
    actAs(c, 'dr.li', 'ward_doctor');
    c.ok('results:enterInError', { kind: 'lab', id: positive, reason: '样本号错，属于另一患者' });
    actAs(c, 'admin', 'admin');
    expect(discharge(c, ep, sh('2022-03-18T10:00')).ok).toBe(true);
    expect(c.db.prepare('SELECT ended_at FROM episode WHERE id = ?').pluck().get(ep)).toBe(sh('2022-03-18T10:00'));
  });

  it.each([
    ['a round measured later', 'discharge.before_round', (c: Net, ep: number) => roundAt(c.db, ep, sh('2022-03-18T14:00'), 36.6, [])],
    ['imaging performed later', 'discharge.before_imaging', (c: Net, ep: number) => imagingAt(c.db, ep, sh('2022-03-18T14:00'), false, true)],
    ['a class assessed later', 'discharge.before_assessment', (c: Net, ep: number) => classAt(c.db, ep, sh('2022-03-18T14:00'), 'mild')],
  ])('a discharge dated before %s is refused with %s, naming its time', (_what, key, record) => {
    const c = makeNetwork();
    const ep = admit(c, sh('2022-03-10T10:00'));
    record(c, ep);
    const before = written(c);
    const r = discharge(c, ep, sh('2022-03-18T10:00'));
    expect(!r.ok && r.error.details.issues).toEqual([{ field: 'dischargedAt', key, params: { at: '2022-03-18 14:00' } }]);
    expect(written(c)).toEqual(before);
    // At or after the record, the discharge is accepted.
    expect(discharge(c, ep, sh('2022-03-18T14:00')).ok).toBe(true);
  });

  it('a discharge dated before a transfer into the current bed is refused on dischargedAt', () => {
    const c = makeNetwork();
    const ep = admit(c, sh('2022-03-10T10:00'));
    c.ok('beds:place', { episodeId: ep, bedId: c.zoneBeds[1]! }, sh('2022-03-18T14:00'));
    const r = discharge(c, ep, sh('2022-03-18T10:00'));
    expect(!r.ok && r.error.details.issues).toEqual([{ field: 'dischargedAt', key: 'discharge.before_placement' }]);
  });

  it('after discharge, an amendment may correct a round, a result or imaging within the stay, but not move its time past the end of the stay', () => {
    const c = makeNetwork();
    actAs(c, 'admin', 'admin');
    const ep = admit(c, at(0), c.beds[0]!, c.wardId);
    actAs(c, 'dr.wang', 'ward_doctor');
    const { roundId } = c.ok<{ roundId: number }>('rounds:record', { episodeId: ep, measuredAt: at(30), ...FULL_ROUND });
    const { resultIds } = c.ok<{ resultIds: number[] }>('results:record', { episodeId: ep, collectedAt: at(40), nucleicAcid: { ctN: 30.1, ctOrf1ab: 31.2 } });
    const { imagingId } = c.ok<{ imagingId: number }>('results:recordImaging', { episodeId: ep, performedAt: at(45), modality: 'ct', pneumonia: false });
    actAs(c, 'admin', 'admin');
    expect(discharge(c, ep, at(120)).ok).toBe(true);

    actAs(c, 'dr.wang', 'ward_doctor');
    const after = { key: 'records.after_discharge', params: { endedAt: '2022-03-20 12:00' } };
    const counts = () => [c.count('round'), c.count('lab_result'), c.count('imaging')];
    const before = counts();
    const round = c.call('rounds:amend', { roundId, reason: '时间记错', measuredAt: at(150), ...FULL_ROUND });
    expect(!round.ok && round.error.details.issues).toEqual([{ field: 'measuredAt', ...after }]);
    const lab = c.call('results:amend', { resultId: resultIds[0], reason: '采样时间记错', collectedAt: at(121), ctN: 30.1, ctOrf1ab: 31.2 });
    expect(!lab.ok && lab.error.details.issues).toEqual([{ field: 'collectedAt', ...after }]);
    const img = c.call('results:amendImaging', { imagingId, reason: '检查时间记错', performedAt: at(200), modality: 'ct', pneumonia: false });
    expect(!img.ok && img.error.details.issues).toEqual([{ field: 'performedAt', ...after }]);
    expect(counts()).toEqual(before);

    // A late correction inside the stay is still allowed (and audited), up to the discharge instant itself.
    c.ok('rounds:amend', { roundId, reason: '测量时间应为10:50', measuredAt: at(50), ...FULL_ROUND });
    c.ok('results:amend', { resultId: resultIds[0], reason: '采样时间应为12:00', collectedAt: at(120), ctN: 30.1, ctOrf1ab: 31.2 });
  });
});
