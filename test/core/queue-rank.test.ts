import { describe, expect, it } from 'vitest';
import type { Queue, QueueFilter } from '../../shared/api/queue';
import { Ctx } from '../../electron/core/context';
import { waitingSince } from '../../electron/core/clinical/state';
import { waitingSinceSql } from '../../electron/core/db/migration-009-queue';
import { byQueueOrder, countSql, pageSql, REVIEW_FELL_DUE_SQL, SNOOZE_RAN_OUT_SQL, STATE_COLUMNS, stateRanker, type StateRow } from '../../electron/core/queue/rank';
import { makeCore, type TestCore } from '../support/core';
import type { SessionUser } from '../../shared/api/auth';

/** The demo outbreak's clock: its states were computed up to now; 82 patients have a next review due, 36 of them later. */
const NOW = '2022-04-10T06:00:00.000Z';
const H = 3600_000;
const later = (hours: number) => new Date(Date.parse(NOW) + hours * H).toISOString();

function demo(): TestCore {
  const c = makeCore();
  c.ok('setup:loadDemo', { seed: 11 }, NOW);
  c.session.user = c.db.prepare<[], SessionUser>(`SELECT id, username, display_name AS displayName, role FROM app_user WHERE username = 'prof.zhou'`).get() ?? null;
  return c;
}

/**
 * The reference: every stored state of an active, placed episode in the filter ranked at `now` (what
 * the queue did before it ranked from an index), sorted in the queue's order.
 */
function wholeQueue(c: TestCore, filter: Omit<QueueFilter, 'limit'>, now: string) {
  const db = c.db;
  const expired = new Map(
    (db.prepare('SELECT episode_id, max(until) AS until FROM flag_snooze WHERE until <= ? GROUP BY episode_id').all(now) as { episode_id: number; until: string }[]).map((z) => [
      z.episode_id,
      z.until,
    ]),
  );
  const snoozedOverdue = new Set(db.prepare(`SELECT episode_id FROM flag_snooze WHERE flag_code = 'review_overdue' AND until > ?`).pluck().all(now) as number[]);
  const rank = stateRanker(new Ctx(db, now, c.session), filter.flag, expired, snoozedOverdue);
  const states = db
    .prepare(
      `SELECT ${STATE_COLUMNS} FROM episode_state s JOIN episode e ON e.id = s.episode_id
       JOIN placement pl ON pl.episode_id = e.id AND pl.end_at IS NULL JOIN ward w ON w.id = pl.ward_id
       WHERE e.status = 'active' AND (@facilityId IS NULL OR w.facility_id = @facilityId) AND (@wardId IS NULL OR w.id = @wardId) AND (@tier IS NULL OR s.current_tier = @tier)`,
    )
    .raw(true)
    .all({ facilityId: filter.facilityId ?? null, wardId: filter.wardId ?? null, tier: filter.tier ?? null }) as StateRow[];
  return states.flatMap((s) => rank(s) ?? []).sort(byQueueOrder);
}

