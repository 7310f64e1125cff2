import { describe, expect, it } from 'vitest';
import type { Queue } from '../../shared/api/queue';
import { Ctx } from '../../electron/core/context';
import { computeSnapshot } from '../../electron/core/clinical/state';
import { NOW } from '../support/core';
import { admit, as, lab, panelNetwork, round } from '../support/panel';

const H = 3600_000;
const at = (hoursBeforeNow: number) => new Date(Date.parse(NOW) - hoursBeforeNow * H).toISOString();

/**
 * One ward of each kind, seven patients: only the ones whose flags fire are in the queue, each with
 * the reason it fires for.
 */
function constructedWard() {
  const c = panelNetwork();
  const [g1, g2, g3] = c.beds as [number, number, number];
  const [a1, a2] = c.zoneBeds as [number, number];
  const [b1, b2, b3] = c.zone2Beds as [number, number, number];
  const calm = admit(c, { wardId: c.zoneId, bedId: a1 }, { name: '平稳者', ageYears: 35, riskFactors: [] });
  round(c, calm.episodeId, at(30));
  round(c, calm.episodeId, at(6));
  const elderly = admit(c, { wardId: c.zoneId, bedId: a2 }, { name: '高龄者', ageYears: 67, riskFactors: ['diabetes'] });
  round(c, elderly.episodeId, at(6));
  const sick = admit(c, { wardId: c.zone2Id, bedId: b1 }, { name: '加重者', ageYears: 40, riskFactors: [] });
  round(c, sick.episodeId, at(30));
  round(c, sick.episodeId, at(12), { respRate: 22, spo2: 94, pulse: 100 });
  round(c, sick.episodeId, at(2), { respRate: 26, spo2: 92, pulse: 115 }, { symptoms: ['cough', 'breathlessness'] });
  const lymph = admit(c, { wardId: c.zone2Id, bedId: b2 }, { name: '淋巴降者', ageYears: 30, riskFactors: [] });
  round(c, lymph.episodeId, at(6));
  lab(c, lymph.episodeId, 'lymphocytes', at(50), 1.5);
  lab(c, lymph.episodeId, 'lymphocytes', at(26), 1.1);
  lab(c, lymph.episodeId, 'lymphocytes', at(3), 0.8);
  const referred = admit(c, { wardId: c.zone2Id, bedId: b3 }, { name: '提请者', ageYears: 45, riskFactors: [] });
  round(c, referred.episodeId, at(6));
  as(c, c.doctor, () => c.ok('queue:refer', { episodeId: referred.episodeId, note: '患者焦虑，请专家评估' }, at(1)));
  const overdue = admit(c, { wardId: c.wardId, bedId: g1 }, { name: '逾期者', ageYears: 50, riskFactors: [] });
  round(c, overdue.episodeId, at(40));
  as(c, c.expert, () => c.ok('reviews:record', { episodeId: overdue.episodeId, decision: 'continue', nextReviewDue: at(14) }, at(38)));
  const quiet = admit(c, { wardId: c.wardId, bedId: g2 }, { name: '已会诊', ageYears: 52, riskFactors: [] });
  round(c, quiet.episodeId, at(40));
  as(c, c.expert, () => c.ok('reviews:record', { episodeId: quiet.episodeId, decision: 'continue', nextReviewDue: at(-10) }, at(38)));
  return { c, calm, elderly, sick, lymph, referred, overdue, quiet, g3 };
}

