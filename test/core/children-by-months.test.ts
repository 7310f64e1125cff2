import { describe, expect, it } from 'vitest';
import type { Chart } from '../../shared/api/chart';
import type { ImportReport, PreviewRow } from '../../shared/api/import';
import type { ErrorPayload } from '../../shared/errors';
import { ageInMonthsOn, completedMonthsBetween, formatAge, patientAge } from '../../shared/domain/age';
import { translate } from '../../shared/i18n';
import { parseCsv } from '../../shared/import/csv';
import { autoMap, readAgeCell } from '../../shared/import/cases';
import { admission, makeNetwork, NOW } from '../support/core';
import { actAs } from '../support/clinical';

// NOW is 2022-03-20 14:05 in Shanghai. Birth dates are chosen around that local date.
type Net = ReturnType<typeof makeNetwork>;
const SH = 'Asia/Shanghai';

describe('age in completed months (shared/domain/age.ts)', () => {
  it.each([
    // Month ends: a child born on the 31st completes a month on the last day of a shorter month.
    ['2021-01-31', '2021-02-27', 0],
    ['2021-01-31', '2021-02-28', 1],
    ['2024-01-31', '2024-02-28', 0],
    ['2024-01-31', '2024-02-29', 1],
    ['2021-01-31', '2021-03-30', 1],
    ['2021-01-31', '2021-03-31', 2],
    ['2021-03-31', '2021-04-30', 1],
    ['2021-08-31', '2021-09-29', 0],
    // Leap day: 12 months on 28 February of a common year, 48 on the next 29 February.
    ['2020-02-29', '2021-02-27', 11],
    ['2020-02-29', '2021-02-28', 12],
    ['2020-02-29', '2024-02-28', 47],
    ['2020-02-29', '2024-02-29', 48],
    // Ordinary days, across a year end, and the band edges of the tachypnoea rule.
    ['2022-01-21', '2022-03-20', 1],
    ['2022-01-20', '2022-03-20', 2],
    ['2021-12-15', '2022-01-14', 0],
    ['2021-12-15', '2022-01-15', 1],
    ['2017-03-21', '2022-03-20', 59],
    ['2017-03-20', '2022-03-20', 60],
    // A date before the birth is no age at all, not a negative one.
    ['2022-03-21', '2022-03-20', 0],
  ])('born %s, on %s: %i completed months', (birth, on, months) => {
    expect(completedMonthsBetween(birth, on)).toBe(months);
  });

  it('takes the day in the hospital time zone: 2 months at midnight Shanghai, while it is still the day before in UTC', () => {
    // Born 2022-01-20: 2 months on 2022-03-20 local. 2022-03-19T16:00Z is 00:00 on the 20th in Shanghai.
    expect(ageInMonthsOn('2022-01-20', '2022-03-19T15:59:59.999Z', SH)).toBe(1);
    expect(ageInMonthsOn('2022-01-20', '2022-03-19T16:00:00.000Z', SH)).toBe(2);
    expect(ageInMonthsOn('2022-01-20', '2022-03-19T16:00:00.000Z', 'UTC')).toBe(1);
  });

  it('gives completed years from the months, and advances an age stated in months by the calendar months since', () => {
    expect(patientAge({ birthDate: '2016-09-20', ageYears: null, ageMonths: null, statedAt: NOW }, NOW, SH)).toEqual({ years: 5, months: 66 });
    const stated = { birthDate: null, ageYears: 0, ageMonths: 1, statedAt: NOW };
    expect(patientAge(stated, NOW, SH)).toEqual({ years: 0, months: 1 });
    expect(patientAge(stated, '2022-04-19T06:00:00.000Z', SH)).toEqual({ years: 0, months: 1 });
    expect(patientAge(stated, '2022-04-20T06:00:00.000Z', SH)).toEqual({ years: 0, months: 2 });
    // Before it was stated (a report of an earlier day) the stated age stands.
    expect(patientAge(stated, '2022-03-01T06:00:00.000Z', SH)).toEqual({ years: 0, months: 1 });
    expect(patientAge({ birthDate: null, ageYears: 45, ageMonths: null, statedAt: NOW }, NOW, SH)).toEqual({ years: 45, months: null });
  });

  it('shows months under 2 years, years and months under 6, years above, in both languages', () => {
    const zh = (key: string, params?: Record<string, number>) => translate('zh-CN', key, params);
    const en = (key: string, params?: Record<string, number>) => translate('en', key, params);
    expect(formatAge(zh, { years: 0, months: 5 })).toBe('5月龄');
    expect(formatAge(en, { years: 0, months: 5 })).toBe('5 mo');
    expect(formatAge(zh, { years: 1, months: 23 })).toBe('23月龄');
    expect(formatAge(zh, { years: 5, months: 66 })).toBe('5岁6个月');
    expect(formatAge(en, { years: 5, months: 66 })).toBe('5 y 6 mo');
    expect(formatAge(zh, { years: 3, months: 36 })).toBe('3 岁');
    expect(formatAge(zh, { years: 45, months: 540 })).toBe('45 岁');
    expect(formatAge(en, { years: 45, months: null })).toBe('45 y');
    expect(formatAge(zh, { years: null, months: null })).toBe(translate('zh-CN', 'common.unknown'));
  });

  it.each([
    ['45', { years: 45, months: null }],
    ['45岁', { years: 45, months: null }],
    ['３月龄', { years: null, months: 3 }],
    ['8个月', { years: null, months: 8 }],
    ['8月', { years: null, months: 8 }],
    ['3 months', { years: null, months: 3 }],
    ['1 month', { years: null, months: 1 }],
    ['3m', { years: null, months: 3 }],
    ['３ｍ', { years: null, months: 3 }],
    ['1岁3个月', { years: null, months: 15 }],
    ['1y3m', { years: null, months: 15 }],
    ['80个月', { years: 6, months: null }],
    ['3 weeks', null],
    ['1岁15个月', null],
  ])('reads the case-list age %j', (cell, age) => {
    expect(readAgeCell(cell)).toEqual(age);
  });
});

