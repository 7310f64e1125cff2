import { describe, expect, it } from 'vitest';
import {
  computeNews2,
  hasVitalSign,
  lastMeasuredAt,
  news2Band,
  news2Response,
  news2Monitoring,
  scoreAirOrOxygen,
  scoreConsciousness,
  scorePulse,
  scoreRespRate,
  scoreSpo2Scale1,
  scoreSpo2Scale2,
  scoreSystolicBp,
  scoreTemperature,
  type Acvpu,
  type VitalsObservation,
} from '../../../shared/clinical/news2';

// RCP NEWS2 2017, Chart 1: every band edge, both sides.
describe('NEWS2 Chart 1, parameter by parameter', () => {
  it.each([
    [0, 3],
    [8, 3],
    [9, 1],
    [11, 1],
    [12, 0],
    [20, 0],
    [21, 2],
    [24, 2],
    [25, 3],
    [60, 3],
  ])('a respiration rate of %d /min scores %d', (rr, score) => {
    expect(scoreRespRate(rr)).toBe(score);
  });

  it.each([
    [8.4, 3],
    [8.5, 1],
    [20.4, 0],
    [20.5, 2],
  ])('a fractional respiration rate of %d is scored as the whole number charted (%d)', (rr, score) => {
    expect(scoreRespRate(rr)).toBe(score);
  });

  it.each([
    [70, 3],
    [91, 3],
    [92, 2],
    [93, 2],
    [94, 1],
    [95, 1],
    [96, 0],
    [100, 0],
  ])('SpO2 scale 1: %d %% scores %d', (spo2, score) => {
    expect(scoreSpo2Scale1(spo2)).toBe(score);
  });

  it.each([
    [83, false, 3],
    [84, false, 2],
    [85, true, 2],
    [86, false, 1],
    [87, true, 1],
    [88, false, 0],
    [88, true, 0],
    [92, false, 0],
    [92, true, 0],
    [93, false, 0],
    [100, false, 0],
    [93, true, 1],
    [94, true, 1],
    [95, true, 2],
    [96, true, 2],
    [97, true, 3],
    [100, true, 3],
  ])('SpO2 scale 2: %d %% with oxygen=%s scores %d', (spo2, onOxygen, score) => {
    expect(scoreSpo2Scale2(spo2, onOxygen)).toBe(score);
  });

  it('SpO2 scale 2 at 93 % cannot be scored when nobody recorded whether the patient is on oxygen', () => {
    expect(scoreSpo2Scale2(93, null)).toBeNull();
    expect(scoreSpo2Scale2(97, undefined)).toBeNull();
  });

  it('SpO2 scale 2 at 92 % and below scores the same on air or oxygen, so an unknown oxygen status does not matter', () => {
    expect(scoreSpo2Scale2(92, null)).toBe(0);
    expect(scoreSpo2Scale2(85, null)).toBe(2);
  });

  it('oxygen scores 2, air scores 0', () => {
    expect(scoreAirOrOxygen(true)).toBe(2);
    expect(scoreAirOrOxygen(false)).toBe(0);
  });

  it.each([
    [60, 3],
    [90, 3],
    [91, 2],
    [100, 2],
    [101, 1],
    [110, 1],
    [111, 0],
    [219, 0],
    [220, 3],
    [260, 3],
  ])('a systolic pressure of %d mmHg scores %d', (sbp, score) => {
    expect(scoreSystolicBp(sbp)).toBe(score);
  });

  it.each([
    [30, 3],
    [40, 3],
    [41, 1],
    [50, 1],
    [51, 0],
    [90, 0],
    [91, 1],
    [110, 1],
    [111, 2],
    [130, 2],
    [131, 3],
    [180, 3],
  ])('a pulse of %d /min scores %d', (pulse, score) => {
    expect(scorePulse(pulse)).toBe(score);
  });

  it.each<[Acvpu, number]>([
    ['A', 0],
    ['C', 3],
    ['V', 3],
    ['P', 3],
    ['U', 3],
  ])('consciousness %s scores %d (new confusion counts like V, P and U)', (level, score) => {
    expect(scoreConsciousness(level)).toBe(score);
  });

  it.each([
    [34.0, 3],
    [35.0, 3],
    [35.1, 1],
    [36.0, 1],
    [36.1, 0],
    [38.0, 0],
    [38.1, 1],
    [39.0, 1],
    [39.1, 2],
    [41.0, 2],
  ])('a temperature of %d °C scores %d', (t, score) => {
    expect(scoreTemperature(t)).toBe(score);
  });
});

