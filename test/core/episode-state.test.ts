import { describe, expect, it } from 'vitest';
import type { RoundPreview } from '../../shared/api/rounds';
import { Ctx } from '../../electron/core/context';
import { createDispatch } from '../../electron/core/dispatch';
import { handlers } from '../../electron/core/handlers';
import { computeSnapshot } from '../../electron/core/clinical/state';
import { flagsAsOf } from '../../electron/core/reports/asof';
import { generateDemoNetwork } from '../../electron/core/demo/generate';
import { settingsOf } from '../../electron/core/settings/settings';
import { makeCore, makeNetwork, NOW, type TestCore } from '../support/core';
import { actAs, admitted, at, FULL_ROUND } from '../support/clinical';

// The episode's derived state has one evaluator (shared/clinical/evaluate.ts) and one writer: dispatch
// stores the state of every episode a handler touched, once, before commit.

type Saved = { roundId: number; nextObsDueAt: string };

function ward() {
  const c = makeNetwork();
  const { episodeId } = admitted(c, { ageYears: 67, riskFactors: ['diabetes'] });
  actAs(c, 'dr.li', 'ward_doctor', '李医生');
  return { c, episodeId };
}

/** Counts the writes of episode_state rows from here on (temporary triggers: nothing of them is stored). */
function countStateWrites(c: TestCore): () => Map<number, number> {
  c.db.exec(`
    CREATE TEMP TABLE state_writes (episode_id INTEGER);
    CREATE TEMP TRIGGER state_inserted AFTER INSERT ON main.episode_state BEGIN INSERT INTO state_writes VALUES (NEW.episode_id); END;
    CREATE TEMP TRIGGER state_updated AFTER UPDATE ON main.episode_state BEGIN INSERT INTO state_writes VALUES (NEW.episode_id); END;`);
  const read = c.db.prepare<[], { episode_id: number; n: number }>('SELECT episode_id, count(*) AS n FROM state_writes GROUP BY episode_id');
  const clear = c.db.prepare('DELETE FROM state_writes');
  return () => {
    const counts = new Map(read.all().map((r) => [r.episode_id, r.n]));
    clear.run();
    return counts;
  };
}

const stored = (c: TestCore, episodeId: number) =>
  c.db
    .prepare<[number], { computed_at: string; next_obs_due_at: string; proposed_class: string; flags: string }>(
      'SELECT computed_at, next_obs_due_at, proposed_class, flags FROM episode_state WHERE episode_id = ?',
    )
    .get(episodeId)!;

describe('the round preview', () => {
  it('evaluates the typed values without writing anything, not even inside the call', () => {
    const { c, episodeId } = ward();
    const first = c.ok<Saved>('rounds:record', { episodeId, measuredAt: at(30), ...FULL_ROUND });
    // Any insert into a clinical table, the audit or the state during the preview aborts it.
    c.db.exec(
      ['round', 'audit', 'episode_state', 'round_escalation']
        .map((t) => `CREATE TEMP TRIGGER no_${t}_in_preview BEFORE INSERT ON main.${t} BEGIN SELECT RAISE(ABORT, 'the preview wrote to ${t}'); END;`)
        .join('\n'),
    );
    const changes = c.db.prepare('SELECT total_changes()').pluck();
    const before = changes.get();
    const preview = c.ok<RoundPreview>('rounds:preview', { episodeId, measuredAt: at(60), ...FULL_ROUND, respRate: 25, spo2: 93, pulse: 115 });
    const amendment = c.ok<RoundPreview>('rounds:preview', { episodeId, measuredAt: at(30), replacesId: first.roundId, ...FULL_ROUND, spo2: 90 });
    expect(changes.get()).toBe(before);
    expect(preview.news2).toMatchObject({ total: 7 });
    expect(amendment.news2).toMatchObject({ total: 3 });
    expect(c.count('round')).toBe(1);
  });

  it('shows what the save then stores: the same proposal, flags and next observation time', () => {
    const { c, episodeId } = ward();
    c.ok('rounds:record', { episodeId, measuredAt: at(30), ...FULL_ROUND });
    const typed = { episodeId, measuredAt: at(60), ...FULL_ROUND, respRate: 26, spo2: 91, onOxygen: true, o2Flow: 2 };
    const preview = c.ok<RoundPreview>('rounds:preview', typed);
    const saved = c.ok<Saved>('rounds:record', { ...typed, o2Device: 'nasal_cannula' });
    const state = stored(c, episodeId);
    expect(preview.nextObsDueAt).toBe(saved.nextObsDueAt);
    expect(preview.nextObsDueAt).toBe(state.next_obs_due_at);
    expect(preview.proposal.proposed).toBe(state.proposed_class);
    expect(preview.flags.map(({ isNew: _, ...f }) => f)).toEqual(JSON.parse(state.flags));
  });
});

