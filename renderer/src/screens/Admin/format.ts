import type { T } from '../../lib/i18n';

/** File sizes as an administrator reads them: 12.4 MB. */
export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  const units = ['KB', 'MB', 'GB'];
  let v = n / 1024;
  let u = 0;
  while (v >= 1024 && u < units.length - 1) {
    v /= 1024;
    u += 1;
  }
  return `${v.toFixed(v < 10 ? 1 : 0)} ${units[u]}`;
}

/** The translated name of an audit action (lib/i18n.tsx), for the audit log. */
export { actionLabel } from '../../lib/i18n';

/** Pretty JSON of an audit row's before/after text, or the text as stored when it is not JSON. */
export function prettyJson(text: string | null): string {
  if (text === null) return '';
  try {
    return JSON.stringify(JSON.parse(text), null, 2);
  } catch (err) {
    if (err instanceof SyntaxError) return text;
    throw err;
  }
}

/** Who a row without a user is: nobody logged in yet (a failed login), or the system itself (automatic backup, first run). */
export function actorFallback(action: string, t: T): string {
  return action.startsWith('auth.') ? t('audit.anonymous') : t('audit.system');
}
