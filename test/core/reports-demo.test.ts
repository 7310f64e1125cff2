import { describe, expect, it } from 'vitest';
import type { DailyReport, DischargeStats } from '../../shared/api/reports';
import { addDays, localDate } from '../../shared/domain/time';
import { Ctx } from '../../electron/core/context';
import { generateDemoDischarges } from '../../electron/core/demo/discharges';
import { Rng } from '../../electron/core/demo/random';
import { admission, makeCore, makeNetwork, NOW } from '../support/core';
import { ctTest, sh } from '../support/timeline';

describe('reports over the demo network', () => {
  it('reconcile on every day of the outbreak, per facility and for the network: yesterday + in − out = today', () => {
    const c = makeCore();
    c.ok('setup:loadDemo', { seed: 20220320 });
    const today = localDate(NOW, 'Asia/Shanghai');
    let previous: DailyReport | null = null;
    for (let i = 23; i >= 0; i -= 1) {
      const r = c.ok<DailyReport>('reports:daily', { date: addDays(today, -i), facilityId: null });
      for (const row of r.rows) {
        const f = row.figures;
        expect(f.census_prev + f.admissions + f.transfers_in - f.discharges - f.deaths - f.transfers_out, `${r.date} ${row.name ?? 'network'}`).toBe(f.census);
        const before = previous?.rows.find((x) => x.facilityId === row.facilityId)?.figures.census ?? 0;
        expect(f.census_prev, `${r.date} ${row.name ?? 'network'} starts where the day before ended`).toBe(before);
        expect(Object.values(f.censusByClass).reduce((a, n) => a + n, 0)).toBe(f.census);
      }
      const network = r.rows.find((x) => x.facilityId === null)!.figures;
      expect(network.transfers_in).toBe(network.transfers_out);
      expect(network.deaths).toBe(0);
      previous = r;
    }
    const final = previous!.rows.find((x) => x.facilityId === null)!.figures;
    expect(final.cum_admissions).toBe(c.count('episode'));
    expect(final.cum_discharges).toBe(c.db.prepare(`SELECT count(*) FROM episode WHERE status = 'discharged'`).pluck().get());
    // Every demo discharge met the criteria when it was made (no override).
    expect(c.db.prepare(`SELECT count(*) FROM discharge WHERE override_reason IS NOT NULL OR json_extract(criteria, '$.check.eligible') <> 1`).pluck().get()).toBe(0);
    const tests = c.db.prepare(`SELECT count(*) FROM lab_result WHERE analyte = 'nucleic_acid'`).pluck().get() as number;
    const stats = c.ok<DischargeStats>('reports:dischargeStats', { from: addDays(today, -22), to: today, facilityId: null });
    expect(stats.total).toBe(final.cum_discharges);
    if (tests > 0) {
      // With the rounds demo's Ct series, a real discharge curve follows the epidemic curve.
      expect(stats.discharged).toBeGreaterThan(100);
      expect(stats.daysToCriteria.notMet).toBe(0);
    }
  }, 120_000);
});

describe('the discharge demo step', () => {
  it('discharges a patient at the first discharge round after their second qualifying result is known, and no one else', () => {
    const c = makeNetwork();
    const admit = (bedId: number, wardId: number, name: string) =>
      c.ok<{ episodeId: number }>('patients:admit', admission({ bedId, wardId, admittedAt: sh('2022-03-10T09:00') }, { name, riskFactors: [] })).episodeId;
    const ready = admit(c.zoneBeds[0]!, c.zoneId, '甲');
    const still = admit(c.zoneBeds[1]!, c.zoneId, '乙');
    ctTest(c.db, ready, sh('2022-03-12T07:00'), 24.0, 25.1);
    ctTest(c.db, ready, sh('2022-03-16T07:00'), 35.5, 36.0);
    ctTest(c.db, ready, sh('2022-03-17T07:00'), 37.2, 37.9);
    ctTest(c.db, still, sh('2022-03-16T07:00'), 36.5, 36.0);
    ctTest(c.db, still, sh('2022-03-17T07:00'), 30.2, 31.0);
    const ctx = new Ctx(c.db, NOW, c.session);
    const r = c.db.transaction(() => generateDemoDischarges(ctx, new Rng(7)))();
    expect(r.discharged).toBe(1);
    const row = c.db.prepare(`SELECT episode_id, discharged_at, disposition FROM discharge`).get() as { episode_id: number; discharged_at: string; disposition: string };
    expect(row.episode_id).toBe(ready);
    expect(row.disposition).toBe('home');
    expect(localDate(row.discharged_at, 'Asia/Shanghai')).toBe('2022-03-17');
    // The 07:00 result is on the ward at 11:00: too late for the 10:00 round, so the 15:00 one.
    expect(row.discharged_at >= sh('2022-03-17T15:00') && row.discharged_at < sh('2022-03-17T16:00')).toBe(true);
    expect(c.db.prepare('SELECT status FROM episode WHERE id = ?').pluck().get(still)).toBe('active');
    // Discharged days ago: the bed has been cleaned and is free again.
    expect(c.db.prepare('SELECT state FROM bed WHERE id = ?').pluck().get(c.zoneBeds[0])).toBe('free');
  });
});
