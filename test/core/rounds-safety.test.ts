import { describe, expect, it } from 'vitest';
import type { ErrorPayload, Result } from '../../shared/errors';
import type { RoundPreview, RoundWard } from '../../shared/api/rounds';
import type { WardBoard } from '../../shared/api/facilities';
import type { Chart } from '../../shared/api/chart';
import { makeNetwork, NOW } from '../support/core';
import { actAs, admitted, at, FULL_ROUND } from '../support/clinical';
import { UNMEASURED_ROUNDS_UNSCORED } from '../../electron/core/db/migration-014-round-safety';

type Saved = { roundId: number; news2: { total: number; band: string; complete: boolean } | null; escalation: 'urgent' | 'emergency' | null };

function setup() {
  const c = makeNetwork();
  const { episodeId } = admitted(c, { ageYears: 45, riskFactors: [] });
  actAs(c, 'nurse.zhang', 'nurse', '张护士');
  return { c, episodeId };
}

const errorOf = (r: Result<unknown>): ErrorPayload | null => (r.ok ? null : r.error);
const bedOf = (c: ReturnType<typeof setup>['c'], episodeId: number, since?: string) =>
  c.ok<RoundWard>('rounds:ward', { wardId: c.wardId, ...(since ? { since } : {}) }).beds.find((b) => b.episodeId === episodeId)!;
const occupantOf = (c: ReturnType<typeof setup>['c'], episodeId: number) =>
  c.ok<WardBoard>('wards:board', { wardId: c.wardId }).beds.find((b) => b.occupant?.episodeId === episodeId)!.occupant!;
const stateOf = (c: ReturnType<typeof setup>['c'], episodeId: number) =>
  c.db.prepare('SELECT news2_total, news2_band, news2_complete, next_obs_due_at FROM episode_state WHERE episode_id = ?').get(episodeId);

/** RR 25 → 3, SpO2 93 → 2, pulse 115 → 2, the rest 0 (RCP 2017 Chart 1): NEWS2 7, emergency response. */
const SEVEN = { ...FULL_ROUND, respRate: 25, spo2: 93, pulse: 115 };

describe('no measurement, no score', () => {
  it('a round of air and carried-over symptoms only has no NEWS2: nothing stored as "0, low", the board shows no score, the bed is not done', () => {
    const { c, episodeId } = setup();
    const saved = c.ok<Saved>('rounds:record', { episodeId, measuredAt: at(60), onOxygen: false, symptoms: ['cough'] });
    expect(saved.news2).toBeNull();
    expect(saved.escalation).toBeNull();
    expect(c.db.prepare('SELECT news2_total, news2_band, news2_complete FROM round WHERE id = ?').get(saved.roundId)).toEqual({
      news2_total: null,
      news2_band: null,
      news2_complete: null,
    });
    expect(stateOf(c, episodeId)).toMatchObject({ news2_total: null, news2_band: null, news2_complete: null });
    expect(occupantOf(c, episodeId)).toMatchObject({ news2Total: null, news2Band: null });
    expect(bedOf(c, episodeId)).toMatchObject({ news2Total: null, news2Band: null, done: false, notDone: null });
    // The queue ranks it as having no score, not as low (no news2_high flag, no band points).
    expect(c.db.prepare('SELECT urgency FROM episode_state WHERE episode_id = ?').pluck().get(episodeId)).toBeLessThan(100);
  });

  it('migration 14 takes the "0, low" off rounds stored before without any measurement, and puts the immutability trigger back', () => {
    const { c, episodeId } = setup();
    const measured = c.ok<Saved>('rounds:record', { episodeId, measuredAt: at(60), ...FULL_ROUND });
    // A round as the old code stored it: air and symptoms only, scored "0, low, incomplete".
    const legacy = Number(
      c.db
        .prepare(
          `INSERT INTO round (episode_id, measured_at, on_oxygen, symptoms, signs, confirmed_extremes, news2_total, news2_complete, news2_band, entered_at, author_id)
           VALUES (?, ?, 0, '["cough"]', '[]', '[]', 0, 0, 'low', ?, ?)`,
        )
        .run(episodeId, at(90), NOW, c.session.user!.id).lastInsertRowid,
    );
    c.db.exec(UNMEASURED_ROUNDS_UNSCORED);
    const scores = c.db.prepare('SELECT id, news2_total, news2_band, news2_complete FROM round ORDER BY id').all();
    expect(scores).toEqual([
      { id: measured.roundId, news2_total: 0, news2_band: 'low', news2_complete: 1 },
      { id: legacy, news2_total: null, news2_band: null, news2_complete: null },
    ]);
    expect(() => c.db.prepare('UPDATE round SET note = ? WHERE id = ?').run('x', legacy)).toThrow(/immutable/);
  });

  it('a later round of symptoms only neither hides the last measured score nor restarts the observation clock', () => {
    const { c, episodeId } = setup();
    c.ok<Saved>('rounds:record', { episodeId, measuredAt: at(60), ...SEVEN });
    const measured = stateOf(c, episodeId);
    expect(measured).toMatchObject({ news2_total: 7, news2_band: 'high' });
    const symptomsOnly = c.ok<Saved>('rounds:record', { episodeId, measuredAt: at(120), symptoms: ['cough', 'fever'] });
    expect(symptomsOnly.news2).toBeNull();
    // Still 7 and high, still due 15 minutes after the 7 (continuous monitoring), not after the symptoms.
    expect(stateOf(c, episodeId)).toEqual(measured);
  });
});

