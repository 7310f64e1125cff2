import { describe, expect, it } from 'vitest';
import type { Queue, QueueFilter, QueueRow } from '../../shared/api/queue';
import type { SessionUser } from '../../shared/api/auth';
import { Ctx } from '../../electron/core/context';
import { generateDemoNetwork } from '../../electron/core/demo/generate';
import { pageSql } from '../../electron/core/queue/rank';
import { makeCore, type TestCore } from '../support/core';

/** The demo outbreak's clock (as in queue-rank.test.ts): some reviews fall due later, so later clocks rank clock-stale states too. */
const NOW = '2022-04-10T06:00:00.000Z';
const later = (hours: number) => new Date(Date.parse(NOW) + hours * 3600_000).toISOString();

type Filter = Omit<QueueFilter, 'limit' | 'after'>;

function demo(): TestCore {
  const c = makeCore();
  c.ok('setup:loadDemo', { seed: 11 }, NOW);
  c.session.user = c.db.prepare<[], SessionUser>(`SELECT id, username, display_name AS displayName, role FROM app_user WHERE username = 'prof.zhou'`).get() ?? null;
  return c;
}

/** The queue read page by page, each page starting after the one before; `between` runs after each page. */
function walk(c: TestCore, filter: Filter, limit: number, now: string, between?: (page: number, rows: QueueRow[]) => void): Queue[] {
  const pages: Queue[] = [];
  let after: Queue['nextCursor'] = null;
  do {
    const q: Queue = c.ok<Queue>('queue:list', { ...filter, limit, ...(after ? { after } : {}) }, now);
    pages.push(q);
    between?.(pages.length, q.rows);
    after = q.nextCursor;
    if (pages.length > 5000) throw new Error('the cursor does not move on');
  } while (after);
  return pages;
}

const key = (r: QueueRow) => [r.episodeId, r.urgency, r.waitingSince];