// RCP NEWS2 2017, Chart 2 (risk) and Chart 4 (minimum monitoring).
describe('NEWS2 bands and minimum monitoring', () => {
  it.each([
    [0, false, 'low', 'q12h'],
    [1, false, 'low', 'q4to6h'],
    [4, false, 'low', 'q4to6h'],
    [3, true, 'low_medium', 'hourly'],
    [4, true, 'low_medium', 'hourly'],
    [5, false, 'medium', 'hourly'],
    [6, false, 'medium', 'hourly'],
    [6, true, 'medium', 'hourly'],
    [7, false, 'high', 'continuous'],
    [7, true, 'high', 'continuous'],
    [18, true, 'high', 'continuous'],
  ] as const)('a total of %d (single 3: %s) is %s risk, observed at least %s', (total, single, band, monitoring) => {
    expect(news2Band(total, single)).toBe(band);
    expect(news2Monitoring(total, single)).toBe(monitoring);
  });
});

const T0 = '2022-04-01T08:00:00.000Z';
const minutesAfter = (iso: string, minutes: number): string => new Date(Date.parse(iso) + minutes * 60_000).toISOString();

/** A well adult on the morning round: every parameter scores 0. */
function wellRound(measuredAt: string, overrides: Partial<VitalsObservation> = {}): VitalsObservation {
  return {
    measuredAt,
    respRate: 16,
    spo2: 98,
    onOxygen: false,
    systolicBp: 124,
    pulse: 72,
    consciousness: 'A',
    temperature: 36.8,
    ...overrides,
  };
}

