import { memo } from 'react';
import { Badge, Paper, Skeleton, UnstyledButton, VisuallyHidden } from '@mantine/core';
import type { QueueRow } from '../../../../shared/api/queue';
import { formatLocal } from '../../../../shared/domain/time';
import { useI18n } from '../../lib/i18n';
import { ClassBadge, DecisionBadge, flagText, News2Badge, News2Trend } from '../../components/clinical';
import './queue.css';

/** Line heights in rem (queue.css): a flag, a small line, a badge; the card's padding and border. */
const FLAG = 1.375;
const SMALL = 1.25;
const BADGE = 1.5;
const FRAME = 2 * 0.625 + 0.125;
/** The class and NEWS2 column: two badge lines and the 2 rem sparkline, 0.25 rem apart; the tallest of a card without flags. */
const MIDDLE = 2 * BADGE + 2 + 2 * 0.25;

/**
 * A queue card's height in rem, from its row: one line per flag (its reason and evidence, cut to the
 * line, whole in the drawer and the hover title), a line each for risk factors and the plan, beside
 * fixed columns. The queue's rows are sized from this, never measured.
 */
export function queueCardRem(r: QueueRow | undefined): number {
  if (!r) return FRAME + MIDDLE;
  const reasons = r.flags.length * FLAG + (r.riskFactors.length > 0 ? SMALL : 0) + (r.plan ? SMALL : 0);
  const review = (r.lastReview ? BADGE + SMALL : SMALL) + (r.openTransfer ? BADGE : 0) + (r.snoozed.length > 0 ? SMALL : 0);
  return FRAME + Math.max(MIDDLE, reasons, review);
}

interface QueueCardProps {
  row: QueueRow;
  rank: number;
  tz: string;
  onOpen: (episodeId: number) => void;
}

/**
 * One patient of the queue: who and where, class and NEWS2 with the trend, each flag with its
 * evidence, the plan, the last review. Every line has a fixed height (queue.css), so the card is as
 * tall as queueCardRem says; memo with stable props, so a new page of the queue leaves it alone.
 */
export const QueueCard = memo(function QueueCard({ row: r, rank, tz, onOpen }: QueueCardProps) {
  const { t } = useI18n();
  // The bed first: a long facility name is what the line's end cuts, never the bed.
  const place = `${r.bedLabel ?? t('panel.no_bed')} · ${r.ward.name} · ${r.facility.name}`;
  const risk = r.riskFactors.length > 0 ? t('lists.label', { label: t('panel.risk_factors'), value: r.riskFactors.map((f) => t(`risk.${f}`)).join(t('lists.sep')) }) : null;
  const plan = r.plan
    ? t('lists.label', {
        label: t('panel.plan_summary', { version: r.plan.version }),
        value:
          r.plan.itemKinds.length > 0
            ? t('lists.aside', { text: r.plan.goals ?? '—', aside: r.plan.itemKinds.map((k) => t(`panel.plan_item.${k}`)).join(t('lists.sep')) })
            : (r.plan.goals ?? '—'),
      })
    : null;
  const lastReview = r.lastReview ? t('panel.last_review', { at: formatLocal(r.lastReview.at, tz), by: r.lastReview.by }) : null;
  return (
    <Paper withBorder radius="sm" className="queue-card" data-testid={`queue-row-${r.episodeId}`} data-name={r.name}>
      <UnstyledButton onClick={() => onOpen(r.episodeId)} className="queue-open">
        <span className="queue-rank num">{rank}</span>
        <span className="queue-who">
          <span className="queue-name">
            <b>{r.name}</b> {t(`sex.${r.sex}`)} · {r.ageYears === null ? t('common.unknown') : t('patient.age_years', { n: r.ageYears })}
          </span>
          <span className="queue-line" title={place}>
            {place}
          </span>
          <span className="queue-small">
            {t('patient.day_of_stay', { n: r.dayOfStay })} · {t('panel.waiting_since', { at: formatLocal(r.waitingSince, tz) })}
          </span>
        </span>
        <span className="queue-state">
          <span className="queue-badges">
            <ClassBadge cls={r.currentClass} proposed={r.proposedClass} t={t} />
            {r.tier && (
              <Badge variant="light" color="indigo">
                {r.tier}
              </Badge>
            )}
          </span>
          <span className="queue-badges">
            <News2Badge total={r.news2Total} band={r.news2Band} complete={r.news2Complete} t={t} />
          </span>
          <News2Trend values={r.news2Trend} band={r.news2Band} t={t} />
        </span>
        <span className="queue-reasons">
          {r.flags.map((f) => {
            const x = flagText(f, t, tz);
            return (
              <span key={f.code} className="queue-flag" data-flag={f.code} title={`${x.reason} — ${x.detail}`}>
                <b>{x.reason}</b> <span className="queue-dim">— {x.detail}</span>
              </span>
            );
          })}
          {risk && (
            <span className="queue-small" title={risk}>
              {risk}
            </span>
          )}
          {plan && (
            <span className="queue-small" title={plan}>
              {plan}
            </span>
          )}
        </span>
        <span className="queue-review">
          {r.lastReview ? (
            <>
              <span className="queue-badges">
                <DecisionBadge decision={r.lastReview.decision} t={t} />
              </span>
              <span className="queue-small" title={lastReview ?? undefined}>
                {lastReview}
              </span>
            </>
          ) : (
            <span className="queue-small">{t('panel.never_reviewed')}</span>
          )}
          {r.openTransfer && (
            <span className="queue-badges">
              <Badge color="red" variant="outline" styles={{ label: { overflow: 'visible' } }}>
                {t(`transfer.status.${r.openTransfer.status}`)} → {r.openTransfer.to.facility.name}
              </Badge>
            </span>
          )}
          {r.snoozed.length > 0 && <span className="queue-small">{t('panel.snoozed_count', { n: r.snoozed.length })}</span>}
        </span>
        {/* Named by what it shows (axe: label-content-name-mismatch), with what a click does. */}
        <VisuallyHidden>{t('panel.open_review_hint')}</VisuallyHidden>
      </UnstyledButton>
    </Paper>
  );
});

/** Holds a row's place until its page of the queue arrives. */
export const PendingCard = memo(function PendingCard({ rank, first }: { rank: number; first: boolean }) {
  const { t } = useI18n();
  return (
    <Paper withBorder radius="sm" className="queue-card queue-open" aria-busy data-testid="queue-pending">
      <span className="queue-rank num">{rank}</span>
      <span className="queue-who">
        {first ? <span className="queue-line">{t('lists.queue_loading_row', { rank })}</span> : <Skeleton h={16} w="60%" />}
        <Skeleton h={12} w="80%" mt={8} />
        <Skeleton h={12} w="50%" mt={8} />
      </span>
    </Paper>
  );
});
