import { memo } from 'react';
import { Badge, Paper, Skeleton, UnstyledButton, VisuallyHidden } from '@mantine/core';
import type { QueueRow } from '../../../../shared/api/queue';
import type { FlagCode } from '../../../../shared/clinical/flags';
import { formatLocal } from '../../../../shared/domain/time';
import { useI18n } from '../../lib/i18n';
import { ClassBadge, flagText, News2Badge } from '../../components/clinical';
import './queue.css';

/**
 * A compact row's height in rem (queue.css .queue-compact): two lines of 1.25 rem, 0.25 rem of padding
 * above and below, the border. Every row has it, so a 768-px screen shows a dozen patients.
 */
export const COMPACT_REM = 2 * 1.25 + 2 * 0.25 + 0.125;

/** The reasons a compact row shows in full; the rest are counted ("+N more") and listed in the drawer. */
const SHOWN_FLAGS = 2;

/**
 * Which reasons a row shows first: what the queue itself ranks by (meets severe criteria, then NEWS2),
 * then the early-warning signs of DESIGN.md §4 as they point to a turn for the worse (oxygenation and
 * lactate before the laboratory trends), a worse class and a doctor's referral, an overdue review, and
 * last the standing risk factors, which are the same every day and are in the drawer.
 */
const FIRST_SHOWN: readonly FlagCode[] = [
  'meets_severe_criteria',
  'news2_high',
  'hypoxaemia_worsening',
  'lactate_rising',
  'class_worse_than_last_review',
  'doctor_referral',
  'antiviral_eligible',
  'imaging_progression',
  'lymphocytes_falling',
  'il6_rising',
  'ddimer_raised',
  'crp_rising',
  'ferritin_rising',
  'review_overdue',
  'risk_factors',
];
const rankOf = (code: FlagCode, lead: string | undefined) => (code === lead ? -1 : FIRST_SHOWN.indexOf(code));

interface CompactRowProps {
  row: QueueRow;
  rank: number;
  tz: string;
  onOpen: (episodeId: number) => void;
  /** The flag the queue is filtered by: shown first, since it is why the panel is looking at the patient. */
  lead?: string | undefined;
}

/**
 * One patient of the queue on two lines: bed and name, facility and ward, class, tier and NEWS2, the
 * top two reasons and how many more, since when the patient waits and the last decision. One click
 * (or Enter) opens the review drawer with the whole evidence. The button is named by what it shows,
 * plus a hidden "open the review", so its accessible name contains its visible text.
 */
