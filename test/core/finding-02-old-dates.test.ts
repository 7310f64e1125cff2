import { describe, expect, it } from 'vitest';
import type { ImportReport, PreviewRow } from '../../shared/api/import';
import { parseCsv } from '../../shared/import/csv';
import { autoMap } from '../../shared/import/cases';
import { formatLocal, localDate } from '../../shared/domain/time';
import { addUser, admission, makeNetwork, NOW } from '../support/core';
import { roundAt, sh } from '../support/timeline';

/**
 * Issue 12 finding 2: an admission dated before the year 1000 was accepted; localDate then wrote an
 * unpadded year, dayOfStay became NaN, and the shared screens returned INTERNAL for every user.
 */
type Net = ReturnType<typeof makeNetwork>;

const ANCIENT = '0999-03-20T10:00:00+08:00';
const HEADER = '姓名,性别,年龄,出生日期,身份证号,联系电话,现住址,所属社区,采样日期,N基因Ct值,ORF1ab基因Ct值,来源';

function csv(text: string) {
  const [header, ...rows] = parseCsv(text).rows;
  return { header: header!.cells, mapping: autoMap(header!.cells), rows };
}

function issuesOf(r: { ok: boolean; error?: { code: string; details: { issues?: unknown[] } } }, code = 'VALIDATION') {
  expect(r.ok).toBe(false);
  expect(r.error?.code).toBe(code);
  return r.error?.details.issues;
}

