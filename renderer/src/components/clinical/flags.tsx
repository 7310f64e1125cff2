import { useState } from 'react';
import { Badge, Button, Text } from '@mantine/core';
import type { FlagOut } from '../../../../shared/api/snapshot';
import { formatLocal } from '../../../../shared/domain/time';
import type { T } from '../../lib/i18n';

const DATE_KEYS = new Set(['dueAt', 'referredAt', 'latestAt', 'at', 'windowEndsAt']);
const CLASS_KEYS = new Set(['proposed', 'confirmedClass', 'lastReviewClass', 'currentClass']);

/** The evidence of a flag as the placeholders of its translated detail: codes translated, instants in the hospital's time. */
function params(f: FlagOut, t: T, tz: string): Record<string, string | number> {
  const out: Record<string, string | number> = {};
  for (const [k, v] of Object.entries(f.evidence)) {
    if (v === null) out[k] = CLASS_KEYS.has(k) ? t('chart.unconfirmed') : '—';
    else if (typeof v === 'string' && DATE_KEYS.has(k)) out[k] = formatLocal(v, tz);
    else if (typeof v === 'string' && CLASS_KEYS.has(k)) out[k] = t(`class.${v}`);
    else if (k === 'band' && typeof v === 'string') out[k] = t(`news2.band.${v}`);
    else if (k === 'options' && typeof v === 'string')
      out[k] = v
        .split(',')
        .map((x) => t(`antiviral.option.${x}`))
        .join(t('lists.sep'));
    else if (k === 'factors' && typeof v === 'string')
      out[k] = v
        .split(',')
        .map((x) => t(`risk.${x}`))
        .join(t('lists.sep'));
    else out[k] = typeof v === 'boolean' ? String(v) : v;
  }
  return out;
}

/** A flag's reason (its name, plus which sub-rule fired) and its evidence line (clinical.* flag.* keys). */
export function flagText(f: FlagOut, t: T, tz: string): { reason: string; detail: string; since: string | null } {
  const p = params(f, t, tz);
  let reason = t(`flag.${f.code}`);
  const sub = f.evidence.reasons ?? f.evidence.reason;
  if (f.code === 'hypoxaemia_worsening' && typeof sub === 'string')
    reason = t('lists.aside', {
      text: reason,
      aside: sub
        .split(',')
        .map((r) => t(`flag.hypoxaemia_worsening.reason.${r}`, p))
        .join(t('lists.sep')),
    });
  if (f.code === 'news2_high' && typeof sub === 'string') reason = t('lists.aside', { text: reason, aside: t(`flag.news2_high.reason.${sub}`, p) });
  let detail = t(`flag.${f.code}.detail`, p);
  if (f.code === 'meets_severe_criteria' && typeof f.evidence.criteria === 'string' && f.evidence.criteria) {
    detail = t('lists.label', {
      label: detail,
      value: f.evidence.criteria
        .split(',')
        .map((c) => t(`criterion.${c}`))
        .join(t('lists.sep')),
    });
  }
  return { reason, detail, since: f.since ? formatLocal(f.since, tz) : null };
}

interface FlagListProps {
  flags: readonly (FlagOut & { isNew?: boolean })[];
  t: T;
  tz: string;
  /** The list holds only new flags: no "new" mark on each. */
  newOnly?: boolean;
  /** Show this many, with a button for the rest. */
  limit?: number;
  /** A queue row: no "since", and nothing at all when there are no flags. */
  compact?: boolean;
}

/** Each flag as its reason in bold and its evidence (and since when) after it. */
export function FlagList({ flags, t, tz, newOnly, limit, compact = false }: FlagListProps) {
  const [all, setAll] = useState(false);
  if (flags.length === 0 && !compact)
    return (
      <Text size="sm" c="dimmed">
        {t('chart.no_flags')}
      </Text>
    );
  const shown = limit && !all ? flags.slice(0, limit) : flags;
  return (
    <ul style={{ margin: 0, paddingInlineStart: 18 }}>
      {shown.map((f) => {
        const x = flagText(f, t, tz);
        return (
          <li key={f.code} data-flag={f.code}>
            {f.isNew && !newOnly ? (
              <Badge size="xs" color="red" variant="filled" mr={4}>
                {t('rounds.flag_new')}
              </Badge>
            ) : null}
            <Text span size="sm" fw={600}>
              {x.reason}
            </Text>
            <Text span size="sm" c="dimmed">
              {' — '}
              {x.detail}
              {x.since && !compact ? ` · ${t('chart.since', { at: x.since })}` : ''}
            </Text>
          </li>
        );
      })}
      {limit && flags.length > limit ? (
        <li style={{ listStyle: 'none' }}>
          <Button variant="subtle" size="compact-xs" onClick={() => setAll(!all)}>
            {all ? t('chart.flags_fewer') : t('chart.flags_more', { n: flags.length - limit })}
          </Button>
        </li>
      ) : null}
    </ul>
  );
}