describe('the expert queue, ranked from the index', () => {
  it('is the whole queue ranked at now, page by page, while reviews fall due and snoozes run out without a write', () => {
    const c = demo();
    const db = c.db;
    const flagged = db
      .prepare(`SELECT s.episode_id, s.flags FROM episode_state s JOIN episode e ON e.id = s.episode_id WHERE e.status = 'active' AND s.flag_count > 0 ORDER BY s.episode_id`)
      .all() as { episode_id: number; flags: string }[];
    const first = (f: { flags: string }) => (JSON.parse(f.flags) as { code: string }[])[0]!.code;
    // Snoozes that end 2 h from now, one of them of an overdue review (hidden now, shown again later).
    for (const f of flagged.slice(0, 3)) c.ok('queue:snooze', { episodeId: f.episode_id, flagCode: first(f), until: later(2), reason: '已知，观察中' }, NOW);
    const overdue = flagged.find((f) => f.flags.includes('"review_overdue"'));
    expect(overdue).toBeDefined();
    c.ok('queue:snooze', { episodeId: overdue!.episode_id, flagCode: 'review_overdue', until: later(2), reason: '明日会诊' }, NOW);

    const facility = db.prepare(`SELECT id FROM facility WHERE kind = 'designated'`).pluck().get() as number;
    const ward = db
      .prepare(
        `SELECT pl.ward_id FROM placement pl JOIN episode_state s ON s.episode_id = pl.episode_id WHERE pl.end_at IS NULL AND s.flag_count > 0 GROUP BY 1 ORDER BY count(*) DESC LIMIT 1`,
      )
      .pluck()
      .get() as number;
    const filters: Omit<QueueFilter, 'limit'>[] = [
      {},
      { facilityId: facility },
      { wardId: ward },
      { tier: 'T2' },
      { flag: 'review_overdue' },
      { flag: 'risk_factors', facilityId: facility },
    ];
    let staleSeen = 0;
    // Now; snoozes running; snoozes run out; some of tomorrow's reviews due; all of them due.
    for (const now of [NOW, later(1), later(3), later(20), later(48)]) {
      staleSeen += (db.prepare(REVIEW_FELL_DUE_SQL).all(now) as unknown[]).length + (db.prepare(SNOOZE_RAN_OUT_SQL).all(now) as unknown[]).length;
      for (const filter of filters) {
        const all = wholeQueue(c, filter, now);
        for (const limit of [7, 2000]) {
          const q = c.ok<Queue>('queue:list', { ...filter, limit }, now);
          const label = JSON.stringify({ now, filter, limit });
          expect(q.total, label).toBe(all.length);
          expect(
            q.rows.map((r) => [r.episodeId, r.urgency, r.waitingSince, r.flags]),
            label,
          ).toEqual(all.slice(0, limit).map((r) => [r.episodeId, r.urgency, r.waitingSince, r.flags]));
        }
      }
    }
    // The clock-stale paths were taken (reviews fell due, snoozes ran out), not only the index walk.
    expect(staleSeen).toBeGreaterThan(10);
    c.close();
  }, 60_000);

  it('stores the waiting time the queue ranks by: refreshEpisodeState, migration 9 and its insert trigger agree', () => {
    const c = demo();
    const db = c.db;
    const rows = db
      .prepare(
        `SELECT s.episode_id, s.flags, s.last_review_at, e.admitted_at, s.waiting_since, ${waitingSinceSql('s')} AS by_sql
         FROM episode_state s JOIN episode e ON e.id = s.episode_id`,
      )
      .all() as { episode_id: number; flags: string; last_review_at: string | null; admitted_at: string; waiting_since: string; by_sql: string }[];
    expect(rows.length).toBeGreaterThan(900);
    for (const r of rows) {
      const js = waitingSince(r.last_review_at ?? r.admitted_at, JSON.parse(r.flags) as { since: string | null }[]);
      expect([r.episode_id, r.waiting_since, r.by_sql]).toEqual([r.episode_id, js, js]);
    }
    // A writer that inserts a state without it (as a bulk import may) gets it from the trigger.
    const reviewed = rows.find((r) => r.last_review_at !== null && r.waiting_since !== r.last_review_at)!;
    const state = db.prepare('SELECT * FROM episode_state WHERE episode_id = ?').get(reviewed.episode_id) as Record<string, unknown>;
    const { waiting_since: _stored, ...columns } = state;
    db.prepare('DELETE FROM episode_state WHERE episode_id = ?').run(reviewed.episode_id);
    db.prepare(
      `INSERT INTO episode_state (${Object.keys(columns).join(', ')}) VALUES (${Object.keys(columns)
        .map((k) => `@${k}`)
        .join(', ')})`,
    ).run(columns);
    expect(db.prepare('SELECT waiting_since FROM episode_state WHERE episode_id = ?').pluck().get(reviewed.episode_id)).toBe(reviewed.waiting_since);
    c.close();
  }, 60_000);

  it('reads the page from the queue index in its order and counts from the flagged index, never scanning episode_state or episode', () => {
    const c = demo();
    const plan = (sql: string, params: unknown = { limit: 100, stale: '[1,2]', wardId: 1, facilityId: 1, tier: 'T2', flag: 'news2_high' }) =>
      c.db
        .prepare<unknown[], { detail: string }>(`EXPLAIN QUERY PLAN ${sql}`)
        .all(params)
        .map((p) => p.detail);
    const unindexedScan = (d: string) => /^SCAN (s|e|pl|wp|episode_state|episode|placement)\b/.test(d) && !/USING (COVERING )?INDEX/.test(d);

    const page = plan(pageSql({}, false));
    expect(page[0]).toBe('SCAN s USING INDEX episode_state_queue');
    expect(page.join('\n')).not.toMatch(/TEMP B-TREE/);
    const count = plan(countSql({}, false));
    expect(count[0]).toBe('SCAN s USING INDEX episode_state_flagged_id');
    expect(plan(REVIEW_FELL_DUE_SQL, [NOW])).toEqual(['SEARCH episode_state USING INDEX episode_state_review_pending (review_due_at<?)']);
    // Snoozes are few (the panel sets them by hand): read from an index, each one's state by its key.
    expect(plan(SNOOZE_RAN_OUT_SQL, [NOW]).every((d) => / USING (COVERING INDEX|INDEX|INTEGER PRIMARY KEY)/.test(d))).toBe(true);
    for (const filter of [{}, { facilityId: 1 }, { wardId: 1 }, { tier: 'T2' as const }, { flag: 'news2_high' as const }]) {
      for (const stale of [false, true]) {
        for (const sql of [pageSql(filter, stale), countSql(filter, stale)]) expect(plan(sql).filter(unindexedScan), sql).toEqual([]);
      }
    }
    // A ward's list is driven by the ward's open placements, not a walk of the network's queue.
    expect(plan(pageSql({ wardId: 1 }, false))[0]).toBe('SEARCH wp USING INDEX placement_ward_open (ward_id=?)');
    c.close();
  }, 60_000);
});
