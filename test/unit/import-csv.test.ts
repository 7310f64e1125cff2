import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { decodeCsv, parseCsv, MAX_FIELD_CHARS } from '../../shared/import/csv';
import { csvLine } from '../../shared/csv';
import {
  autoMap,
  EXCEL_SERIAL_RANGE,
  excelSerialDate,
  mappingFromPreset,
  normaliseDate,
  presetFromMapping,
  readCaseRow,
  sourceOf,
  fileDuplicates,
} from '../../shared/import/cases';
import { caseListLayout, detectHeaderRow, headerScore, HEADER_SCAN_ROWS, isTotalsRow, rowGist, statedCount } from '../../shared/import/layout';

const fixture = (name: string) => new Uint8Array(fs.readFileSync(path.join(__dirname, '../fixtures/import', name)));
const NOW = '2022-03-20T06:05:00.000Z';
const opts = { now: NOW, tz: 'Asia/Shanghai', admittedAt: NOW };
const HEADER = '姓名,性别,年龄,出生日期,身份证号,联系电话,现住址,所属社区,采样日期,N基因Ct值,ORF1ab基因Ct值,来源';

function rowsOf(csv: string) {
  const parsed = parseCsv(csv);
  const [header, ...rows] = parsed.rows;
  return { header: header!.cells, rows, mapping: autoMap(header!.cells), parsed };
}

describe('reading the list a CDC sends', () => {
  it('reads a GB18030 file saved by Excel on a Chinese Windows, detecting the encoding', () => {
    const d = decodeCsv(fixture('cases-gb18030.csv'));
    expect(d.encoding).toBe('gb18030');
    expect(d.text.startsWith('姓名,性别')).toBe(true);
    const { rows, mapping } = rowsOf(d.text);
    expect(rows.map((r) => r.cells[0])).toEqual(['张伟', '王秀英']);
    expect(mapping).toMatchObject({ name: 0, sex: 1, ageYears: 2, idCard: 3, phone: 4, address: 5, community: 6, sampleDate: 7, nCt: 8, orf1abCt: 9, source: 10 });
  });

  it('strips the BOM of a "CSV UTF-8" file so the first header is still 姓名', () => {
    const d = decodeCsv(fixture('cases-utf8-bom.csv'));
    expect(d).toMatchObject({ encoding: 'utf-8', bom: true });
    expect(rowsOf(d.text).mapping.name).toBe(0);
    expect(d.text.charCodeAt(0)).toBe('姓'.charCodeAt(0));
  });

  it('reads UTF-8 without a BOM as UTF-8, and honours a forced encoding', () => {
    const bytes = new TextEncoder().encode('姓名\n李娜\n');
    expect(decodeCsv(bytes)).toMatchObject({ encoding: 'utf-8', bom: false, text: '姓名\n李娜\n' });
    expect(decodeCsv(fixture('cases-gb18030.csv'), 'gb18030').text).toContain('浦东新区');
  });

  it('keeps commas, quotes and line breaks inside quoted fields, and counts lines as an editor does', () => {
    const { rows } = rowsOf(`${HEADER}\r\n张伟,男,72,,,13800138000,"上海市浦东新区,东明路""1""号\r\n2单元",东明社区,,,,\r\n李娜,女,30,,,,,,,,,\r\n`);
    expect(rows[0]!.cells[6]).toBe('上海市浦东新区,东明路"1"号\r\n2单元');
    expect(rows.map((r) => r.line)).toEqual([2, 4]);
  });

  it('skips empty lines (also lines of bare commas) but reports the real line numbers', () => {
    const { rows } = rowsOf(`${HEADER}\n\n张伟,男,72\n\n,,,,\n\n李娜,女,30\n\n`);
    expect(rows.map((r) => [r.line, r.cells[0]])).toEqual([
      [3, '张伟'],
      [7, '李娜'],
    ]);
  });

  it('cuts a 2 MB field quickly and marks it, so the row gets an error instead of the file failing', () => {
    const huge = 'x'.repeat(2 * 1024 * 1024);
    const t0 = performance.now();
    const { rows, mapping } = rowsOf(`${HEADER}\n张伟,男,72,,,13800138000,"${huge}",东明社区\n李娜,女,30\n`);
    expect(performance.now() - t0).toBeLessThan(500);
    expect(rows[0]!.oversized).toEqual([6]);
    expect(rows[0]!.cells[6]).toHaveLength(MAX_FIELD_CHARS);
    expect(readCaseRow(rows[0]!, mapping, opts).issues).toEqual([{ field: 'address', key: 'import.field_too_long', params: { max: MAX_FIELD_CHARS } }]);
    expect(readCaseRow(rows[1]!, mapping, opts).issues).toEqual([]);
  });

  it('reports an unclosed quote instead of silently losing rows', () => {
    const p = parseCsv(`${HEADER}\n张伟,男,"72\n李娜,女,30\n`);
    expect(p.unclosedQuoteAt).toBe(2);
  });

  it('sniffs a tab-separated "Unicode text" file', () => {
    expect(parseCsv('姓名\t性别\n张伟\t男\n').rows[1]!.cells).toEqual(['张伟', '男']);
  });

  it('writes report lines with RFC 4180 quoting', () => {
    expect(csvLine([3, '地址有误, "无效"', null])).toBe('3,"地址有误, ""无效""",');
  });
});