describe('NEWS2 from the observations of a round', () => {
  it('a well patient on air scores 0, complete, low risk, 12-hourly observations', () => {
    const r = computeNews2([wellRound(T0)], { at: T0, spo2Scale: 1 });
    expect(r).toMatchObject({
      ruleSet: 'rcp-news2-2017',
      total: 0,
      complete: true,
      missing: [],
      anySingleThree: false,
      band: 'low',
      monitoring: 'q12h',
      caveats: [],
      basedOn: T0,
    });
    expect(r.parts.map((p) => p.param)).toEqual(['respRate', 'spo2', 'airOrOxygen', 'systolicBp', 'pulse', 'consciousness', 'temperature']);
  });

  it('a breathless febrile patient on oxygen: every part is listed with its value and score and they add up', () => {
    const obs = wellRound(T0, { respRate: 26, spo2: 93, onOxygen: true, pulse: 112, temperature: 38.6 });
    const r = computeNews2([obs], { at: T0, spo2Scale: 1 });
    expect(r.parts).toEqual([
      { param: 'respRate', value: 26, score: 3, measuredAt: T0 },
      { param: 'spo2', value: 93, score: 2, measuredAt: T0 },
      { param: 'airOrOxygen', value: 'oxygen', score: 2, measuredAt: T0 },
      { param: 'systolicBp', value: 124, score: 0, measuredAt: T0 },
      { param: 'pulse', value: 112, score: 2, measuredAt: T0 },
      { param: 'consciousness', value: 'A', score: 0, measuredAt: T0 },
      { param: 'temperature', value: 38.6, score: 1, measuredAt: T0 },
    ]);
    expect(r.total).toBe(10);
    expect(r.band).toBe('high');
    expect(r.monitoring).toBe('continuous');
  });

  it('a new confusion alone makes an otherwise normal patient low-medium risk with hourly observations', () => {
    const r = computeNews2([wellRound(T0, { consciousness: 'C' })], { at: T0, spo2Scale: 1 });
    expect(r.total).toBe(3);
    expect(r.anySingleThree).toBe(true);
    expect(r.band).toBe('low_medium');
    expect(r.monitoring).toBe('hourly');
  });

  it('a temperature typed 29 minutes before the rest of the round is combined with it', () => {
    const round = wellRound(minutesAfter(T0, 29), { temperature: null });
    const temp: VitalsObservation = { measuredAt: T0, temperature: 39.4 };
    const r = computeNews2([temp, round], { at: minutesAfter(T0, 29), spo2Scale: 1 });
    expect(r.complete).toBe(true);
    expect(r.total).toBe(2);
    expect(r.parts.find((p) => p.param === 'temperature')).toEqual({
      param: 'temperature',
      value: 39.4,
      score: 2,
      measuredAt: T0,
    });
  });

  it('a temperature taken exactly 30 minutes before is still within the window', () => {
    const r = computeNews2([{ measuredAt: T0, temperature: 39.4 }, wellRound(minutesAfter(T0, 30), { temperature: null })], { at: minutesAfter(T0, 30), spo2Scale: 1 });
    expect(r.complete).toBe(true);
  });

  it('a temperature taken 31 minutes before is too old: the score is incomplete and says temperature is missing', () => {
    const r = computeNews2([{ measuredAt: T0, temperature: 39.4 }, wellRound(minutesAfter(T0, 31), { temperature: null })], { at: minutesAfter(T0, 31), spo2Scale: 1 });
    expect(r.complete).toBe(false);
    expect(r.missing).toEqual(['temperature']);
    expect(r.total).toBe(0);
    expect(r.caveats).toEqual(['incomplete']);
  });

  it('within the window the most recent value of a parameter wins', () => {
    const r = computeNews2([wellRound(T0, { pulse: 135 }), { measuredAt: minutesAfter(T0, 10), pulse: 88 }], { at: minutesAfter(T0, 10), spo2Scale: 1 });
    expect(r.parts.find((p) => p.param === 'pulse')?.value).toBe(88);
    expect(r.total).toBe(0);
    expect(r.basedOn).toBe(minutesAfter(T0, 10));
  });

  it('observations recorded after the requested time are ignored, so yesterday’s score can be replayed', () => {
    const r = computeNews2([wellRound(T0), wellRound(minutesAfter(T0, 60), { respRate: 30 })], { at: minutesAfter(T0, 59), spo2Scale: 1 });
    expect(r.total).toBe(0);
    expect(r.basedOn).toBe(T0);
  });

  it('with no observations at all the score is 0 but incomplete, listing all seven parameters', () => {
    const r = computeNews2([], { at: T0, spo2Scale: 1 });
    expect(r.total).toBe(0);
    expect(r.complete).toBe(false);
    expect(r.missing).toEqual(['respRate', 'spo2', 'airOrOxygen', 'systolicBp', 'pulse', 'consciousness', 'temperature']);
    expect(r.basedOn).toBeNull();
  });

  it('a partial round lists exactly the parameters not yet measured, in chart order', () => {
    const r = computeNews2([{ measuredAt: T0, respRate: 22, pulse: 95 }], { at: T0, spo2Scale: 1 });
    expect(r.missing).toEqual(['spo2', 'airOrOxygen', 'systolicBp', 'consciousness', 'temperature']);
    expect(r.total).toBe(3);
  });

  it('a patient on scale 2 with SpO2 95 % on oxygen scores 2 for saturation and 2 for oxygen', () => {
    const r = computeNews2([wellRound(T0, { spo2: 95, onOxygen: true })], { at: T0, spo2Scale: 2 });
    expect(r.parts.find((p) => p.param === 'spo2')?.score).toBe(2);
    expect(r.total).toBe(4);
  });

  it('a patient on scale 2 with SpO2 95 % on air scores 0 for saturation', () => {
    const r = computeNews2([wellRound(T0, { spo2: 95, onOxygen: false })], { at: T0, spo2Scale: 2 });
    expect(r.total).toBe(0);
  });

  it('on scale 2 an SpO2 of 95 % without any oxygen status is missing, together with air-or-oxygen', () => {
    const r = computeNews2([wellRound(T0, { spo2: 95, onOxygen: null })], { at: T0, spo2Scale: 2 });
    expect(r.missing).toEqual(['spo2', 'airOrOxygen']);
  });

  it('on scale 2 an SpO2 reading without oxygen status takes it from the round recorded 10 minutes later', () => {
    const r = computeNews2([wellRound(T0, { spo2: 97, onOxygen: null }), { measuredAt: minutesAfter(T0, 10), onOxygen: true }], { at: minutesAfter(T0, 10), spo2Scale: 2 });
    expect(r.parts.find((p) => p.param === 'spo2')?.score).toBe(3);
    expect(r.total).toBe(5);
  });

  it.each([
    [15, false, ['under16']],
    [16, false, []],
    [30, true, ['pregnancy']],
    [null, null, []],
  ] as const)('age %s, pregnant %s: caveats %j', (ageYears, pregnant, caveats) => {
    const r = computeNews2([wellRound(T0)], { at: T0, spo2Scale: 1, ageYears, pregnant });
    expect(r.caveats).toEqual(caveats);
  });

  it('a 12-year-old with a partial round gets both caveats, and the score is still shown', () => {
    const r = computeNews2([{ measuredAt: T0, respRate: 26 }], { at: T0, spo2Scale: 1, ageYears: 12 });
    expect(r.caveats).toEqual(['under16', 'incomplete']);
    expect(r.total).toBe(3);
  });

  it('an invalid requested time is a programming error', () => {
    expect(() => computeNews2([], { at: 'yesterday', spo2Scale: 1 })).toThrow(RangeError);
  });
});