describe('oxygen requires a device', () => {
  it('refuses "on oxygen" without a device on the device field, for a new round and an amendment; nothing is written', () => {
    const { c, episodeId } = setup();
    const rounds = c.count('round');
    const err = errorOf(c.call('rounds:record', { episodeId, measuredAt: at(60), ...FULL_ROUND, onOxygen: true, o2Flow: 5 }));
    expect(err?.code).toBe('VALIDATION');
    expect(err?.details.issues).toEqual([{ field: 'o2Device', key: 'validation.o2_device_required' }]);
    expect(c.count('round')).toBe(rounds);

    const ok = c.ok<Saved>('rounds:record', { episodeId, measuredAt: at(60), ...FULL_ROUND, onOxygen: true, o2Device: 'nasal_cannula', o2Flow: 5 });
    const amend = errorOf(c.call('rounds:amend', { roundId: ok.roundId, reason: '流量记错', measuredAt: at(60), ...FULL_ROUND, onOxygen: true, o2Flow: 3 }));
    expect(amend?.details.issues).toEqual([{ field: 'o2Device', key: 'validation.o2_device_required' }]);
    expect(c.count('round')).toBe(rounds + 1);
  });
});

describe('escalation the app insists on', () => {
  it('a NEWS2 7 round calls for an emergency response; the bed is not done and the board shows the alert until someone answers', () => {
    const { c, episodeId } = setup();
    const since = at(30);
    const saved = c.ok<Saved>('rounds:record', { episodeId, measuredAt: at(60), ...SEVEN });
    expect(saved.news2).toMatchObject({ total: 7, band: 'high' });
    expect(saved.escalation).toBe('emergency');
    const pending = { roundId: saved.roundId, level: 'emergency', news2Total: 7, measuredAt: at(60) };
    expect(bedOf(c, episodeId, since)).toMatchObject({ escalation: pending, done: false });
    expect(occupantOf(c, episodeId).escalation).toEqual(pending);
    expect(c.ok<Chart>('chart:get', { episodeId }).header.escalation).toEqual(pending);

    // "Doctor informed" needs who; refused on that field, nothing written.
    const audit = c.count('audit');
    const noWho = errorOf(c.call('rounds:escalate', { roundId: saved.roundId, response: 'doctor_informed' }));
    expect(noWho?.code).toBe('VALIDATION');
    expect(noWho?.details.issues).toEqual([{ field: 'informedWho', key: 'validation.informed_who_required' }]);
    expect(c.count('round_escalation')).toBe(0);

    c.ok('rounds:escalate', { roundId: saved.roundId, response: 'doctor_informed', informedWho: '王医生', note: '已到床旁' });
    expect(c.db.prepare('SELECT level, news2_total, response, informed_who, note, at FROM round_escalation').get()).toEqual({
      level: 'emergency',
      news2_total: 7,
      response: 'doctor_informed',
      informed_who: '王医生',
      note: '已到床旁',
      at: NOW,
    });
    const row = c.db.prepare("SELECT action, after FROM audit WHERE action = 'round.escalate'").get() as { action: string; after: string };
    expect(JSON.parse(row.after)).toMatchObject({ roundId: saved.roundId, level: 'emergency', response: 'doctor_informed', informedWho: '王医生' });
    expect(c.count('audit')).toBe(audit + 1);
    expect(bedOf(c, episodeId, since)).toMatchObject({ escalation: null, done: true });
    expect(occupantOf(c, episodeId).escalation).toBeNull();
    expect(c.ok<Chart>('chart:get', { episodeId }).header.escalation).toBeNull();

    // One answer per round; the answer is append-only.
    expect(errorOf(c.call('rounds:escalate', { roundId: saved.roundId, response: 'under_review' }))?.code).toBe('CONFLICT');
    expect(() => c.db.prepare("UPDATE round_escalation SET response = 'referred'").run()).toThrow(/immutable/);
    expect(() => c.db.prepare('DELETE FROM round_escalation').run()).toThrow(/immutable/);
  });

  it('a single parameter scoring 3 calls for an urgent response; a low score calls for none and cannot be escalated', () => {
    const { c, episodeId } = setup();
    const confused = c.ok<Saved>('rounds:record', { episodeId, measuredAt: at(60), ...FULL_ROUND, consciousness: 'C' });
    expect(confused.news2).toMatchObject({ total: 3, band: 'low_medium' });
    expect(confused.escalation).toBe('urgent');
    expect(bedOf(c, episodeId).escalation).toMatchObject({ level: 'urgent', news2Total: 3 });
    c.ok('rounds:escalate', { roundId: confused.roundId, response: 'referred' });

    const low = c.ok<Saved>('rounds:record', { episodeId, measuredAt: at(120), ...FULL_ROUND });
    expect(low.escalation).toBeNull();
    expect(errorOf(c.call('rounds:escalate', { roundId: low.roundId, response: 'under_review' }))?.code).toBe('RULE_VIOLATION');
  });

  it('a newer score that calls for a response raises a new alert, even after an earlier one was answered', () => {
    const { c, episodeId } = setup();
    const first = c.ok<Saved>('rounds:record', { episodeId, measuredAt: at(60), ...SEVEN });
    c.ok('rounds:escalate', { roundId: first.roundId, response: 'under_review' }, at(65));
    expect(bedOf(c, episodeId).escalation).toBeNull();
    const second = c.ok<Saved>('rounds:record', { episodeId, measuredAt: at(120), ...SEVEN, pulse: 135 });
    expect(bedOf(c, episodeId).escalation).toMatchObject({ roundId: second.roundId, news2Total: 8 });
  });
});

