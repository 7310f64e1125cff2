import { describe, expect, it } from 'vitest';
import type { ImportReport, PreviewRow } from '../../shared/api/import';
import { parseCsv } from '../../shared/import/csv';
import { autoMap, readCaseRow, type DuplicateKeys } from '../../shared/import/cases';
import { Ctx } from '../../electron/core/context';
import { refreshEpisodeState } from '../../electron/core/clinical/state';
import { findAllInDatabase, findInDatabase } from '../../electron/core/import/repo';
import { syntheticCaseList } from '../support/caseList';
import { admission, makeNetwork, NOW } from '../support/core';

const HEADER = '姓名,性别,年龄,出生日期,身份证号,联系电话,现住址,所属社区,采样日期,N基因Ct值,ORF1ab基因Ct值,来源';

/** Ages on both sides of the age risk factor (over 60), infants, age-only, birth-date-only and ID-card-only rows, with and without a test. */
const VARIED = `${HEADER}
张伟,男,72,,110105194912310038,13800138000,东明路1号,东明社区,2022-03-18,24.5,26.1,社区筛查
王秀英,女,65,,,13912345678,三林路8弄,三林社区,2022/3/19,,,密接
赵建国,男,58,,,13600002222,,,,,,发热门诊
钱六十,男,60,,,13600003333,,,2022-03-19,30,31,
孙一岁,女,8个月,,,13600004444,,,2022-03-19 08:30,,,
李生日,女,,1962-03-21,,13600005555,,,2022-03-19,,,
周生日,男,,1961-03-20,,13600006666,,,,,,
吴卡片,女,,,110105202001010023,,,,2022-03-18,35,36,外院转入
`;

function file(text: string) {
  const [header, ...rows] = parseCsv(text).rows;
  return { header: header!.cells, mapping: autoMap(header!.cells), rows };
}

type Net = ReturnType<typeof makeNetwork>;

function importAll(c: Net, text: string, wardId: number, admittedAt: string): ImportReport {
  const f = file(text);
  const rows = c.ok<{ rows: PreviewRow[] }>('import:preview', { mapping: f.mapping, rows: f.rows, admittedAt }).rows;
  const selected = rows.filter((r) => r.status === 'ok').map((r) => r.line);
  return c.ok<ImportReport>('import:commit', { fileName: 'list.csv', encoding: 'utf-8', header: f.header, mapping: f.mapping, rows: f.rows, selected, wardId, admittedAt });
}

/**
 * Every imported episode's stored state, then the rows refreshEpisodeState writes for the same episodes
 * from the database (the stored rows removed first, so that every column is written anew).
 */
function storedAndRecomputed(c: Net, batchId: number) {
  const episodes = c.db.prepare('SELECT e.id FROM episode e JOIN patient p ON p.id = e.patient_id WHERE p.import_batch_id = ? ORDER BY e.id').pluck().all(batchId) as number[];
  const read = c.db.prepare('SELECT * FROM episode_state WHERE episode_id = ?');
  const stored = episodes.map((id) => read.get(id));
  const ctx = new Ctx(c.db, NOW, c.session);
  const remove = c.db.prepare('DELETE FROM episode_state WHERE episode_id = ?');
  c.db.transaction(() => {
    for (const id of episodes) {
      remove.run(id);
      refreshEpisodeState(ctx, id);
    }
  })();
  return { episodes, stored, recomputed: episodes.map((id) => read.get(id)) };
}

