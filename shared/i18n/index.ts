import { zhCN } from './zh-CN';
import { en } from './en';
import { clinicalZh } from './clinical.zh-CN';
import { clinicalEn } from './clinical.en';
import { trustZh } from './trust.zh-CN';
import { trustEn } from './trust.en';
import { scaleZh } from './scale.zh-CN';
import { scaleEn } from './scale.en';
import { panelZh } from './panel.zh-CN';
import { panelEn } from './panel.en';
import { reportsZh } from './reports.zh-CN';
import { reportsEn } from './reports.en';
import { roundsZh } from './rounds.zh-CN';
import { roundsEn } from './rounds.en';
import { listsZh } from './lists.zh-CN';
import { listsEn } from './lists.en';
import { roundModeZh } from './roundmode.zh-CN';
import { roundModeEn } from './roundmode.en';
import { safetyZh } from './safety.zh-CN';
import { safetyEn } from './safety.en';
import { networkZh } from './network.zh-CN';
import { networkEn } from './network.en';
import { desktopZh } from './desktop.zh-CN';
import { desktopEn } from './desktop.en';

export const LOCALES = ['zh-CN', 'en'] as const;
export type Locale = (typeof LOCALES)[number];

export const MESSAGES = {
  'zh-CN': { ...zhCN, ...clinicalZh, ...trustZh, ...scaleZh, ...panelZh, ...reportsZh, ...roundsZh, ...listsZh, ...roundModeZh, ...safetyZh, ...networkZh, ...desktopZh } as Record<string, string>,
  en: { ...en, ...clinicalEn, ...trustEn, ...scaleEn, ...panelEn, ...reportsEn, ...roundsEn, ...listsEn, ...roundModeEn, ...safetyEn, ...networkEn, ...desktopEn } as Record<string, string>,
} satisfies Record<Locale, Record<string, string>>;

export type MessageKey = keyof typeof zhCN | keyof typeof clinicalZh | keyof typeof trustZh | keyof typeof scaleZh | keyof typeof panelZh | keyof typeof reportsZh | keyof typeof roundsZh | keyof typeof listsZh | keyof typeof roundModeZh | keyof typeof safetyZh | keyof typeof networkZh | keyof typeof desktopZh;

/**
 * `{name}` placeholders are filled from params. A missing key shows the key itself (and a test
 * fails on it), never an empty string.
 */
export function translate(locale: Locale, key: string, params?: Record<string, string | number>): string {
  const text = MESSAGES[locale][key] ?? MESSAGES['zh-CN'][key] ?? key;
  if (!params) return text;
  return text.replace(/\{(\w+)\}/g, (m, name: string) => (name in params ? String(params[name]) : m));
}
