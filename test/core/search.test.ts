import { describe, expect, it } from 'vitest';
import type { PatientSearchHit } from '../../shared/api/patientSearch';
import { admission, makeNetwork, NOW } from '../support/core';

type Found = { results: PatientSearchHit[]; more: boolean };

function ward() {
  const c = makeNetwork();
  const zhang = c.ok<{ patientId: number; episodeId: number }>(
    'patients:admit',
    admission({ bedId: c.beds[0]!, wardId: c.wardId }, { name: '张伟', idCard: '110105194912310038', ageYears: undefined }),
  );
  const wang = c.ok<{ patientId: number; episodeId: number }>('patients:admit', admission({ bedId: c.zoneBeds[0]!, wardId: c.zoneId }, { name: '王秀英', sex: 'F', ageYears: 70 }));
  const zeng = c.ok<{ patientId: number; episodeId: number }>('patients:admit', admission({ bedId: c.beds[1]!, wardId: c.wardId }, { name: '曾小贤', ageYears: 35 }));
  return { c, zhang, wang, zeng };
}

const names = (f: Found) => f.results.map((r) => r.name);

describe('finding a patient as you type', () => {
  it('finds 张伟 by name, by pinyin initials, by the tail of his ID card and by his bed, and opens his current episode', () => {
    const { c, zhang } = ward();
    expect(names(c.ok<Found>('patients:search', { q: '张' }))).toEqual(['张伟']);
    expect(names(c.ok<Found>('patients:search', { q: 'zw' }))).toEqual(['张伟']);
    expect(names(c.ok<Found>('patients:search', { q: 'ZW' }))).toEqual(['张伟']);
    expect(names(c.ok<Found>('patients:search', { q: '0038' }))).toEqual(['张伟']);
    expect(names(c.ok<Found>('patients:search', { q: '310038' }))).toEqual(['张伟']);
    expect(names(c.ok<Found>('patients:search', { q: 'g1-001' }))).toEqual(['张伟']);
    const hit = c.ok<Found>('patients:search', { q: 'zw' }).results[0]!;
    expect(hit).toMatchObject({
      patientId: zhang.patientId,
      episodeId: zhang.episodeId,
      bedLabel: 'G1-001',
      wardName: '感染一病区',
      facilityName: '定点医院',
      idCardMasked: '110105********0038',
      status: 'active',
      ageYears: 72,
      matchedBy: 'initials',
    });
  });

  it('reads surnames as surnames (曾 is z, not c) and narrows as more letters are typed', () => {
    const { c } = ward();
    expect(names(c.ok<Found>('patients:search', { q: 'z' }))).toEqual(['张伟', '曾小贤']);
    expect(names(c.ok<Found>('patients:search', { q: 'zx' }))).toEqual(['曾小贤']);
    expect(names(c.ok<Found>('patients:search', { q: 'wxy' }))).toEqual(['王秀英']);
    expect(names(c.ok<Found>('patients:search', { q: 'A1' }))).toEqual(['王秀英']);
    expect(c.ok<Found>('patients:search', { q: 'xyz' }).results).toEqual([]);
    expect(c.ok<Found>('patients:search', { q: '' }).results).toEqual([]);
  });

  it('lists everyone in hospital for an empty query in list mode, and caps the suggestions', () => {
    const { c } = ward();
    expect(c.ok<Found>('patients:search', { q: '', mode: 'list' }).results).toHaveLength(3);
    const ins = c.db.prepare(`INSERT INTO patient (name, sex, age_years, risk_factors, created_at, created_by, name_initials) VALUES (?, 'M', 30, '[]', ?, 1, 'zs')`);
    for (let i = 0; i < 25; i++) ins.run(`张三${i}`, NOW);
    const f = c.ok<Found>('patients:search', { q: 'zs' });
    expect(f.results).toHaveLength(20);
    expect(f.more).toBe(true);
    expect(c.ok<Found>('patients:search', { q: 'zs', mode: 'list' }).results).toHaveLength(25);
  });

  it('finds a patient whose search keys were not stored (another insert path) at once, and stores them at the next start', () => {
    const { c } = ward();
    c.db
      .prepare(`INSERT INTO patient (name, sex, age_years, id_card, risk_factors, created_at, created_by) VALUES ('欧阳娜娜', 'F', 30, '11010519900101002X', '[]', ?, 1)`)
      .run(NOW);
    expect(names(c.ok<Found>('patients:search', { q: 'oy' }))).toEqual(['欧阳娜娜']);
    expect(names(c.ok<Found>('patients:search', { q: '002x' }))).toEqual(['欧阳娜娜']);
    const again = c.reopen();
    expect(again.db.prepare(`SELECT name_initials, id_card_rev FROM patient WHERE name = '欧阳娜娜'`).get()).toEqual({ name_initials: 'oynn', id_card_rev: 'X20010100991501011' });
  });

  it('answers from indexes: no full scan of patients, beds or episodes for any kind of query', () => {
    const { c } = ward();
    const plans: string[] = [];
    const db = c.db;
    const original = db.prepare.bind(db);
    // Capture the statements the search prepares, then ask SQLite how it runs each.
    (db as unknown as { prepare: (sql: string) => unknown }).prepare = (sql: string) => {
      if (!sql.startsWith('EXPLAIN')) plans.push(sql);
      return original(sql);
    };
    for (const q of ['张', 'zw', '0038', 'A1-0']) c.ok('patients:search', { q });
    (db as unknown as { prepare: unknown }).prepare = original;
    expect(plans.length).toBeGreaterThanOrEqual(5);
    for (const sql of plans) {
      const detail = (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...Array((sql.match(/\?/g) ?? []).length).fill('x')) as { detail: string }[]).map((r) => r.detail);
      expect(
        detail.filter((d) => /^SCAN (patient|bed|episode|placement)\b/.test(d)),
        `${sql}\n${detail.join('\n')}`,
      ).toEqual([]);
    }
  });
});
