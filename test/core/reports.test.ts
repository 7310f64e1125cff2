import { describe, expect, it } from 'vitest';
import type { DailyReport, DischargeStats, DrillRow, Figures } from '../../shared/api/reports';
import type { DischargeCheck } from '../../shared/api/discharge';
import { admission, makeNetwork } from '../support/core';
import { classAt, ctTest, sh, transferAt } from '../support/timeline';

type Net = ReturnType<typeof makeNetwork>;

/** The test network plus enough beds: DH ward G1 (designated) and fangcang zone A1. */
function network() {
  const c = makeNetwork();
  const bed = c.db.prepare(`INSERT INTO bed (ward_id, label, sort) VALUES (?, ?, ?)`);
  for (let i = 4; i <= 10; i++) c.beds.push(Number(bed.run(c.wardId, `G1-${String(i).padStart(3, '0')}`, i).lastInsertRowid));
  for (let i = 3; i <= 10; i++) c.zoneBeds.push(Number(bed.run(c.zoneId, `A1-${String(i).padStart(3, '0')}`, i).lastInsertRowid));
  const dh = c.db.prepare(`SELECT id FROM facility WHERE code = 'DH'`).pluck().get() as number;
  const fc = c.db.prepare(`SELECT id FROM facility WHERE code = 'FC'`).pluck().get() as number;
  return Object.assign(c, { dh, fc });
}

function admit(c: Net, bedId: number, wardId: number, admittedAt: string, name: string): number {
  return c.ok<{ episodeId: number }>('patients:admit', admission({ bedId, wardId, admittedAt }, { name, riskFactors: [], ageYears: 40 })).episodeId;
}

function discharge(c: Net, episodeId: number, at: string, disposition = 'home') {
  const check = c.ok<DischargeCheck>('discharge:check', { episodeId, at });
  c.ok('discharge:record', {
    episodeId,
    dischargedAt: at,
    disposition,
    condition: disposition === 'deceased' ? 'deceased' : 'cured',
    overrideReason: check.check.eligible || disposition === 'deceased' ? null : '测试：按时间线构造',
    shown: check.check.criteria.map((x) => ({ code: x.code, status: x.status })),
  });
}

const row = (r: DailyReport, facilityId: number | null): Figures => r.rows.find((x) => x.facilityId === facilityId)!.figures;
const reconciles = (f: Figures) => f.census_prev + f.admissions + f.transfers_in - f.discharges - f.deaths - f.transfers_out === f.census;

/**
 * 2022-03-15 in Shanghai, built patient by patient:
 *  赵 admitted 03-15 09:00 to DH and discharged 18:00 the same day;
 *  钱 admitted 03-14 23:59 to FC (yesterday);  孙 admitted 03-15 00:00:30 to FC (today);
 *  李 admitted 03-13 to FC, transferred to DH at noon on 03-15;
 *  周 in DH since 03-12: moderate on 03-14, severe 03-15 10:00, moderate again 03-16;
 *  吴 in DH since 03-12, died 03-15 20:00.
 */
function outbreak() {
  const c = network();
  const zhao = admit(c, c.beds[0]!, c.wardId, sh('2022-03-15T09:00'), '赵一');
  const qian = admit(c, c.zoneBeds[0]!, c.zoneId, sh('2022-03-14T23:59'), '钱二');
  const sun = admit(c, c.zoneBeds[1]!, c.zoneId, sh('2022-03-15T00:00:30'), '孙三');
  const li = admit(c, c.zoneBeds[2]!, c.zoneId, sh('2022-03-13T10:00'), '李四');
  const zhou = admit(c, c.beds[1]!, c.wardId, sh('2022-03-12T10:00'), '周五');
  const wu = admit(c, c.beds[2]!, c.wardId, sh('2022-03-12T11:00'), '吴六');
  discharge(c, zhao, sh('2022-03-15T18:00'));
  transferAt(c.db, li, sh('2022-03-15T12:00'), c.wardId, c.beds[3]!);
  classAt(c.db, zhou, sh('2022-03-14T09:00'), 'moderate');
  classAt(c.db, zhou, sh('2022-03-15T10:00'), 'severe');
  classAt(c.db, zhou, sh('2022-03-16T10:00'), 'moderate');
  classAt(c.db, li, sh('2022-03-13T11:00'), 'mild');
  discharge(c, wu, sh('2022-03-15T20:00'), 'deceased');
  return { c, zhao, qian, sun, li, zhou, wu };
}

