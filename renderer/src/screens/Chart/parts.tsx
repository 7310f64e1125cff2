import { useState } from 'react';
import { Badge, Button, Text, Tooltip, type MantineColor } from '@mantine/core';
import type { FlagOut } from '../../../../shared/api/snapshot';
import { formatLocal } from '../../../../shared/domain/time';
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

export function TierBadge({ tier, t, size = 'md' }: { tier: string | null; t: T; size?: 'sm' | 'md' | 'lg' }) {
  return (
    <Badge size={size} tt="none" variant={tier ? 'light' : 'outline'} color={tier ? 'indigo' : 'gray'} styles={{ label: { overflow: 'visible' } }}>
      {tier ? t(`tier.${tier}`) : t('chart.tier_none')}
    </Badge>
  );
}

/** NEWS2 total with its band in words; an incomplete score is marked and says so on hover. */
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
    >
      {complete === false ? t('news2.incomplete_badge', { total }) : `NEWS2 ${total} · ${t(`news2.band.${band}`)}`}
    </Badge>
  );
  return complete === false ? (
    <Tooltip label={missing && missing.length > 0 ? t('news2.incomplete_missing', { missing: missing.map((m) => t(`news2.param.${m}`)).join(t('chart.list_sep')) }) : t('chart.news2_incomplete')}>
      <span>{badge}</span>
    </Tooltip>
  ) : (
    badge
  );
}

const DATE_KEYS = new Set(['dueAt', 'referredAt', 'latestAt', 'at']);
const CLASS_KEYS = new Set(['proposed', 'confirmedClass', 'lastReviewClass', 'currentClass']);

/** A flag's translated reason and evidence (clinical.zh-CN flag.* keys), codes translated, instants local. */
export function flagText(f: FlagOut, t: T, tz: string): { reason: string; detail: string; since: string | null } {
  const p: Record<string, string | number> = {};
  for (const [k, v] of Object.entries(f.evidence)) {
    if (v === null) p[k] = CLASS_KEYS.has(k) ? t('chart.unconfirmed') : '—';
    else if (typeof v === 'string' && DATE_KEYS.has(k)) p[k] = formatLocal(v, tz);
    else if (typeof v === 'string' && CLASS_KEYS.has(k)) p[k] = t(`class.${v}`);
    else if (k === 'band' && typeof v === 'string') p[k] = t(`news2.band.${v}`);
    else if (k === 'factors' && typeof v === 'string') p[k] = v.split(',').map((x) => t(`risk.${x}`)).join(t('chart.list_sep'));
    else p[k] = typeof v === 'boolean' ? String(v) : v;
  }
  let reason = t(`flag.${f.code}`);
  const sub = f.evidence.reasons ?? f.evidence.reason;
  if (f.code === 'hypoxaemia_worsening' && typeof sub === 'string') reason += t('chart.paren', { text: sub.split(',').map((r) => t(`flag.hypoxaemia_worsening.reason.${r}`, p)).join(t('chart.list_sep')) });
  if (f.code === 'news2_high' && typeof sub === 'string') reason += t('chart.paren', { text: t(`flag.news2_high.reason.${sub}`, p) });
  let detail = t(`flag.${f.code}.detail`, p);
  if (f.code === 'meets_severe_criteria' && typeof f.evidence.criteria === 'string' && f.evidence.criteria) {
    detail = t('chart.kv', { label: detail, value: f.evidence.criteria.split(',').map((c) => t(`criterion.${c}`)).join(t('chart.list_sep')) });
  }
  return { reason, detail, since: f.since ? formatLocal(f.since, tz) : null };
}

export function FlagList({ flags, t, tz, newOnly, limit }: { flags: readonly (FlagOut & { isNew?: boolean })[]; t: T; tz: string; newOnly?: boolean; limit?: number }) {
  const [all, setAll] = useState(false);
  if (flags.length === 0) return <Text size="sm" c="dimmed">{t('chart.no_flags')}</Text>;
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
              {x.since ? ` · ${t('chart.since', { at: x.since })}` : ''}
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

/** A number with its unit, or a dash; `digits` fixes decimals (temperature 36.8). */
export function fmt(v: number | null | undefined, digits?: number): string {
  if (v === null || v === undefined) return '—';
  return digits === undefined ? String(v) : v.toFixed(digits);
}

/**
 * Groups the versions of signed records for display: each head (the version in force, or a
 * withdrawn original) with the older versions it replaced and, when withdrawn, the marker saying why.
 */
export function versionGroups<R extends { id: number; status: string; supersedesId: number | null }>(rows: readonly R[]): { head: R; older: R[]; withdrawal: R | null }[] {
  const byId = new Map(rows.map((r) => [r.id, r]));
  const replacedBy = new Map<number, R>();
  for (const r of rows) if (r.supersedesId !== null) replacedBy.set(r.supersedesId, r);
  const out: { head: R; older: R[]; withdrawal: R | null }[] = [];
  for (const r of rows) {
    if (r.status === 'superseded' || r.status === 'error_marker') continue;
    const older: R[] = [];
    for (let prev = r.supersedesId !== null ? byId.get(r.supersedesId) : undefined; prev; prev = prev.supersedesId !== null ? byId.get(prev.supersedesId) : undefined) older.push(prev);
    out.push({ head: r, older, withdrawal: r.status === 'withdrawn' ? (replacedBy.get(r.id) ?? null) : null });
  }
  return out;
}
