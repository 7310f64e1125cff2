import { useId } from 'react';
import { Badge, Group, Text, type MantineColor } from '@mantine/core';
import type { Flag } from '../../../../shared/api/reviews';
import { formatLocal } from '../../../../shared/domain/time';
import type { T } from '../../lib/i18n';

// The clinical badges are the chart's: one look for a class, a tier and a NEWS2 band on every screen.
export { BAND_COLOR, CLASS_COLOR, ClassBadge, News2Badge, TierBadge } from '../Chart/parts';
import { BAND_COLOR } from '../Chart/parts';

/** NEWS2 of the last rounds, oldest first; the last value labelled, the line coloured by its band. */
export function News2Trend({ values, band, width = 96, t }: { values: readonly number[]; band: string | null; width?: number; t: T }) {
  if (values.length < 2) return <Text size="xs" c="dimmed" w={width}>{t('panel.trend_too_short')}</Text>;
  return (
    <Group gap={6} wrap="nowrap" aria-label={t('panel.trend_label', { values: values.join(', ') })} title={t('panel.trend_label', { values: values.join(', ') })}>
      <TrendLine values={values} width={width} height={32} color={`var(--mantine-color-${BAND_COLOR[band ?? 'low'] ?? 'teal'}-filled)`} />
      <Text size="xs" c="dimmed" className="num" style={{ whiteSpace: 'nowrap' }}>
        {values[0]}→{values[values.length - 1]}
      </Text>
    </Group>
  );
}

/** The top of the y axis: the maximum rounded up to a step of 1, 2, 2.5 or 5 × 10^k (as a chart's axis would). */
function niceMax(max: number): number {
  if (max <= 0) return 1;
  const raw = max / 4;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = ([1, 2, 2.5, 5, 10].find((m) => m * mag >= raw) ?? 10) * mag;
  return Math.ceil(max / step) * step;
}

/**
 * A sparkline drawn as one SVG path: the look of Mantine's Sparkline (area fading down from the line,
 * y from 0) without a chart library per row — a queue row mounts on every scroll step, and a
 * recharts chart costs tens of milliseconds to mount.
 */
function TrendLine({ values, width, height, color }: { values: readonly number[]; width: number; height: number; color: string }) {
  const id = useId();
  const pad = 5;
  const top = niceMax(Math.max(...values));
  const pts = values.map((v, i) => [pad + (i * (width - 2 * pad)) / Math.max(1, values.length - 1), height - pad - (v / top) * (height - 2 * pad)] as const);
  const line = pts.map(([x, y], i) => `${i ? 'L' : 'M'}${x.toFixed(1)},${y.toFixed(1)}`).join('');
  const area = `${line}L${pts.at(-1)![0].toFixed(1)},${height - pad}L${pad},${height - pad}Z`;
  return (
    <svg width={width} height={height} aria-hidden style={{ flexShrink: 0 }}>
      <defs>
        <linearGradient id={id} x1="0" y1="0" x2="0" y2="1">
          <stop offset="0%" stopColor={color} stopOpacity={0.35} />
          <stop offset="100%" stopColor={color} stopOpacity={0.01} />
        </linearGradient>
      </defs>
      <path d={area} fill={`url(#${id})`} stroke="none" />
      <path d={line} fill="none" stroke={color} strokeWidth={2} strokeLinejoin="round" strokeLinecap="round" />
    </svg>
  );
}

const DATE_KEYS = new Set(['dueAt', 'referredAt', 'latestAt', 'at']);
const CLASS_KEYS = new Set(['proposed', 'confirmedClass', 'lastReviewClass', 'currentClass']);

/** The evidence of a flag as the placeholders of its translated detail: codes translated, instants in the hospital's time. */
function params(f: Flag, t: T, tz: string): Record<string, string | number> {
  const out: Record<string, string | number> = {};
  for (const [k, v] of Object.entries(f.evidence)) {
    if (v === null) out[k] = CLASS_KEYS.has(k) ? t('panel.unconfirmed') : '—';
    else if (typeof v === 'string' && DATE_KEYS.has(k)) out[k] = formatLocal(v, tz);
    else if (typeof v === 'string' && CLASS_KEYS.has(k)) out[k] = t(`class.${v}`);
    else if (k === 'band' && typeof v === 'string') out[k] = t(`news2.band.${v}`);
    else if (k === 'factors' && typeof v === 'string') out[k] = v.split(',').map((x) => t(`risk.${x}`)).join(t('lists.sep'));
    else out[k] = typeof v === 'boolean' ? String(v) : v;
  }
  return out;
}

/** The flag's reason (its name, plus which sub-rule fired) and its evidence line. */
export function flagText(f: Flag, t: T, tz: string): { reason: string; detail: string; since: string | null } {
  const p = params(f, t, tz);
  let reason = t(`flag.${f.code}`);
  const sub = f.evidence.reasons ?? f.evidence.reason;
  if (f.code === 'hypoxaemia_worsening' && typeof sub === 'string') reason = t('lists.aside', { text: reason, aside: sub.split(',').map((r) => t(`flag.hypoxaemia_worsening.reason.${r}`, p)).join(t('lists.sep')) });
  if (f.code === 'news2_high' && typeof sub === 'string') reason = t('lists.aside', { text: reason, aside: t(`flag.news2_high.reason.${sub}`, p) });
  let detail = t(`flag.${f.code}.detail`, p);
  if (f.code === 'meets_severe_criteria' && typeof f.evidence.criteria === 'string' && f.evidence.criteria) {
    detail = t('lists.label', { label: detail, value: f.evidence.criteria.split(',').map((c) => t(`criterion.${c}`)).join(t('lists.sep')) });
  }
  return { reason, detail, since: f.since ? formatLocal(f.since, tz) : null };
}

export function FlagList({ flags, t, tz, compact = false }: { flags: readonly Flag[]; t: T; tz: string; compact?: boolean }) {
  return (
    <ul style={{ margin: 0, paddingInlineStart: 18 }}>
      {flags.map((f) => {
        const x = flagText(f, t, tz);
        return (
          <li key={f.code} data-flag={f.code}>
            <Text span size="sm" fw={600}>
              {x.reason}
            </Text>
            <Text span size="sm" c="dimmed">
              {' — '}
              {x.detail}
              {x.since && !compact ? ` · ${t('panel.since', { at: x.since })}` : ''}
            </Text>
          </li>
        );
      })}
    </ul>
  );
}

export const DECISION_COLOR: Record<string, MantineColor> = {
  continue: 'gray',
  escalate_tier: 'orange',
  transfer_designated: 'red',
  transfer_icu: 'red',
  step_down: 'teal',
  ready_for_discharge: 'green',
};

export function DecisionBadge({ decision, t }: { decision: string; t: T }) {
  return (
    <Badge color={DECISION_COLOR[decision] ?? 'gray'} variant="light" styles={{ label: { overflow: 'visible' } }}>
      {t(`review.decision.${decision}`)}
    </Badge>
  );
}

/** A system reason key ('discharged', …) is translated; a person's reason is shown as typed. */
export function cancelReasonText(reason: string | null, t: T): string {
  if (!reason) return '—';
  const key = `transfer.cancel_reason.${reason}`;
  const text = t(key);
  return text === key ? reason : text;
}