describe('daily severity report', () => {
  it('counts a same-day admission and discharge in both and not in the census; 23:59 is yesterday and 00:00:30 is today', () => {
    const { c } = outbreak();
    const r = c.ok<DailyReport>('reports:daily', { date: '2022-03-15', facilityId: null });
    expect(r.start).toBe('2022-03-14T16:00:00.000Z');
    expect(r.end).toBe('2022-03-15T16:00:00.000Z');
    const net = row(r, null);
    expect(net).toMatchObject({ census_prev: 4, admissions: 2, discharges: 1, deaths: 1, census: 4, transfers_in: 1, transfers_out: 1 });
    const names = (metric: string) =>
      c
        .ok<{ rows: DrillRow[] }>('reports:drill', { metric, date: '2022-03-15', facilityId: null })
        .rows.map((x) => x.name)
        .sort();
    expect(names('admissions')).toEqual(['孙三', '赵一']);
    expect(names('discharges')).toEqual(['赵一']);
    expect(names('census')).not.toContain('赵一');
    expect(names('census_prev')).toContain('钱二');
    const yesterday = c.ok<DailyReport>('reports:daily', { date: '2022-03-14', facilityId: null });
    expect(row(yesterday, null).admissions).toBe(1);
    expect(c.ok<{ rows: DrillRow[] }>('reports:drill', { metric: 'admissions', date: '2022-03-14', facilityId: null }).rows.map((x) => x.name)).toEqual(['钱二']);
  });

  it('counts a transfer at noon once out of the fangcang and once into the designated hospital, never as an admission or discharge', () => {
    const { c } = outbreak();
    const { dh, fc } = c;
    const r = c.ok<DailyReport>('reports:daily', { date: '2022-03-15', facilityId: null });
    expect(row(r, fc)).toMatchObject({ census_prev: 2, admissions: 1, transfers_out: 1, transfers_in: 0, discharges: 0, census: 2 });
    expect(row(r, dh)).toMatchObject({ census_prev: 2, admissions: 1, transfers_in: 1, transfers_out: 0, discharges: 1, deaths: 1, census: 2 });
    const tin = c.ok<{ rows: DrillRow[] }>('reports:drill', { metric: 'transfers_in', date: '2022-03-15', facilityId: dh }).rows;
    expect(tin).toMatchObject([{ name: '李四', otherFacility: '方舱医院', at: sh('2022-03-15T12:00'), facilityName: '定点医院' }]);
    expect(row(r, null).cum_admissions).toBe(6);
    for (const x of r.rows) expect(reconciles(x.figures), String(x.name)).toBe(true);
    const fcOnly = c.ok<DailyReport>('reports:daily', { date: '2022-03-15', facilityId: fc });
    expect(fcOnly.rows).toHaveLength(1);
    expect(fcOnly.rows[0]!.figures).toEqual(row(r, fc));
  });

  it('follows a class change: severe on the 15th (census by class and became severe), improved on the 16th', () => {
    const { c, zhou } = outbreak();
    const d15 = row(c.ok<DailyReport>('reports:daily', { date: '2022-03-15', facilityId: c.dh }), c.dh);
    expect(d15.became_severe).toBe(1);
    expect(d15.improved).toBe(0);
    expect(d15.censusByClass).toMatchObject({ severe: 1, unassessed: 0, mild: 1 });
    const d16 = row(c.ok<DailyReport>('reports:daily', { date: '2022-03-16', facilityId: c.dh }), c.dh);
    expect(d16).toMatchObject({ became_severe: 0, improved: 1 });
    expect(d16.censusByClass).toMatchObject({ severe: 0, moderate: 1 });
    const improved = c.ok<{ rows: DrillRow[] }>('reports:drill', { metric: 'improved', date: '2022-03-16', facilityId: c.dh }).rows;
    expect(improved).toMatchObject([{ episodeId: zhou, cls: 'moderate', fromClass: 'severe' }]);
    const severe = c.ok<{ rows: DrillRow[] }>('reports:drill', { metric: 'census', value: 'severe', date: '2022-03-15', facilityId: null }).rows;
    expect(severe.map((x) => x.name)).toEqual(['周五']);
  });

  it('uses the hospital time zone setting for the day boundaries', () => {
    const { c } = outbreak();
    c.db.prepare(`INSERT INTO setting (key, value) VALUES ('timeZone', 'UTC') ON CONFLICT (key) DO UPDATE SET value = excluded.value`).run();
    const r = c.ok<DailyReport>('reports:daily', { date: '2022-03-14', facilityId: null });
    expect(r.start).toBe('2022-03-14T00:00:00.000Z');
    // 孙 (00:00:30 Shanghai on the 15th = 16:00:30 UTC on the 14th) and 钱 (23:59 Shanghai) are both on the 14th in UTC.
    expect(
      c
        .ok<{ rows: DrillRow[] }>('reports:drill', { metric: 'admissions', date: '2022-03-14', facilityId: null })
        .rows.map((x) => x.name)
        .sort(),
    ).toEqual(['孙三', '钱二']);
  });

  it('reconciles every day of the 14-day trend and refuses a future date', () => {
    const { c } = outbreak();
    const r = c.ok<DailyReport>('reports:daily', { date: '2022-03-20', facilityId: null });
    expect(r.trend).toHaveLength(14);
    for (let i = 1; i < r.trend.length; i++) {
      const [a, b] = [r.trend[i - 1]!, r.trend[i]!];
      expect(a.census + b.admissions + b.transfersIn - b.discharges - b.deaths - b.transfersOut).toBe(b.census);
    }
    const future = c.call('reports:daily', { date: '2022-03-21', facilityId: null });
    expect(!future.ok && future.error.details.issues?.[0]).toMatchObject({ field: 'date', key: 'validation.future' });
    const drId = Number(
      c.db.prepare(`INSERT INTO app_user (username, display_name, role, password_hash, created_at) VALUES ('dr', '病区医生', 'ward_doctor', 'x', ?)`).run(r.generatedAt)
        .lastInsertRowid,
    );
    c.session.user = { id: drId, username: 'dr', displayName: '病区医生', role: 'ward_doctor' };
    const doctor = c.call('reports:daily', { date: '2022-03-20' });
    expect(!doctor.ok && doctor.error.code).toBe('FORBIDDEN');
    // The expert panel follows the severe/critical figures: they may read the reports.
    const expertId = Number(
      c.db.prepare(`INSERT INTO app_user (username, display_name, role, password_hash, created_at) VALUES ('prof', '专家', 'expert', 'x', ?)`).run(r.generatedAt).lastInsertRowid,
    );
    c.session.user = { id: expertId, username: 'prof', displayName: '专家', role: 'expert' };
    expect(c.call('reports:daily', { date: '2022-03-20' }).ok).toBe(true);
  });

  it('exports the daily report as CSV with a byte-order mark and quoted cells', () => {
    const { c } = outbreak();
    const { csv, filename } = c.ok<{ csv: string; filename: string }>('reports:csv', { report: 'daily', date: '2022-03-15', facilityId: null });
    expect(filename).toBe('daily-report-2022-03-15-network.csv');
    expect(csv.charCodeAt(0)).toBe(0xfeff);
    const lines = csv.slice(1).split('\r\n');
    expect(lines[0]).toBe('每日病情分级报告');
    expect(lines).toContain('日终在院,2,2,4');
    expect(lines).toContain('"  在院 · 重型",1,0,1');
  });
});

