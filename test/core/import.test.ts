import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ImportReport, PreviewRow } from '../../shared/api/import';
import { decodeCsv, parseCsv } from '../../shared/import/csv';
import { autoMap, fileDuplicates } from '../../shared/import/cases';
import { caseListLayout } from '../../shared/import/layout';
import { admission, makeNetwork, NOW } from '../support/core';

const HEADER = '姓名,性别,年龄,出生日期,身份证号,联系电话,现住址,所属社区,采样日期,N基因Ct值,ORF1ab基因Ct值,来源';

/** What the renderer sends: the header, the mapping, and the data rows of a parsed file. */
function file(text: string) {
  const [header, ...rows] = parseCsv(text).rows;
  return { header: header!.cells, mapping: autoMap(header!.cells), rows };
}

function preview(c: ReturnType<typeof makeNetwork>, f: ReturnType<typeof file>) {
  return c.ok<{ rows: PreviewRow[] }>('import:preview', { mapping: f.mapping, rows: f.rows, admittedAt: NOW }).rows;
}

function commitInput(c: ReturnType<typeof makeNetwork>, f: ReturnType<typeof file>, selected: number[]) {
  return { fileName: '浦东新区阳性名单0320.csv', encoding: 'utf-8', header: f.header, mapping: f.mapping, rows: f.rows, selected, wardId: c.zoneId, admittedAt: NOW };
}

const LIST = `${HEADER}
张伟,男,72,,110105194912310038,13800138000,"上海市浦东新区,东明路1号",东明社区,2022-03-18,24.5,26.1,社区筛查

王秀英,女,65,,,13912345678,三林路8弄,三林社区,2022/3/19,,,密接
李娜,女,,2022-02-30,,13700001111,,,,,,
张伟,男,72,,110105194912310038,13800138000,东明路1号,东明社区,2022-03-18,24.5,26.1,社区筛查
赵建国,男,58,,,13600002222,,,,,,发热门诊
`;

describe('a list as the district CDC sends it (title rows, full-width digits, Excel dates, a totals row)', () => {
  it('imports the GB18030 spreadsheet export: the header found below the title, the totals row left out, every value read', () => {
    const c = makeNetwork();
    const bytes = new Uint8Array(fs.readFileSync(path.join(__dirname, '../fixtures/import/cdc-list-gb18030.csv')));
    const decoded = decodeCsv(bytes);
    const layout = caseListLayout(parseCsv(decoded.text).rows);
    expect(layout.above.map((r) => r.line)).toEqual([1, 2]);
    expect(layout.totals.map((r) => r.line)).toEqual([8]);
    const f = { header: layout.header.cells, mapping: autoMap(layout.header.cells), rows: layout.rows };

    expect(preview(c, f).map((r) => [r.line, r.status, r.issues.map((i) => `${i.field}:${i.key}`)])).toEqual([
      [4, 'ok', []],
      [5, 'ok', []],
      [6, 'ok', []],
      [7, 'error', ['sampleDate:validation.invalid_date']],
    ]);
    const report = c.ok<ImportReport>('import:commit', { ...commitInput(c, f, [4, 5, 6]), fileName: '安次区阳性感染者名单0319.csv', encoding: decoded.encoding });
    expect(report).toMatchObject({ imported: 3, rowsInFile: 4, skipped: [{ line: 7, reason: 'error' }] });

    const patients = c.db
      .prepare(
        `SELECT p.name, p.sex, p.birth_date AS birthDate, p.age_years AS ageYears, p.phone, e.source, r.collected_at AS collectedAt, r.n_ct AS nCt, r.orf1ab_ct AS orf1abCt
         FROM patient p JOIN episode e ON e.patient_id = p.id LEFT JOIN lab_result r ON r.episode_id = e.id AND r.analyte = 'nucleic_acid' ORDER BY p.id`,
      )
      .all();
    expect(patients).toEqual([
      {
        name: '刘建国',
        sex: 'M',
        birthDate: '1954-07-12',
        ageYears: null,
        phone: '13803160001',
        source: 'community_screening',
        collectedAt: '2022-03-19T04:00:00.000Z',
        nCt: 24.5,
        orf1abCt: 26.1,
      },
      { name: '赵丽', sex: 'F', birthDate: null, ageYears: 32, phone: '13931600002', source: 'close_contact', collectedAt: '2022-03-18T01:00:00.000Z', nCt: 28.3, orf1abCt: 29 },
      { name: '王淑芬', sex: 'F', birthDate: null, ageYears: 45, phone: '13931600003', source: 'fever_clinic', collectedAt: '2022-03-18T04:00:00.000Z', nCt: null, orf1abCt: null },
    ]);
    expect(c.db.prepare('SELECT id_card FROM patient WHERE name = ?').pluck().get('刘建国')).toBe('13100219540712129X');
    expect(c.db.prepare('SELECT encoding, rows_in_file, rows_imported, rows_skipped FROM import_batch').get()).toEqual({
      encoding: 'gb18030',
      rows_in_file: 4,
      rows_imported: 3,
      rows_skipped: 1,
    });
  });
});

