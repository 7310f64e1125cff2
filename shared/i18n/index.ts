import { commonZh } from './common.zh-CN';
import { commonEn } from './common.en';
import { sessionZh } from './session.zh-CN';
import { sessionEn } from './session.en';
import { adminZh } from './admin.zh-CN';
import { adminEn } from './admin.en';
import { clinicalZh } from './clinical.zh-CN';
import { clinicalEn } from './clinical.en';
import { patientsZh } from './patients.zh-CN';
import { patientsEn } from './patients.en';
import { boardZh } from './board.zh-CN';
import { boardEn } from './board.en';
import { roundsZh } from './rounds.zh-CN';
import { roundsEn } from './rounds.en';
import { chartZh } from './chart.zh-CN';
import { chartEn } from './chart.en';
import { panelZh } from './panel.zh-CN';
import { panelEn } from './panel.en';
import { dischargeZh } from './discharge.zh-CN';
import { dischargeEn } from './discharge.en';
import { reportsZh } from './reports.zh-CN';
import { reportsEn } from './reports.en';
import { importZh } from './import.zh-CN';
import { importEn } from './import.en';
import { serverZh } from './server.zh-CN';
import { serverEn } from './server.en';
import { desktopZh } from './desktop.zh-CN';
import { desktopEn } from './desktop.en';
import { securityZh } from './security.zh-CN';
import { securityEn } from './security.en';
import { antiviralZh } from './antiviral.zh-CN';
import { antiviralEn } from './antiviral.en';
import { antiviralUiZh } from './antiviralUi.zh-CN';
import { antiviralUiEn } from './antiviralUi.en';

/** Messages are grouped by domain, one pair of files each (zh-CN first, en typed by its keys), so a missing translation is a type error. */
export const LOCALES = ['zh-CN', 'en'] as const;
export type Locale = (typeof LOCALES)[number];

export const MESSAGES = {
  'zh-CN': {
    ...commonZh,
    ...sessionZh,
    ...adminZh,
    ...clinicalZh,
    ...patientsZh,
    ...boardZh,
    ...roundsZh,
    ...chartZh,
    ...panelZh,
    ...dischargeZh,
    ...reportsZh,
    ...importZh,
    ...serverZh,
    ...desktopZh,
    ...securityZh,
    ...antiviralZh,
    ...antiviralUiZh,
  } as Record<string, string>,
  en: {
    ...commonEn,
    ...sessionEn,
    ...adminEn,
    ...clinicalEn,
    ...patientsEn,
    ...boardEn,
    ...roundsEn,
    ...chartEn,
    ...panelEn,
    ...dischargeEn,
    ...reportsEn,
    ...importEn,
    ...serverEn,
    ...desktopEn,
    ...securityEn,
    ...antiviralEn,
    ...antiviralUiEn,
  } as Record<string, string>,
} satisfies Record<Locale, Record<string, string>>;

export type MessageKey =
  | keyof typeof commonZh
  | keyof typeof sessionZh
  | keyof typeof adminZh
  | keyof typeof clinicalZh
  | keyof typeof patientsZh
  | keyof typeof boardZh
  | keyof typeof roundsZh
  | keyof typeof chartZh
  | keyof typeof panelZh
  | keyof typeof dischargeZh
  | keyof typeof reportsZh
  | keyof typeof importZh
  | keyof typeof serverZh
  | keyof typeof desktopZh
  | keyof typeof securityZh
  | keyof typeof antiviralZh
  | keyof typeof antiviralUiZh;

/**
 * `{name}` placeholders are filled from params. A missing key shows the key itself (and a test
 * fails on it), never an empty string.
 */
export function translate(locale: Locale, key: string, params?: Record<string, string | number>): string {
  const text = MESSAGES[locale][key] ?? MESSAGES['zh-CN'][key] ?? key;
  if (!params) return text;
  return text.replace(/\{(\w+)\}/g, (m, name: string) => (name in params ? String(params[name]) : m));
}
