import { describe, expect, it } from 'vitest';
import { makeCore, NOW } from '../support/core';

describe('the demo network charts its patients', () => {
  it('writes rounds, results, classes, tiers and plans deterministically, with a realistic mix of courses and no deaths', { timeout: 60_000 }, () => {
    const a = makeCore();
    const b = makeCore();
    a.ok('setup:loadDemo', { seed: 11 });
    b.ok('setup:loadDemo', { seed: 11 });
    const dump = (c: typeof a) => c.db.prepare('SELECT episode_id, measured_at, resp_rate, spo2, temperature, news2_total FROM round ORDER BY id').all();
    expect(dump(a)).toEqual(dump(b));

    const one = (sql: string) => a.db.prepare(sql).pluck().get() as number;
    const patients = one('SELECT count(*) FROM episode');
    const rounds = one('SELECT count(*) FROM round');
    expect(rounds / patients).toBeGreaterThan(12);
    expect(rounds / patients).toBeLessThan(30);
    // Every round is signed, measured before it was entered, and not in the future.
    expect(one(`SELECT count(*) FROM round WHERE measured_at > entered_at OR entered_at > '${NOW}'`)).toBe(0);
    // Every patient has an admission class and tier; laboratory panels are drawn in the designated hospital only.
    expect(one('SELECT count(DISTINCT episode_id) FROM class_assessment')).toBeGreaterThan(patients * 0.98);
    expect(one('SELECT count(DISTINCT episode_id) FROM tier_assignment')).toBeGreaterThan(patients * 0.98);
    expect(
      one(`SELECT count(*) FROM lab_result r JOIN placement pl ON pl.episode_id = r.episode_id JOIN ward w ON w.id = pl.ward_id JOIN facility f ON f.id = w.facility_id
           WHERE r.analyte = 'crp' AND f.kind <> 'designated'`),
    ).toBe(0);
    // Mostly asymptomatic and mild, some moderate, a handful severe (the worst confirmed class of each stay); nobody dies.
    const byClass = Object.fromEntries(
      (
        a.db
          .prepare(
            `SELECT worst AS c, count(*) AS n FROM (SELECT episode_id, max(CASE class WHEN 'asymptomatic' THEN 0 WHEN 'mild' THEN 1 WHEN 'moderate' THEN 2 WHEN 'severe' THEN 3 ELSE 4 END) AS rank,
               CASE max(CASE class WHEN 'asymptomatic' THEN 0 WHEN 'mild' THEN 1 WHEN 'moderate' THEN 2 WHEN 'severe' THEN 3 ELSE 4 END)
                 WHEN 0 THEN 'asymptomatic' WHEN 1 THEN 'mild' WHEN 2 THEN 'moderate' WHEN 3 THEN 'severe' ELSE 'critical' END AS worst
             FROM class_assessment GROUP BY episode_id) GROUP BY worst`,
          )
          .all() as { c: string; n: number }[]
      ).map((r) => [r.c, r.n]),
    );
    expect((byClass.asymptomatic ?? 0) + (byClass.mild ?? 0)).toBeGreaterThan(patients * 0.8);
    expect(byClass.moderate ?? 0).toBeGreaterThan(20);
    expect(byClass.severe ?? 0).toBeGreaterThanOrEqual(3);
    expect(byClass.severe ?? 0).toBeLessThan(25);
    expect(byClass.critical ?? 0).toBe(0);
    expect(one(`SELECT count(*) FROM episode WHERE status = 'deceased'`)).toBe(0);
    // Some patients worsened and are flagged now (NEWS2, falling oxygen saturation).
    expect(one(`SELECT count(*) FROM episode_state, json_each(flags) j WHERE j.value->>'code' IN ('news2_high', 'hypoxaemia_worsening')`)).toBeGreaterThan(5);
  });

  it('lets Ct values rise over the stay: most patients first reach 35 on N and ORF1ab after about a week to twelve days', { timeout: 60_000 }, () => {
    const c = makeCore();
    c.ok('setup:loadDemo', { seed: 20220320 });
    const days = c.db
      .prepare(
        `SELECT (julianday(min(r.collected_at)) - julianday(e.admitted_at)) AS d FROM lab_result r JOIN episode e ON e.id = r.episode_id
         WHERE r.analyte = 'nucleic_acid' AND (r.qualitative = 'negative' OR (r.n_ct >= 35 AND r.orf1ab_ct >= 35)) GROUP BY e.id ORDER BY d`,
      )
      .pluck()
      .all() as number[];
    expect(days.length).toBeGreaterThan(500);
    const median = days[Math.floor(days.length / 2)]!;
    expect(median).toBeGreaterThanOrEqual(6);
    expect(median).toBeLessThanOrEqual(12);
    // Charting ends with the stay: no patient has an observation or a result after their discharge.
    const after = c.db
      .prepare(
        `SELECT (SELECT count(*) FROM round r JOIN discharge d ON d.episode_id = r.episode_id WHERE r.measured_at > d.discharged_at)
              + (SELECT count(*) FROM lab_result r JOIN discharge d ON d.episode_id = r.episode_id WHERE r.collected_at > d.discharged_at)`,
      )
      .pluck()
      .get() as number;
    expect(c.db.prepare('SELECT count(*) FROM discharge').pluck().get()).toBeGreaterThan(500);
    expect(after).toBe(0);
  });
});
