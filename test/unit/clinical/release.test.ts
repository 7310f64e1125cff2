import { describe, expect, it } from 'vitest';
import {
  DEFAULT_RELEASE_CONFIG,
  assessTest,
  checkRelease,
  nucleicAcidCriterion,
  temperatureCriterion,
  type NucleicAcidTest,
  type ReleaseInput,
} from '../../../shared/clinical/release';

const NOW = '2022-04-20T10:00:00.000Z';
const NOW_MS = Date.parse(NOW);
const hoursAgo = (h: number): string => new Date(NOW_MS - h * 3_600_000).toISOString();
const minutesAgo = (m: number): string => new Date(NOW_MS - m * 60_000).toISOString();

const ct = (collectedAt: string, nCt: number, orf1abCt: number): NucleicAcidTest => ({ collectedAt, nCt, orf1abCt });
const negative = (collectedAt: string): NucleicAcidTest => ({ collectedAt, qualitative: 'negative' });

/** Normal temperatures every 8 hours for the last `hours` hours. */
const normalTemps = (hours: number, value = 36.6) => Array.from({ length: Math.floor(hours / 8) + 1 }, (_, i) => ({ at: hoursAgo(hours - i * 8), value }));

function fangcang(tests: NucleicAcidTest[]): ReleaseInput {
  return { now: NOW, facilityKind: 'fangcang', nucleicAcidTests: tests, temperatures: [], respiratorySymptomsImproved: null, imagingImproved: null };
}

const naStatus = (tests: NucleicAcidTest[]) => nucleicAcidCriterion(tests, NOW_MS);

describe('one nucleic-acid test against v9 §12', () => {
  it.each([
    [35, 35, 'qualifies', 'ct_at_least_35'],
    [34.9, 36, 'not_qualifying', 'ct_below_35'],
    [36, 34.9, 'not_qualifying', 'ct_below_35'],
    [38, 41, 'qualifies', 'ct_at_least_35'],
  ] as const)('N Ct %d, ORF1ab Ct %d → %s', (n, orf, verdict, reason) => {
    expect(assessTest({ collectedAt: NOW, nCt: n, orf1abCt: orf })).toEqual({ verdict, reason });
  });

  it('Ct values decide over a qualitative label: Ct 30 written up as "negative" does not qualify', () => {
    expect(assessTest({ collectedAt: NOW, nCt: 30, orf1abCt: 36, qualitative: 'negative' }).verdict).toBe('not_qualifying');
  });

  it('a qualitative negative qualifies, a positive does not, and no result is unknown', () => {
    expect(assessTest(negative(NOW)).verdict).toBe('qualifies');
    expect(assessTest({ collectedAt: NOW, qualitative: 'positive' }).verdict).toBe('not_qualifying');
    expect(assessTest({ collectedAt: NOW }).reason).toBe('no_result');
  });

  it('an N Ct of 37 without the ORF1ab value or a qualitative result cannot be judged', () => {
    expect(assessTest({ collectedAt: NOW, nCt: 37 })).toEqual({ verdict: 'unknown', reason: 'ct_incomplete' });
  });
});

