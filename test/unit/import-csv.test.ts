import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { decodeCsv, parseCsv, MAX_FIELD_CHARS } from '../../shared/import/csv';
import { csvLine } from '../../shared/csv';
import { autoMap, mappingFromPreset, normaliseDate, presetFromMapping, readCaseRow, sourceOf, fileDuplicates } from '../../shared/import/cases';

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
