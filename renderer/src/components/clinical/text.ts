import type { ReleaseCheckView } from '../../../../shared/api/discharge';
import { formatLocal } from '../../../../shared/domain/time';
import type { T } from '../../lib/i18n';

/** A system reason key ('discharged', …) is translated; a person's reason is shown as typed. */
export function cancelReasonText(reason: string | null, t: T): string {
  if (!reason) return '—';
  const key = `transfer.cancel_reason.${reason}`;
  const text = t(key);
  return text === key ? reason : text;
}

type Criterion = ReleaseCheckView['criteria'][number];
const num = (v: unknown) => (typeof v === 'number' ? v : null);
const str = (v: unknown) => (typeof v === 'string' ? v : null);

/** The evidence of one release criterion as a line of text: the rule's reason, then the values behind it. */
export function criterionDetail(c: Criterion, t: T, tz: string): string {
  const e = c.evidence;
  const parts: string[] = [];
  const reason = str(e.reason);
  if (reason)
    parts.push(
      t(
        `release.reason.${reason}`,
        Object.fromEntries(
          Object.entries(e)
            .filter(([, v]) => v !== null)
            .map(([k, v]) => [k, String(v)]),
        ),
      ),
    );
  if (c.code === 'nucleic_acid') {
    const at = str(e.latestCollectedAt);
    if (at)
      parts.push(
        `${formatLocal(at, tz)}${t('punct.colon')}N ${num(e.latestNCt) ?? '—'} / ORF1ab ${num(e.latestOrf1abCt) ?? '—'}${str(e.latestQualitative) ? ` ${t(`discharge.qualitative.${String(e.latestQualitative)}`)}` : ''}`,
      );
    const interval = num(e.intervalHours);
    if (interval !== null && c.status === 'met') parts.push(t('discharge.evidence.interval', { hours: interval }));
  } else if (c.code === 'temperature_normal') {
    const hours = num(e.normalHours);
    if (hours !== null) parts.push(t('discharge.evidence.normal_hours', { hours: Math.floor(hours) }));
    const fever = str(e.lastFeverAt);
    if (fever) parts.push(t('discharge.evidence.last_fever', { at: formatLocal(fever, tz), value: num(e.lastFeverC) ?? '' }));
  } else {
    const v = e.value;
    parts.push(t(v === true ? 'discharge.evidence.judgement_yes' : v === false ? 'discharge.evidence.judgement_no' : 'discharge.evidence.judgement_unknown'));
  }
  return parts.join(t('punct.semicolon'));
}