describe('importing a positive-case list from the district CDC', () => {
  it('previews every row with its errors and duplicates, writing nothing', () => {
    const c = makeNetwork();
    const audits = c.count('audit');
    const rows = preview(c, file(LIST));
    expect(rows.map((r) => [r.line, r.status])).toEqual([
      [2, 'ok'],
      [4, 'ok'],
      [5, 'error'],
      [6, 'ok'],
      [7, 'ok'],
    ]);
    expect(rows[2]!.issues).toEqual([{ field: 'birthDate', key: 'validation.invalid_date' }]);
    // The repeated 张伟 on line 6 is found from the keys across the whole file (chunks included).
    expect([...fileDuplicates(rows.filter((r) => r.status !== 'error'))]).toEqual([[6, 2]]);
    expect(c.count('patient')).toBe(0);
    expect(c.count('audit')).toBe(audits);
  });

  it('flags a person already admitted, by ID card or by name + birth date + phone', () => {
    const c = makeNetwork();
    c.ok('patients:admit', admission({ bedId: c.beds[0]!, wardId: c.wardId }, { idCard: '110105194912310038', ageYears: undefined }));
    c.ok('patients:admit', admission({ bedId: c.beds[1]!, wardId: c.wardId }, { name: '王秀英', sex: 'F', birthDate: '1956-05-01', ageYears: undefined, phone: '+8613912345678' }));
    const rows = preview(c, file(`${HEADER}\n张伟,男,72,,110105194912310038\n王秀英,女,,1956-05-01,,13912345678\n王秀英,女,,1956-05-01,,13912345679\n`));
    expect(rows.map((r) => [r.status, r.duplicate?.by ?? null])).toEqual([
      ['duplicate', 'idCard'],
      ['duplicate', 'nbp'],
      ['ok', null],
    ]);
    expect(rows[0]!.duplicate).toMatchObject({ name: '张伟', status: 'active' });
  });

  it('imports the chosen rows in one transaction into the zone waiting list, with the positive test, and reports the rest', () => {
    const c = makeNetwork();
    const f = file(LIST);
    const report = c.ok<ImportReport>('import:commit', commitInput(c, f, [2, 4]));
    expect(report.imported).toBe(2);
    expect(report.skipped.map((s) => [s.line, s.reason])).toEqual([
      [5, 'error'],
      [6, 'duplicate_file'],
      [7, 'not_selected'],
    ]);
    expect(report.skipped[0]!.issues).toEqual([{ field: 'birthDate', key: 'validation.invalid_date' }]);
    expect(report.skipped[1]!.duplicateOfLine).toBe(2);

    const patients = c.db
      .prepare(
        `SELECT p.name, p.birth_date, p.age_years, p.address, p.name_initials, p.id_card_rev, e.source, e.status, pl.ward_id, pl.bed_id, p.import_batch_id
         FROM patient p JOIN episode e ON e.patient_id = p.id JOIN placement pl ON pl.episode_id = e.id ORDER BY p.id`,
      )
      .all();
    expect(patients).toEqual([
      {
        name: '张伟',
        birth_date: '1949-12-31',
        age_years: null,
        address: '上海市浦东新区,东明路1号',
        name_initials: 'zw',
        id_card_rev: '830013219491501011',
        source: 'community_screening',
        status: 'active',
        ward_id: c.zoneId,
        bed_id: null,
        import_batch_id: report.batchId,
      },
      {
        name: '王秀英',
        birth_date: null,
        age_years: 65,
        address: '三林路8弄',
        name_initials: 'wxy',
        id_card_rev: null,
        source: 'close_contact',
        status: 'active',
        ward_id: c.zoneId,
        bed_id: null,
        import_batch_id: report.batchId,
      },
    ]);
    expect(c.db.prepare(`SELECT collected_at, n_ct, orf1ab_ct, qualitative FROM lab_result ORDER BY id`).all()).toEqual([
      { collected_at: '2022-03-18T04:00:00.000Z', n_ct: 24.5, orf1ab_ct: 26.1, qualitative: null },
      { collected_at: '2022-03-19T04:00:00.000Z', n_ct: null, orf1ab_ct: null, qualitative: 'positive' },
    ]);
    // The derived state exists for the board and the queue; 张伟 (72) carries the age risk factor.
    const state = c.db.prepare(`SELECT flags FROM episode_state ORDER BY episode_id`).all() as { flags: string }[];
    expect(state).toHaveLength(2);
    expect(state[0]!.flags).toContain('age_over_60');
    // One audit row per case, by the importing admin, carrying everything written for the patient.
    const audit = c.db.prepare(`SELECT action, user_id, at, patient_id, after FROM audit WHERE action NOT LIKE 'auth.%' AND action <> 'user.create' ORDER BY id`).all() as {
      action: string;
      user_id: number;
      at: string;
      patient_id: number | null;
      after: string;
    }[];
    expect(audit.map((a) => a.action)).toEqual(['import.case', 'import.case', 'import.commit']);
    expect(audit.every((a) => a.user_id === c.session.user!.id && a.at === NOW)).toBe(true);
    const ids = c.db
      .prepare(
        `SELECT p.id AS patientId, e.id AS episodeId, pl.id AS placementId FROM patient p JOIN episode e ON e.patient_id = p.id JOIN placement pl ON pl.episode_id = e.id ORDER BY p.id`,
      )
      .all() as { patientId: number; episodeId: number; placementId: number }[];
    const labIds = c.db.prepare('SELECT id FROM lab_result ORDER BY id').pluck().all();
    expect(audit[0]!.patient_id).toBe(ids[0]!.patientId);
    expect(JSON.parse(audit[0]!.after)).toEqual({
      importBatchId: report.batchId,
      line: 2,
      patient: {
        name: '张伟',
        sex: 'M',
        birth_date: '1949-12-31',
        age_years: null,
        age_months: null,
        id_card: '110105********0038',
        phone: '13800138000',
        address: '上海市浦东新区,东明路1号',
        community: '东明社区',
      },
      episode: { id: ids[0]!.episodeId, admittedAt: NOW, source: 'community_screening', wardId: c.zoneId, bedId: null, placementId: ids[0]!.placementId },
      labResult: { id: labIds[0], analyte: 'nucleic_acid', collectedAt: '2022-03-18T04:00:00.000Z', nCt: 24.5, orf1abCt: 26.1 },
    });
    expect(JSON.parse(audit[1]!.after)).toMatchObject({ line: 4, patient: { name: '王秀英', age_years: 65 }, labResult: { id: labIds[1], nCt: null, orf1abCt: null } });
    expect(c.ok<{ rows: { action: string }[] }>('audit:patientHistory', { patientId: ids[1]!.patientId, limit: 10 }).rows.map((r) => r.action)).toEqual(['import.case']);
    expect(c.ok<{ ok: boolean }>('audit:verify').ok).toBe(true);
    const batch = c.ok<ImportReport>('import:report', { batchId: report.batchId });
    expect(batch.skipped).toEqual(report.skipped);
    expect(c.ok<{ imported: number; wardName: string }[]>('import:history')[0]).toMatchObject({ imported: 2, skipped: 3, wardName: 'A1舱' });
  });

  it('imports nothing when a chosen row became a duplicate after the preview (all or nothing)', () => {
    const c = makeNetwork();
    const f = file(LIST);
    expect(preview(c, f)[0]!.status).toBe('ok');
    // Meanwhile a ward doctor admits 张伟 through the form.
    c.ok('patients:admit', admission({ bedId: c.beds[0]!, wardId: c.wardId }, { idCard: '110105194912310038', ageYears: undefined }));
    const before = { patients: c.count('patient'), labs: c.count('lab_result') };
    const lastAudit = c.db.prepare('SELECT max(id) FROM audit').pluck().get();
    const r = c.call('import:commit', commitInput(c, f, [2, 4, 7]));
    expect(!r.ok && r.error).toMatchObject({ code: 'CONFLICT', details: { key: 'import.stale_preview', issues: [{ field: 'rows.2', key: 'import.now_in_database' }] } });
    expect({ patients: c.count('patient'), labs: c.count('lab_result') }).toEqual(before);
    // Nothing of the import stands; the refusal itself is recorded (call.conflict), in its own transaction.
    expect(c.db.prepare('SELECT action FROM audit WHERE id > ?').pluck().all(lastAudit)).toEqual(['call.conflict']);
    expect(c.count('import_batch')).toBe(0);
  });

  it('rolls back every row when the database refuses one in the middle of the import', () => {
    const c = makeNetwork();
    // A failure on the third insert (e.g. a full disk) must not leave the first two behind.
    c.db.exec(`CREATE TRIGGER test_fail AFTER INSERT ON episode WHEN (SELECT count(*) FROM episode) >= 3 BEGIN SELECT RAISE(ABORT, 'disk full'); END`);
    const r = c.call('import:commit', commitInput(c, file(LIST), [2, 4, 7]));
    expect(r.ok).toBe(false);
    expect(c.count('patient')).toBe(0);
    expect(c.count('episode')).toBe(0);
    expect(c.count('import_batch')).toBe(0);
  });

  it('refuses chosen rows that are invalid, duplicated within the chosen rows, or not in the file', () => {
    const c = makeNetwork();
    const f = file(LIST);
    const invalid = c.call('import:commit', commitInput(c, f, [5]));
    expect(!invalid.ok && invalid.error.details.issues).toEqual([{ field: 'rows.5.birthDate', key: 'validation.invalid_date' }]);
    const twice = c.call('import:commit', commitInput(c, f, [2, 6]));
    expect(!twice.ok && twice.error.details.issues).toEqual([{ field: 'rows.6', key: 'import.duplicate_in_file', params: { line: 6 } }]);
    const unknown = c.call('import:commit', commitInput(c, f, [99]));
    expect(!unknown.ok && unknown.error.details.issues).toEqual([{ field: 'selected', key: 'import.unknown_line', params: { line: 99 } }]);
    expect(c.count('patient')).toBe(0);
  });

  it('refuses an unmapped name column, a column used twice, a future admission time and an unknown ward', () => {
    const c = makeNetwork();
    const f = file(LIST);
    const noName = c.call('import:preview', { mapping: { ...f.mapping, name: null }, rows: f.rows, admittedAt: NOW });
    expect(!noName.ok && noName.error.details.issues).toContainEqual({ field: 'mapping.name', key: 'validation.name_unmapped' });
    const twice = c.call('import:preview', { mapping: { ...f.mapping, phone: 0 }, rows: f.rows, admittedAt: NOW });
    expect(!twice.ok && twice.error.details.issues).toContainEqual({ field: 'mapping', key: 'validation.column_twice' });
    const future = c.call('import:commit', { ...commitInput(c, f, [2]), admittedAt: '2022-03-20T09:00:00.000Z' });
    expect(!future.ok && future.error.details.issues).toEqual([{ field: 'admittedAt', key: 'validation.future' }]);
    const ward = c.call('import:commit', { ...commitInput(c, f, [2]), wardId: 999 });
    expect(!ward.ok && ward.error.details.issues).toEqual([{ field: 'wardId', key: 'error.ward_not_found' }]);
  });

  it('reads the GB18030 and the UTF-8-with-BOM versions of the same list into the same patients', () => {
    for (const name of ['cases-gb18030.csv', 'cases-utf8-bom.csv']) {
      const c = makeNetwork();
      const text = decodeCsv(new Uint8Array(fs.readFileSync(path.join(__dirname, '../fixtures/import', name)))).text;
      const f = file(text);
      expect(preview(c, f).map((r) => r.status)).toEqual(['ok', 'ok']);
      c.ok('import:commit', commitInput(c, f, [2, 3]));
      expect(c.db.prepare('SELECT name, community FROM patient ORDER BY id').all()).toEqual([
        { name: '张伟', community: '东明社区' },
        { name: '王秀英', community: '三林社区' },
      ]);
    }
  });

  it('is for admin only: a ward doctor may not preview or import', () => {
    const c = makeNetwork();
    c.db.prepare(`INSERT INTO app_user (username, display_name, role, password_hash, created_at) VALUES ('dr.li', '李医生', 'ward_doctor', 'x', ?)`).run(NOW);
    c.session.user = { id: 2, username: 'dr.li', displayName: '李医生', role: 'ward_doctor' };
    const f = file(LIST);
    expect(c.call('import:preview', { mapping: f.mapping, rows: f.rows, admittedAt: NOW })).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    expect(c.call('import:commit', commitInput(c, f, [2]))).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
  });

  it('saves a column preset by header text, replaces it, and deletes it, each audited', () => {
    const c = makeNetwork();
    c.ok('import:savePreset', { name: '浦东疾控', columns: { name: '姓名', phone: '手机号码' } });
    c.ok('import:savePreset', { name: '浦东疾控', columns: { name: '姓名', phone: '联系电话', idCard: '证件号码' } });
    expect(c.ok('import:presets')).toEqual([{ name: '浦东疾控', columns: { name: '姓名', phone: '联系电话', idCard: '证件号码' }, updatedAt: NOW }]);
    c.ok('import:deletePreset', { name: '浦东疾控' });
    expect(c.ok('import:presets')).toEqual([]);
    expect(c.call('import:deletePreset', { name: '浦东疾控' })).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
    expect(c.db.prepare(`SELECT action FROM audit WHERE action LIKE 'import.preset%' ORDER BY id`).pluck().all()).toEqual([
      'import.preset_save',
      'import.preset_save',
      'import.preset_delete',
    ]);
  });
});