describe('observations not taken', () => {
  it('a nurse records why a bed was not measured: append-only, audited, and the bed counts as done on this round', () => {
    const { c, episodeId } = setup();
    const since = at(200);
    expect(bedOf(c, episodeId, since).done).toBe(false);
    const audit = c.count('audit');
    c.ok('rounds:recordNotDone', { episodeId, reason: 'off_ward', note: '外出做 CT' });
    expect(c.count('audit')).toBe(audit + 1);
    expect(bedOf(c, episodeId, since)).toMatchObject({ done: true, notDone: { reason: 'off_ward', note: '外出做 CT', at: NOW, authorName: '张护士' } });
    // A record from before this round began does not count for it.
    expect(bedOf(c, episodeId, '2022-03-20T06:06:00.000Z')).toMatchObject({ done: false, notDone: null });
    expect(errorOf(c.call('rounds:recordNotDone', { episodeId, reason: 'gone fishing' }))?.details.issues).toEqual([expect.objectContaining({ field: 'reason' })]);
    expect(() => c.db.prepare('UPDATE round_not_done SET reason = ?').run('refused')).toThrow(/immutable/);
  });

  it('"not measured" does not make a bed done while its last score still waits for an escalation answer', () => {
    const { c, episodeId } = setup();
    const since = at(30);
    const seven = c.ok<Saved>('rounds:record', { episodeId, measuredAt: at(60), ...SEVEN });
    c.ok('rounds:recordNotDone', { episodeId, reason: 'refused' });
    expect(bedOf(c, episodeId, since)).toMatchObject({ done: false, notDone: { reason: 'refused' }, escalation: { roundId: seven.roundId } });
    c.ok('rounds:escalate', { roundId: seven.roundId, response: 'under_review' });
    expect(bedOf(c, episodeId, since)).toMatchObject({ done: true, escalation: null });
  });
});

