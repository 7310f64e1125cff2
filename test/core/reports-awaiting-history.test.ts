import { describe, expect, it } from 'vitest';
import { DAILY_METRICS, type DailyReport, type Figures } from '../../shared/api/reports';
import { addDays, localDate } from '../../shared/domain/time';
import { Ctx } from '../../electron/core/context';
import { refreshEpisodeState } from '../../electron/core/clinical/state';
import { flagsAsOf } from '../../electron/core/reports/asof';
import { computeDay, dayBounds, scoped } from '../../electron/core/reports/daily';
import { backfillAwaitingSpans, dayEndOf, spansAt } from '../../electron/core/reports/history';
import { censusAt } from '../../electron/core/reports/population';
import { admission, makeCore, makeNetwork, NOW, type TestCore } from '../support/core';
import { itemKeys, oracleDay } from '../support/reportOracle';
import { classAt, sh, transferAt } from '../support/timeline';

const TZ = 'Asia/Shanghai';
const today = localDate(NOW, TZ);
const pastDates = (n: number) => Array.from({ length: n }, (_, i) => addDays(today, -1 - i));

/**
 * Every stored span that covers one of `instants` holds what the rules give as of that instant
 * (flagsAsOf, the oracle's definition); returns how many (episode, instant) pairs were covered.
 */
function expectSpansExact(c: TestCore, label: string, instants: readonly string[]): number {
  const ctx = new Ctx(c.db, NOW, c.session);
  const ids = c.db.prepare('SELECT id FROM episode').pluck().all() as number[];
  let covered = 0;
  for (const at of instants) {
    for (const [id, awaiting] of spansAt(ctx, at, ids)) {
      expect(awaiting, `${label}: episode ${id} at ${at}`).toBe(flagsAsOf(ctx, id, at, TZ).awaitingReview);
      covered += 1;
    }
  }
  return covered;
}

/** Every census patient at the end of each day has a span there: the report reads them all, recomputing none. */
function expectCensusCovered(c: TestCore, label: string, dates: readonly string[]): void {
  const ctx = new Ctx(c.db, NOW, c.session);
  for (const date of dates) {
    const ids = censusAt(ctx, dayBounds(date, TZ).end).map((x) => x.episodeId);
    expect(spansAt(ctx, dayEndOf(date, TZ), ids).size, `${label}: census of ${date} covered`).toBe(ids.length);
  }
}

/** The report's awaiting-review figure (and every other) of each date against the oracle, uncached. */
function expectReportsMatch(c: TestCore, label: string, dates: readonly string[]): void {
  c.db.prepare('DELETE FROM report_cache').run();
  const ctx = new Ctx(c.db, NOW, c.session);
  for (const date of dates) {
    const r = c.ok<DailyReport>('reports:daily', { date, facilityId: null });
    const oracle = oracleDay(ctx, dayBounds(date, TZ), TZ);
    for (const row of r.rows) {
      const x = scoped(oracle, row.facilityId);
      for (const m of DAILY_METRICS) expect(row.figures[m as keyof Figures], `${label} ${date} ${row.name ?? 'network'} ${m}`).toBe(x[m].length);
    }
  }
}

/** Instants to hold the spans to: each day's end, and two times inside it. */
const instantsOf = (dates: readonly string[]) => dates.flatMap((d) => [dayEndOf(d, TZ), sh(`${d}T08:00`), sh(`${d}T16:30`)]);