describe('finding 2: one old date breaks shared screens', () => {
  it('a typed admission at 0999 is refused on admittedAt, a birth date before 1900 on the birth date; nothing is written', () => {
    const c = makeNetwork();
    const patients = c.count('patient');
    const old = c.call('patients:admit', admission({ bedId: c.beds[0]!, wardId: c.wardId, admittedAt: ANCIENT }));
    expect(issuesOf(old)).toEqual([{ field: 'admittedAt', key: 'validation.date_too_early', params: { min: '2000-01-01' } }]);
    const { bedId: _b, ...toWaitingList } = admission({ wardId: c.wardId, bedId: 0, admittedAt: '1999-12-31T23:59:00Z' });
    const waiting = c.call('beds:admitWaiting', toWaitingList);
    expect(issuesOf(waiting)).toContainEqual({ field: 'admittedAt', key: 'validation.date_too_early', params: { min: '2000-01-01' } });
    const born = c.call('patients:admit', admission({ bedId: c.beds[0]!, wardId: c.wardId }, { birthDate: '0999-05-01', ageYears: undefined }));
    expect(issuesOf(born)).toEqual([{ field: 'patient.birthDate', key: 'validation.date_too_early', params: { min: '1900-01-01' } }]);
    const late = c.call('patients:admit', admission({ bedId: c.beds[0]!, wardId: c.wardId, admittedAt: '2100-01-01T00:00:00Z' }));
    expect(issuesOf(late)).toEqual([{ field: 'admittedAt', key: 'validation.date_too_late', params: { max: '2099-12-31' } }]);
    expect(c.count('patient')).toBe(patients);
    // The bounds themselves are allowed: born 1900-01-01 (a 122-year-old).
    c.ok('patients:admit', admission({ bedId: c.beds[0]!, wardId: c.wardId }, { birthDate: '1900-01-01', ageYears: undefined }));
  });

  it('every clinical time in the contract has the same lower bound: a round, imaging, a discharge check, a report date, an audit filter', () => {
    const c = makeNetwork();
    const { episodeId } = c.ok<{ episodeId: number }>('patients:admit', admission({ bedId: c.beds[0]!, wardId: c.wardId }));
    const admin = c.session.user;
    addUser(c, 'ward_doctor', { login: true });
    const early = { key: 'validation.date_too_early', params: { min: '2000-01-01' } };
    expect(issuesOf(c.call('rounds:record', { episodeId, measuredAt: ANCIENT, respRate: 18 }))).toContainEqual({ field: 'measuredAt', ...early });
    expect(issuesOf(c.call('results:recordImaging', { episodeId, performedAt: ANCIENT, modality: 'ct', pneumonia: false }))).toContainEqual({ field: 'performedAt', ...early });
    expect(issuesOf(c.call('discharge:check', { episodeId, at: ANCIENT }))).toEqual([{ field: 'at', ...early }]);
    c.session.user = admin;
    expect(issuesOf(c.call('reports:daily', { date: '0999-03-20' }))).toEqual([{ field: 'date', ...early }]);
    expect(issuesOf(c.call('audit:list', { from: '1999-12-31' }))).toContainEqual({ field: 'from', ...early });
  });

  it('an import at 0999 is refused on admittedAt, and a row born in 0999 is a bad row with its reason', () => {
    const c = makeNetwork();
    const f = csv(`${HEADER}\n张伟,男,72,,,13800138000,,,2022-03-18,24.5,26.1,社区筛查\n李娜,女,,0999-05-01,,13700001111,,,,,,\n王芳,女,,1899-12-31,,13700002222,,,,,,\n`);
    const old = c.call('import:preview', { mapping: f.mapping, rows: f.rows, admittedAt: ANCIENT });
    expect(issuesOf(old)).toEqual([{ field: 'admittedAt', key: 'validation.date_too_early', params: { min: '2000-01-01' } }]);

    const rows = c.ok<{ rows: PreviewRow[] }>('import:preview', { mapping: f.mapping, rows: f.rows, admittedAt: NOW }).rows;
    expect(rows.map((r) => [r.line, r.status])).toEqual([
      [2, 'ok'],
      [3, 'error'],
      [4, 'error'],
    ]);
    expect(rows[1]!.issues).toEqual([{ field: 'birthDate', key: 'validation.date_too_early', params: { min: '1900-01-01' } }]);
    expect(rows[2]!.issues).toEqual([{ field: 'birthDate', key: 'validation.date_too_early', params: { min: '1900-01-01' } }]);

    const commit = { fileName: '名单.csv', encoding: 'utf-8', header: f.header, mapping: f.mapping, rows: f.rows, wardId: c.zoneId };
    const bad = c.call('import:commit', { ...commit, selected: [2, 3], admittedAt: NOW });
    expect(issuesOf(bad, 'CONFLICT')).toEqual([{ field: 'rows.3.birthDate', key: 'validation.date_too_early', params: { min: '1900-01-01' } }]);
    const ancient = c.call('import:commit', { ...commit, selected: [2], admittedAt: ANCIENT });
    expect(issuesOf(ancient)).toEqual([{ field: 'admittedAt', key: 'validation.date_too_early', params: { min: '2000-01-01' } }]);
    expect(c.count('patient')).toBe(0);
    // The good row goes in; the two bad ones are in the skipped-rows report with their reason.
    const report = c.ok<ImportReport>('import:commit', { ...commit, selected: [2], admittedAt: NOW });
    expect(report.imported).toBe(1);
    expect(report.skipped.map((r) => [r.line, r.reason, r.issues])).toEqual([
      [3, 'error', [{ field: 'birthDate', key: 'validation.date_too_early', params: { min: '1900-01-01' } }]],
      [4, 'error', [{ field: 'birthDate', key: 'validation.date_too_early', params: { min: '1900-01-01' } }]],
    ]);
  });

  it('if such a row is already in the database, the shared screens still answer instead of INTERNAL', () => {
    const c: Net = makeNetwork();
    const { episodeId, patientId } = c.ok<{ episodeId: number; patientId: number }>('patients:admit', admission({ bedId: c.beds[0]!, wardId: c.wardId }));
    // Written by an older version, a hand-edited file or a restored copy: below every bound of the contract.
    c.db.prepare('UPDATE episode SET admitted_at = ? WHERE id = ?').run('0999-03-20T02:00:00.000Z', episodeId);
    c.db.prepare('UPDATE patient SET birth_date = ?, age_years = NULL WHERE id = ?').run('0950-01-01', patientId);
    roundAt(c.db, episodeId, '0999-03-21T02:00:00.000Z', 37.2, []);
    roundAt(c.db, episodeId, sh('2022-03-20T08:00'), 36.8, []);

    for (const [channel, input] of [
      ['queue:list', {}],
      ['discharge:readyList', { scope: 'all' }],
      ['wards:board', { wardId: c.wardId }],
      ['chart:get', { episodeId }],
      ['discharge:check', { episodeId }],
      ['summary:get', { episodeId }],
    ] as const) {
      const r = c.call<unknown>(channel, input);
      expect(r.ok ? 'ok' : `${channel}: ${r.error.code} ${r.error.message}`).toBe('ok');
    }
    const ready = c.ok<{ facilities: { patients: { episodeId: number; lengthOfStayDays: number }[] }[] }>('discharge:readyList', { scope: 'all' });
    const row = ready.facilities.flatMap((f) => f.patients).find((p) => p.episodeId === episodeId);
    expect(Number.isInteger(row?.lengthOfStayDays)).toBe(true);
  });

  it('localDate and formatLocal pad years below 1000, so dates sort and parse back', () => {
    expect(localDate('0999-03-20T02:00:00.000Z')).toBe('0999-03-20');
    expect(localDate('0050-03-20T02:00:00.000Z', 'UTC')).toBe('0050-03-20');
    expect(formatLocal('0999-03-20T02:00:00.000Z', 'UTC')).toBe('0999-03-20 02:00');
    expect(localDate('-000001-06-01T00:00:00.000Z', 'UTC')).toBe('-000001-06-01');
    expect(Date.parse(`${localDate('0999-03-20T02:00:00.000Z')}T00:00:00Z`)).toBe(Date.parse('0999-03-20T00:00:00Z'));
  });
});
