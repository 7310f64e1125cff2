import { describe, expect, it } from 'vitest';
import type { ErrorPayload } from '../../shared/errors';
import type { Round, RoundPreview } from '../../shared/api/rounds';
import { makeNetwork, NOW } from '../support/core';
import { actAs, admitted, at, FULL_ROUND } from '../support/clinical';
import { userVersion } from '../support/versions';

type Saved = { roundId: number; news2: { total: number; complete: boolean; missing: string[]; band: string }; nextObsDueAt: string | null };

function setup() {
  const c = makeNetwork();
  const { episodeId, patientId } = admitted(c, { ageYears: 45, riskFactors: [] });
  const nurseId = actAs(c, 'nurse.zhang', 'nurse', '张护士');
  return { c, episodeId, patientId, nurseId };
}

const errorOf = (r: { ok: boolean; error?: ErrorPayload }) => (r.ok ? null : (r.error as ErrorPayload));

describe('recording a ward round', () => {
  it('a nurse records a full round: NEWS2 is scored and stored on the signed round, the board state follows, one audit row', () => {
    const { c, episodeId } = setup();
    const auditBefore = c.count('audit');
    const saved = c.ok<Saved>('rounds:record', { episodeId, measuredAt: at(60), ...FULL_ROUND, respRate: 22, pulse: 112 });
    // RR 22 → 2, pulse 112 → 2, everything else 0 (RCP NEWS2 chart 1).
    expect(saved.news2).toMatchObject({ total: 4, complete: true, band: 'low' });
    const row = c.db.prepare('SELECT news2_total, news2_complete, news2_band, entered_at, measured_at, author_id, symptoms FROM round WHERE id = ?').get(saved.roundId);
    expect(row).toEqual({ news2_total: 4, news2_complete: 1, news2_band: 'low', entered_at: NOW, measured_at: at(60), author_id: c.session.user!.id, symptoms: '["cough"]' });
    expect(c.count('audit') - auditBefore).toBe(1);
    const state = c.db.prepare('SELECT news2_total, news2_monitoring, last_round_at, next_obs_due_at FROM episode_state WHERE episode_id = ?').get(episodeId);
    // 1–4 → at least 4–6-hourly: next due 4 h after the measurement.
    expect(state).toEqual({ news2_total: 4, news2_monitoring: 'q4to6h', last_round_at: at(60), next_obs_due_at: at(300) });
  });

  it('combines two partial rounds measured 20 minutes apart into one complete NEWS2, but not across 30 minutes', () => {
    const { c, episodeId } = setup();
    const first = c.ok<Saved>('rounds:record', { episodeId, measuredAt: at(0), respRate: 26, spo2: 95, onOxygen: false, systolicBp: 118 });
    expect(first.news2.complete).toBe(false);
    expect(first.news2.missing).toEqual(['pulse', 'consciousness', 'temperature']);
    const second = c.ok<Saved>('rounds:record', { episodeId, measuredAt: at(20), pulse: 95, consciousness: 'A', temperature: 38.4 });
    // RR 26 → 3, SpO2 95 → 1, air 0, SBP 118 → 0, pulse 95 → 1, alert 0, 38.4 → 1: total 6, medium.
    expect(second.news2).toMatchObject({ total: 6, complete: true, band: 'medium' });
    const later = c.ok<Saved>('rounds:record', { episodeId, measuredAt: at(51), pulse: 80 });
    // 51 minutes after the first round: its RR, SpO2 and BP are outside the window anchored at 51.
    expect(later.news2.complete).toBe(false);
    expect(later.news2.missing).toEqual(expect.arrayContaining(['respRate', 'spo2', 'systolicBp']));
  });

  it('refuses a measured-at in the future, and nothing is written', () => {
    const { c, episodeId } = setup();
    const rounds = c.count('round');
    const err = errorOf(c.call('rounds:record', { episodeId, measuredAt: '2022-03-20T06:06:00.000Z', ...FULL_ROUND }));
    expect(err?.code).toBe('VALIDATION');
    expect(err?.details.issues).toEqual([{ field: 'measuredAt', key: 'validation.future' }]);
    expect(c.count('round')).toBe(rounds);
  });

  it('refuses impossible vitals with the name of each field, and nothing is written', () => {
    const { c, episodeId } = setup();
    const audit = c.count('audit');
    const err = errorOf(c.call('rounds:record', { episodeId, measuredAt: at(60), ...FULL_ROUND, spo2: 140, temperature: 3.7, pulse: -5 }));
    expect(err?.code).toBe('VALIDATION');
    expect(err?.details.issues?.map((i) => i.field).sort()).toEqual(['pulse', 'spo2', 'temperature']);
    expect(c.count('round')).toBe(0);
    expect(c.count('audit')).toBe(audit);
  });

  it('saves a plausible but extreme value only once the user confirmed it, and records the confirmation', () => {
    const { c, episodeId } = setup();
    const err = errorOf(c.call('rounds:record', { episodeId, measuredAt: at(60), ...FULL_ROUND, spo2: 68 }));
    expect(err?.details.key).toBe('rounds.confirm_extremes');
    expect(err?.details.issues).toEqual([{ field: 'spo2', key: 'rounds.extreme_unconfirmed', params: { plausibleMin: 70, plausibleMax: 100 } }]);
    expect(c.count('round')).toBe(0);
    const saved = c.ok<Saved>('rounds:record', { episodeId, measuredAt: at(60), ...FULL_ROUND, spo2: 68, confirmedExtremes: ['spo2'] });
    expect(c.db.prepare('SELECT confirmed_extremes FROM round WHERE id = ?').pluck().get(saved.roundId)).toBe('["spo2"]');
  });

  it('lets only a doctor move a patient to SpO2 scale 2, and scores on the scale in force', () => {
    const { c, episodeId } = setup();
    const err = errorOf(c.call('rounds:record', { episodeId, measuredAt: at(60), ...FULL_ROUND, spo2: 90, spo2Scale: 2 }));
    expect(err?.details.issues).toEqual([{ field: 'spo2Scale', key: 'rounds.scale_doctor_only' }]);
    actAs(c, 'dr.wang', 'ward_doctor', '王医生');
    const saved = c.ok<Saved>('rounds:record', { episodeId, measuredAt: at(60), ...FULL_ROUND, spo2: 90, spo2Scale: 2 });
    // Scale 2: 88–92 % scores 0 (on scale 1, 90 % would score 3).
    expect(saved.news2.total).toBe(0);
    expect(c.db.prepare('SELECT spo2_scale FROM episode WHERE id = ?').pluck().get(episodeId)).toBe(2);
    expect(c.db.prepare(`SELECT count(*) FROM audit WHERE action = 'episode.spo2_scale'`).pluck().get()).toBe(1);
  });

  it("refuses a round for a patient outside the user's assigned wards", () => {
    const { c, episodeId, nurseId } = setup();
    actAs(c, 'admin', 'admin');
    c.ok('users:setWards', { userId: nurseId, wardIds: [c.zoneId], version: userVersion(c, nurseId) });
    actAs(c, 'nurse.zhang', 'nurse');
    const err = errorOf(c.call('rounds:record', { episodeId, measuredAt: at(60), ...FULL_ROUND }));
    expect(err?.code).toBe('FORBIDDEN');
    expect(c.count('round')).toBe(0);
  });
});

