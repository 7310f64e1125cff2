import { describe, expect, it } from 'vitest';
import { DAILY_METRICS, REPORT_CLASSES, type DailyReport, type DischargeStats, type Figures } from '../../shared/api/reports';
import { DISCHARGE_DISPOSITIONS } from '../../shared/domain/clinical';
import type { DischargeCheck } from '../../shared/api/discharge';
import { addDays, lengthOfStayDays, localDate } from '../../shared/domain/time';
import { Ctx } from '../../electron/core/context';
import { REBUILD_REPORT_PLACEMENT } from '../../electron/core/db/migration-018-report-placement';
import { refreshEpisodeState } from '../../electron/core/clinical/state';
import { computeDay, dayBounds, scoped } from '../../electron/core/reports/daily';
import { censusCountsAt, censusNow } from '../../electron/core/reports/population';
import { quantile, statRows } from '../../electron/core/reports/stats';
import { admission, makeCore, makeNetwork, NOW, type TestCore } from '../support/core';
import { itemKeys, oracleDay, oracleStatRows } from '../support/reportOracle';
import { classAt, sh, transferAt } from '../support/timeline';

const TZ = 'Asia/Shanghai';
const today = localDate(NOW, TZ);

/** The report's figures for one facility (null: the network) against the oracle's lists, metric by metric. */
function expectFiguresMatch(c: TestCore, r: DailyReport, label: string, skipAwaiting = false) {
  const ctx = new Ctx(c.db, NOW, c.session);
  const oracle = oracleDay(ctx, dayBounds(r.date, TZ), TZ);
  for (const row of r.rows) {
    const x = scoped(oracle, row.facilityId);
    for (const m of DAILY_METRICS) {
      if (skipAwaiting && m === 'awaiting_review') continue;
      expect(row.figures[m as keyof Figures], `${label} ${r.date} ${row.name ?? 'network'} ${m}`).toBe(x[m].length);
    }
    for (const [cls, n] of Object.entries(row.figures.censusByClass))
      expect(n, `${label} ${r.date} ${row.name ?? 'network'} census ${cls}`).toBe(x.census.filter((i) => i.cls === cls).length);
  }
}

/** A trend point as the report of its own date gives it: the figures of the facility's row (null: the network). */
function pointOf(r: DailyReport, facilityId: number | null) {
  const f = r.rows.find((x) => x.facilityId === facilityId)!.figures;
  return {
    date: r.date,
    census: f.census,
    severeCritical: f.censusByClass.severe + f.censusByClass.critical,
    admissions: f.admissions,
    discharges: f.discharges,
    deaths: f.deaths,
    transfersIn: f.transfers_in,
    transfersOut: f.transfers_out,
    becameSevere: f.became_severe,
    becameCritical: f.became_critical,
  };
}

/** Every point of `r`'s trend is the figures of the report of that date (`byDate`, each held to the oracle). */
function expectTrendMatches(r: DailyReport, byDate: Map<string, DailyReport>, facilityId: number | null, label: string) {
  expect(r.trend.map((t) => t.date)).toEqual(Array.from({ length: 14 }, (_, i) => addDays(r.date, i - 13)));
  for (const t of r.trend) {
    const day = byDate.get(t.date);
    if (day) expect(t, `${label} trend of ${r.date}, ${t.date}, facility ${facilityId ?? 'network'}`).toEqual(pointOf(day, facilityId));
  }
}

/** report_placement (migration 18) is what rebuilding it from the placements now gives, row for row. */
function expectPlacementKindsCurrent(c: TestCore, label: string) {
  const stored = c.db.prepare('SELECT * FROM report_placement ORDER BY placement_id').all();
  c.db.prepare('DELETE FROM report_placement').run();
  c.db.prepare(REBUILD_REPORT_PLACEMENT).run();
  expect(c.db.prepare('SELECT * FROM report_placement ORDER BY placement_id').all(), label).toEqual(stored);
  expect(stored.length, label).toBe(c.count('placement'));
}

