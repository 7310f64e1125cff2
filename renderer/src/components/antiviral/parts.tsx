import { useState } from 'react';
import { Badge, Button, Group, Stack, Text, type MantineColor } from '@mantine/core';
import type { AntiviralView, ClashOut, OptionProposalOut } from '../../../../shared/api/antiviral';
import { formatLocal } from '../../../../shared/domain/time';
import { MEDICINES } from '../../../../shared/clinical/medicines';
import type { Locale } from '../../../../shared/i18n';
import type { T } from '../../lib/i18n';

type Status = OptionProposalOut['status'];
type Severity = ClashOut['severity'];
type Criterion = OptionProposalOut['criteria'][number];

/** The option whose interactions the table holds: ritonavir-boosted nirmatrelvir. */
export const BOOSTED_OPTION = 'nirmatrelvir_ritonavir';

/** Most dangerous first: how every list of clashes is ordered. */
const SEVERITY_ORDER: Record<Severity, number> = { contraindicated: 0, adjust_or_hold: 1, monitor: 2 };
const SEVERITY_COLOR: Record<Severity, MantineColor> = { contraindicated: 'red', adjust_or_hold: 'orange', monitor: 'yellow' };
const STATUS_COLOR: Record<Status, MantineColor> = { eligible: 'green', not_eligible: 'gray', unknown: 'yellow' };

export const bySeverity = (clashes: readonly ClashOut[]): ClashOut[] => [...clashes].sort((a, b) => SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity]);

const byCode = new Map(MEDICINES.map((m) => [m.code, m]));

/** A medicine's name in the reader's language: the lexicon's, else as entered. */
export function medicineName(code: string | null, text: string, locale: Locale): string {
  const m = code ? byCode.get(code) : undefined;
  if (!m) return text;
  return locale === 'en' ? m.en : m.zh;
}

/** The evidence of a criterion as message parameters (booleans and nulls as words, instants in the hospital's zone). */
function evidenceParams(evidence: Record<string, string | number | boolean | null>, t: T, tz: string): Record<string, string | number> {
  return Object.fromEntries(
    Object.entries(evidence).map(([k, v]) => [
      k,
      v === null
        ? '—'
        : typeof v === 'boolean'
          ? t(v ? 'antiviral_ui.profile.yes' : 'antiviral_ui.profile.no')
          : k.endsWith('At') && typeof v === 'string'
            ? formatLocal(v, tz)
            : v,
    ]),
  );
}

/** What a criterion was judged on, in words: the onset's reason, the class, the risk factors by name, then the rule's detail. */
export function criterionDetail(c: Criterion, t: T, tz: string): string {
  const e = c.evidence;
  const parts: string[] = [];
  if (typeof e.reason === 'string') parts.push(t(`antiviral.reason.${e.reason}`));
  if (typeof e.clinicalClass === 'string') parts.push(t(`class.${e.clinicalClass}`));
  if (typeof e.riskFactors === 'string' && e.riskFactors !== '')
    parts.push(
      e.riskFactors
        .split(',')
        .map((f) => t(`risk.${f}`))
        .join(t('lists.sep')),
    );
  // The onset's day count means nothing without an onset date.
  if (!(c.code === 'onset_within_window' && e.daysSinceOnset === null)) parts.push(t(`antiviral.criterion.${c.code}.detail`, evidenceParams(e, t, tz)));
  return parts.join(' · ');
}

/** The dose line of a proposal or a decision, by its code (the protocol's whole line). */
export function doseText(dose: { code: string }, t: T): string {
  return t(`antiviral.dose.${dose.code}`);
}

/** The proposal's status as a labelled badge: eligible green, not eligible grey, unknown yellow. */
export function StatusBadge({ status, t, size = 'md' }: { status: Status; t: T; size?: 'xs' | 'sm' | 'md' | 'lg' }) {
  return (
    <Badge
      size={size}
      tt="none"
      color={STATUS_COLOR[status]}
      variant={status === 'eligible' ? 'filled' : 'light'}
      data-status={status}
      maw="100%"
      title={t(`antiviral.status.${status}`)}
    >
      {t(`antiviral.status.${status}`)}
    </Badge>
  );
}

/** A clash's severity: contraindicated red, adjust or hold orange, monitor yellow (filled, readable in both schemes: contrast.css). */
export function SeverityBadge({ severity, t, size = 'sm' }: { severity: Severity; t: T; size?: 'xs' | 'sm' | 'md' }) {
  return (
    <Badge size={size} tt="none" color={SEVERITY_COLOR[severity]} variant="filled" data-severity={severity} style={{ flexShrink: 0 }} title={t(`antiviral.severity.${severity}`)}>
      {t(`antiviral.severity.${severity}`)}
    </Badge>
  );
}

/** One clash on one line: the medicine, its severity and what to do, in the reader's language. */
export function ClashLine({ clash, t, locale }: { clash: ClashOut; t: T; locale: Locale }) {
  return (
    <Group gap={6} wrap="nowrap" align="flex-start" data-clash={clash.medicine} data-severity={clash.severity}>
      <SeverityBadge severity={clash.severity} t={t} size="sm" />
      <Text size="sm" style={{ minWidth: 0 }}>
        <Text span fw={600} size="sm">
          {medicineName(clash.medicine, clash.entered, locale)}
        </Text>
        {t('punct.colon')}
        {locale === 'en' ? clash.advice.en : clash.advice.zh}
      </Text>
    </Group>
  );
}

/**
 * Every clash, most dangerous first; with `limit`, the first ones and a "+N" that shows the rest
 * (nothing is dropped: the button says how many are folded).
 */
export function ClashList({ clashes, t, locale, limit }: { clashes: readonly ClashOut[]; t: T; locale: Locale; limit?: number }) {
  const [all, setAll] = useState(false);
  const sorted = bySeverity(clashes);
  const shown = limit === undefined || all ? sorted : sorted.slice(0, limit);
  const folded = sorted.length - shown.length;
  return (
    <Stack gap={4}>
      {shown.map((c) => (
        <ClashLine key={`${c.medicine}-${c.entered}`} clash={c} t={t} locale={locale} />
      ))}
      {(folded > 0 || (all && limit !== undefined && sorted.length > limit)) && (
        <Button
          variant="subtle"
          size="compact-sm"
          w="fit-content"
          onClick={() => setAll(!all)}
          aria-expanded={all}
          aria-label={all ? t('antiviral_ui.notice.less') : t('antiviral_ui.notice.more_label', { n: folded })}
          data-testid="clashes-more"
        >
          {all ? t('antiviral_ui.notice.less') : t('antiviral_ui.notice.more', { n: folded })}
        </Button>
      )}
    </Stack>
  );
}

/** The options the rules find eligible and no doctor has decided on yet (started or not). */
export function eligibleUndecided(view: {
  proposal: { options: readonly Pick<OptionProposalOut, 'option' | 'status'>[] };
  decisions: readonly Pick<AntiviralView['decisions'][number], 'option'>[];
}): OptionProposalOut['option'][] {
  return view.proposal.options.filter((o) => o.status === 'eligible' && !view.decisions.some((d) => d.option === o.option)).map((o) => o.option);
}