describe('what the import writes for each case without refreshing every episode', () => {
  it('stores the same episode state refreshEpisodeState computes, for every age and with or without a test', () => {
    const c = makeNetwork();
    const report = importAll(c, VARIED, c.zoneId, NOW);
    expect(report.imported).toBe(8);
    const { stored, recomputed } = storedAndRecomputed(c, report.batchId);
    expect(stored).toEqual(recomputed);
    // The list's ages reach the state: the over-60s carry the age risk factor, the others do not.
    const flagged = (stored as { flags: string }[]).map((s) => s.flags.includes('age_over_60'));
    expect(flagged).toEqual([true, true, false, false, false, false, true, false]);
  });

  it('stores the same state for a list admitted hours ago to a ward of a designated hospital, and for 300 generated cases', () => {
    const c = makeNetwork();
    const earlier = importAll(c, VARIED, c.wardId, '2022-03-19T22:30:00.000Z');
    const generated = importAll(c, syntheticCaseList(300, 11, { serialBase: 5000 }), c.zoneId, NOW);
    expect(generated.imported).toBe(300);
    for (const batchId of [earlier.batchId, generated.batchId]) {
      const { episodes, stored, recomputed } = storedAndRecomputed(c, batchId);
      expect(stored).toHaveLength(episodes.length);
      expect(stored).toEqual(recomputed);
    }
    // The audit chain stays whole across the import's rows and the admissions after it.
    c.ok('patients:admit', admission({ bedId: c.beds[0]!, wardId: c.wardId }, { name: '冯后来' }));
    expect(c.ok<{ ok: boolean; rows: number }>('audit:verify')).toMatchObject({ ok: true });
    expect(c.db.prepare(`SELECT count(*) FROM audit WHERE action = 'import.case'`).pluck().get()).toBe(308);
  });
});

describe('finding the people of a whole list in the database at once', () => {
  it('answers for every row exactly as the one-row lookup does', () => {
    const c = makeNetwork();
    c.ok('patients:admit', admission({ bedId: c.beds[0]!, wardId: c.wardId }, { idCard: '110105194912310038', ageYears: undefined }));
    c.ok('patients:admit', admission({ bedId: c.beds[1]!, wardId: c.wardId }, { name: '王秀英', sex: 'F', birthDate: '1956-05-01', ageYears: undefined, phone: '+8613912345678' }));
    c.ok('patients:admit', admission({ bedId: c.beds[2]!, wardId: c.wardId }, { name: '李|娜', sex: 'F', birthDate: '1990-01-01', ageYears: undefined, phone: '13700001111' }));
    const keys: (DuplicateKeys | null)[] = [
      { idCard: '110105194912310038', nbp: null },
      { idCard: null, nbp: '王秀英|1956-05-01|13912345678' },
      { idCard: null, nbp: '王秀英|1956-05-01|13912345679' },
      { idCard: '110105202001010023', nbp: '王秀英|1956-05-01|13912345678' },
      { idCard: '110105202001010023', nbp: null },
      null,
      { idCard: null, nbp: '李|娜|1990-01-01|13700001111' },
      { idCard: null, nbp: null },
      { idCard: '110105194912310038', nbp: '张伟|1949-12-31|13800138000' },
    ];
    const ctx = new Ctx(c.db, NOW, c.session);
    const one = keys.map((k) => (k ? findInDatabase(ctx, k) : null));
    expect(findAllInDatabase(ctx, keys)).toEqual(one);
    expect(one.map((d) => d?.by ?? null)).toEqual(['idCard', 'nbp', null, 'nbp', null, null, null, null, 'idCard']);
  });

  it('probes the patient indexes for the whole list, never scanning patients (EXPLAIN QUERY PLAN)', () => {
    const c = makeNetwork();
    const seen: string[] = [];
    const prepare = c.db.prepare.bind(c.db);
    (c.db as unknown as { prepare: (sql: string) => unknown }).prepare = (sql: string) => {
      seen.push(sql);
      return prepare(sql);
    };
    const f = file(VARIED);
    const keys = f.rows.map((r) => readCaseRow(r, f.mapping, { now: NOW, tz: 'Asia/Shanghai', admittedAt: NOW }).keys);
    findAllInDatabase(new Ctx(c.db, NOW, c.session), keys);
    const sets = seen.filter((sql) => sql.includes('json_each'));
    expect(sets).toHaveLength(2);
    for (const sql of sets) {
      const plan = (prepare(`EXPLAIN QUERY PLAN ${sql}`).all(null) as { detail: string }[]).map((r) => r.detail).join('\n');
      expect(plan).toMatch(/SEARCH p .*USING COVERING INDEX (patient_id_card|patient_name_birth_phone)/);
      expect(plan).not.toMatch(/SCAN p\b/);
    }
  });
});
