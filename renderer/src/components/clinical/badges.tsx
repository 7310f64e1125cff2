import { Badge, Tooltip, type MantineColor } from '@mantine/core';
import type { T } from '../../lib/i18n';

/** Class colours (DESIGN.md §10): asymptomatic grey, mild green, moderate yellow, severe orange, critical red — always with the name. */
export const CLASS_COLOR: Record<string, MantineColor> = { asymptomatic: 'gray', mild: 'green', moderate: 'yellow', severe: 'orange', critical: 'red' };
export const BAND_COLOR: Record<string, MantineColor> = { low: 'teal', low_medium: 'yellow', medium: 'orange', high: 'red' };

/** The confirmed class, or the rule's proposal (outlined, marked "proposed") when none is confirmed yet. */
export function ClassBadge({ cls, proposed, t, size = 'md' }: { cls: string | null; proposed?: string | null; t: T; size?: 'sm' | 'md' | 'lg' }) {
  const shown = cls ?? proposed ?? null;
  if (!shown) {
    return (
      <Badge size={size} variant="outline" color="gray">
        {t('chart.class_none')}
      </Badge>
    );
  }
  const badge = (
    <Badge size={size} tt="none" color={CLASS_COLOR[shown] ?? 'gray'} variant={cls ? 'filled' : 'outline'} data-class={shown} styles={{ label: { overflow: 'visible' } }}>
      {t(`class.${shown}`)}
      {cls ? '' : ` · ${t('chart.proposed_short')}`}
    </Badge>
  );
  return cls && proposed && proposed !== cls ? (
    <Tooltip label={t('chart.rule_proposes', { cls: t(`class.${proposed}`) })}>
      <span>{badge}</span>
    </Tooltip>
  ) : (
    badge
  );
}

/** A class as the reports count it ('unassessed' included): light, square, never shrunk in a table cell. */
export function ReportClassBadge({ cls, t }: { cls: string; t: T }) {
  return (
    <Badge color={CLASS_COLOR[cls] ?? 'gray'} variant={cls === 'unassessed' ? 'outline' : 'light'} radius="sm" style={{ flexShrink: 0, minWidth: 'max-content' }}>
      {t(`report.class.${cls}`)}
    </Badge>
  );
}

export function TierBadge({ tier, t, size = 'md' }: { tier: string | null; t: T; size?: 'sm' | 'md' | 'lg' }) {
  return (
    <Badge size={size} tt="none" variant={tier ? 'light' : 'outline'} color={tier ? 'indigo' : 'gray'} styles={{ label: { overflow: 'visible' } }}>
      {tier ? t(`tier.${tier}`) : t('chart.tier_none')}
    </Badge>
  );
}

/**
 * NEWS2 as a labelled, coloured badge. No score: "NEWS2 —". An incomplete score is a lower bound, so
 * it reads "NEWS2 ≥ n · incomplete" (coloured by the band it reaches so far), never as a plain band,
 * and says what is missing when `missing` is given (issue 13).
 */
export function News2Badge({
  total,
  band,
  complete,
  missing,
  t,
  size = 'md',
}: {
  total: number | null;
  band: string | null;
  complete?: boolean | null;
  missing?: readonly string[];
  t: T;
  size?: 'xs' | 'sm' | 'md' | 'lg' | 'xl';
}) {
  if (total === null || band === null) {
    return (
      <Badge size={size} variant="outline" color="gray">
        {t('chart.news2_none')}
      </Badge>
    );
  }
  const badge = (
    <Badge
      size={size}
      tt="none"
      color={BAND_COLOR[band] ?? 'gray'}
      variant={band === 'low' ? 'light' : 'filled'}
      data-band={band}
      data-complete={complete === false ? 'false' : undefined}
      styles={{ label: { overflow: 'visible' } }}
      title={complete === false ? t('news2.incomplete_badge', { total }) : `NEWS2 ${total} · ${t(`news2.band.${band}`)}`}
    >
      {complete === false ? t('news2.incomplete_badge', { total }) : `NEWS2 ${total} · ${t(`news2.band.${band}`)}`}
    </Badge>
  );
  return complete === false ? (
    <Tooltip
      label={
        missing && missing.length > 0
          ? t('news2.incomplete_missing', { missing: missing.map((m) => t(`news2.param.${m}`)).join(t('chart.list_sep')) })
          : t('chart.news2_incomplete')
      }
    >
      <span>{badge}</span>
    </Tooltip>
  ) : (
    badge
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

/** The expert panel's decision on a review. */
export function DecisionBadge({ decision, t }: { decision: string; t: T }) {
  return (
    <Badge color={DECISION_COLOR[decision] ?? 'gray'} variant="light" styles={{ label: { overflow: 'visible' } }}>
      {t(`review.decision.${decision}`)}
    </Badge>
  );
}

const RELEASE_STATUS_COLOR: Record<string, MantineColor> = { met: 'teal', not_met: 'red', unknown: 'gray' };

/** One release criterion: met, not met, or unknown. */
export function ReleaseStatusBadge({ status, t }: { status: string; t: T }) {
  return (
    <Badge color={RELEASE_STATUS_COLOR[status] ?? 'gray'} variant={status === 'met' ? 'filled' : 'light'} radius="sm" miw={72}>
      {t(`release.status.${status}`)}
    </Badge>
  );
}
