import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { computeNews2, type Acvpu, type VitalsObservation } from '../../../shared/clinical/news2';

const AT = '2022-04-01T08:30:00.000Z';
const BASE_MS = Date.parse(AT);

const acvpu = fc.constantFrom<Acvpu>('A', 'C', 'V', 'P', 'U');
const maybe = <T>(arb: fc.Arbitrary<T>): fc.Arbitrary<T | null | undefined> => fc.oneof(arb, fc.constant(null), fc.constant(undefined));

const observation: fc.Arbitrary<VitalsObservation> = fc.record({
  // Up to an hour before and 10 minutes after the requested time.
  measuredAt: fc.integer({ min: -60, max: 10 }).map((m) => new Date(BASE_MS + m * 60_000).toISOString()),
  respRate: maybe(fc.integer({ min: 0, max: 70 })),
  spo2: maybe(fc.integer({ min: 60, max: 100 })),
  onOxygen: maybe(fc.boolean()),
  systolicBp: maybe(fc.integer({ min: 50, max: 280 })),
  pulse: maybe(fc.integer({ min: 20, max: 220 })),
  consciousness: maybe(acvpu),
  temperature: maybe(fc.integer({ min: 320, max: 430 }).map((t) => t / 10)),
});

describe('NEWS2 properties', () => {
  it('the total is always the sum of the listed parts, and every parameter is either a part or missing', () => {
    fc.assert(
      fc.property(fc.array(observation, { maxLength: 6 }), fc.constantFrom<1 | 2>(1, 2), (obs, scale) => {
        const r = computeNews2(obs, { at: AT, spo2Scale: scale });
        expect(r.total).toBe(r.parts.reduce((s, p) => s + p.score, 0));
        expect(r.parts.length + r.missing.length).toBe(7);
        expect(r.complete).toBe(r.missing.length === 0);
        expect(r.anySingleThree).toBe(r.parts.some((p) => p.score === 3));
      }),
    );
  });

  // "Worse" moves a value away from the 0-scoring band (and further away when already outside):
  // lower or higher than normal for rate, pressure, pulse and temperature; lower SpO2 (scale 1);
  // air → oxygen; alert → any other ACVPU level.
  interface CompleteObservation {
    measuredAt: string;
    respRate: number;
    spo2: number;
    onOxygen: boolean;
    systolicBp: number;
    pulse: number;
    consciousness: Acvpu;
    temperature: number;
  }
  type Worsening = (o: CompleteObservation, step: number) => VitalsObservation;
  const away = (value: number, middle: number, step: number): number => (value >= middle ? value + step : value - step);
  const worsenings: Record<string, Worsening> = {
    respRate: (o, step) => ({ ...o, respRate: Math.max(0, away(o.respRate, 16, step)) }),
    spo2: (o, step) => ({ ...o, spo2: Math.max(0, o.spo2 - step) }),
    airOrOxygen: (o) => ({ ...o, onOxygen: true }),
    systolicBp: (o, step) => ({ ...o, systolicBp: Math.max(0, away(o.systolicBp, 165, step)) }),
    pulse: (o, step) => ({ ...o, pulse: Math.max(0, away(o.pulse, 70, step)) }),
    consciousness: (o) => ({ ...o, consciousness: o.consciousness === 'A' ? 'C' : o.consciousness }),
    temperature: (o, step) => ({ ...o, temperature: away(o.temperature, 37.05, step / 10) }),
  };

  const completeObservation: fc.Arbitrary<CompleteObservation> = fc.record({
    measuredAt: fc.constant(AT),
    respRate: fc.integer({ min: 0, max: 70 }),
    spo2: fc.integer({ min: 60, max: 100 }),
    onOxygen: fc.boolean(),
    systolicBp: fc.integer({ min: 50, max: 280 }),
    pulse: fc.integer({ min: 20, max: 220 }),
    consciousness: acvpu,
    temperature: fc.integer({ min: 320, max: 430 }).map((t) => t / 10),
  });

  it('making one vital sign worse never lowers the score (scale 1)', () => {
    fc.assert(
      fc.property(completeObservation, fc.constantFrom(...Object.keys(worsenings)), fc.integer({ min: 0, max: 40 }), (obs, param, step) => {
        const worsen = worsenings[param];
        if (!worsen) throw new Error(`no worsening for ${param}`);
        const before = computeNews2([obs], { at: AT, spo2Scale: 1 });
        const after = computeNews2([worsen(obs, step)], { at: AT, spo2Scale: 1 });
        expect(after.total).toBeGreaterThanOrEqual(before.total);
      }),
    );
  });

  it('on scale 2, a lower SpO2 at or below the 88–92 % target never lowers the score', () => {
    fc.assert(
      fc.property(completeObservation, fc.integer({ min: 0, max: 30 }), (obs, step) => {
        const start = { ...obs, spo2: Math.min(obs.spo2, 92) };
        const before = computeNews2([start], { at: AT, spo2Scale: 2 });
        const after = computeNews2([{ ...start, spo2: start.spo2 - step }], { at: AT, spo2Scale: 2 });
        expect(after.total).toBeGreaterThanOrEqual(before.total);
      }),
    );
  });
});
