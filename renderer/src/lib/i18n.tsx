import { createContext, useCallback, useContext, useMemo, useState, type ReactNode } from 'react';
import { LOCALES, MESSAGES, translate, type Locale, type MessageKey } from '../../../shared/i18n';
import { AppError } from '../../../shared/errors';

export type T = (key: MessageKey | string, params?: Record<string, string | number>) => string;

interface I18n {
  locale: Locale;
  setLocale: (l: Locale) => void;
  t: T;
  /** The translated message of an error: its specific key when it has one, else its code's. */
  errorText: (err: AppError) => string;
  /** What a failed call says: an AppError's translated message, anything else as it prints. */
  failureText: (err: unknown) => string;
}

const Ctx = createContext<I18n | null>(null);
const STORAGE_KEY = 'echelon.locale';

function initialLocale(): Locale {
  const saved = globalThis.localStorage?.getItem(STORAGE_KEY);
  return (LOCALES as readonly string[]).includes(saved ?? '') ? (saved as Locale) : 'zh-CN';
}

export function I18nProvider({ children, locale: fixed }: { children: ReactNode; locale?: Locale }) {
  const [locale, setLocaleState] = useState<Locale>(fixed ?? initialLocale);
  const setLocale = useCallback((l: Locale) => {
    setLocaleState(l);
    globalThis.localStorage?.setItem(STORAGE_KEY, l);
    document.documentElement.lang = l;
  }, []);
  const value = useMemo<I18n>(() => {
    const t: T = (key, params) => translate(locale, key, params);
    const errorText = (err: AppError) => {
      const key = typeof err.details.key === 'string' ? err.details.key : `error.${err.code}`;
      return t(key, err.details.params);
    };
    return { locale, setLocale, t, errorText, failureText: (err) => (err instanceof AppError ? errorText(err) : String(err)) };
  }, [locale, setLocale]);
  return <Ctx.Provider value={value}>{children}</Ctx.Provider>;
}

export function useI18n(): I18n {
  const v = useContext(Ctx);
  if (!v) throw new Error('useI18n outside I18nProvider');
  return v;
}

/** The translated name of an audit action when there is one (`audit.action.patient.create`), else the action code itself. */
export function actionLabel(action: string, t: T): string {
  const key = `audit.action.${action}`;
  return key in MESSAGES['zh-CN'] ? t(key) : action;
}