/** The admission time of the imported lists: an hour before NOW, so that a round 10 minutes before NOW follows it. */
const IMPORTED_AT = '2022-03-20T05:05:00.000Z';

/** The tachypnoea bands of the protocol (§6 (三) 儿童 2) and the RR that separates the two sides of each edge. */
const EDGES = [
  // < 2 months ≥ 60, 2–12 months ≥ 50: RR 55 is severe from 2 months on.
  { below: { birth: '2022-01-21', months: 1 }, at: { birth: '2022-01-20', months: 2 }, rr: 55, severe: [false, true] },
  // 2–12 months ≥ 50, 1–5 years ≥ 40 (12 months belongs to the 1–5-year band): RR 45 is severe from 12 months on.
  { below: { birth: '2021-03-21', months: 11 }, at: { birth: '2021-03-20', months: 12 }, rr: 45, severe: [false, true] },
  // 1–5 years ≥ 40 up to and including 60 months, > 5 years ≥ 30 from 61 months: RR 35.
  { below: { birth: '2017-03-20', months: 60 }, at: { birth: '2017-02-20', months: 61 }, rr: 35, severe: [false, true] },
] as const;

function withBeds(c: Net, n: number): number[] {
  const bed = c.db.prepare('INSERT INTO bed (ward_id, label, sort) VALUES (?, ?, ?)');
  return Array.from({ length: n }, (_, i) => Number(bed.run(c.wardId, `P-${i + 1}`, 100 + i).lastInsertRowid));
}

function admitChild(c: Net, bedId: number, patient: Record<string, unknown>): number {
  actAs(c, 'admin', 'admin');
  return c.ok<{ episodeId: number }>('patients:admit', admission({ bedId, wardId: c.wardId }, { name: '小宝', riskFactors: [], ageYears: undefined, ...patient })).episodeId;
}

/** A nurse records a calm child's round with the given RR (other vitals normal for NEWS2's adult chart), then the chart is read. */
function roundWithRr(c: Net, episodeId: number, rr: number, now = NOW): Chart['header'] {
  actAs(c, 'nurse.li', 'nurse');
  const measuredAt = new Date(Date.parse(now) - 10 * 60_000).toISOString();
  c.ok(
    'rounds:record',
    { episodeId, measuredAt, respRate: rr, spo2: 97, onOxygen: false, systolicBp: 100, pulse: 120, consciousness: 'A', temperature: 37.0, symptoms: ['cough'] },
    now,
  );
  return c.ok<Chart>('chart:get', { episodeId }, now).header;
}

function tachypnoea(h: Chart['header']) {
  return h.proposal.criteria.find((x) => x.code === 'severe_child_tachypnoea') ?? null;
}

