import { describe, expect, it } from 'vitest';
import { getRuleSet } from '../../../shared/clinical';
import { emptyEpisode, evaluateEpisode, withRound, type EpisodeData, type EpisodeRound } from '../../../shared/clinical/evaluate';

// The episode evaluator on hand-made data: no database, no clock. Every case states the story, the
// data it adds to a 45-year-old admitted this morning, and what the snapshot says.

const NOW = '2022-03-20T06:05:00.000Z';
const TZ = 'Asia/Shanghai';
const ADMITTED = '2022-03-20T00:00:00.000Z';
const minutesAgo = (m: number) => new Date(Date.parse(NOW) - m * 60_000).toISOString();
const hoursAgo = (h: number) => minutesAgo(h * 60);
const inHours = (h: number) => minutesAgo(-h * 60);

const adult = (over: Partial<EpisodeData> = {}): EpisodeData => ({
  ...emptyEpisode(1, ADMITTED, { birthDate: null, ageYears: 45, ageMonths: null, statedAt: ADMITTED }),
  ...over,
});

/** All seven NEWS2 parameters in their 0 band (RCP 2017 Chart 1). */
const round = (id: number, measuredAt: string, over: Partial<EpisodeRound> = {}): EpisodeRound => ({
  id,
  measuredAt,
  respRate: 16,
  spo2: 97,
  onOxygen: false,
  systolicBp: 120,
  pulse: 70,
  consciousness: 'A',
  temperature: 37,
  symptoms: [],
  signs: [],
  ...over,
});

const evaluate = (data: EpisodeData, now = NOW) => evaluateEpisode(data, { now, timeZone: TZ, rules: getRuleSet() });
const codes = (data: EpisodeData, now = NOW) => evaluate(data, now).flags.map((f) => f.code);