describe('an honest preview', () => {
  it('a blank form has no score, even with a full round measured ten minutes before', () => {
    const { c, episodeId } = setup();
    c.ok<Saved>('rounds:record', { episodeId, measuredAt: at(60), ...SEVEN });
    const p = c.ok<RoundPreview>('rounds:preview', { episodeId, measuredAt: at(70), onOxygen: false, symptoms: ['cough'] });
    expect(p.news2).toBeNull();
    expect(p.borrowed).toEqual([]);
  });

  it('a value not typed is borrowed from a round within 30 minutes and said so with its time, never from one 31 minutes before', () => {
    const { c, episodeId } = setup();
    c.ok<Saved>('rounds:record', { episodeId, measuredAt: at(60), ...FULL_ROUND });
    const near = c.ok<RoundPreview>('rounds:preview', { episodeId, measuredAt: at(80), pulse: 120, onOxygen: false });
    expect(near.news2?.complete).toBe(true);
    expect(near.borrowed).toEqual(['respRate', 'spo2', 'systolicBp', 'consciousness', 'temperature'].map((param) => ({ param, measuredAt: at(60) })));
    const far = c.ok<RoundPreview>('rounds:preview', { episodeId, measuredAt: at(91), pulse: 120, onOxygen: false });
    expect(far.borrowed).toEqual([]);
    expect(far.news2?.missing).toEqual(['respRate', 'spo2', 'systolicBp', 'consciousness', 'temperature']);
  });

  it('an impossible typed value is shown as invalid and missing, never replaced by the value of an earlier round', () => {
    const { c, episodeId } = setup();
    c.ok<Saved>('rounds:record', { episodeId, measuredAt: at(60), ...FULL_ROUND, spo2: 91 });
    const p = c.ok<RoundPreview>('rounds:preview', { episodeId, measuredAt: at(70), spo2: 150, pulse: 80, onOxygen: false });
    expect(p.invalid).toEqual(['spo2']);
    expect(p.news2?.parts.find((x) => x.param === 'spo2')).toBeUndefined();
    expect(p.news2?.missing).toContain('spo2');
    expect(p.borrowed.map((b) => b.param)).not.toContain('spo2');
    // A field typed as text the form could not read ("abc") is missing the same way.
    const text = c.ok<RoundPreview>('rounds:preview', { episodeId, measuredAt: at(70), pulse: 80, onOxygen: false, unparsed: ['spo2'] });
    expect(text.invalid).toEqual(['spo2']);
    expect(text.news2?.missing).toContain('spo2');
  });
});
