import { describe, expect, it } from 'vitest';
import { Ctx } from '../../electron/core/context';
import { generateDemoNetwork } from '../../electron/core/demo/generate';
import { makeCore, NOW } from '../support/core';

/** Tables that must never be scanned whole: rounds and results grow to millions of rows (1,000,000 rounds in the bench). */
const BIG = ['round', 'lab_result'];

function aliasesOf(sql: string): Set<string> {
  const out = new Set<string>();
  for (const m of sql.matchAll(/\b(FROM|JOIN)\s+([a-z_]+)(?:\s+(?:AS\s+)?([a-z_][a-z0-9_]*))?/gi)) {
    const table = m[2]!.toLowerCase();
    if (!BIG.includes(table)) continue;
    out.add(table);
    const alias = m[3]?.toLowerCase();
    if (alias && !['where', 'on', 'join', 'left', 'inner', 'order', 'group', 'limit', 'using'].includes(alias)) out.add(alias);
  }
  return out;
}

function params(sql: string): unknown[] | Record<string, null> {
  const named = [...sql.matchAll(/[@:$]([a-zA-Z_]\w*)/g)].map((m) => m[1]!);
  if (named.length > 0) return Object.fromEntries(named.map((n) => [n, null]));
  return Array((sql.match(/\?/g) ?? []).length).fill(null);
}

describe('the hot queries run from indexes (EXPLAIN QUERY PLAN)', () => {
  it('ward board, expert queue, daily report, discharge statistics, recording a round and patient search never scan rounds or results', () => {
    const c = makeCore();
    c.db.transaction(() => generateDemoNetwork(new Ctx(c.db, NOW, c.session), { seed: 5, scale: { patients: 300, roundsPerPatient: 4, days: 5, discharged: 100 } }))();
    c.session.user = { id: 1, username: 'admin', displayName: '医务科 管理员', role: 'admin' };
    const nurse = { user: { id: 3, username: 'nurse.zhang', displayName: '张护士', role: 'nurse' as const } };
    const db = c.db;
    const zone = db.prepare(`SELECT id FROM ward WHERE kind = 'zone' LIMIT 1`).pluck().get() as number;
    const episode = db.prepare(`SELECT id FROM episode WHERE status = 'active' LIMIT 1`).pluck().get() as number;
    const seen: string[] = [];
    const prepare = db.prepare.bind(db);
    (db as unknown as { prepare: (sql: string) => unknown }).prepare = (sql: string) => {
      if (!/^\s*EXPLAIN/i.test(sql)) seen.push(sql);
      return prepare(sql);
    };
    try {
      c.ok('wards:board', { wardId: zone });
      c.ok('queue:list', {});
      c.ok('reports:daily', { date: '2022-03-20' });
      c.ok('reports:dischargeStats', { from: '2022-01-20', to: '2022-03-20' });
      for (const q of ['张', 'zw', '0038', 'Z001-0']) c.ok('patients:search', { q });
      const r = c.dispatch(
        'rounds:record',
        {
          episodeId: episode,
          measuredAt: '2022-03-20T06:00:00.000Z',
          respRate: 18,
          spo2: 97,
          onOxygen: false,
          systolicBp: 120,
          diastolicBp: 80,
          pulse: 80,
          consciousness: 'A',
          temperature: 36.8,
        },
        nurse,
        NOW,
      );
      expect(r.ok, JSON.stringify(r)).toBe(true);
    } finally {
      (db as unknown as { prepare: unknown }).prepare = prepare;
    }
    expect(seen.length).toBeGreaterThan(20);
    const scans: string[] = [];
    for (const sql of new Set(seen)) {
      if (/^\s*(INSERT|UPDATE|DELETE|PRAGMA|BEGIN|COMMIT|SAVEPOINT|RELEASE)/i.test(sql)) continue;
      const aliases = aliasesOf(sql);
      if (aliases.size === 0) continue;
      const plan = db
        .prepare<unknown[], { detail: string }>(`EXPLAIN QUERY PLAN ${sql}`)
        .all(params(sql))
        .map((p) => p.detail);
      for (const d of plan) {
        const m = /^SCAN (\w+)/.exec(d);
        if (m && aliases.has(m[1]!.toLowerCase())) scans.push(`${d}\n    in: ${sql.replace(/\s+/g, ' ').slice(0, 240)}`);
      }
    }
    expect(scans).toEqual([]);
  }, 60_000);
});