describe('correcting a signed round', () => {
  it('an amendment supersedes the original, which stays listed; NEWS2 follows the amended values; audit keeps before, after and reason', () => {
    const { c, episodeId } = setup();
    const original = c.ok<Saved>('rounds:record', { episodeId, measuredAt: at(60), ...FULL_ROUND, respRate: 28 });
    expect(c.db.prepare('SELECT news2_total FROM episode_state WHERE episode_id = ?').pluck().get(episodeId)).toBe(3);
    const amended = c.ok<Saved>('rounds:amend', { roundId: original.roundId, reason: '呼吸频率抄写错误，应为18', measuredAt: at(60), ...FULL_ROUND, respRate: 18 });
    expect(amended.news2.total).toBe(0);
    expect(c.db.prepare('SELECT news2_total FROM episode_state WHERE episode_id = ?').pluck().get(episodeId)).toBe(0);

    const list = c.ok<Round[]>('rounds:listForEpisode', { episodeId });
    expect(list.map((r) => [r.id, r.status, r.entryKind, r.respRate])).toEqual([
      [amended.roundId, 'current', 'amendment', 18],
      [original.roundId, 'superseded', 'original', 28],
    ]);
    expect(list[0]).toMatchObject({ supersedesId: original.roundId, reason: '呼吸频率抄写错误，应为18', authorName: '张护士' });

    const audit = c.db.prepare(`SELECT before, after, reason FROM audit WHERE action = 'round.amend'`).get() as { before: string; after: string; reason: string };
    expect(JSON.parse(audit.before)).toMatchObject({ roundId: original.roundId, respRate: 28 });
    expect(JSON.parse(audit.after)).toMatchObject({ respRate: 18 });
    expect(audit.reason).toBe('呼吸频率抄写错误，应为18');

    const again = errorOf(c.call('rounds:amend', { roundId: original.roundId, reason: '再次更正', measuredAt: at(60), ...FULL_ROUND }));
    expect(again?.code).toBe('CONFLICT');
  });

  it('entered in error withdraws a round without deleting it, and the episode falls back to the previous one', () => {
    const { c, episodeId } = setup();
    c.ok<Saved>('rounds:record', { episodeId, measuredAt: at(0), ...FULL_ROUND });
    const wrong = c.ok<Saved>('rounds:record', { episodeId, measuredAt: at(60), ...FULL_ROUND, respRate: 30, spo2: 90 });
    expect(c.db.prepare('SELECT last_round_at FROM episode_state WHERE episode_id = ?').pluck().get(episodeId)).toBe(at(60));
    c.ok('rounds:enterInError', { roundId: wrong.roundId, reason: '录入到错误的患者' });
    expect(c.db.prepare('SELECT last_round_at, news2_total FROM episode_state WHERE episode_id = ?').get(episodeId)).toEqual({ last_round_at: at(0), news2_total: 0 });
    const list = c.ok<Round[]>('rounds:listForEpisode', { episodeId });
    expect(list.find((r) => r.id === wrong.roundId)?.status).toBe('withdrawn');
    expect(list.find((r) => r.supersedesId === wrong.roundId)).toMatchObject({ status: 'error_marker', reason: '录入到错误的患者' });
    expect(c.count('round')).toBe(3);
  });

  it('a correction needs a reason', () => {
    const { c, episodeId } = setup();
    const saved = c.ok<Saved>('rounds:record', { episodeId, measuredAt: at(0), ...FULL_ROUND });
    const err = errorOf(c.call('rounds:enterInError', { roundId: saved.roundId, reason: '  ' }));
    expect(err?.details.issues).toEqual([{ field: 'reason', key: 'validation.required' }]);
  });

  it("another nurse may not correct a colleague's round; a doctor may", () => {
    const { c, episodeId } = setup();
    const saved = c.ok<Saved>('rounds:record', { episodeId, measuredAt: at(0), ...FULL_ROUND });
    actAs(c, 'nurse.chen', 'nurse', '陈护士');
    expect(errorOf(c.call('rounds:enterInError', { roundId: saved.roundId, reason: '重复录入' }))?.code).toBe('FORBIDDEN');
    actAs(c, 'dr.li', 'ward_doctor', '李医生');
    c.ok('rounds:enterInError', { roundId: saved.roundId, reason: '重复录入' });
  });

  it('the database itself refuses a raw UPDATE or DELETE of a signed round (trigger), whatever the code does', () => {
    const { c, episodeId } = setup();
    const saved = c.ok<Saved>('rounds:record', { episodeId, measuredAt: at(0), ...FULL_ROUND });
    expect(() => c.db.prepare('UPDATE round SET spo2 = 99 WHERE id = ?').run(saved.roundId)).toThrow(/immutable/);
    expect(() => c.db.prepare('DELETE FROM round WHERE id = ?').run(saved.roundId)).toThrow(/immutable/);
    expect(c.db.prepare('SELECT spo2 FROM round WHERE id = ?').pluck().get(saved.roundId)).toBe(97);
  });
});

