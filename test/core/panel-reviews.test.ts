import { describe, expect, it } from 'vitest';
import type { Review } from '../../shared/api/reviews';
import { NOW } from '../support/core';
import { admit, as, auditSince, lastAuditId, panelNetwork, round, tier } from '../support/panel';
import { transferVersion } from '../support/versions';

const H = 3600_000;
const at = (hoursBeforeNow: number) => new Date(Date.parse(NOW) - hoursBeforeNow * H).toISOString();

/** A 68-year-old with diabetes in fangcang zone A1, tier T2, worsening over the last day. */
function worseningFangcangPatient() {
  const c = panelNetwork();
  const p = admit(c, { wardId: c.zoneId, bedId: c.zoneBeds[0]! }, { name: '刘桂兰', sex: 'F', ageYears: 68, riskFactors: ['diabetes'] });
  tier(c, p.episodeId, 'T2');
  round(c, p.episodeId, at(20), { respRate: 20, spo2: 96 }, { symptoms: ['cough'] });
  round(c, p.episodeId, at(2), { respRate: 23, spo2: 94, pulse: 104, temperature: 38.4 }, { symptoms: ['cough', 'fever', 'breathlessness'] });
  return { c, ...p };
}

const state = (c: ReturnType<typeof panelNetwork>, episodeId: number) =>
  c.db.prepare('SELECT current_tier, last_review_decision, review_due_at, flag_count FROM episode_state WHERE episode_id = ?').get(episodeId) as {
    current_tier: string;
    last_review_decision: string;
    review_due_at: string | null;
    flag_count: number;
  };