describe('the state refresh through the context', () => {
  it('refreshes an episode touched three times in one call once, and a round save that reads its fresh state once', () => {
    const { c, episodeId } = ward();
    // Two more touches before the handlers' own: results:record only touches, rounds:record also reads its fresh state.
    const touchTwice =
      <I extends { episodeId: number }, O>(h: (ctx: Ctx, input: I) => O) =>
      (ctx: Ctx, input: I): O => {
        ctx.touchEpisode(input.episodeId);
        ctx.touchEpisode(input.episodeId);
        return h(ctx, input);
      };
    const dispatch = createDispatch(c.db, {
      ...handlers,
      rounds: { ...handlers.rounds, record: touchTwice(handlers.rounds.record) },
      results: { ...handlers.results, record: touchTwice(handlers.results.record) },
    });
    const writes = countStateWrites(c);
    expect(dispatch('results:record', { episodeId, collectedAt: at(20), labs: { lymphocytes: 0.6 } }, c.session, NOW).ok).toBe(true);
    expect(writes()).toEqual(new Map([[episodeId, 1]]));
    expect(dispatch('rounds:record', { episodeId, measuredAt: at(30), ...FULL_ROUND }, c.session, NOW).ok).toBe(true);
    expect(writes()).toEqual(new Map([[episodeId, 1]]));
    c.ok('rounds:record', { episodeId, measuredAt: at(40), ...FULL_ROUND });
    expect(writes()).toEqual(new Map([[episodeId, 1]]));
  });

  it.each([
    ['rounds:record', (e: number) => ({ episodeId: e, measuredAt: at(30), ...FULL_ROUND })],
    ['results:record', (e: number) => ({ episodeId: e, collectedAt: at(30), labs: { lymphocytes: 0.6, crp: 40 } })],
    ['results:recordImaging', (e: number) => ({ episodeId: e, performedAt: at(40), modality: 'ct', pneumonia: true, finding: '双肺磨玻璃影' })],
    ['queue:refer', (e: number) => ({ episodeId: e, note: '气促加重' })],
  ] as const)('%s stores the episode state once, at the call’s instant, in its transaction', (channel, input) => {
    const { c, episodeId } = ward();
    const writes = countStateWrites(c);
    const now = '2022-03-20T06:00:00.000Z';
    c.ok(channel, input(episodeId), now);
    expect(writes()).toEqual(new Map([[episodeId, 1]]));
    expect(stored(c, episodeId).computed_at).toBe(now);
    expect(JSON.parse(stored(c, episodeId).flags)).toEqual(computeSnapshot(new Ctx(c.db, now, c.session), episodeId).flags);
  });

  it('stores nothing when the call fails: the touched episode is rolled back with the rest', () => {
    const { c, episodeId } = ward();
    const before = stored(c, episodeId);
    const writes = countStateWrites(c);
    const failing = createDispatch(
      c.db,
      {
        ...handlers,
        rounds: {
          ...handlers.rounds,
          record(ctx, input) {
            handlers.rounds.record(ctx, input);
            throw new Error('the call fails after its write');
          },
        },
      },
      { log: () => undefined },
    );
    expect(failing('rounds:record', { episodeId, measuredAt: at(30), ...FULL_ROUND }, c.session, NOW).ok).toBe(false);
    expect(writes()).toEqual(new Map());
    expect(stored(c, episodeId)).toEqual(before);
    expect(c.count('round')).toBe(0);
  });
});

describe('one evaluator for the live state and the reports', () => {
  it('gives every patient of a generated network the same flags as of now as live, and live the same as stored', () => {
    const c = makeCore();
    c.db.transaction(() => generateDemoNetwork(new Ctx(c.db, NOW, c.session), { seed: 7, scale: { patients: 200, roundsPerPatient: 4, days: 5, discharged: 50 } }))();
    const ctx = new Ctx(c.db, NOW, c.session);
    const tz = settingsOf(ctx).timeZone;
    const active = c.db.prepare(`SELECT id FROM episode WHERE status = 'active' ORDER BY id`).pluck().all() as number[];
    expect(active.length).toBeGreaterThan(100);
    let flagged = 0;
    for (const id of active) {
      const live = computeSnapshot(ctx, id);
      expect(flagsAsOf(ctx, id, NOW, tz).flags).toEqual(live.flags);
      expect(JSON.parse(stored(c, id).flags)).toEqual(live.flags);
      if (live.flags.length > 0) flagged += 1;
    }
    expect(flagged).toBeGreaterThan(10);
  });
});