describe('who was awaiting review at the end of a past day, read from the stored spans', () => {
  it('after the backfill, every census patient of every day of the demo is read from a span, and the report and its lists are the oracle’s', () => {
    const c = makeCore();
    c.ok('setup:loadDemo', { seed: 20220320 });
    const ctx = new Ctx(c.db, NOW, c.session);
    c.db.transaction(() => backfillAwaitingSpans(ctx, TZ))();
    const dates = pastDates(23);
    expectCensusCovered(c, 'demo', dates);
    expect(
      expectSpansExact(
        c,
        'demo',
        dates.map((d) => dayEndOf(d, TZ)),
      ),
    ).toBeGreaterThan(1000);
    expectReportsMatch(c, 'demo', dates);
    for (const date of dates.slice(0, 8)) {
      const b = dayBounds(date, TZ);
      const fast = computeDay(ctx, b, { tz: TZ });
      const oracle = oracleDay(ctx, b, TZ);
      for (const id of new Set([...fast.keys(), ...oracle.keys()]))
        expect(itemKeys(scoped(fast, id), 'awaiting_review'), `${date} facility ${id}`).toEqual(itemKeys(scoped(oracle, id), 'awaiting_review'));
    }
    const awaiting = dates.map((d) => c.ok<DailyReport>('reports:daily', { date: d, facilityId: null }).rows.find((x) => x.facilityId === null)!.figures.awaiting_review);
    expect(Math.max(...awaiting), 'the demo has patients awaiting review on past days').toBeGreaterThan(10);
  }, 240_000);

  it('stays exact after back-dated rounds, results, class changes, reviews, snoozes, referrals, plans, discharges and transfers', () => {
    const c = makeNetwork();
    const bed = c.db.prepare(`INSERT INTO bed (ward_id, label, sort) VALUES (?, ?, ?)`);
    for (let i = 3; i <= 6; i++) c.zoneBeds.push(Number(bed.run(c.zoneId, `A1-00${i}`, i).lastInsertRowid));
    const admit = (bedId: number, at: string, name: string, patient: Record<string, unknown>) =>
      c.ok<{ episodeId: number }>('patients:admit', admission({ bedId, wardId: c.zoneId, admittedAt: at }, { name, riskFactors: [], ageYears: 40, ...patient })).episodeId;
    // a, d, e: 40 and no risk factor (not flagged until a record says so); b: 70; k: turns 61 on the 14th.
    const a = admit(c.zoneBeds[0]!, sh('2022-03-10T09:00'), '甲', {});
    const b = admit(c.zoneBeds[1]!, sh('2022-03-11T09:00'), '乙', { ageYears: 70 });
    const k = admit(c.zoneBeds[2]!, sh('2022-03-09T09:00'), '丙', { ageYears: null, birthDate: '1961-03-14' });
    const d = admit(c.zoneBeds[3]!, sh('2022-03-10T09:00'), '丁', {});
    const e = admit(c.zoneBeds[4]!, sh('2022-03-10T09:00'), '戊', {});
    const ctx = () => new Ctx(c.db, NOW, c.session);
    // The one-time step after migration 19: the days before the admissions' states.
    c.db.transaction(() => backfillAwaitingSpans(ctx(), TZ))();
    const refresh = (...ids: number[]) => c.db.transaction(() => ids.forEach((id) => refreshEpisodeState(ctx(), id)))();
    const dates = pastDates(12);
    const awaitingDays = () => JSON.stringify(dates.map((date) => [...spansAt(ctx(), dayEndOf(date, TZ), [a, b, k, d, e])]));
    const check = (label: string) => {
      expectCensusCovered(c, label, dates);
      expect(expectSpansExact(c, label, instantsOf(dates)), label).toBeGreaterThan(20);
      expectReportsMatch(c, label, dates);
    };
    check('admitted');
    const round = c.db.prepare(
      `INSERT INTO round (episode_id, measured_at, resp_rate, spo2, on_oxygen, systolic_bp, pulse, consciousness, temperature, symptoms, entered_at, author_id, entry_kind, supersedes_id, reason)
       VALUES (?, ?, 18, ?, 0, 120, 80, 'A', 36.8, '[]', ?, 1, ?, ?, ?)`,
    );
    const lab = c.db.prepare(`INSERT INTO lab_result (episode_id, collected_at, analyte, value, entered_at, author_id) VALUES (?, ?, 'lymphocytes', ?, ?, 1)`);
    const review = c.db.prepare(
      `INSERT INTO review (episode_id, at, flags, decision, next_review_due, class_at_review, entered_at, author_id) VALUES (?, ?, '[]', 'continue', ?, ?, ?, 1)`,
    );
    const snooze = c.db.prepare(`INSERT INTO flag_snooze (episode_id, flag_code, at, until, author_id, reason) VALUES (?, ?, ?, ?, 1, '会诊改期')`);
    // Each step changes who was awaiting review at the end of some past day (checked), so stale spans fail the test.
    const steps: [string, () => void][] = [
      [
        'a round of the 12th, SpO2 90 % on air, entered today (a is flagged from the 12th)',
        () => (round.run(a, sh('2022-03-12T10:00'), 90, NOW, 'original', null, null), refresh(a)),
      ],
      [
        'lymphocytes falling across the 13th–15th (d is flagged from the 15th)',
        () => ([1.5, 1.1, 0.7].forEach((v, i) => lab.run(d, sh(`2022-03-1${3 + i}T07:00`), v, NOW)), refresh(d)),
      ],
      ['a review of a on the 13th, as severe, next due on the 15th', () => (review.run(a, sh('2022-03-13T09:00'), sh('2022-03-15T09:00'), 'severe', NOW), refresh(a))],
      [
        'a plan of a on the 13th moving the review to that evening',
        () => (
          c.db
            .prepare(`INSERT INTO plan_version (episode_id, version, created_at, author_id, next_review_due) VALUES (?, 1, ?, 1, ?)`)
            .run(a, sh('2022-03-13T12:00'), sh('2022-03-13T20:00')),
          refresh(a)
        ),
      ],
      ['d’s falling lymphocytes snoozed from the 16th to the 18th', () => (snooze.run(d, 'lymphocytes_falling', sh('2022-03-16T12:00'), sh('2022-03-18T12:00')), refresh(d))],
      ['a review of e on the 12th, as mild, next due on the 25th', () => (review.run(e, sh('2022-03-12T08:00'), sh('2022-03-25T08:00'), 'mild', NOW), refresh(e))],
      ['e assessed moderate on the 14th (worse than at the review)', () => (classAt(c.db, e, sh('2022-03-14T08:00'), 'moderate'), refresh(e))],
      [
        'k referred to the panel on the 12th',
        () => (c.db.prepare(`INSERT INTO referral (episode_id, at, author_id, note) VALUES (?, ?, 1, '补录')`).run(k, sh('2022-03-12T22:00')), refresh(k)),
      ],
      [
        'the 12th’s round of a amended to SpO2 97 %',
        () => {
          const old = c.db.prepare('SELECT id FROM round WHERE episode_id = ? ORDER BY id LIMIT 1').pluck().get(a) as number;
          round.run(a, sh('2022-03-12T10:00'), 97, NOW, 'amendment', old, '录入错误更正');
          refresh(a);
        },
      ],
      ['a transfer of b to the designated hospital on the 15th', () => (transferAt(c.db, b, sh('2022-03-15T12:00'), c.wardId, c.beds[0]!), refresh(b))],
      [
        'a discharge of k dated the 17th',
        () => {
          c.db.prepare(`UPDATE placement SET end_at = ? WHERE episode_id = ? AND end_at IS NULL`).run(sh('2022-03-17T10:00'), k);
          c.db.prepare(`UPDATE episode SET status = 'discharged' WHERE id = ?`).run(k);
          refresh(k);
        },
      ],
      ['a round of d entered just after midnight, measured before it', () => (round.run(d, sh('2022-03-19T23:50'), 91, NOW, 'original', null, null), refresh(d))],
    ];
    // These change no one's answer (a review of an unflagged patient; the census, not the flags; a day already awaiting).
    const unchanged = new Set([
      'a review of e on the 12th, as mild, next due on the 25th',
      'a round of d entered just after midnight, measured before it',
      'a transfer of b to the designated hospital on the 15th',
      'a discharge of k dated the 17th',
    ]);
    for (const [label, write] of steps) {
      const before = awaitingDays();
      write();
      check(label);
      if (!unchanged.has(label)) expect(awaitingDays(), `${label} changed who was awaiting review on some past day`).not.toEqual(before);
    }
  }, 240_000);

  it('drops an episode’s spans when its patient’s age or risk factors change, and fills them again at the next start', () => {
    const c = makeNetwork();
    const ep = c.ok<{ episodeId: number }>(
      'patients:admit',
      admission({ bedId: c.zoneBeds[0]!, wardId: c.zoneId, admittedAt: sh('2022-03-12T09:00') }, { name: '丁', riskFactors: [], ageYears: 40 }),
    ).episodeId;
    const ctx = new Ctx(c.db, NOW, c.session);
    c.db.transaction(() => backfillAwaitingSpans(ctx, TZ))();
    expect(c.count(`awaiting_span WHERE episode_id = ${ep}`)).toBeGreaterThan(0);
    c.db.prepare(`UPDATE patient SET risk_factors = '["diabetes"]' WHERE id = (SELECT patient_id FROM episode WHERE id = ?)`).run(ep);
    expect(c.count(`awaiting_span WHERE episode_id = ${ep}`)).toBe(0);
    expect(c.count('awaiting_backfill')).toBe(1);
    const again = c.reopen();
    expect(again.count('awaiting_backfill')).toBe(0);
    expectCensusCovered(again, 'reopened', pastDates(7));
    expect(expectSpansExact(again, 'reopened', instantsOf(pastDates(7)))).toBeGreaterThanOrEqual(7);
  }, 60_000);
});