describe('turning a row into an admission', () => {
  const read = (line: string) => {
    const { rows, mapping } = rowsOf(`${HEADER}\n${line}\n`);
    return readCaseRow(rows[0]!, mapping, opts);
  };

  it('derives birth date and sex from the ID card and takes a Ct pair with the sample date at local noon', () => {
    const r = read('张伟,,,,110105194912310038,13800138000,东明路1号,东明社区,2022-03-18,24.5,26.1,社区筛查');
    expect(r.issues).toEqual([]);
    expect(r.record).toMatchObject({
      patient: { name: '张伟', sex: 'M', birthDate: '1949-12-31', idCard: '110105194912310038' },
      sampledAt: '2022-03-18T04:00:00.000Z',
      nCt: 24.5,
      orf1abCt: 26.1,
      source: 'community_screening',
    });
    expect(r.keys).toEqual({ idCard: '110105194912310038', nbp: '张伟|1949-12-31|13800138000' });
  });

  it.each([
    ['an impossible birth date (30 February)', '张伟,男,,2022-02-30', 'birthDate', 'validation.invalid_date'],
    ['an impossible sample date (month 13)', '张伟,男,30,,,,,,2022-13-01', 'sampleDate', 'validation.invalid_date'],
    ['a sample date in the future', '张伟,男,30,,,,,,2022-03-21', 'sampleDate', 'validation.future'],
    ['a sample date before the pandemic', '张伟,男,30,,,,,,2019-03-01', 'sampleDate', 'import.sample_too_old'],
    ['a birth date in the future', '张伟,男,,2023-01-01', 'birthDate', 'validation.future'],
    ['a wrong ID-card check digit', '张伟,男,30,,110105194912310039', 'idCard', 'validation.id_card'],
    ['an ID card mangled by Excel', '张伟,男,30,,1.10105E+17', 'idCard', 'validation.id_card'],
    ['sex contradicting the ID card', '张伟,女,,,110105194912310038', 'sex', 'import.sex_mismatch'],
    ['a birth date contradicting the ID card', '张伟,男,,1950-01-01,110105194912310038', 'birthDate', 'validation.birth_date_mismatch'],
    ['an age contradicting the birth date', '张伟,男,30,1949-12-31', 'ageYears', 'import.age_mismatch'],
    ['neither age, birth date nor ID card', '张伟,男', 'ageYears', 'validation.age_or_birth_date'],
    ['no name', ',男,30', 'name', 'validation.required'],
    ['no sex and no ID card', '张伟,,30', 'sex', 'validation.required'],
    ['an unknown sex', '张伟,未知,30', 'sex', 'validation.invalid_option'],
    ['a malformed phone number', '张伟,男,30,,,12345', 'phone', 'validation.phone'],
    ['a Ct of 60', '张伟,男,30,,,,,,2022-03-18,60', 'nCt', 'validation.too_big'],
    ['a Ct that is text', '张伟,男,30,,,,,,2022-03-18,,阳性', 'orf1abCt', 'validation.number'],
    ['Ct values without a sample date', '张伟,男,30,,,,,,,22', 'sampleDate', 'import.ct_needs_sample_date'],
  ])('gives %s the right per-row error', (_story, line, field, key) => {
    const r = read(line);
    expect(r.record).toBeNull();
    expect(r.issues).toContainEqual(expect.objectContaining({ field, key }));
  });

  it('reads the date and age spellings of Chinese spreadsheets', () => {
    expect(normaliseDate('2022年3月8日')).toEqual({ date: '2022-03-08', time: null });
    expect(normaliseDate('20220308')).toEqual({ date: '2022-03-08', time: null });
    expect(normaliseDate('2022/3/8 7:30')).toEqual({ date: '2022-03-08', time: '07:30:00' });
    expect(read('小宝,男,8个月').record?.patient.ageYears).toBe(0);
    expect(read('张伟,男,45岁').record?.patient.ageYears).toBe(45);
  });

  it('maps free-text sources onto the admission vocabulary', () => {
    expect(['社区筛查', '密接', '发热门诊', '外院转入', '自行报告'].map(sourceOf)).toEqual(['community_screening', 'close_contact', 'fever_clinic', 'referral', 'other']);
  });

  it('finds the same person twice in one file by ID card, or by name + birth date + phone', () => {
    const dups = fileDuplicates([
      { line: 2, keys: { idCard: 'A', nbp: null } },
      { line: 3, keys: { idCard: null, nbp: '张伟|1949-12-31|13800138000' } },
      { line: 4, keys: { idCard: 'A', nbp: null } },
      { line: 5, keys: { idCard: 'B', nbp: '张伟|1949-12-31|13800138000' } },
      { line: 6, keys: { idCard: 'C', nbp: null } },
    ]);
    expect([...dups]).toEqual([
      [4, 2],
      [5, 3],
    ]);
  });

  it('keeps a saved preset working when the source reorders its columns', () => {
    const header = ['患者姓名', '手机', '性别', '年龄'];
    const mapping = { ...autoMap(header), phone: 1 };
    const preset = presetFromMapping(header, mapping);
    expect(preset).toEqual({ name: '患者姓名', phone: '手机', sex: '性别', ageYears: '年龄' });
    expect(mappingFromPreset(['年龄', '性别', '手机', '患者姓名'], preset)).toMatchObject({ name: 3, phone: 2, sex: 1, ageYears: 0, idCard: null });
  });
});

