import type { ReleaseCheckView } from '../../../../shared/api/discharge';
import type { Transfer } from '../../../../shared/api/transfers';
import { formatLocal } from '../../../../shared/domain/time';
import type { T } from '../../lib/i18n';

/** A system reason key ('discharged', …) is translated; a person's reason is shown as typed. */
export function cancelReasonText(reason: string | null, t: T): string {
  if (!reason) return '—';
  const key = `transfer.cancel_reason.${reason}`;
  const text = t(key);
  return text === key ? reason : text;
}

/** Where a transfer goes, as one line: from facility, ward and bed, to the facility and the ward and bed as far as chosen. */
export function transferRoute(x: Pick<Transfer, 'from' | 'to'>, t: T): string {
  const from = `${x.from.facility.name} ${x.from.ward.name}${x.from.bedLabel ? ` ${x.from.bedLabel}` : ''}`;
  const to = `${x.to.facility.name}${x.to.ward ? ` ${x.to.ward.name}` : ''}${x.to.bed ? ` ${x.to.bed.name}` : ''}`;
  return t('transfer.from_to', { from, to });
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
