import { useMemo, type ReactNode } from 'react';
import { Button, Group, Loader, Stack, Text, Title } from '@mantine/core';
import { IconArrowLeft, IconPrinter } from '@tabler/icons-react';
import type { SessionUser } from '../../../../shared/api/auth';
import type { QueueRow } from '../../../../shared/api/queue';
import type { DayReview } from '../../../../shared/api/reviews';
import { translate } from '../../../../shared/i18n';
import { DEFAULT_TIME_ZONE, formatLocal, localDate } from '../../../../shared/domain/time';
import { useApiQuery } from '../../lib/query';
import { useI18n, type T } from '../../lib/i18n';
import { printPage } from '../../lib/print';
import { ErrorPanel } from '../../components/ErrorPanel';
import '../../print.css';
import './meeting.css';

/** The meeting record is a Chinese document, whatever language the screen is in. */
const zh: T = (key, params) => translate('zh-CN', key, params);

const place = (facility: string, ward: string, bed: string | null) => `${facility} ${ward}${bed ? ` ${bed}` : ''}`;

/**
 * 专家组会诊记录: today's queue on A4 — the decisions taken today (in the order made) and the patients
 * still waiting, with their reasons; generated-at/by and signature lines. Printed with the page's
 * print stylesheet (window.print, or printToPDF in the app).
 */
export function MeetingSheet({ user, onClose }: { user: SessionUser; onClose: () => void }) {
  const { t } = useI18n();
  const queue = useApiQuery('queue:list', { limit: 2000 });
  const tz = queue.data?.timeZone ?? DEFAULT_TIME_ZONE;
  const date = useMemo(() => localDate(Date.now(), tz), [tz]);
  const reviews = useApiQuery('reviews:day', queue.data ? { date } : null);
  // When the sheet's data was read (refreshed with it), not when it was last drawn.
  const generatedAt = formatLocal(queue.dataUpdatedAt || Date.now(), tz);

  const toolbar = (
    <Group className="no-print" justify="space-between">
      <Button variant="default" leftSection={<IconArrowLeft size={16} />} onClick={onClose}>
        {t('panel.back_to_queue')}
      </Button>
      <Button leftSection={<IconPrinter size={16} />} onClick={() => void printPage()} disabled={!reviews.data}>
        {t('panel.print')}
      </Button>
    </Group>
  );
  if (queue.error) return <ErrorPanel error={queue.error} onRetry={() => void queue.refetch()} />;
  if (reviews.error) return <ErrorPanel error={reviews.error} onRetry={() => void reviews.refetch()} />;
  if (!queue.data || !reviews.data) return <Loader />;

  const reviewed = new Set(reviews.data.map((r) => r.episodeId));
  const pending = queue.data.rows.filter((r) => !reviewed.has(r.episodeId));
  return (
    <Stack gap="md">
      {toolbar}
      <Stack gap="sm" className="meeting-sheet" data-testid="meeting-sheet">
        <Stack gap={2} align="center">
          <Title order={2}>{zh('meeting.title')}</Title>
          <Text>{zh('meeting.date', { date })}</Text>
        </Stack>
        <Text size="sm">{zh('meeting.generated', { at: generatedAt, by: user.displayName, decided: reviews.data.length, pending: pending.length })}</Text>
        <Title order={3}>{zh('meeting.decided_title', { n: reviews.data.length })}</Title>
        {reviews.data.length === 0 ? <Text size="sm">{zh('meeting.none_decided')}</Text> : <DecidedTable rows={reviews.data} tz={tz} />}
        <Title order={3}>{zh('meeting.pending_title', { n: pending.length })}</Title>
        {pending.length === 0 ? <Text size="sm">{zh('meeting.none_pending')}</Text> : <PendingTable rows={pending} tz={tz} />}
        <div className="signatures">
          <Text>
            {zh('meeting.sign_lead')} <span />
          </Text>
          <Text>
            {zh('meeting.sign_recorder')} <span />
          </Text>
          <Text>
            {zh('meeting.sign_date')} <span />
          </Text>
        </div>
      </Stack>
    </Stack>
  );
}