describe('the expert queue', () => {
  it('contains exactly the patients whose flags fire, each with the reasons and evidence', () => {
    const w = constructedWard();
    const q = as(w.c, w.c.expert, () => w.c.ok<Queue>('queue:list', {}));
    const byName = new Map(q.rows.map((r) => [r.name, r]));
    expect([...byName.keys()].sort()).toEqual(['加重者', '提请者', '淋巴降者', '逾期者', '高龄者'].sort());
    expect(q.total).toBe(5);

    expect(byName.get('高龄者')?.flags.map((f) => f.code)).toEqual(['risk_factors']);
    expect(byName.get('高龄者')?.flags[0]?.evidence).toMatchObject({ factors: 'age_over_60,diabetes', count: 2 });

    const sick = byName.get('加重者');
    expect(sick?.flags.map((f) => f.code)).toEqual(expect.arrayContaining(['hypoxaemia_worsening', 'news2_high', 'meets_severe_criteria']));
    expect(sick?.flags.find((f) => f.code === 'news2_high')?.evidence).toMatchObject({ total: 7, band: 'high' });
    expect(sick?.news2Trend).toEqual([0, 4, 7]);

    const lymph = byName.get('淋巴降者');
    expect(lymph?.flags.map((f) => f.code)).toEqual(['lymphocytes_falling']);
    expect(lymph?.flags[0]).toMatchObject({ since: at(50), evidence: { values: '1.5, 1.1, 0.8' } });

    expect(byName.get('提请者')?.flags.map((f) => f.code)).toEqual(['doctor_referral']);
    expect(byName.get('提请者')?.flags[0]?.evidence).toMatchObject({ note: '患者焦虑，请专家评估' });

    // Nothing was written since the review fell due 14 h ago: the queue computes it against now.
    const overdue = byName.get('逾期者');
    expect(overdue?.flags.map((f) => f.code)).toEqual(['review_overdue']);
    expect(overdue?.flags[0]?.evidence).toMatchObject({ dueAt: at(14), hoursOverdue: 14 });
    expect(overdue?.lastReview).toMatchObject({ decision: 'continue', by: '周教授' });
    // The queue's clock-only update of a stored state agrees with a full recomputation at now.
    const snap = computeSnapshot(new Ctx(w.c.db, NOW, w.c.session), w.overdue.episodeId);
    expect(overdue?.flags).toEqual(snap.flags);
    expect(overdue?.urgency).toBe(snap.urgency);
  });

  it('puts the patient meeting severe criteria first, and breaks ties by the longest wait', () => {
    const w = constructedWard();
    const q = as(w.c, w.c.expert, () => w.c.ok<Queue>('queue:list', {}));
    expect(q.rows[0]?.name).toBe('加重者');
    const urgencies = q.rows.map((r) => r.urgency);
    expect([...urgencies].sort((a, b) => b - a)).toEqual(urgencies);
    for (let i = 1; i < q.rows.length; i++) {
      const [a, b] = [q.rows[i - 1]!, q.rows[i]!];
      if (a.urgency === b.urgency) expect(a.waitingSince <= b.waitingSince).toBe(true);
    }
  });

  it('filters by facility, ward, flag and tier', () => {
    const w = constructedWard();
    const list = (filter: object) =>
      as(w.c, w.c.expert, () => w.c.ok<Queue>('queue:list', filter))
        .rows.map((r) => r.name)
        .sort();
    expect(list({ facilityId: w.c.dh })).toEqual(['逾期者']);
    expect(list({ wardId: w.c.zone2Id })).toEqual(['加重者', '提请者', '淋巴降者'].sort());
    expect(list({ flag: 'risk_factors' })).toEqual(['高龄者']);
    expect(list({ tier: 'T3' })).toEqual([]);
  });

  it('hides a snoozed flag until the snooze expires, and refuses a snooze without a reason or beyond a week', () => {
    const w = constructedWard();
    const c = w.c;
    const noReason = as(c, c.expert, () => c.call('queue:snooze', { episodeId: w.elderly.episodeId, flagCode: 'risk_factors', until: at(-24), reason: ' ' }));
    expect(!noReason.ok && noReason.error.details.issues?.[0]).toMatchObject({ field: 'reason', key: 'validation.required' });
    const tooLong = as(c, c.expert, () => c.call('queue:snooze', { episodeId: w.elderly.episodeId, flagCode: 'risk_factors', until: at(-24 * 8), reason: '长期稳定' }));
    expect(!tooLong.ok && tooLong.error.details.issues?.[0]).toMatchObject({ field: 'until', key: 'panel.snooze_too_long' });
    const notFiring = as(c, c.expert, () => c.call('queue:snooze', { episodeId: w.calm.episodeId, flagCode: 'news2_high', until: at(-24), reason: '—' }));
    expect(!notFiring.ok && notFiring.error.details.issues?.[0]?.key).toBe('panel.flag_not_active');
    const byDoctor = as(c, c.doctor, () => c.call('queue:snooze', { episodeId: w.elderly.episodeId, flagCode: 'risk_factors', until: at(-24), reason: '稳定' }));
    expect(!byDoctor.ok && byDoctor.error.code).toBe('FORBIDDEN');

    as(c, c.expert, () => c.ok('queue:snooze', { episodeId: w.elderly.episodeId, flagCode: 'risk_factors', until: at(-24), reason: '高危因素已知，病情稳定，已在方舱加强监测' }));
    const names = (now: string) => as(c, c.expert, () => c.ok<Queue>('queue:list', {}, now)).rows.map((r) => r.name);
    expect(names(NOW)).not.toContain('高龄者');
    // A day and a minute later, with no write in between, the flag is back.
    expect(names(at(-24 - 1 / 60))).toContain('高龄者');
    expect(c.db.prepare(`SELECT count(*) FROM audit WHERE action = 'queue.snooze'`).pluck().get()).toBe(1);
  });

  it('lets a doctor refer but not a nurse; the referral shows until the next review', () => {
    const w = constructedWard();
    const c = w.c;
    const byNurse = as(c, c.nurse, () => c.call('queue:refer', { episodeId: w.calm.episodeId, note: '请会诊' }));
    expect(!byNurse.ok && byNurse.error.code).toBe('FORBIDDEN');
    as(c, c.expert, () => c.ok('reviews:record', { episodeId: w.referred.episodeId, decision: 'continue', nextReviewDue: at(-24) }));
    const q = as(c, c.expert, () => c.ok<Queue>('queue:list', {}));
    expect(q.rows.map((r) => r.name)).not.toContain('提请者');
  });

  it('is not open to nurses', () => {
    const w = constructedWard();
    const r = as(w.c, w.c.nurse, () => w.c.call('queue:list', {}));
    expect(!r.ok && r.error.code).toBe('FORBIDDEN');
  });
});