describe('the live preview while typing', () => {
  it('shows NEWS2, the class proposal and new flags for unsaved values, and writes nothing', () => {
    const { c, episodeId } = setup();
    c.ok('rounds:record', { episodeId, measuredAt: at(0), ...FULL_ROUND });
    const rounds = c.count('round');
    const audit = c.count('audit');
    const p = c.ok<RoundPreview>('rounds:preview', {
      episodeId,
      respRate: 31,
      spo2: 91,
      onOxygen: false,
      systolicBp: 120,
      pulse: 118,
      consciousness: 'A',
      temperature: 38.6,
      symptoms: ['cough', 'breathlessness'],
    });
    expect(p.news2).toMatchObject({ total: 3 + 3 + 0 + 0 + 2 + 0 + 1, band: 'high', complete: true });
    expect(p.proposal.proposed).toBe('severe');
    expect(p.proposal.criteria.map((x) => x.code)).toEqual(expect.arrayContaining(['severe_adult_rr_breathless', 'severe_spo2_at_rest_on_air']));
    expect(p.flags.filter((f) => f.isNew).map((f) => f.code)).toEqual(expect.arrayContaining(['news2_high', 'meets_severe_criteria', 'hypoxaemia_worsening']));
    expect(c.count('round')).toBe(rounds);
    expect(c.count('audit')).toBe(audit);
  });

  it('reports an impossible half-typed value and scores without it', () => {
    const { c, episodeId } = setup();
    const p = c.ok<RoundPreview>('rounds:preview', { episodeId, respRate: 180, spo2: 96 });
    expect(p.errors).toEqual([{ field: 'respRate', min: 0, max: 100 }]);
    expect(p.news2?.missing).toContain('respRate');
  });
});