describe('discharge statistics', () => {
  it('summarises discharges per day, by class and disposition, with the length of stay and days to criteria', () => {
    const c = network();
    const a = admit(c, c.zoneBeds[0]!, c.zoneId, sh('2022-03-10T10:00'), '甲');
    const b = admit(c, c.zoneBeds[1]!, c.zoneId, sh('2022-03-11T10:00'), '乙');
    const d = admit(c, c.beds[0]!, c.wardId, sh('2022-03-12T10:00'), '丙');
    classAt(c.db, a, sh('2022-03-10T11:00'), 'asymptomatic');
    classAt(c.db, b, sh('2022-03-11T11:00'), 'mild');
    classAt(c.db, b, sh('2022-03-13T11:00'), 'moderate');
    ctTest(c.db, a, sh('2022-03-16T10:00'), 36, 36);
    ctTest(c.db, a, sh('2022-03-17T10:00'), 37, 37);
    ctTest(c.db, b, sh('2022-03-17T10:00'), 36, 36);
    ctTest(c.db, b, sh('2022-03-18T10:00'), 37, 37);
    discharge(c, a, sh('2022-03-18T10:00'));
    discharge(c, b, sh('2022-03-19T10:00'));
    discharge(c, d, sh('2022-03-19T15:00'), 'other_facility');
    const s = c.ok<DischargeStats>('reports:dischargeStats', { from: '2022-03-17', to: '2022-03-20', facilityId: null });
    expect(s).toMatchObject({ total: 3, discharged: 3, deaths: 0 });
    expect(s.perDay.map((x) => [x.date, x.discharged, x.cumulative])).toEqual([
      ['2022-03-17', 0, 0],
      ['2022-03-18', 1, 1],
      ['2022-03-19', 2, 3],
      ['2022-03-20', 0, 3],
    ]);
    expect(s.byClassAtAdmission.filter((x) => x.n > 0)).toEqual([
      { class: 'asymptomatic', n: 1 },
      { class: 'mild', n: 1 },
      { class: 'unassessed', n: 1 },
    ]);
    expect(s.byWorstClass.filter((x) => x.n > 0)).toEqual([
      { class: 'asymptomatic', n: 1 },
      { class: 'moderate', n: 1 },
      { class: 'unassessed', n: 1 },
    ]);
    expect(s.byDisposition.filter((x) => x.n > 0)).toEqual([
      { disposition: 'home', n: 2 },
      { disposition: 'other_facility', n: 1 },
    ]);
    // Stays of 8, 8 and 7 days (住院天数, calendar days: the third left 03-19 15:00 after 03-12 10:00); criteria met 7 and 7 days after admission, the third without.
    expect(s.lengthOfStay).toMatchObject({ n: 3, median: 8, mean: 7.7, min: 7, max: 8 });
    expect(s.daysToCriteria).toMatchObject({ n: 2, median: 7, notMet: 1 });
    const byWorst = c.ok<{ rows: DrillRow[] }>('reports:drill', { metric: 'stats_worst_class', value: 'moderate', from: '2022-03-17', to: '2022-03-20', facilityId: null }).rows;
    expect(byWorst.map((x) => x.name)).toEqual(['乙']);
    const csv = c.ok<{ csv: string }>('reports:csv', { report: 'stats', from: '2022-03-17', to: '2022-03-20', facilityId: null, locale: 'en' }).csv;
    expect(csv).toContain('Length of stay (days),3,8,7.5,8,7.7,7,8');
    const bad = c.call('reports:dischargeStats', { from: '2022-03-20', to: '2022-03-17', facilityId: null });
    expect(!bad.ok && bad.error.details.issues?.[0]).toMatchObject({ field: 'to', key: 'validation.range_order' });
  });
});