describe('lists as district CDCs really send them: title rows, full-width digits, Excel dates, a totals row', () => {
  const rowsOfText = (text: string) => parseCsv(text).rows;

  it('reads the GB18030 list with two title rows, full-width digits, Excel serial dates and a totals row', () => {
    const d = decodeCsv(fixture('cdc-list-gb18030.csv'));
    expect(d.encoding).toBe('gb18030');
    const parsed = parseCsv(d.text);
    expect(parsed.delimiter).toBe(',');
    const layout = caseListLayout(parsed.rows);
    expect(layout.headerIndex).toBe(2);
    expect(layout.header.line).toBe(3);
    expect(layout.above.map((r) => rowGist(r.cells))).toEqual(['安次区新冠阳性感染者名单（3月19日）', '填报单位：安次区疾病预防控制中心 · 填报日期：2022年3月19日']);
    expect(layout.rows.map((r) => r.line)).toEqual([4, 5, 6, 7]);
    expect(layout.totals.map((r) => [r.line, statedCount(r.cells)])).toEqual([[8, 4]]);

    const mapping = autoMap(layout.header.cells);
    expect(mapping).toMatchObject({ name: 1, sex: 2, ageYears: 3, idCard: 4, phone: 5, address: 6, community: 7, sampleDate: 8, nCt: 9, orf1abCt: 10, source: 11 });
    const [liu, zhao, wang, chen] = layout.rows.map((r) => readCaseRow(r, mapping, opts));
    expect(liu!.issues).toEqual([]);
    expect(liu!.record).toMatchObject({
      patient: { name: '刘建国', sex: 'M', birthDate: '1954-07-12', idCard: '13100219540712129X', address: '安次区银河南路12号,3单元' },
      sampledAt: '2022-03-19T04:00:00.000Z',
      nCt: 24.5,
    });
    expect(zhao!.record).toMatchObject({ patient: { ageYears: 32, phone: '13931600002' }, sampledAt: '2022-03-18T01:00:00.000Z', nCt: 28.3, orf1abCt: 29 });
    expect(wang!.record).toMatchObject({ patient: { ageYears: 45 }, sampledAt: '2022-03-18T04:00:00.000Z', source: 'fever_clinic' });
    // "319" (3/19 typed without the slash) is no serial in range: an invalid date, not 1900-11-14.
    expect(chen!.issues).toEqual([{ field: 'sampleDate', key: 'validation.invalid_date' }]);
  });

  it('finds the header below any number of title rows, also when the title has no delimiter at all', () => {
    const p = parseCsv('安次区新冠阳性感染者名单（3月19日）\n（截至3月19日24时）\n姓名,性别,年龄\n张伟,男,30\n');
    expect(p.delimiter).toBe(',');
    expect(caseListLayout(p.rows)).toMatchObject({ headerIndex: 2, rows: [{ line: 4, cells: ['张伟', '男', '30'] }] });
    expect(caseListLayout(parseCsv('名单\t\t\n姓名\t性别\n张伟\t男\n').rows).header.cells).toEqual(['姓名', '性别']);
  });

  it.each([
    ['a header on the first row', '姓名,性别\n张伟,男\n', 0],
    ['no row naming a known column (the user maps by hand)', 'a,b\nc,d\n', 0],
    ['the first of two equally good rows', '姓名,性别\n姓名,性别\n', 0],
    ['the row naming the most columns, not a note that names one', '备注,姓名\n姓名,性别,年龄\n', 1],
    ['full-width header text', '名单\nＮａｍｅ,ＳＥＸ,ＡＧＥ\n', 1],
  ])('detects the header: %s', (_story, text, index) => {
    expect(detectHeaderRow(rowsOfText(text))).toBe(index);
  });

  it(`looks for the header in the first ${HEADER_SCAN_ROWS} rows only, and lets the user choose any row`, () => {
    const titles = Array.from({ length: HEADER_SCAN_ROWS }, (_, i) => `说明${i + 1}`).join('\n');
    const rows = rowsOfText(`${titles}\n姓名,性别\n张伟,男\n`);
    expect(detectHeaderRow(rows)).toBe(0);
    const chosen = caseListLayout(rows, HEADER_SCAN_ROWS);
    expect(chosen).toMatchObject({ headerIndex: HEADER_SCAN_ROWS, rows: [{ cells: ['张伟', '男'] }] });
    expect(chosen.above).toHaveLength(HEADER_SCAN_ROWS);
    expect(headerScore(chosen.header.cells)).toBe(2);
  });

  it.each([
    ['合计', true],
    ['合 计', true],
    ['合计3人', true],
    ['总计：12例', true],
    ['小计', true],
    ['共计', true],
    ['共３人', true],
    ['Total', true],
    ['TOTAL 12', true],
    ['Subtotal', true],
    ['合肥路3号', false],
    ['张合计', false],
    ['总计划', false],
    ['Totally', false],
    ['1', false],
  ])('reads a row starting with "%s" as a totals row: %s', (first, totals) => {
    expect(isTotalsRow(['', first, '', '张伟'])).toBe(totals);
  });

  it('takes the stated count from a totals row, wherever it is written', () => {
    expect(statedCount(['合计', '', '4人'])).toBe(4);
    expect(statedCount(['合计：１２例'])).toBe(12);
    expect(statedCount(['合计', '3'])).toBeNull();
  });

  it.each([
    [1, '1900-01-01', null],
    [59, '1900-02-28', null],
    [61, '1900-03-01', null],
    [43800, '2019-12-01', null],
    [44639, '2022-03-19', null],
    [44639.375, '2022-03-19', '09:00:00'],
    [44639.5, '2022-03-19', '12:00:00'],
    [2958465, '9999-12-31', null],
  ])('reads Excel serial %s as %s %s (1900 date system)', (serial, date, time) => {
    expect(excelSerialDate(serial)).toEqual({ date, time });
  });

  it.each([[0], [-1], [60], [2958466], [Number.NaN]])('has no date for Excel serial %s (60 is the 29 February 1900 that never was)', (serial) => {
    expect(excelSerialDate(serial)).toBeNull();
  });

  it.each([
    ['44639', { date: '2022-03-19', time: null }],
    ['44638.375', { date: '2022-03-18', time: '09:00:00' }],
    ['４４６３９', { date: '2022-03-19', time: null }],
    [String(EXCEL_SERIAL_RANGE.min), { date: '1910-01-01', time: null }],
    [String(EXCEL_SERIAL_RANGE.max), { date: '2099-12-31', time: null }],
    [String(EXCEL_SERIAL_RANGE.min - 1), null],
    [String(EXCEL_SERIAL_RANGE.max + 1), null],
    ['2022', null],
    ['319', null],
    ['20220319', { date: '2022-03-19', time: null }],
    ['２０２２－０３－１９', { date: '2022-03-19', time: null }],
    ['２０２２年３月１９日　８：３０', { date: '2022-03-19', time: '08:30:00' }],
  ])('reads the date cell "%s" (serials only in range, so an ordinary number is no date)', (raw, expected) => {
    expect(normaliseDate(raw)).toEqual(expected);
  });

  it('reads full-width digits and letters in values as ASCII, and keeps free text as written', () => {
    const { header } = rowsOf(`${HEADER}\n`);
    const mapping = autoMap(header);
    const row = {
      line: 2,
      oversized: [],
      cells: ['张伟', '男', '３２', '', '', '１３８００１３８０００', '银河南路（东）１２号', '东明社区', '２０２２/３/１８', '２４．５', '２６．１', '社区筛查'],
    };
    const r = readCaseRow(row, mapping, opts);
    expect(r.issues).toEqual([]);
    expect(r.record).toMatchObject({
      patient: { ageYears: 32, phone: '13800138000', address: '银河南路（东）１２号' },
      nCt: 24.5,
      orf1abCt: 26.1,
      sampledAt: '2022-03-18T04:00:00.000Z',
    });
    const id = readCaseRow({ ...row, cells: ['张伟', '男', '', '', '１１０１０５１９４９１２３１００３８'] }, mapping, opts);
    expect(id.record?.patient).toMatchObject({ idCard: '110105194912310038', birthDate: '1949-12-31' });
  });
});