describe('a child is classified by completed months, at each band edge of the tachypnoea rule', () => {
  it.each(EDGES)('admitted with a birth date: $below.months vs $at.months months at RR $rr', (edge) => {
    const c = makeNetwork();
    const [b1, b2] = withBeds(c, 2);
    for (const [side, bedId, severe] of [
      [edge.below, b1!, edge.severe[0]],
      [edge.at, b2!, edge.severe[1]],
    ] as const) {
      const episodeId = admitChild(c, bedId, { birthDate: side.birth });
      const h = roundWithRr(c, episodeId, edge.rr);
      expect(h.ageMonths).toBe(side.months);
      expect(h.proposal.ageGroup).toBe('child');
      expect(h.proposal.proposed).toBe(severe ? 'severe' : 'mild');
      if (severe) expect(tachypnoea(h)?.values).toMatchObject({ respRate: edge.rr, ageMonths: side.months });
      else expect(tachypnoea(h)).toBeNull();
      // The child flag follows the proposal: "meets severe criteria, class not confirmed".
      expect(h.flags.some((f) => f.code === 'meets_severe_criteria')).toBe(severe);
      // NEWS2 is not validated under 16 (RCP 2017): the caveat stays with the score.
      expect(h.news2?.caveats).toContain('under16');
    }
  });

  it('an 11-month-old at RR 55 is severe by the 2–12-month threshold (50), not the newborn one (60)', () => {
    const c = makeNetwork();
    const [bed] = withBeds(c, 1);
    const h = roundWithRr(c, admitChild(c, bed!, { birthDate: '2021-03-21' }), 55);
    expect([h.ageMonths, h.proposal.proposed]).toEqual([11, 'severe']);
    expect(tachypnoea(h)?.values).toMatchObject({ respRate: 55, ageMonths: 11, threshold: 50 });
  });

  it('a 5-month-old at RR 52 and a 5½-year-old at RR 32 are proposed severe, not mild (the two cases of issue 13)', () => {
    const c = makeNetwork();
    const [b1, b2] = withBeds(c, 2);
    const infant = roundWithRr(c, admitChild(c, b1!, { birthDate: '2021-10-10' }), 52);
    expect([infant.ageMonths, infant.ageYears, infant.proposal.proposed]).toEqual([5, 0, 'severe']);
    const child = roundWithRr(c, admitChild(c, b2!, { birthDate: '2016-09-01' }), 32);
    expect([child.ageMonths, child.ageYears, child.proposal.proposed]).toEqual([66, 5, 'severe']);
  });
});

const HEADER = '姓名,性别,年龄,出生日期,身份证号,联系电话,现住址,所属社区,采样日期,N基因Ct值,ORF1ab基因Ct值,来源';

function importList(c: Net, lines: string[]): number[] {
  actAs(c, 'admin', 'admin');
  const [header, ...rows] = parseCsv(`${HEADER}\n${lines.join('\n')}\n`).rows;
  const mapping = autoMap(header!.cells);
  const preview = c.ok<{ rows: PreviewRow[] }>('import:preview', { mapping, rows, admittedAt: IMPORTED_AT }).rows;
  expect(preview.map((r) => r.status)).toEqual(lines.map(() => 'ok'));
  const report = c.ok<ImportReport>('import:commit', {
    fileName: 'list.csv',
    encoding: 'utf-8',
    header: header!.cells,
    mapping,
    rows,
    selected: preview.map((r) => r.line),
    wardId: c.wardId,
    admittedAt: IMPORTED_AT,
  });
  return c.db.prepare('SELECT e.id FROM episode e JOIN patient p ON p.id = e.patient_id WHERE p.import_batch_id = ? ORDER BY p.id').pluck().all(report.batchId) as number[];
}

describe('an infant listed by months in a case list', () => {
  it.each(EDGES)('imported as "N月龄": $below.months vs $at.months months at RR $rr', (edge) => {
    const c = makeNetwork();
    const episodes = importList(c, [`小一,男,${edge.below.months}月龄,,,13600000001`, `小二,女,${edge.at.months}月龄,,,13600000002`]);
    const stored = c.db.prepare('SELECT age_years, age_months FROM patient WHERE import_batch_id IS NOT NULL ORDER BY id').all();
    expect(stored).toEqual([
      { age_years: Math.floor(edge.below.months / 12), age_months: edge.below.months },
      { age_years: Math.floor(edge.at.months / 12), age_months: edge.at.months },
    ]);
    for (const [i, months] of [edge.below.months, edge.at.months].entries()) {
      const h = roundWithRr(c, episodes[i]!, edge.rr);
      expect(h.ageMonths).toBe(months);
      expect(h.proposal.proposed).toBe(edge.severe[i] ? 'severe' : 'mild');
    }
  });

  it('keeps the months of "8个月", "3 months" and full-width "３ｍ", and the infant grows a month older on the ward', () => {
    const c = makeNetwork();
    const episodes = importList(c, ['甲,男,8个月,,,13600000001', '乙,女,3 months,,,13600000002', '丙,男,３ｍ,,,13600000003', '丁,女,1月龄,,,13600000004']);
    expect(c.db.prepare('SELECT age_months FROM patient WHERE import_batch_id IS NOT NULL ORDER BY id').pluck().all()).toEqual([8, 3, 3, 1]);
    // Stated 1 month old on 2022-03-20; on 2022-04-20 the baby is 2 months old: RR 55 is now severe.
    const later = '2022-04-20T06:00:00.000Z';
    const h = roundWithRr(c, episodes[3]!, 55, later);
    expect([h.ageMonths, h.proposal.proposed]).toEqual([2, 'severe']);
  });

  it('refuses an age that is neither years nor months, naming the age column', () => {
    const c = makeNetwork();
    actAs(c, 'admin', 'admin');
    const [header, ...rows] = parseCsv(`${HEADER}\n小宝,男,3周,,,13600000001\n`).rows;
    const preview = c.ok<{ rows: PreviewRow[] }>('import:preview', { mapping: autoMap(header!.cells), rows, admittedAt: NOW }).rows;
    expect(preview[0]!.status).toBe('error');
    expect(preview[0]!.issues).toEqual([{ field: 'ageYears', key: 'import.age_format' }]);
  });
});