describe('an expert review', () => {
  it('that escalates the tier writes the tier assignment in the same transaction, with one audit row per change', () => {
    const { c, episodeId } = worseningFangcangPatient();
    const before = lastAuditId(c);
    const r = as(c, c.expert, () =>
      c.ok<{ reviewId: number; tierAssignmentId: number; transferId: null; planVersion: null }>('reviews:record', {
        episodeId,
        decision: 'escalate_tier',
        tier: 'T3',
        note: '高龄合并糖尿病，低氧趋势，升级观察',
        nextReviewDue: at(-24),
      }),
    );
    expect(r.transferId).toBeNull();
    const audits = auditSince(c, before);
    expect(audits.map((a) => [a.action, a.entity])).toEqual([
      ['review.record', 'review'],
      ['tier.assign', 'tier_assignment'],
    ]);
    expect(JSON.parse(audits[1]!.before!)).toEqual({ tier: 'T2' });
    expect(JSON.parse(audits[1]!.after!)).toMatchObject({ tier: 'T3', source: 'review', reviewId: r.reviewId });
    expect(c.db.prepare('SELECT tier, source, review_id, author_id FROM tier_assignment WHERE id = ?').get(r.tierAssignmentId)).toEqual({
      tier: 'T3',
      source: 'review',
      review_id: r.reviewId,
      author_id: c.expert.id,
    });
    expect(state(c, episodeId)).toMatchObject({ current_tier: 'T3', last_review_decision: 'escalate_tier', review_due_at: at(-24) });

    // The review keeps what it was opened for and the class at review.
    const [review] = as(c, c.expert, () => c.ok<Review[]>('reviews:list', { episodeId }));
    expect(review).toMatchObject({ decision: 'escalate_tier', tierBefore: 'T2', tierAfter: 'T3', author: '周教授', entryKind: 'original' });
    expect(review?.flags.map((f) => f.code)).toContain('risk_factors');
  });

  it('with a plan change saves a new plan version, audited as its own change', () => {
    const { c, episodeId } = worseningFangcangPatient();
    const before = lastAuditId(c);
    const r = as(c, c.expert, () =>
      c.ok<{ planVersion: number }>('reviews:record', { episodeId, decision: 'continue', planChange: '加用低分子肝素预防血栓；每4小时监测指氧', planGoals: '72小时内体温正常' }),
    );
    expect(r.planVersion).toBe(1);
    expect(auditSince(c, before).map((a) => a.action)).toEqual(['review.record', 'plan.version']);
    expect(c.db.prepare('SELECT version, goals, change_note, expert_id FROM plan_version WHERE episode_id = ?').get(episodeId)).toEqual({
      version: 1,
      goals: '72小时内体温正常',
      change_note: '加用低分子肝素预防血栓；每4小时监测指氧',
      expert_id: c.expert.id,
    });
  });

  it('deciding transfer to the designated hospital opens the transfer request with it', () => {
    const { c, episodeId } = worseningFangcangPatient();
    const before = lastAuditId(c);
    const r = as(c, c.expert, () =>
      c.ok<{ reviewId: number; transferId: number }>('reviews:record', { episodeId, decision: 'transfer_designated', tier: 'T3', note: '高龄合并糖尿病，症状加重，转定点医院' }),
    );
    expect(auditSince(c, before).map((a) => a.action)).toEqual(['review.record', 'tier.assign', 'transfer.request']);
    expect(c.db.prepare('SELECT status, to_facility_id, to_ward_id, review_id, reason FROM transfer_request WHERE id = ?').get(r.transferId)).toEqual({
      status: 'requested',
      to_facility_id: c.dh,
      to_ward_id: null,
      review_id: r.reviewId,
      reason: '高龄合并糖尿病，症状加重，转定点医院',
    });
  });

  it.each([
    ['an administrator', 'admin', { decision: 'continue' }, 'FORBIDDEN', undefined],
    ['a ward doctor', 'doctor', { decision: 'continue' }, 'FORBIDDEN', undefined],
    ['an escalation to a lower tier', 'expert', { decision: 'escalate_tier', tier: 'T1' }, 'VALIDATION', 'review.tier_not_higher'],
    ['an escalation without a tier', 'expert', { decision: 'escalate_tier' }, 'VALIDATION', 'validation.review_tier_required'],
    ['a transfer without a note', 'expert', { decision: 'transfer_designated', tier: 'T3' }, 'VALIDATION', 'validation.review_note_for_transfer'],
    ['a transfer to ICU at tier T3', 'expert', { decision: 'transfer_icu', tier: 'T3', note: '呼吸衰竭' }, 'VALIDATION', 'review.tier_not_icu'],
    ['"continue" that changes the tier', 'expert', { decision: 'continue', tier: 'T4' }, 'VALIDATION', 'review.tier_change_needs_decision'],
    ['a next review in the past', 'expert', { decision: 'continue', nextReviewDue: at(1) }, 'VALIDATION', 'review.due_not_future'],
  ] as const)('refuses %s and writes nothing', (_story, who, fields, code, key) => {
    const { c, episodeId } = worseningFangcangPatient();
    const before = lastAuditId(c);
    const r = as(c, c[who], () => c.call('reviews:record', { episodeId, ...fields }));
    expect(!r.ok && r.error.code).toBe(code);
    if (key && !r.ok) expect(r.error.details.issues?.map((i) => i.key)).toContain(key);
    expect(c.count('review')).toBe(0);
    expect(lastAuditId(c)).toBe(before);
  });

  it('is immutable: an amendment with a reason supersedes it and the original stays visible', () => {
    const { c, episodeId } = worseningFangcangPatient();
    const first = as(c, c.expert, () => c.ok<{ reviewId: number }>('reviews:record', { episodeId, decision: 'continue', note: '继续观察', nextReviewDue: at(-24) }));
    expect(() => c.db.prepare(`UPDATE review SET note = 'x' WHERE id = ?`).run(first.reviewId)).toThrow(/immutable/);
    const noReason = as(c, c.expert, () => c.call('reviews:amend', { reviewId: first.reviewId, reason: '', decision: 'continue' }));
    expect(!noReason.ok && noReason.error.details.issues?.[0]).toMatchObject({ field: 'reason' });
    const amended = as(c, c.expert, () =>
      c.ok<{ reviewId: number }>('reviews:amend', {
        reviewId: first.reviewId,
        reason: '笔误：复评时间应为12小时后',
        decision: 'continue',
        note: '继续观察',
        nextReviewDue: at(-12),
      }),
    );
    const list = as(c, c.expert, () => c.ok<Review[]>('reviews:list', { episodeId }));
    expect(list.map((r) => [r.id, r.entryKind, r.superseded])).toEqual([
      [amended.reviewId, 'amendment', false],
      [first.reviewId, 'original', true],
    ]);
    expect(state(c, episodeId).review_due_at).toBe(at(-12));
    const again = as(c, c.expert, () => c.call('reviews:amend', { reviewId: first.reviewId, reason: '再改', decision: 'continue' }));
    expect(!again.ok && again.error.details.key).toBe('review.not_current');
  });

  it('amended from a transfer to "continue" closes the request it opened and restores the tier', () => {
    const { c, episodeId } = worseningFangcangPatient();
    const r = as(c, c.expert, () =>
      c.ok<{ reviewId: number; transferId: number }>('reviews:record', { episodeId, decision: 'transfer_designated', tier: 'T3', note: '转定点医院' }),
    );
    as(c, c.expert, () => c.ok('reviews:amend', { reviewId: r.reviewId, reason: '家属沟通后，专家组改为方舱加强观察', decision: 'continue' }));
    expect(c.db.prepare('SELECT status, cancel_reason FROM transfer_request WHERE id = ?').get(r.transferId)).toEqual({ status: 'cancelled', cancel_reason: 'review_amended' });
    expect(state(c, episodeId).current_tier).toBe('T2');
  });

  it('cannot change the decision once the transfer it asked for is complete', () => {
    const { c, episodeId } = worseningFangcangPatient();
    const r = as(c, c.expert, () =>
      c.ok<{ reviewId: number; transferId: number }>('reviews:record', { episodeId, decision: 'transfer_designated', tier: 'T3', note: '转定点医院' }),
    );
    as(c, c.admin, () => c.ok('transfers:assignBed', { transferId: r.transferId, bedId: c.beds[0]!, version: transferVersion(c, r.transferId) }));
    as(c, c.admin, () => c.ok('transfers:complete', { transferId: r.transferId, version: transferVersion(c, r.transferId) }));
    const changed = as(c, c.expert, () => c.call('reviews:amend', { reviewId: r.reviewId, reason: '改决定', decision: 'continue' }));
    expect(!changed.ok && changed.error.details.key).toBe('review.amend_after_transfer');
    // Correcting the note of the same decision is still possible.
    as(c, c.expert, () => c.ok('reviews:amend', { reviewId: r.reviewId, reason: '补充转运原因', decision: 'transfer_designated', tier: 'T3', note: '转定点医院：低氧、发热' }));
    expect(c.count('transfer_request')).toBe(1);
  });
});