// Issue 13: no measurement, no score; RCP 2017 Chart 4 clinical response.
describe('no measurement, no score', () => {
  const T = '2022-03-20T02:00:00.000Z';
  const later = (min: number) => new Date(Date.parse(T) + min * 60_000).toISOString();

  it.each<[string, VitalsObservation, boolean]>([
    ['air only', { measuredAt: T, onOxygen: false }, false],
    ['oxygen only', { measuredAt: T, onOxygen: true }, false],
    ['nothing', { measuredAt: T }, false],
    ['a pulse', { measuredAt: T, pulse: 80 }, true],
    ['ACVPU alert', { measuredAt: T, consciousness: 'A' }, true],
    ['a temperature', { measuredAt: T, temperature: 36.8 }, true],
  ])('%s: measured a parameter → %s', (_name, obs, expected) => {
    expect(hasVitalSign(obs)).toBe(expected);
  });

  it('scores at the last observation that measured something: a later round of air and symptoms does not count', () => {
    const obs: VitalsObservation[] = [
      { measuredAt: T, respRate: 25, pulse: 120 },
      { measuredAt: later(60), onOxygen: false },
    ];
    expect(lastMeasuredAt(obs, later(90))).toBe(T);
    expect(lastMeasuredAt(obs, later(-1))).toBeNull();
    expect(lastMeasuredAt([{ measuredAt: T, onOxygen: true }], later(90))).toBeNull();
  });

  it.each<[number, boolean, 'urgent' | 'emergency' | null]>([
    [0, false, null],
    [4, false, null],
    [3, true, 'urgent'],
    [5, false, 'urgent'],
    [6, true, 'urgent'],
    [7, false, 'emergency'],
    [12, true, 'emergency'],
  ])('Chart 4: total %i, a single 3 %s → %s', (total, single3, expected) => {
    expect(news2Response(total, single3)).toBe(expected);
  });
});
