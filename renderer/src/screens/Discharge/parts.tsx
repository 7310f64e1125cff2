import { Badge, type MantineColor } from '@mantine/core';
import type { ReleaseCheckView } from '../../../../shared/api/discharge';
import { formatLocal } from '../../../../shared/domain/time';
import type { T } from '../../lib/i18n';

export { CLASS_COLOR } from '../Chart/parts';
import { CLASS_COLOR } from '../Chart/parts';

export function ClassBadge({ cls, t }: { cls: string; t: T }) {
  return (
    <Badge color={CLASS_COLOR[cls] ?? 'gray'} variant={cls === 'unassessed' ? 'outline' : 'light'} radius="sm" style={{ flexShrink: 0, minWidth: 'max-content' }}>
      {t(`report.class.${cls}`)}
    </Badge>
  );
}

const STATUS_COLOR: Record<string, MantineColor> = { met: 'teal', not_met: 'red', unknown: 'gray' };

export function StatusBadge({ status, t }: { status: string; t: T }) {
  return (
    <Badge color={STATUS_COLOR[status] ?? 'gray'} variant={status === 'met' ? 'filled' : 'light'} radius="sm" miw={72}>
      {t(`release.status.${status}`)}
    </Badge>
  );
}

type Criterion = ReleaseCheckView['criteria'][number];
const num = (v: unknown) => (typeof v === 'number' ? v : null);
const str = (v: unknown) => (typeof v === 'string' ? v : null);

/** The evidence of one criterion as a line of text: the rule's reason, then the values behind it. */
export function criterionDetail(c: Criterion, t: T, tz: string): string {
  const e = c.evidence;
  const parts: string[] = [];
  const reason = str(e.reason);
  if (reason) parts.push(t(`release.reason.${reason}`, Object.fromEntries(Object.entries(e).filter(([, v]) => v !== null).map(([k, v]) => [k, String(v)]))));
  if (c.code === 'nucleic_acid') {
    const at = str(e.latestCollectedAt);
    if (at) parts.push(`${formatLocal(at, tz)}${t('punct.colon')}N ${num(e.latestNCt) ?? '—'} / ORF1ab ${num(e.latestOrf1abCt) ?? '—'}${str(e.latestQualitative) ? ` ${t(`discharge.qualitative.${String(e.latestQualitative)}`)}` : ''}`);
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

export const fmtNum = (v: number | null | undefined, digits = 1) => (v === null || v === undefined ? '—' : v.toFixed(digits));
