import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isoOf } from '../../electron/core/demo/instant';
import { fromLocal, localDate } from '../../shared/domain/time';

describe("the demo generator's instants (issue 17: the same network, faster)", () => {
  it('writes every whole-millisecond instant exactly as Date.prototype.toISOString does', () => {
    fc.assert(
      fc.property(fc.integer({ min: -62_167_219_200_000, max: 253_402_300_799_999 }), (ms) => isoOf(ms) === new Date(ms).toISOString()),
      { numRuns: 20_000 },
    );
    for (const ms of [0, -1, 951_782_399_999, 951_782_400_000, 1_647_734_400_000, -62_167_219_200_000, 253_402_300_799_999]) expect(isoOf(ms)).toBe(new Date(ms).toISOString());
  });

  it('leaves what it does not format to the builtin: fractions of a millisecond, years outside 0–9999', () => {
    for (const ms of [0.5, -62_167_219_200_001, 253_402_300_800_000]) expect(isoOf(ms)).toBe(new Date(ms).toISOString());
  });
});

describe('wall-clock times to instants (fromLocal), read from the cached offset of their quarter hour', () => {
  // Values of the formatToParts-only implementation this replaced: gaps and overlaps of daylight saving,
  // half- and quarter-hour zones, local mean time before 1900 (rounded to the minute, as before).
  it.each([
    ['2022-03-20T08:00', 'Asia/Shanghai', '2022-03-20T00:00:00.000Z'],
    ['1900-01-01T00:00', 'Asia/Shanghai', '1899-12-31T15:54:00.000Z'],
    ['2022-03-13T02:30', 'America/New_York', '2022-03-13T06:30:00.000Z'],
    ['2022-11-06T01:30', 'America/New_York', '2022-11-06T05:30:00.000Z'],
    ['2022-10-02T02:15', 'Australia/Lord_Howe', '2022-10-01T15:45:00.000Z'],
    ['2022-04-03T01:45', 'Australia/Lord_Howe', '2022-04-02T15:15:00.000Z'],
    ['2022-06-01T12:00', 'Asia/Kathmandu', '2022-06-01T06:15:00.000Z'],
    ['1880-06-01T12:00', 'Europe/London', '1880-06-01T12:00:00.000Z'],
    ['2011-12-30T10:00', 'Pacific/Apia', '2011-12-30T20:00:00.000Z'],
  ])('%s in %s is %s', (wall, tz, instant) => {
    expect(fromLocal(wall, tz)).toBe(instant);
  });

  it('round-trips every minute of a day with a daylight-saving change to the same local date', () => {
    for (let m = 0; m < 24 * 60; m += 1) {
      const wall = `2022-03-27T${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;
      expect(localDate(fromLocal(wall, 'Europe/Amsterdam'), 'Europe/Amsterdam')).toBe('2022-03-27');
    }
  });
});