/** A printed table: the number column, the given headers, then one numbered row per item. */
function SheetTable<R>({ head, rows, rowKey, cells }: { head: string[]; rows: readonly R[]; rowKey: (r: R) => number; cells: (r: R) => ReactNode }) {
  return (
    <table>
      <thead>
        <tr>
          {[zh('meeting.col.no'), ...head].map((h) => (
            <th key={h}>{h}</th>
          ))}
        </tr>
      </thead>
      <tbody>
        {rows.map((r, i) => (
          <tr key={rowKey(r)}>
            <td>{i + 1}</td>
            {cells(r)}
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** The sheet's column headers, by their `meeting.col.*` names. */
const columns = (...names: string[]) => names.map((n) => zh(`meeting.col.${n}`));
const patientCell = (name: string, sex: string, ageYears: number | null) => `${name}（${zh(`sex.${sex}`)}，${ageYears ?? '—'}）`;
const reasonsCell = (flags: readonly { code: string }[]) => flags.map((f) => zh(`flag.${f.code}`)).join('；');

function DecidedTable({ rows, tz }: { rows: readonly DayReview[]; tz: string }) {
  return (
    <SheetTable
      head={columns('time', 'patient', 'place', 'reasons', 'class', 'decision', 'note', 'expert')}
      rows={rows}
      rowKey={(r) => r.id}
      cells={(r) => (
        <>
          <td>{formatLocal(r.at, tz).slice(11)}</td>
          <td>{patientCell(r.patient.name, r.patient.sex, r.patient.ageYears)}</td>
          <td>{place(r.place.facilityName, r.place.wardName, r.place.bedLabel)}</td>
          <td>{reasonsCell(r.flags)}</td>
          <td>{r.classAtReview ? zh(`class.${r.classAtReview}`) : '—'}</td>
          <td>
            {zh(`review.decision.${r.decision}`)}
            {r.tierAfter && r.tierAfter !== r.tierBefore ? `（${r.tierBefore ?? '—'}→${r.tierAfter}）` : ''}
            {r.entryKind === 'amendment' ? `［${zh('review.amendment')}］` : ''}
          </td>
          <td>
            {r.note ?? ''}
            {r.nextReviewDue ? `${r.note ? '；' : ''}${zh('review.next_due_at', { at: formatLocal(r.nextReviewDue, tz) })}` : ''}
          </td>
          <td>{r.author}</td>
        </>
      )}
    />
  );
}

function PendingTable({ rows, tz }: { rows: readonly QueueRow[]; tz: string }) {
  return (
    <SheetTable
      head={[...columns('patient', 'place', 'reasons', 'class'), 'NEWS2', ...columns('days', 'last_review')]}
      rows={rows}
      rowKey={(r) => r.episodeId}
      cells={(r) => (
        <>
          <td>{patientCell(r.name, r.sex, r.ageYears)}</td>
          <td>{place(r.facility.name, r.ward.name, r.bedLabel)}</td>
          <td>{reasonsCell(r.flags)}</td>
          <td>{r.currentClass ? zh(`class.${r.currentClass}`) : r.proposedClass ? `${zh(`class.${r.proposedClass}`)}（${zh('panel.proposed_short')}）` : '—'}</td>
          <td>{r.news2Total === null ? '—' : `${r.news2Total}（${zh(`news2.band.${r.news2Band ?? 'low'}`)}）`}</td>
          <td>{r.dayOfStay}</td>
          <td>{r.lastReview ? `${formatLocal(r.lastReview.at, tz)} ${zh(`review.decision.${r.lastReview.decision}`)}` : zh('panel.never_reviewed')}</td>
        </>
      )}
    />
  );
}
