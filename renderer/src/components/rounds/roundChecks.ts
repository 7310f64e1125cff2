import { formatLocal, localDate } from '../../../../shared/domain/time';
import type { T } from '../../lib/i18n';

export type NumberField = 'respRate' | 'spo2' | 'o2Flow' | 'systolicBp' | 'diastolicBp' | 'pulse' | 'temperature';

/**
 * What each typed vital must look like: whole numbers where RecordRoundSchema asks for integers
 * (`vital(…, true)` in shared/api/rounds.ts), and the unit the nurse reads on the monitor.
 */
const EXPECTED: Record<NumberField, { whole: boolean; unit: string; example: string }> = {
  respRate: { whole: true, unit: 'rounds.unit.breaths', example: '18' },
  spo2: { whole: true, unit: 'rounds.unit.percent', example: '96' },
  o2Flow: { whole: false, unit: 'rounds.unit.litres', example: '2.5' },
  systolicBp: { whole: true, unit: 'rounds.unit.mmhg', example: '120' },
  diastolicBp: { whole: true, unit: 'rounds.unit.mmhg', example: '80' },
  pulse: { whole: true, unit: 'rounds.unit.beats', example: '72' },
  temperature: { whole: false, unit: 'rounds.unit.celsius', example: '37.2' },
};
export const NUMBER_FIELDS = Object.keys(EXPECTED) as NumberField[];

/**
 * The message for typed text that is not the number its field expects ("abc" in pulse → "enter a
 * whole number, beats per minute"), or null. An empty field is "not measured", never an error here.
 */
export function typeError(field: NumberField, text: string, t: T): string | null {
  const v = text.trim().replace(',', '.');
  if (v === '') return null;
  const n = Number(v);
  const { whole, unit, example } = EXPECTED[field];
  if (Number.isFinite(n) && (!whole || Number.isInteger(n))) return null;
  return t(whole ? 'rounds.expect_whole' : 'rounds.expect_number', { unit: t(unit), example });
}

/** The type errors of every number field of a form. */
export function typeErrors(values: Record<NumberField, string>, t: T): Record<string, string> {
  const out: Record<string, string> = {};
  for (const f of NUMBER_FIELDS) {
    const e = typeError(f, values[f], t);
    if (e) out[f] = e;
  }
  return out;
}

/**
 * How long before `now` a measurement was taken, in whole hours, when that is more than the
 * hospital's late-entry threshold (settings.lateEntryHours); otherwise null.
 */
export function lateEntryHours(measuredAt: string, now: Date, thresholdHours: number): number | null {
  const ms = now.getTime() - Date.parse(measuredAt);
  if (!Number.isFinite(ms) || ms <= thresholdHours * 3_600_000) return null;
  return Math.floor(ms / 3_600_000);
}

/** The time of the round values were carried from: HH:MM when it was today, else the date too. */
export function carriedTime(measuredAt: string, timeZone: string, now: Date): string {
  const full = formatLocal(measuredAt, timeZone);
  return full.startsWith(localDate(now, timeZone)) ? full.slice(11) : full;
}

/**
 * After a refused save: the first field (in the paper-chart order of the form) with an error takes
 * the focus and is scrolled into view; a form-level error is scrolled into view.
 */
export function focusFirstError(form: HTMLElement | null, fields: readonly string[]): void {
  if (!form) return;
  const box = [...form.querySelectorAll<HTMLElement>('[data-field]')].find((el) => fields.includes(el.dataset.field ?? ''));
  const alert = form.querySelector<HTMLElement>('[role="alert"]');
  const at = box ?? alert;
  if (!at) return;
  const focusable = at.matches('input, select, textarea, button')
    ? at
    : at.querySelector<HTMLElement>('input:checked:not([disabled]), input:not([disabled]), button:not([disabled])');
  focusable?.focus({ preventScroll: true });
  at.scrollIntoView({ block: 'center' });
}