describe('daily report at scale: time-ranged SQL and the cache of past periods, held to the whole-network oracle', () => {
  it('gives the oracle’s figures and patient lists on every day of the demo outbreak, per facility and for the network', () => {
    const c = makeCore();
    c.ok('setup:loadDemo', { seed: 20220320 });
    const ctx = new Ctx(c.db, NOW, c.session);
    let days = 0;
    const byDate = new Map<string, DailyReport>();
    for (let i = 23; i >= 0; i -= 1) {
      const date = addDays(today, -i);
      // Figures: the fast path (cached populations, counted in SQL) against the oracle's list lengths.
      const r = c.ok<DailyReport>('reports:daily', { date, facilityId: null });
      expectFiguresMatch(c, r, 'report');
      byDate.set(date, r);
      // Lists (the drill-down): every metric's patients, item by item.
      const b = dayBounds(date, TZ);
      const fast = computeDay(ctx, b, { tz: TZ });
      const oracle = oracleDay(ctx, b, TZ);
      for (const id of new Set([...fast.keys(), ...oracle.keys()])) {
        for (const m of DAILY_METRICS) expect(itemKeys(scoped(fast, id), m), `${date} facility ${id} ${m}`).toEqual(itemKeys(scoped(oracle, id), m));
      }
      days += 1;
    }
    expect(days).toBe(24);
    // The trend (counted for all its days at once) is each day's own figures, for the network and per facility.
    const facilities = c.db.prepare('SELECT id FROM facility ORDER BY id').pluck().all() as number[];
    for (const r of byDate.values()) expectTrendMatches(r, byDate, null, 'demo');
    for (const id of facilities) {
      for (const date of [today, addDays(today, -6), addDays(today, -13)]) expectTrendMatches(c.ok<DailyReport>('reports:daily', { date, facilityId: id }), byDate, id, 'demo');
    }
    expect(new Set([...byDate.values()].flatMap((r) => r.trend.map((t) => t.severeCritical))).size, 'the demo has severe patients on some days').toBeGreaterThan(1);
    expectPlacementKindsCurrent(c, 'demo');
    // The demo has patients on the queue today and movements on the days compared: the test can fail.
    const network = c.ok<DailyReport>('reports:daily', { date: today, facilityId: null }).rows.find((x) => x.facilityId === null)!.figures;
    expect(network.awaiting_review).toBeGreaterThan(0);
    expect(network.census).toBeGreaterThan(100);
    expect(c.count('report_cache')).toBeGreaterThan(0);
  }, 180_000);

  it('gives the oracle’s discharge statistics rows: facility discharged from, class at admission, worst class, criteria met', () => {
    const c = makeCore();
    c.ok('setup:loadDemo', { seed: 20220320 });
    const ctx = new Ctx(c.db, NOW, c.session);
    const from = addDays(today, -30);
    const fast = statRows(ctx, from, today, null, TZ);
    const oracle = oracleStatRows(ctx, dayBounds(from, TZ).start, dayBounds(today, TZ).end);
    expect(fast.length).toBeGreaterThan(100);
    expect(
      fast.map((r) => ({ episodeId: r.episodeId, placementId: r.placementId, facilityId: r.facilityId, classAtAdmission: r.classAtAdmission, worstClass: r.worstClass })),
    ).toEqual(oracle.map(({ metAt: _m, ...r }) => r));
    expect(new Set(fast.map((r) => r.worstClass)).size).toBeGreaterThan(1);
    // The time criteria were met, kept beside the signed JSON for the statistics' index, is the JSON's.
    expect(c.db.prepare(`SELECT count(*) FROM discharge WHERE criteria_met_at IS NOT json_extract(criteria, '$.criteriaMetAt')`).pluck().get()).toBe(0);
    expect(c.db.prepare(`SELECT count(*) FROM discharge WHERE criteria_met_at IS NOT NULL`).pluck().get()).toBeGreaterThan(100);
    // Migration 11 lifted the immutability trigger for its backfill only: signed discharges are immutable again.
    expect(() => c.db.prepare(`UPDATE discharge SET criteria_met_at = NULL`).run()).toThrow(/immutable/);
    // The day of each discharge, found among the days' start instants, is its local date.
    for (const r of fast) expect(r.date).toBe(localDate(r.dischargedAt, TZ));
    // The length of stay from the days' start instants is shared/domain/time.ts's, row by row.
    for (const r of fast) expect(r.los, `episode ${r.episodeId}`).toBe(lengthOfStayDays(r.admittedAt, r.dischargedAt, TZ));
    // The statistics (one pass over the rows) are the rows counted and summarised one grouping at a time.
    const s = c.ok<DischargeStats>('reports:dischargeStats', { from, to: today, facilityId: null });
    const alive = fast.filter((r) => r.disposition !== 'deceased');
    const sorted = (v: number[]) => [...v].sort((x, y) => x - y);
    const mid = (v: number[]) => Math.round((quantile(sorted(v), 0.5) ?? 0) * 10) / 10;
    expect(s.total).toBe(fast.length);
    expect(s.discharged).toBe(alive.length);
    expect(s.byWorstClass).toEqual(REPORT_CLASSES.map((k) => ({ class: k, n: fast.filter((r) => r.worstClass === k).length })));
    expect(s.byClassAtAdmission).toEqual(REPORT_CLASSES.map((k) => ({ class: k, n: fast.filter((r) => r.classAtAdmission === k).length })));
    expect(s.byDisposition).toEqual(DISCHARGE_DISPOSITIONS.map((k) => ({ disposition: k, n: fast.filter((r) => r.disposition === k).length })));
    expect(s.byFacility.map((f) => f.n)).toEqual(s.byFacility.map((f) => fast.filter((r) => r.facilityId === f.facilityId).length));
    expect(s.lengthOfStay.median).toBe(mid(alive.map((r) => r.los)));
    expect(s.lengthOfStay.mean).toBe(Math.round((alive.reduce((a, r) => a + r.los, 0) / alive.length) * 10) / 10);
    const met = alive.flatMap((r) => (r.toCriteria === null ? [] : [r.toCriteria]));
    expect(s.daysToCriteria.median).toBe(mid(met));
    expect(s.daysToCriteria.notMet).toBe(alive.length - met.length);
    expect(s.perDay.at(-1)!.cumulative).toBe(fast.length);
  }, 60_000);

  it('counts today’s census by class from the live state exactly as from the assessments', () => {
    const c = makeCore();
    c.ok('setup:loadDemo', { seed: 20220320 });
    const ctx = new Ctx(c.db, NOW, c.session);
    const live = censusNow(ctx).population;
    const counted = censusCountsAt(ctx, dayBounds(today, TZ).end);
    expect([...live.keys()].sort()).toEqual([...counted.keys()].sort());
    for (const [id, p] of counted) expect(live.get(id), `facility ${id}`).toEqual(p);
  }, 60_000);

  it('drops a cached day when a back-dated admission, class assessment, transfer, amendment or discharge changes it', () => {
    const c = makeNetwork();
    const bed = c.db.prepare(`INSERT INTO bed (ward_id, label, sort) VALUES (?, ?, ?)`);
    for (let i = 4; i <= 10; i++) c.zoneBeds.push(Number(bed.run(c.zoneId, `A1-${String(i).padStart(3, '0')}`, i).lastInsertRowid));
    const admit = (bedId: number, wardId: number, at: string, name: string) =>
      c.ok<{ episodeId: number }>('patients:admit', admission({ bedId, wardId, admittedAt: at }, { name, riskFactors: [], ageYears: 40 })).episodeId;
    const refresh = (episodeId: number) => refreshEpisodeState(new Ctx(c.db, NOW, c.session), episodeId);
    const a = admit(c.zoneBeds[0]!, c.zoneId, sh('2022-03-10T09:00'), '甲');
    const b = admit(c.zoneBeds[1]!, c.zoneId, sh('2022-03-11T09:00'), '乙');
    classAt(c.db, a, sh('2022-03-10T10:00'), 'mild');
    refresh(a);
    const report = () => c.ok<DailyReport>('reports:daily', { date: today, facilityId: null });
    const trendOf = (r: DailyReport) =>
      r.trend.map((t) => `${t.date} ${t.census} ${t.severeCritical} +${t.admissions} -${t.discharges} >${t.transfersIn} <${t.transfersOut} s${t.becameSevere}`);

    const steps: [string, () => void][] = [
      ['a back-dated admission on the 12th', () => admit(c.zoneBeds[2]!, c.zoneId, sh('2022-03-12T15:00'), '丙')],
      [
        'a back-dated severe assessment on the 13th',
        () => {
          classAt(c.db, b, sh('2022-03-13T08:00'), 'severe');
          refresh(b);
        },
      ],
      [
        'a back-dated transfer to the designated hospital on the 14th',
        () => {
          transferAt(c.db, b, sh('2022-03-14T12:00'), c.wardId, c.beds[0]!);
          refresh(b);
        },
      ],
      [
        'an amendment correcting the 10th’s assessment to severe',
        () => {
          const old = c.db.prepare(`SELECT id FROM class_assessment WHERE episode_id = ? ORDER BY id LIMIT 1`).pluck().get(a) as number;
          c.db
            .prepare(
              `INSERT INTO class_assessment (episode_id, assessed_at, class, proposed_class, rule_set, decision, entered_at, author_id, entry_kind, supersedes_id, reason)
                    VALUES (?, ?, 'severe', 'severe', 'cn-v9', 'confirmed', ?, 1, 'amendment', ?, '复核更正')`,
            )
            .run(a, sh('2022-03-10T10:00'), NOW, old);
          refresh(a);
        },
      ],
      [
        'a referral to the panel back-dated to the 15th (awaiting review from then)',
        () => {
          c.db.prepare(`INSERT INTO referral (episode_id, at, author_id, note) VALUES (?, ?, 1, '补录：夜班请专家组会诊')`).run(b, sh('2022-03-15T22:00'));
          refresh(b);
        },
      ],
      [
        'a discharge dated the 16th',
        () => {
          const at = sh('2022-03-16T10:00');
          const check = c.ok<DischargeCheck>('discharge:check', { episodeId: a, at });
          c.ok('discharge:record', {
            episodeId: a,
            dischargedAt: at,
            disposition: 'home',
            condition: 'cured',
            overrideReason: check.check.eligible ? null : '测试：补录出院',
            shown: check.check.criteria.map((x) => ({ code: x.code, status: x.status })),
          });
        },
      ],
      [
        'the zone ward moved to the designated hospital (the transfer out of it becomes a move)',
        () => {
          c.db.prepare('UPDATE ward SET facility_id = (SELECT facility_id FROM ward WHERE id = ?) WHERE id = ?').run(c.wardId, c.zoneId);
        },
      ],
    ];
    const pastDays = () => Array.from({ length: 13 }, (_, i) => c.ok<DailyReport>('reports:daily', { date: addDays(today, -1 - i), facilityId: null }));
    const figuresOf = (list: DailyReport[]) => list.map((r) => JSON.stringify(r.rows.map((x) => x.figures)));
    let before = report();
    let beforeDays = figuresOf(pastDays());
    for (const [label, write] of steps) {
      expect(c.count(`report_cache WHERE kind = 'awaiting'`), `past days' awaiting cached before ${label}`).toBeGreaterThan(0);
      write();
      // Every past day from the (partly cached) reports is what the oracle says...
      const days = pastDays();
      for (const r of days) expectFiguresMatch(c, r, label);
      expectPlacementKindsCurrent(c, label);
      const current = report();
      expectFiguresMatch(c, current, label);
      expectTrendMatches(current, new Map([...days, current].map((r) => [r.date, r])), null, label);
      expect(figuresOf(days), `${label} changed some past day`).not.toEqual(beforeDays);
      // ...and the trend is what a report from an empty cache says.
      const after = report();
      const cachedTrend = trendOf(after);
      c.db.prepare('DELETE FROM report_cache').run();
      expect(cachedTrend, label).toEqual(trendOf(report()));
      before = after;
      beforeDays = figuresOf(pastDays());
    }
    expect(trendOf(before)).not.toEqual([]);
  }, 120_000);

  it('counts today from the hours that are over (cached) plus the current hour, and drops the cached hours a back-dated write changes', () => {
    const c = makeNetwork();
    c.zoneBeds.push(Number(c.db.prepare(`INSERT INTO bed (ward_id, label, sort) VALUES (?, 'A1-009', 9)`).run(c.zoneId).lastInsertRowid));
    const admit = (bed: number, at: string, name: string) =>
      c.ok('patients:admit', admission({ bedId: c.zoneBeds[bed]!, wardId: c.zoneId, admittedAt: at }, { name, riskFactors: [], ageYears: 30 }));
    const network = () => c.ok<DailyReport>('reports:daily', { date: today, facilityId: null }).rows.find((x) => x.facilityId === null)!.figures;
    admit(0, sh('2022-03-20T09:00'), '早');
    expect(network().admissions).toBe(1);
    // The hours from midnight to 14:00 are cached now (NOW is 14:05 in Shanghai).
    expect(c.db.prepare(`SELECT count(*) FROM report_cache WHERE kind = 'day' AND at = ?`).pluck().get(sh('2022-03-20T14:00'))).toBeGreaterThan(0);
    admit(1, sh('2022-03-20T14:02'), '近');
    expect(network().admissions).toBe(2);
    admit(2, sh('2022-03-20T10:30'), '补');
    const f = network();
    expect(f.admissions).toBe(3);
    expect(f.cum_admissions).toBe(3);
    expect(f.census).toBe(3);
    expectFiguresMatch(c, c.ok<DailyReport>('reports:daily', { date: today, facilityId: null }), 'today by the hour');
  });

  it('leaves the cache alone when a write is at the present time', () => {
    const c = makeNetwork();
    c.ok('patients:admit', admission({ bedId: c.zoneBeds[0]!, wardId: c.zoneId, admittedAt: sh('2022-03-12T09:00') }, { name: '丁', riskFactors: [], ageYears: 30 }));
    c.ok('reports:daily', { date: today, facilityId: null });
    const cached = c.count('report_cache');
    expect(cached).toBeGreaterThan(0);
    c.ok('patients:admit', admission({ bedId: c.zoneBeds[1]!, wardId: c.zoneId, admittedAt: NOW }, { name: '戊', riskFactors: [], ageYears: 30 }));
    expect(c.count('report_cache')).toBe(cached);
  });
});