describe('release from a fangcang: two consecutive qualifying tests ≥ 24 h apart', () => {
  it('Ct 36/37 then 38/38 a day apart: released, with 7 days of home monitoring', () => {
    const r = checkRelease(fangcang([ct(hoursAgo(30), 36, 37), ct(hoursAgo(6), 38, 38)]));
    expect(r).toEqual({
      ruleSet: 'cn-v9',
      kind: 'release_from_isolation',
      eligible: true,
      criteria: [
        {
          code: 'nucleic_acid',
          status: 'met',
          evidence: {
            ctMin: 35,
            ctCutoff: 40,
            minIntervalHours: 24,
            testCount: 2,
            reason: 'two_qualifying_tests_24h_apart',
            latestCollectedAt: hoursAgo(6),
            latestNCt: 38,
            latestOrf1abCt: 38,
            latestQualitative: null,
            latestVerdict: 'ct_at_least_35',
            pairedCollectedAt: hoursAgo(30),
            pairedNCt: 36,
            pairedOrf1abCt: 37,
            pairedQualitative: null,
            pairedVerdict: 'ct_at_least_35',
            intervalHours: 24,
          },
        },
      ],
      followUp: { homeMonitoringDays: 7 },
    });
  });

  it('samples exactly 24 h apart are enough; 23 h 59 min are not', () => {
    expect(naStatus([ct(minutesAgo(24 * 60), 36, 36), ct(minutesAgo(0), 36, 36)]).status).toBe('met');
    const short = naStatus([ct(minutesAgo(23 * 60 + 59), 36, 36), ct(minutesAgo(0), 36, 36)]);
    expect(short.status).toBe('not_met');
    expect(short.evidence.reason).toBe('interval_under_24h');
  });

  it.each([
    [34.9, 36, 'not_met'],
    [35, 36, 'met'],
    [36, 34.9, 'not_met'],
    [36, 35, 'met'],
  ] as const)('second test N Ct %d, ORF1ab Ct %d → %s', (n, orf, status) => {
    expect(naStatus([ct(hoursAgo(48), 36, 36), ct(hoursAgo(12), n, orf)]).status).toBe(status);
  });

  it.each([
    [34.9, 36, 'not_met'],
    [35, 35, 'met'],
  ] as const)('first test N Ct %d, ORF1ab Ct %d → %s', (n, orf, status) => {
    expect(naStatus([ct(hoursAgo(48), n, orf), ct(hoursAgo(12), 37, 37)]).status).toBe(status);
  });

  it('two negative tests a day apart qualify, and so does a negative followed by Ct ≥ 35', () => {
    expect(naStatus([negative(hoursAgo(30)), negative(hoursAgo(2))]).status).toBe('met');
    expect(naStatus([negative(hoursAgo(30)), ct(hoursAgo(2), 36, 38)]).status).toBe('met');
  });

  it('the last two tests must both qualify: a positive test after two good ones is not met', () => {
    const r = naStatus([ct(hoursAgo(72), 36, 36), ct(hoursAgo(48), 37, 37), ct(hoursAgo(2), 28, 30)]);
    expect(r.status).toBe('not_met');
    expect(r.evidence.reason).toBe('latest_not_qualifying');
  });

  it('good, then Ct 32, then good 24 h later: the run was broken, not met', () => {
    const r = naStatus([ct(hoursAgo(60), 36, 36), ct(hoursAgo(36), 32, 33), ct(hoursAgo(6), 37, 37)]);
    expect(r.status).toBe('not_met');
    expect(r.evidence.reason).toBe('previous_not_qualifying');
  });

  it('an extra qualifying test a few hours after a valid pair does not undo it', () => {
    const r = naStatus([ct(hoursAgo(30), 36, 36), ct(hoursAgo(5), 37, 37), ct(hoursAgo(3), 38, 38)]);
    expect(r.status).toBe('met');
    expect(r.evidence.pairedCollectedAt).toBe(hoursAgo(30));
    expect(r.evidence.intervalHours).toBe(27);
  });

  it('a single test is not enough', () => {
    const r = naStatus([ct(hoursAgo(5), 38, 38)]);
    expect(r.status).toBe('not_met');
    expect(r.evidence.reason).toBe('fewer_than_two_tests');
    expect(naStatus([]).evidence.testCount).toBe(0);
  });

  it('while the latest sample has no result the criterion is unknown', () => {
    const r = naStatus([ct(hoursAgo(50), 36, 36), ct(hoursAgo(26), 37, 37), { collectedAt: hoursAgo(1) }]);
    expect(r.status).toBe('unknown');
    expect(r.evidence.reason).toBe('latest_pending');
  });

  it('a sample "collected" after now is ignored', () => {
    expect(naStatus([ct(hoursAgo(30), 36, 36), ct(hoursAgo(2), 37, 37), ct(hoursAgo(-3), 20, 20)]).status).toBe('met');
  });

  it('tests given out of order are sorted by collection time', () => {
    expect(naStatus([ct(hoursAgo(2), 28, 28), ct(hoursAgo(50), 36, 36), ct(hoursAgo(26), 37, 37)]).evidence.reason).toBe('latest_not_qualifying');
  });
});

