import { memo } from 'react';
import { Badge, Button, Card, UnstyledButton } from '@mantine/core';
import { IconAlertTriangle, IconClockExclamation } from '@tabler/icons-react';
import type { Bed } from '../../../../shared/api/facilities';
import { formatLocal } from '../../../../shared/domain/time';
import { useI18n } from '../../lib/i18n';
import { BED_STATE_COLOR } from '../../theme';
import { CLASS_COLOR, ClassBadge, News2Badge } from '../../components/clinical';
import './board.css';

/** The flags a bed card names: risk factors are the patient's, not news, and are left to the chart. */
const shownFlags = (o: NonNullable<Bed['occupant']>) => o.flags.filter((f) => f !== 'risk_factors');

/**
 * A bed card's height in rem (board.css sizes each line of it): the same for every bed, plus a line
 * for an unanswered escalation and one for flags. The board's rows are sized from this, never measured.
 */
export function bedCardRem(bed: Bed): number {
  const o = bed.occupant;
  if (!o) return BASE_REM;
  return BASE_REM + (o.escalation ? ESCALATION_REM : 0) + (shownFlags(o).length > 0 ? FLAGS_REM : 0);
}
/** Padding and border, the bed's line, the name, sex · age · day, the class and the NEWS2 lines (board.css). */
const BASE_REM = 1.5 + 0.125 + 1.625 + 1.5 + 1.375 + 2 * 1.5;
const ESCALATION_REM = 1.75;
const FLAGS_REM = 1.375;

interface BedCardProps {
  bed: Bed;
  /** Offered on a free bed when the role may admit; called with the bed's id. */
  onAdmit: ((bedId: number) => void) | undefined;
  onOpen?: (episodeId: number) => void;
  timeZone?: string;
}

/**
 * One bed of the ward board. An occupied bed shows who is in it and how ill: class (colour and
 * name), NEWS2 with its band, tier, flags, an overdue-observation marker and an unanswered escalation;
 * clicking opens the chart. Each line has a fixed height (board.css), so the card is as tall as
 * bedCardRem says; it renders again only when its bed does (memo: the board passes stable callbacks).
 * The hints are titles, not Mantine tooltips: a tooltip's floating layer per card cost more to mount
 * than the rest of the card, and a scroll mounts a row of cards per frame.
 */
export const BedCard = memo(function BedCard({ bed, onAdmit, onOpen, timeZone }: BedCardProps) {
  const { t } = useI18n();
  const o = bed.occupant;
  const cls = o ? (o.currentClass ?? o.proposedClass) : null;
  const edge = cls ? `var(--mantine-color-${CLASS_COLOR[cls] ?? 'gray'}-6)` : `var(--mantine-color-${BED_STATE_COLOR[bed.state]}-6)`;
  const flags = o ? shownFlags(o) : [];
  const body = (
    <>
      <div className="bed-head">
        <span className="bed-label">{bed.label}</span>
        {o ? (
          // The badges never shrink: a tier or an overdue marker cut to "T·" or "OVER…" says nothing.
          <span className="bed-marks">
            {o.overdue && (
              <Badge
                size="sm"
                color="red"
                variant="light"
                px={6}
                leftSection={<IconClockExclamation size={12} />}
                styles={{ label: { overflow: 'visible' } }}
                title={t('board.obs_overdue')}
                data-testid="overdue"
              >
                {t('board.overdue_short')}
              </Badge>
            )}
            {o.tier && (
              <Badge size="sm" variant="outline" color="indigo" px={6} styles={{ label: { overflow: 'visible' } }}>
                {o.tier}
              </Badge>
            )}
          </span>
        ) : (
          <Badge size="sm" variant="light" color={BED_STATE_COLOR[bed.state]}>
            {t(`bed.state.${bed.state}`)}
          </Badge>
        )}
      </div>
      {o ? (
        <>
          <div className="bed-name">{o.name}</div>
          <div className="bed-line">
            {t(`sex.${o.sex}`)} · {o.ageYears === null ? t('common.unknown') : t('patient.age_years', { n: o.ageYears })} · {t('patient.day_of_stay', { n: o.dayOfStay })}
          </div>
          <div className="bed-badge">
            <ClassBadge cls={o.currentClass} proposed={o.proposedClass} t={t} size="sm" />
          </div>
          <div className="bed-badge">
            <News2Badge total={o.news2Total} band={o.news2Band} complete={o.news2Complete} t={t} size="sm" />
          </div>
          {o.escalation && (
            // A score that called for a clinical response nobody has answered: stays until someone does (issue 13).
            <div className="bed-escalation">
              <Badge
                size="md"
                color={o.escalation.level === 'emergency' ? 'red' : 'orange'}
                variant="filled"
                leftSection={<IconAlertTriangle size={14} />}
                tt="none"
                title={`${t(`escalation.pending.${o.escalation.level}`, { total: o.escalation.news2Total })} — ${t('escalation.pending_hint', { at: formatLocal(o.escalation.measuredAt, timeZone) })}`}
                data-testid="bed-escalation"
                data-level={o.escalation.level}
              >
                {t(`escalation.pending.${o.escalation.level}`, { total: o.escalation.news2Total })}
              </Badge>
            </div>
          )}
          {flags.length > 0 && (
            <div className="bed-flags" data-testid="bed-flags" title={flags.map((f) => t(`flag.${f}`)).join(t('chart.list_sep'))}>
              <IconAlertTriangle size={14} color="var(--mantine-color-red-7)" aria-hidden style={{ flexShrink: 0 }} />
              <span>{t('board.flags', { n: flags.length, first: t(`flag.${flags[0]}`) })}</span>
            </div>
          )}
        </>
      ) : (
        <div className="bed-free">
          <span className="bed-tags">{bed.tags.map((tag) => t(`bed.tag.${tag}`)).join(' · ') || '—'}</span>
          {bed.state === 'free' && onAdmit && (
            <Button size="compact-sm" variant="light" onClick={() => onAdmit(bed.id)} aria-label={t('board.admit_to', { bed: bed.label })}>
              {t('board.admit_short')}
            </Button>
          )}
        </div>
      )}
    </>
  );
  return (
    <Card
      withBorder
      padding="sm"
      radius="md"
      className="bed-card"
      data-testid={`bed-${bed.label}`}
      data-state={bed.state}
      data-class={cls ?? undefined}
      style={{ borderLeft: `5px solid ${edge}` }}
    >
      {body}
      {/* The whole card opens the chart: a button laid over it, named by what it does. Over the card, not
          around its text, so its name need not repeat every word on the card (WCAG 2.5.3, axe's label-in-name). */}
      {o && onOpen && <UnstyledButton onClick={() => onOpen(o.episodeId)} aria-label={t('board.open_chart', { name: o.name, bed: bed.label })} className="bed-open" />}
    </Card>
  );
});