describe('the whole expert queue, a page at a time', () => {
  it('pages after a cursor are disjoint, in the queue order, and together are the whole queue, under every filter and as reviews fall due', () => {
    const c = demo();
    const facility = c.db.prepare(`SELECT id FROM facility WHERE kind = 'designated'`).pluck().get() as number;
    const ward = c.db
      .prepare(
        `SELECT pl.ward_id FROM placement pl JOIN episode_state s ON s.episode_id = pl.episode_id WHERE pl.end_at IS NULL AND s.flag_count > 0 GROUP BY 1 ORDER BY count(*) DESC LIMIT 1`,
      )
      .pluck()
      .get() as number;
    // Snoozes that end 2 h from now, one of them of an overdue review: hidden now, shown again later.
    const flagged = c.db
      .prepare(`SELECT s.episode_id, s.flags FROM episode_state s JOIN episode e ON e.id = s.episode_id WHERE e.status = 'active' AND s.flag_count > 0 ORDER BY s.episode_id`)
      .all() as { episode_id: number; flags: string }[];
    for (const f of flagged.slice(0, 3)) {
      c.ok('queue:snooze', { episodeId: f.episode_id, flagCode: (JSON.parse(f.flags) as { code: string }[])[0]!.code, until: later(2), reason: '已知，观察中' }, NOW);
    }
    const overdue = flagged.find((f) => f.flags.includes('"review_overdue"'))!;
    c.ok('queue:snooze', { episodeId: overdue.episode_id, flagCode: 'review_overdue', until: later(2), reason: '明日会诊' }, NOW);
    const filters: Filter[] = [{}, { facilityId: facility }, { wardId: ward }, { tier: 'T2' }, { flag: 'review_overdue' }, { flag: 'risk_factors', facilityId: facility }];
    // Snoozes running; snoozes run out and some of tomorrow's reviews due (ranked at the clock, merged into the pages); all of them due.
    for (const now of [NOW, later(20), later(48)]) {
      for (const filter of filters) {
        const whole = c.ok<Queue>('queue:list', { ...filter, limit: 2000 }, now);
        expect(whole.nextCursor).toBeNull();
        for (const limit of [1, 7, 50]) {
          const label = JSON.stringify({ now, filter, limit });
          const pages = walk(c, filter, limit, now);
          const rows = pages.flatMap((p) => p.rows);
          expect(rows.map(key), label).toEqual(whole.rows.map(key));
          expect(new Set(rows.map((r) => r.episodeId)).size, label).toBe(rows.length);
          expect(
            pages.every((p) => p.total === whole.total),
            label,
          ).toBe(true);
          // Every page but the last is full, and the last says the queue ends there.
          expect(
            pages.slice(0, -1).every((p) => p.rows.length === limit),
            label,
          ).toBe(true);
        }
      }
    }
    c.close();
  }, 120_000);

  it('a review and a referral recorded between two pages move only those two patients: no other row is shown twice or skipped', () => {
    const c = demo();
    const before = c.ok<Queue>('queue:list', { limit: 2000 }, NOW).rows;
    expect(before.length).toBeGreaterThan(100);
    // The panel reviews a patient further down (its waiting time restarts); a doctor refers one at the end (it rises).
    const reviewed = before[60]!.episodeId;
    const referred = before.at(-1)!.episodeId;
    const doctor = c.db.prepare<[], SessionUser>(`SELECT id, username, display_name AS displayName, role FROM app_user WHERE role = 'ward_doctor' LIMIT 1`).get()!;
    const expert = c.session.user!;
    const pages = walk(c, {}, 25, later(0.5), (page) => {
      if (page !== 1) return;
      c.ok('reviews:record', { episodeId: reviewed, decision: 'continue', nextReviewDue: later(24) }, later(0.25));
      c.session.user = doctor;
      c.ok('queue:refer', { episodeId: referred, note: '呼吸急促加重，请专家评估' }, later(0.25));
      c.session.user = expert;
    });
    const shown = pages.flatMap((p) => p.rows.map((r) => r.episodeId));
    const after = c.ok<Queue>('queue:list', { limit: 2000 }, later(0.5)).rows;
    const moved = new Set([reviewed, referred]);
    expect(after.findIndex((r) => r.episodeId === referred)).toBeLessThan(before.length - 1);
    const unaffected = (ids: number[]) => ids.filter((id) => !moved.has(id));
    // Each patient the writes did not touch is shown exactly once, in the queue's order after the writes.
    expect(unaffected(shown)).toEqual(unaffected(after.map((r) => r.episodeId)));
    expect(unaffected(shown)).toEqual(unaffected(before.map((r) => r.episodeId)));
    expect(new Set(unaffected(shown)).size).toBe(unaffected(shown).length);
    c.close();
  }, 120_000);

  it('reaches every flagged patient of a 5,000-patient network, past the 2,000 one page may hold', () => {
    const c = makeCore();
    const now = '2022-04-01T06:00:00.000Z';
    c.db.transaction(() => generateDemoNetwork(new Ctx(c.db, now, { user: null }), { seed: 20220320, scale: { patients: 5000, roundsPerPatient: 4, days: 4 } }))();
    c.session.user = c.db.prepare<[], SessionUser>(`SELECT id, username, display_name AS displayName, role FROM app_user WHERE username = 'prof.zhou'`).get() ?? null;
    const flagged = c.db
      .prepare(`SELECT s.episode_id FROM episode_state s JOIN episode e ON e.id = s.episode_id WHERE e.status = 'active' AND s.flag_count > 0`)
      .pluck()
      .all() as number[];
    expect(flagged.length).toBeGreaterThan(2000);
    const pages = walk(c, {}, 2000, now);
    const shown = pages.flatMap((p) => p.rows.map((r) => r.episodeId));
    expect(pages[0]!.total).toBe(flagged.length);
    expect(shown.length).toBe(flagged.length);
    expect(new Set(shown)).toEqual(new Set(flagged));
    // Most urgent first across the page boundary too.
    const urgency = pages.flatMap((p) => p.rows.map((r) => r.urgency));
    expect(urgency.every((u, i) => i === 0 || u <= urgency[i - 1]!)).toBe(true);
    c.close();
  }, 120_000);

  it('reads a page after a cursor as two ranges of the queue index, never the rows before it', () => {
    const c = demo();
    const plan = (sql: string) =>
      c.db
        .prepare<unknown[], { detail: string }>(`EXPLAIN QUERY PLAN ${sql}`)
        .all({ limit: 100, stale: '[1,2]', afterUrgency: 20, afterWaiting: NOW, afterEpisode: 5, tier: 'T2', flag: 'news2_high', facilityId: 1 })
        .map((p) => p.detail);
    for (const filter of [{}, { facilityId: 1 }, { tier: 'T2' as const }, { flag: 'news2_high' as const }]) {
      for (const stale of [false, true]) {
        const same = plan(pageSql(filter, stale, 'same'));
        // SQLite seeks on the row value's first column and checks the episode on the rows of that instant.
        expect(same[0], JSON.stringify(filter)).toMatch(/^SEARCH s USING INDEX episode_state_queue \(urgency=\? AND (waiting_since|\(waiting_since,episode_id\))>/);
        expect(plan(pageSql(filter, stale, 'below'))[0]).toBe('SEARCH s USING INDEX episode_state_queue (urgency<?)');
        expect([...same, ...plan(pageSql(filter, stale, 'below'))].join('\n')).not.toMatch(/TEMP B-TREE/);
      }
    }
    c.close();
  }, 60_000);
});