describe('the episode evaluator', () => {
  it.each([
    {
      story: 'no round, no score: observations are due from admission',
      data: adult(),
      expected: { news2: null, lastRoundAt: null, nextObsDueAt: ADMITTED, currentClass: null, worstClass: null, reviewDueAt: null, flags: [] },
    },
    {
      story: 'RR 25, SpO2 93, pulse 115 score 7: continuous monitoring, next observation in 15 minutes',
      data: adult({ rounds: [round(1, minutesAgo(5), { respRate: 25, spo2: 93, pulse: 115 })] }),
      expected: { news2: expect.objectContaining({ total: 7, band: 'high', monitoring: 'continuous' }), nextObsDueAt: inHours(-5 / 60 + 0.25) },
    },
    {
      story: 'a round of symptoms only does not reset the observation clock',
      data: adult({
        rounds: [
          round(2, hoursAgo(1), { respRate: null, spo2: null, onOxygen: null, systolicBp: null, pulse: null, consciousness: null, temperature: null, symptoms: ['cough'] }),
          round(1, hoursAgo(2)),
        ],
      }),
      expected: { news2: expect.objectContaining({ total: 0, monitoring: 'q12h' }), lastRoundAt: hoursAgo(1), nextObsDueAt: inHours(10) },
    },
    {
      story: 'the current class is the last assessed, the worst the most severe',
      data: adult({ classes: ['moderate', 'severe', 'mild'] }),
      expected: { currentClass: 'mild', worstClass: 'severe' },
    },
    {
      story: 'a plan saved after the last review sets the review due date',
      data: adult({
        lastReview: { at: hoursAgo(5), decision: 'continue', nextReviewDue: inHours(20), classAtReview: null },
        plan: { createdAt: hoursAgo(2), nextReviewDue: inHours(4) },
      }),
      expected: { reviewDueAt: inHours(4), lastReviewAt: hoursAgo(5), lastReviewDecision: 'continue' },
    },
    {
      story: 'the tier and the facility pass through as loaded',
      data: adult({ currentTier: 'T3', facilityKind: 'fangcang' }),
      expected: { currentTier: 'T3', facilityKind: 'fangcang' },
    },
  ])('$story', ({ data, expected }) => {
    expect(evaluate(data)).toMatchObject(expected);
  });

  it('flags an overdue review and a referral since it, adds their urgency, and counts the wait from the earliest', () => {
    const data = adult({
      lastReview: { at: hoursAgo(30), decision: 'continue', nextReviewDue: hoursAgo(6), classAtReview: null },
      referral: { at: hoursAgo(2), note: '气促' },
    });
    const s = evaluate(data);
    expect(s.flags.map((f) => f.code)).toEqual(['review_overdue', 'doctor_referral']);
    expect(s.urgency).toBe(evaluate(adult()).urgency + 2 * 10 + 5);
    expect(s.waitingSince).toBe(hoursAgo(6));
  });

  it('hides a snoozed flag until its snooze ends', () => {
    const old = { ...adult(), age: { birthDate: null, ageYears: 67, ageMonths: null, statedAt: ADMITTED } };
    expect(codes(old)).toEqual(['risk_factors']);
    expect(codes({ ...old, snoozes: [{ flagCode: 'risk_factors', until: inHours(1) }] })).toEqual([]);
    expect(codes({ ...old, snoozes: [{ flagCode: 'risk_factors', until: inHours(1) }] }, inHours(2))).toEqual(['risk_factors']);
  });

  it('ages a child stated in months by the months completed since, and reads the age risk factor from the years', () => {
    const child = adult({ age: { birthDate: null, ageYears: 0, ageMonths: 10, statedAt: '2021-12-10T02:00:00.000Z' } });
    expect(evaluate(child)).toMatchObject({ ageYears: 1, ageMonths: 13, riskFactors: [] });
    const old = adult({ age: { birthDate: '1950-01-01', ageYears: null, ageMonths: null, statedAt: ADMITTED }, riskFactors: ['diabetes'] });
    expect(evaluate(old)).toMatchObject({ ageYears: 72, riskFactors: expect.arrayContaining(['age_over_60', 'diabetes']) });
  });

  it('is pure: frozen data, the same snapshot every time, nothing read but its arguments', () => {
    const data = adult({
      rounds: [round(2, minutesAgo(10), { spo2: 91 }), round(1, hoursAgo(4), { spo2: 95 })],
      spo2: [
        { roundId: 2, at: minutesAgo(10), value: 91, onOxygen: false },
        { roundId: 1, at: hoursAgo(4), value: 95, onOxygen: false },
      ],
      labs: {
        lymphocytes: [
          { at: hoursAgo(30), value: 1.2 },
          { at: hoursAgo(6), value: 0.6 },
        ],
      },
      imaging: [{ at: hoursAgo(20), pneumonia: true, progressionPct: null }],
      classes: ['moderate'],
      snoozes: [{ flagCode: 'news2_high', until: inHours(1) }],
    });
    const frozen = deepFreeze(structuredClone(data));
    const first = evaluate(frozen);
    expect(evaluate(frozen)).toEqual(first);
    expect(frozen).toEqual(data);
    expect(first.proposal.proposed).toBeDefined();
  });

  it('adds a typed round in memory: newest at its time, and an amendment takes the round it replaces out of the NEWS2 window and the SpO2 trend', () => {
    const data = adult({
      rounds: [round(1, minutesAgo(20), { spo2: 90 })],
      spo2: [{ roundId: 1, at: minutesAgo(20), value: 90, onOxygen: false }],
    });
    const typed = round(0, minutesAgo(20), { spo2: 97 });
    const added = withRound(data, typed, null);
    expect(added.rounds.map((r) => r.id)).toEqual([0, 1]);
    expect(added.spo2.map((p) => p.value)).toEqual([97, 90]);
    const amended = withRound(data, typed, 1);
    expect(amended.rounds.map((r) => r.id)).toEqual([0]);
    expect(amended.spo2.map((p) => p.value)).toEqual([97]);
    expect(evaluate(amended).news2?.total).toBe(0);
    expect(evaluate(data).news2?.total).toBe(3);
    // The data it was given is unchanged.
    expect(data.rounds).toHaveLength(1);
  });
});

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object') {
    for (const v of Object.values(value)) deepFreeze(v);
    Object.freeze(value);
  }
  return value;
}