describe('temperature normal for more than 3 days (v9 §12 (二) 1; fever ≥ 37.3 °C)', () => {
  const temp = (readings: { at: string; value: number }[]) => temperatureCriterion(readings, NOW_MS, DEFAULT_RELEASE_CONFIG);

  it('with no readings it is unknown', () => {
    expect(temp([]).status).toBe('unknown');
    expect(temp([]).evidence.reason).toBe('no_readings');
  });

  it('fever four days ago and normal readings every 8 hours since: met', () => {
    const r = temp([{ at: hoursAgo(96), value: 38.2 }, ...normalTemps(88)]);
    expect(r.status).toBe('met');
    expect(r.evidence).toMatchObject({ reason: 'normal_over_72h', lastFeverAt: hoursAgo(96), lastFeverC: 38.2, normalSinceAt: hoursAgo(88), normalHours: 88 });
  });

  it('normal since exactly 72 h is not "more than 3 days"; 72 h and 1 minute is', () => {
    const exactly = temp([{ at: hoursAgo(80), value: 37.8 }, ...normalTemps(72)]);
    expect(exactly.status).toBe('not_met');
    expect(exactly.evidence.reason).toBe('normal_too_short');
    const justOver = temp([{ at: hoursAgo(80), value: 37.8 }, { at: minutesAgo(72 * 60 + 1), value: 36.5 }, ...normalTemps(64)]);
    expect(justOver.status).toBe('met');
  });

  it.each([
    [37.2, 'met'],
    [37.3, 'not_met'],
  ] as const)('a reading of %d °C two days ago → %s', (value, status) => {
    expect(temp([...normalTemps(96), { at: hoursAgo(47), value }]).status).toBe(status);
  });

  it('a fever now is not met', () => {
    const r = temp([...normalTemps(96), { at: hoursAgo(0), value: 38.0 }]);
    expect(r.status).toBe('not_met');
    expect(r.evidence.reason).toBe('fever');
  });

  it('normal readings for only two days (admitted two days ago) cannot show three: unknown', () => {
    const r = temp(normalTemps(48));
    expect(r.status).toBe('unknown');
    expect(r.evidence.reason).toBe('readings_too_short');
  });

  it('a 30-hour gap in the readings leaves the period uncovered: unknown', () => {
    const readings = [
      { at: hoursAgo(100), value: 36.5 },
      { at: hoursAgo(70), value: 36.6 },
      { at: hoursAgo(40), value: 36.7 },
      { at: hoursAgo(10), value: 36.5 },
    ];
    const r = temp(readings);
    expect(r.status).toBe('unknown');
    expect(r.evidence).toMatchObject({ reason: 'readings_gap', maxGapHours: 30, allowedGapHours: 24 });
  });

  it('readings that stopped 30 hours ago do not cover the last day: unknown', () => {
    expect(temp(normalTemps(120).filter((r) => Date.parse(r.at) <= NOW_MS - 30 * 3_600_000)).evidence.reason).toBe('readings_gap');
  });
});

describe('hospital discharge from the designated hospital (v9 §12 (二))', () => {
  const goodTests = [ct(hoursAgo(30), 36, 36), ct(hoursAgo(4), 37, 38)];
  /** A designated-hospital patient meeting all four criteria, but for what `changes` says. */
  const release = (changes: Partial<ReleaseInput>) =>
    checkRelease({
      now: NOW,
      facilityKind: 'designated',
      nucleicAcidTests: goodTests,
      temperatures: normalTemps(100),
      respiratorySymptomsImproved: true,
      imagingImproved: true,
      ...changes,
    });

  it('with no temperature readings and nothing recorded about symptoms or imaging, those criteria are unknown and discharge is not proposed', () => {
    const r = release({ temperatures: [], respiratorySymptomsImproved: null, imagingImproved: null });
    expect(r.kind).toBe('discharge');
    expect(r.eligible).toBe(false);
    expect(r.criteria.map((c) => [c.code, c.status])).toEqual([
      ['temperature_normal', 'unknown'],
      ['respiratory_symptoms_improved', 'unknown'],
      ['imaging_improved', 'unknown'],
      ['nucleic_acid', 'met'],
    ]);
  });

  it('all four criteria met: eligible for discharge', () => {
    const r = release({});
    expect(r.eligible).toBe(true);
    expect(r.criteria.every((c) => c.status === 'met')).toBe(true);
  });

  it('imaging not improved: not eligible, and the criterion says not met', () => {
    const r = release({ imagingImproved: false });
    expect(r.eligible).toBe(false);
    expect(r.criteria.find((c) => c.code === 'imaging_improved')).toEqual({ code: 'imaging_improved', status: 'not_met', evidence: { value: false } });
  });

  it('a fangcang release ignores temperature, symptoms and imaging (v9 §12 (一))', () => {
    const r = release({ facilityKind: 'isolation', temperatures: [{ at: hoursAgo(1), value: 37.6 }], respiratorySymptomsImproved: false, imagingImproved: null });
    expect(r.eligible).toBe(true);
    expect(r.criteria.map((c) => c.code)).toEqual(['nucleic_acid']);
  });
});
