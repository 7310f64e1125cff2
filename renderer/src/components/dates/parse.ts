import dayjs from 'dayjs';
import customParseFormat from 'dayjs/plugin/customParseFormat';
import 'dayjs/locale/zh-cn';
import type { Locale } from '../../../../shared/i18n';

dayjs.extend(customParseFormat);

/** How a date (and a date-time) reads in each language: ISO order with a 24-hour clock in Chinese, the month spelled out in English. */
export function displayFormat(locale: Locale, withTime: boolean): string {
  const date = locale === 'zh-CN' ? 'YYYY-MM-DD' : 'D MMM YYYY';
  return withTime ? `${date} HH:mm` : date;
}

export function dayjsLocale(locale: Locale): string {
  return locale === 'zh-CN' ? 'zh-cn' : 'en';
}

/** The ways a date is typed on a ward: ISO, with slashes or dots, run together, in Chinese, or with the month's English name. */
const TYPED_FORMATS = [
  'YYYY-MM-DD',
  'YYYY-M-D',
  'YYYY/MM/DD',
  'YYYY/M/D',
  'YYYY.MM.DD',
  'YYYY.M.D',
  'YYYYMMDD',
  'YYYY年M月D日',
  'D MMM YYYY',
  'D MMMM YYYY',
  'MMM D YYYY',
  'MMMM D YYYY',
  'MMM D, YYYY',
  'MMMM D, YYYY',
];

/**
 * A typed date as `YYYY-MM-DD`, or null when it is not one. Strict: `2026-02-30` and `12/02/2026` (day
 * and month order unknowable) are refused, never guessed. Full-width digits are read as digits.
 */
export function parseTypedDate(text: string): string | null {
  const s = text.normalize('NFKC').trim().replace(/\s+/g, ' ');
  if (s === '') return null;
  for (const f of TYPED_FORMATS) {
    const d = dayjs(s, f, 'en', true);
    if (d.isValid() && d.year() >= 1900 && d.year() <= 2099) return d.format('YYYY-MM-DD');
  }
  return null;
}
