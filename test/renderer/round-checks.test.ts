import { describe, expect, it } from 'vitest';
import { translate } from '../../shared/i18n';
import { RecordRoundSchema } from '../../shared/api/rounds';
import { toFieldIssues } from '../../shared/api/issues';
import { lateEntryHours, typeError, typeErrors } from '../../renderer/src/components/rounds/roundChecks';
import { ROUND_SHORTCUTS, roundAction } from '../../renderer/src/components/rounds/roundShortcuts';

const t = (key: string, params?: Record<string, string | number>) => translate('en', key, params);
const key = (k: Partial<KeyboardEvent>) => ({ key: '', code: '', altKey: false, ctrlKey: false, metaKey: false, shiftKey: false, ...k });

describe('round mode: a typed value that is not a number says what is expected', () => {
  it.each([
    ['pulse', 'abc', 'Enter a whole number, beats per minute (e.g. 72)'],
    ['pulse', '72.5', 'Enter a whole number, beats per minute (e.g. 72)'],
    ['respRate', '1 8', 'Enter a whole number, breaths per minute (e.g. 18)'],
    ['temperature', '37,2,1', 'Enter a number, °C (e.g. 37.2)'],
    ['o2Flow', 'two', 'Enter a number, litres per minute (e.g. 2.5)'],
  ] as const)('%s "%s" → %s', (field, text, message) => {
    expect(typeError(field, text, t)).toBe(message);
  });

  it('an empty field is "not measured", and a decimal comma is a number', () => {
    expect(typeErrors({ respRate: '', spo2: ' ', o2Flow: '', systolicBp: '120', diastolicBp: '80', pulse: '72', temperature: '37,2' }, t)).toEqual({});
  });

  it('the contract, too, calls "abc" (NaN) and 2.5 where a whole number belongs a bad number, not a missing one', () => {
    const r = RecordRoundSchema.safeParse({ episodeId: 1, measuredAt: '2022-03-20T06:00:00.000Z', pulse: Number.NaN, respRate: 18.5 });
    expect(r.success).toBe(false);
    const issues = r.success ? [] : toFieldIssues(r.error.issues);
    expect(issues).toEqual(
      expect.arrayContaining([
        { field: 'pulse', key: 'validation.number' },
        { field: 'respRate', key: 'validation.integer' },
      ]),
    );
    expect(issues.some((i) => i.key === 'validation.required')).toBe(false);
  });
});

describe('round mode: a measurement older than the late-entry threshold asks first', () => {
  const now = new Date('2022-03-20T12:00:00.000Z');
  it.each([
    ['2022-03-20T08:00:00.000Z', 4, null],
    ['2022-03-20T07:59:00.000Z', 4, 4],
    ['2022-03-19T10:00:00.000Z', 4, 26],
    ['2022-03-20T10:30:00.000Z', 1, 1],
  ] as const)('measured %s, threshold %i h → %s', (at, threshold, hours) => {
    expect(lateEntryHours(at, now, threshold)).toBe(hours);
  });
});

describe('round mode shortcuts', () => {
  it('Alt + a key works from a text field; "?" only outside one; Ctrl and Shift variants are left alone', () => {
    const input = document.createElement('input');
    const box = document.createElement('input');
    box.type = 'checkbox';
    expect(roundAction(key({ altKey: true, code: 'ArrowLeft', key: 'ArrowLeft' }), input)).toBe('previous');
    expect(roundAction(key({ altKey: true, code: 'ArrowRight', key: 'ArrowRight' }), input)).toBe('next');
    expect(roundAction(key({ altKey: true, code: 'KeyS', key: 'ß' }), input)).toBe('skip');
    expect(roundAction(key({ altKey: true, code: 'KeyC', key: 'c' }), box)).toBe('confirmCarried');
    expect(roundAction(key({ key: '?', shiftKey: true }), input)).toBeNull();
    expect(roundAction(key({ key: '?', shiftKey: true }), box)).toBe('help');
    expect(roundAction(key({ key: '?', shiftKey: true }), document.body)).toBe('help');
    expect(roundAction(key({ ctrlKey: true, altKey: true, code: 'KeyS' }), document.body)).toBeNull();
    expect(roundAction(key({ shiftKey: true, altKey: true, code: 'ArrowLeft' }), document.body)).toBeNull();
  });

  it('the overlay lists every action that has a shortcut', () => {
    const listed = new Set(ROUND_SHORTCUTS.map((s) => s.action).filter(Boolean));
    expect([...listed].sort()).toEqual(['confirmCarried', 'help', 'next', 'previous', 'skip']);
    for (const s of ROUND_SHORTCUTS) expect(t(s.label)).not.toBe(s.label);
  });
});
