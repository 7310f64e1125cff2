import { describe, expect, it } from 'vitest';
import type { Queue } from '../../shared/api/queue';
import { makeCore } from '../support/core';
import type { SessionUser } from '../../shared/api/auth';

const NOW = '2022-04-10T06:00:00.000Z';

describe('the demo outbreak’s panel history', () => {
  it('has reviews of flagged patients, fangcang → designated transfers and a few ICU stays and returns, deterministically and consistently', () => {
    const a = makeCore();
    const b = makeCore();
    a.ok('setup:loadDemo', { seed: 11 }, NOW);
    b.ok('setup:loadDemo', { seed: 11 }, NOW);
    const history = (c: typeof a) => [
      c.db.prepare('SELECT episode_id, at, decision, tier_after, note, flags FROM review ORDER BY id').all(),
      c.db.prepare('SELECT episode_id, status, to_ward_id, to_bed_id, requested_at, completed_at FROM transfer_request ORDER BY id').all(),
    ];
    expect(history(a)).toEqual(history(b));
    const db = a.db;
    const one = (sql: string) => db.prepare(sql).pluck().get() as number;

    expect(one('SELECT count(*) FROM review')).toBeGreaterThan(100);
    // Every review was of a patient who had a flag at the time.
    expect(one(`SELECT count(*) FROM review WHERE flags = '[]'`)).toBe(0);
    // Fangcang → designated hospital, in the same episode.
    const crossFacility = one(`
      SELECT count(*) FROM placement p JOIN ward w ON w.id = p.ward_id JOIN facility f ON f.id = w.facility_id
      JOIN placement prev ON prev.episode_id = p.episode_id AND prev.end_at = p.start_at
      JOIN ward pw ON pw.id = prev.ward_id JOIN facility pf ON pf.id = pw.facility_id
      WHERE p.began_by = 'transfer' AND f.kind = 'designated' AND pf.kind = 'fangcang'`);
    expect(crossFacility).toBeGreaterThan(5);
    // A few to ICU and back to a severe ward.
    const icuAndBack = one(`
      SELECT count(DISTINCT icu.episode_id) FROM placement icu JOIN ward w ON w.id = icu.ward_id AND w.kind = 'icu'
      JOIN placement after ON after.episode_id = icu.episode_id AND after.start_at = icu.end_at
      JOIN ward aw ON aw.id = after.ward_id AND aw.kind = 'severe'`);
    expect(icuAndBack).toBeGreaterThanOrEqual(1);
    expect(icuAndBack).toBeLessThanOrEqual(3);

    // History holds together: no review or move after the end of the stay, no bed with two patients at once.
    expect(one(`SELECT count(*) FROM review r JOIN episode e ON e.id = r.episode_id WHERE e.ended_at IS NOT NULL AND r.at > e.ended_at`)).toBe(0);
    expect(one(`SELECT count(*) FROM placement p JOIN episode e ON e.id = p.episode_id WHERE e.ended_at IS NOT NULL AND p.start_at > e.ended_at`)).toBe(0);
    expect(
      one(`SELECT count(*) FROM placement x JOIN placement y ON x.bed_id = y.bed_id AND x.id < y.id
           AND x.start_at < coalesce(y.end_at, '9999') AND y.start_at < coalesce(x.end_at, '9999')`),
    ).toBe(0);
    expect(one(`SELECT count(*) FROM transfer_request WHERE status IN ('requested', 'bed_assigned')`)).toBe(0);
    expect(one(`SELECT count(*) FROM bed b WHERE b.state = 'occupied' AND NOT EXISTS (SELECT 1 FROM placement p WHERE p.bed_id = b.id AND p.end_at IS NULL)`)).toBe(0);

    // Today's meeting has not happened: the queue is waiting for the panel.
    a.session.user = db.prepare<[], SessionUser>(`SELECT id, username, display_name AS displayName, role FROM app_user WHERE username = 'prof.zhou'`).get() ?? null;
    const q = a.ok<Queue>('queue:list', { limit: 50 }, NOW);
    expect(q.total).toBeGreaterThan(20);
    expect(q.rows.some((r) => r.facility.kind === 'fangcang')).toBe(true);
    expect(q.rows.some((r) => r.lastReview !== null)).toBe(true);
    a.close();
    b.close();
  }, 120_000);
});
