import { describe, expect, it } from 'vitest';
import { dayOfStay, fromLocal, lengthOfStayDays } from '../../shared/domain/time';

/**
 * Issue 13 item 9: length of stay (住院天数) and day of stay (住院第 N 天) are defined once, in
 * shared/domain/time.ts: calendar days in the hospital's time zone from the local admission date.
 */
const sh = (wall: string) => fromLocal(wall, 'Asia/Shanghai');

describe('length of stay and day of stay', () => {
  it.each([
    ['same day', '2022-03-10T08:00', '2022-03-10T20:00', 1, 1],
    ['overnight, late evening to early morning', '2022-03-10T23:50', '2022-03-11T00:10', 1, 2],
    ['late evening admission, early morning discharge 19 days later', '2022-03-01T23:50', '2022-03-20T00:10', 19, 20],
    ['early morning admission, late evening discharge 19 days later', '2022-03-01T00:10', '2022-03-20T23:50', 19, 20],
    ['across the end of February', '2022-02-27T12:00', '2022-03-02T12:00', 3, 4],
  ])('%s: length of stay %#', (_what, admitted, end, los, day) => {
    expect(lengthOfStayDays(sh(admitted), sh(end))).toBe(los);
    expect(dayOfStay(sh(admitted), sh(end))).toBe(day);
  });

  it('counts the hospital time zone’s calendar days, not 24-hour periods or UTC days', () => {
    // 23:50 Shanghai is 15:50Z of the same date; 00:10 Shanghai is 16:10Z of the day before: in UTC both are on 03-01 and 03-19.
    expect(lengthOfStayDays('2022-03-01T15:50:00.000Z', '2022-03-19T16:10:00.000Z')).toBe(19);
    expect(lengthOfStayDays('2022-03-01T15:50:00.000Z', '2022-03-19T16:10:00.000Z', 'UTC')).toBe(18);
    // Across a daylight-saving change the local dates still decide.
    expect(lengthOfStayDays(fromLocal('2022-03-12T22:00', 'America/New_York'), fromLocal('2022-03-14T01:00', 'America/New_York'), 'America/New_York')).toBe(2);
  });

  it('on the day a patient leaves, the day of stay is one more than the length of stay (except a same-day stay); an end before admission counts as the admission day', () => {
    for (let days = 1; days <= 40; days += 1) {
      const end = new Date(Date.parse(sh('2022-03-01T09:00')) + days * 86_400_000).toISOString();
      expect(dayOfStay(sh('2022-03-01T09:00'), end)).toBe(lengthOfStayDays(sh('2022-03-01T09:00'), end) + 1);
    }
    expect(lengthOfStayDays(sh('2022-03-10T10:00'), sh('2022-03-09T10:00'))).toBe(1);
    expect(dayOfStay(sh('2022-03-10T10:00'), sh('2022-03-09T10:00'))).toBe(1);
  });
});