describe('admitting an infant by months', () => {
  const errorOf = (r: { ok: boolean; error?: ErrorPayload }) => (r.ok ? null : (r.error as ErrorPayload));

  it('stores the months with their completed years, audits them, and the chart shows the months', () => {
    const c = makeNetwork();
    const [bed] = withBeds(c, 1);
    const audits = c.count('audit');
    const episodeId = admitChild(c, bed!, { ageMonths: 5 });
    expect(c.db.prepare('SELECT p.age_years, p.age_months FROM patient p JOIN episode e ON e.patient_id = p.id WHERE e.id = ?').get(episodeId)).toEqual({
      age_years: 0,
      age_months: 5,
    });
    const created = c.db.prepare(`SELECT after FROM audit WHERE action = 'patient.create' AND id > ?`).pluck().get(audits) as string;
    expect(JSON.parse(created)).toMatchObject({ age_years: 0, age_months: 5 });
    const h = roundWithRr(c, episodeId, 52);
    expect([h.ageYears, h.ageMonths, h.proposal.proposed]).toEqual([0, 5, 'severe']);
    const patientId = c.db.prepare('SELECT patient_id FROM episode WHERE id = ?').pluck().get(episodeId) as number;
    expect(c.ok('patients:get', { patientId })).toMatchObject({ ageYears: 0, ageMonths: 5, birthDate: null });
  });

  it.each([
    ['both years and months', { ageYears: 1, ageMonths: 5 }, 'patient.ageMonths', 'validation.age_years_and_months'],
    ['months of a 6-year-old', { ageMonths: 72 }, 'patient.ageMonths', 'validation.too_big'],
    ['negative months', { ageMonths: -1 }, 'patient.ageMonths', 'validation.too_small'],
    ['fractional months', { ageMonths: 2.5 }, 'patient.ageMonths', 'validation.integer'],
  ])('refuses %s on the field, and writes nothing', (_label, patient, field, key) => {
    const c = makeNetwork();
    const [bed] = withBeds(c, 1);
    actAs(c, 'admin', 'admin');
    const patients = c.count('patient');
    const err = errorOf(c.call('patients:admit', admission({ bedId: bed!, wardId: c.wardId }, { riskFactors: [], ageYears: undefined, ...patient })));
    expect(err?.code).toBe('VALIDATION');
    expect(err?.details.issues).toContainEqual(expect.objectContaining({ field, key }));
    expect(c.count('patient')).toBe(patients);
  });

  it('a birth date wins over a stated age in months, as over years', () => {
    const c = makeNetwork();
    const [bed] = withBeds(c, 1);
    const episodeId = admitChild(c, bed!, { birthDate: '2021-10-10', ageMonths: 2 });
    expect(c.db.prepare('SELECT p.birth_date, p.age_years, p.age_months FROM patient p JOIN episode e ON e.patient_id = p.id WHERE e.id = ?').get(episodeId)).toEqual({
      birth_date: '2021-10-10',
      age_years: null,
      age_months: null,
    });
  });

  it('the database refuses months that disagree with the years, or beside a birth date', () => {
    const c = makeNetwork();
    const insert = (birth: string | null, years: number | null, months: number | null) => () =>
      c.db.prepare(`INSERT INTO patient (name, sex, birth_date, age_years, age_months, created_at, created_by) VALUES ('x', 'M', ?, ?, ?, ?, 1)`).run(birth, years, months, NOW);
    expect(insert(null, 1, 5)).toThrow(/CHECK/);
    expect(insert('2021-10-10', null, 5)).toThrow(/CHECK/);
    expect(insert(null, 6, 72)).toThrow(/CHECK/);
    expect(insert(null, 2, 30)).not.toThrow();
  });
});