export const QueueRowCompact = memo(function QueueRowCompact({ row: r, rank, tz, onOpen, lead }: CompactRowProps) {
  const { t } = useI18n();
  const flags = [...r.flags].sort((a, b) => rankOf(a.code, lead) - rankOf(b.code, lead));
  const shown = flags.slice(0, SHOWN_FLAGS);
  const more = flags.length - shown.length;
  const who = `${t(`sex.${r.sex}`)} · ${r.ageYears === null ? t('common.unknown') : t('patient.age_years', { n: r.ageYears })} · ${t('patient.day_of_stay', { n: r.dayOfStay })}`;
  const shownClass = r.currentClass ?? r.proposedClass;
  // The badges' whole text, for a narrow column that ends one in an ellipsis ("Asymptomatic infec…").
  const badges = `${shownClass ? t(`class.${shownClass}`) : t('chart.class_none')} · ${r.tier ?? t('panel.tier_none')}`;
  const status = r.openTransfer
    ? `${t(`transfer.status.${r.openTransfer.status}`)} → ${r.openTransfer.to.facility.name}`
    : r.lastReview
      ? t('panel.last_decision', { decision: t(`review.decision.${r.lastReview.decision}`) })
      : t('panel.never_reviewed');
  return (
    <Paper withBorder radius="sm" className="queue-card" data-testid={`queue-row-${r.episodeId}`} data-name={r.name} data-layout="compact">
      <UnstyledButton onClick={() => onOpen(r.episodeId)} className="queue-compact">
        <span className="queue-rank num">{rank}</span>
        <span className="queue-col">
          <span className="queue-c1" title={`${r.bedLabel ?? t('panel.no_bed')} ${r.name} · ${r.ward.name} · ${r.facility.name}`}>
            <span className="queue-bed">{r.bedLabel ?? t('panel.no_bed')}</span> <b>{r.name}</b>
          </span>
          <span className="queue-c2">{who}</span>
        </span>
        <span className="queue-col queue-place">
          <span className="queue-c1" title={r.facility.name}>
            {r.facility.name}
          </span>
          <span className="queue-c2">{r.ward.name}</span>
        </span>
        <span className="queue-col">
          <span className="queue-badges queue-badges-compact" title={badges}>
            <ClassBadge cls={r.currentClass} proposed={r.proposedClass} t={t} size="sm" />
            <Badge size="sm" variant={r.tier ? 'light' : 'outline'} color={r.tier ? 'indigo' : 'gray'}>
              {r.tier ?? t('panel.tier_none')}
            </Badge>
          </span>
          <span className="queue-badges queue-badges-compact">
            <News2Badge total={r.news2Total} band={r.news2Band} complete={r.news2Complete} t={t} size="sm" />
          </span>
        </span>
        <span className="queue-reasons-compact">
          <span className="queue-col">
            {shown.map((f) => {
              const x = flagText(f, t, tz);
              return (
                <span key={f.code} className="queue-c1 queue-flag-compact" data-flag={f.code} title={`${x.reason} — ${x.detail}`}>
                  <b>{x.reason}</b> <span className="queue-dim">— {x.detail}</span>
                </span>
              );
            })}
          </span>
          {more > 0 && (
            <Badge
              size="sm"
              tt="none"
              variant="outline"
              color="gray"
              className="queue-more"
              title={r.flags
                .slice(SHOWN_FLAGS)
                .map((f) => t(`flag.${f.code}`))
                .join(t('lists.sep'))}
            >
              {t('panel.more_flags', { n: more })}
            </Badge>
          )}
        </span>
        <span className="queue-col queue-when">
          <span className="queue-c1" title={t('panel.waiting_since', { at: formatLocal(r.waitingSince, tz) })}>
            {t('panel.waiting_compact', { at: formatLocal(r.waitingSince, tz) })}
          </span>
          <span
            className={r.openTransfer ? 'queue-c2 queue-transfer' : 'queue-c2'}
            title={r.lastReview && !r.openTransfer ? `${status} · ${formatLocal(r.lastReview.at, tz)} · ${r.lastReview.by}` : status}
          >
            {status}
          </span>
          {/* Inside the last column: an absolute box of its own would be placed in a grid column past the row's end. */}
          <VisuallyHidden>{t('panel.open_review_hint')}</VisuallyHidden>
        </span>
      </UnstyledButton>
    </Paper>
  );
});

/** Holds a compact row's place until its page of the queue arrives (and fills the list while the first page loads). */
export const PendingRowCompact = memo(function PendingRowCompact({ rank, first }: { rank: number; first: boolean }) {
  const { t } = useI18n();
  return (
    <Paper withBorder radius="sm" className="queue-card" aria-busy data-testid="queue-pending">
      <div className="queue-compact">
        <span className="queue-rank num">{rank}</span>
        <span className="queue-col queue-pending-line">
          {first ? <span className="queue-c1">{t('lists.queue_loading_row', { rank })}</span> : <Skeleton h={12} w="70%" mt={4} />}
          <Skeleton h={10} w="45%" mt={8} />
        </span>
        <span className="queue-col queue-pending-line">
          <Skeleton h={12} w="80%" mt={4} />
          <Skeleton h={10} w="55%" mt={8} />
        </span>
      </div>
    </Paper>
  );
});
