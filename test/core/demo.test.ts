import { describe, expect, it } from 'vitest';
import type { Facility, WardBoard } from '../../shared/api/facilities';
import { makeCore } from '../support/core';
import { isValidIdCard } from '../../shared/domain/idcard';

describe('the demo network', () => {
  it('builds the reference outbreak deterministically: same seed, same patients', { timeout: 60_000 }, () => {
    const a = makeCore();
    const b = makeCore();
    const ra = a.ok<{ patients: number; beds: number }>('setup:loadDemo', { seed: 7 });
    b.ok('setup:loadDemo', { seed: 7 });
    const dump = (c: typeof a) =>
      c.db
        .prepare('SELECT p.name, p.id_card, e.admitted_at, pl.bed_id FROM patient p JOIN episode e ON e.patient_id = p.id JOIN placement pl ON pl.episode_id = e.id ORDER BY p.id')
        .all();
    expect(dump(a)).toEqual(dump(b));
    expect(ra.patients).toBeGreaterThan(1700);
    expect(ra.patients).toBeLessThanOrEqual(1800);
    expect(ra.beds).toBe(1940 + 1280 + 1300);
    expect(a.session.user?.role).toBe('admin');
  });

  it('has one designated hospital and two fangcang, valid synthetic ID cards, and an epidemic curve', { timeout: 60_000 }, () => {
    const c = makeCore();
    c.ok('setup:loadDemo', {});
    const facilities = c.ok<Facility[]>('facilities:list');
    expect(facilities.map((f) => f.kind)).toEqual(['designated', 'fangcang', 'fangcang']);
    const ids = c.db.prepare('SELECT id_card FROM patient').pluck().all() as string[];
    expect(ids.every(isValidIdCard)).toBe(true);
    expect(new Set(ids).size).toBe(ids.length);
    const perDay = c.db.prepare(`SELECT substr(admitted_at, 1, 10) AS d, count(*) AS n FROM episode GROUP BY d ORDER BY d`).all() as { d: string; n: number }[];
    const peak = perDay.reduce((m, r) => Math.max(m, r.n), 0);
    expect(perDay[0]!.n).toBeLessThan(peak / 4);
    const board = c.ok<WardBoard>('wards:board', { wardId: facilities[1]!.wards[0]!.id });
    expect(board.beds.some((b) => b.occupant !== null)).toBe(true);
    const occupiedWithoutPlacement = c.db
      .prepare(`SELECT count(*) FROM bed b WHERE b.state = 'occupied' AND NOT EXISTS (SELECT 1 FROM placement p WHERE p.bed_id = b.id AND p.end_at IS NULL)`)
      .pluck()
      .get();
    expect(occupiedWithoutPlacement).toBe(0);
  });

  it('is offered only on an empty database', () => {
    const c = makeCore();
    c.ok('setup:createAdmin', { username: 'admin', displayName: '管理员', password: 'correct-horse' });
    const r = c.call('setup:loadDemo', {});
    expect(!r.ok && r.error.code).toBe('CONFLICT');
  });
});
