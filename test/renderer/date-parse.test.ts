import { describe, expect, it } from 'vitest';
import { displayFormat, parseTypedDate } from '../../renderer/src/components/dates/parse';

describe('dates as the reader writes them (issue 18)', () => {
  it.each([
    ['2026-12-02', '2026-12-02'],
    ['2026/12/2', '2026-12-02'],
    ['2026.12.02', '2026-12-02'],
    ['20261202', '2026-12-02'],
    ['2026年12月2日', '2026-12-02'],
    ['２０２６－１２－０２', '2026-12-02'],
    ['2 Dec 2026', '2026-12-02'],
    ['2 December 2026', '2026-12-02'],
    ['Dec 2, 2026', '2026-12-02'],
    ['  2026-03-19 ', '2026-03-19'],
  ])('reads %s as %s', (typed, iso) => {
    expect(parseTypedDate(typed)).toBe(iso);
  });

  it.each([
    // Day and month order cannot be known: never guessed.
    '12/02/2026',
    '02/12/2026',
    // Not a day of the calendar.
    '2026-02-30',
    '2026-13-01',
    '2026年2月30日',
    'yesterday',
    '',
    '44639',
    '1850-01-01',
  ])('refuses %j', (typed) => {
    expect(parseTypedDate(typed)).toBeNull();
  });

  it('shows ISO order with a 24-hour clock in Chinese, the month spelled out in English', () => {
    expect(displayFormat('zh-CN', true)).toBe('YYYY-MM-DD HH:mm');
    expect(displayFormat('en', false)).toBe('D MMM YYYY');
  });
});
