import { useState } from 'react';
import { Alert, Badge, Button, Group, Loader, Modal, Paper, Select, Stack, Text, Textarea, Title } from '@mantine/core';
import { IconArrowsTransferUp, IconUsersGroup } from '@tabler/icons-react';
import { ReferInputSchema } from '../../../../shared/api/queue';
import { TransferRequestInputSchema, type Transfer } from '../../../../shared/api/transfers';
import { DEFAULT_TIME_ZONE, formatLocal } from '../../../../shared/domain/time';
import { can } from '../../lib/can';
import { useApiMutation, useApiQuery } from '../../lib/query';
import { useI18n } from '../../lib/i18n';
import type { ChartContext } from '../../components/chart/extensions';
import { ErrorPanel } from '../../components/ErrorPanel';
import { ReviewLine } from './ReviewHistory';
import { cancelReasonText } from '../../components/clinical';

/** 提请专家组会诊: a doctor asks the panel to see the patient, with a note; the patient joins the queue. */
export function ReferToPanelAction({ episodeId, user }: ChartContext) {
  const { t } = useI18n();
  const [open, setOpen] = useState(false);
  const [note, setNote] = useState('');
  const s = useApiMutation('queue:refer', {
    schema: ReferInputSchema,
    success: () => t('panel.referred'),
    onDone: () => {
      setOpen(false);
      setNote('');
    },
  });
  if (!can(user, 'queue:refer')) return null;
  const submit = () => void s.submit({ episodeId, note });
  return (
    <>
      <Button variant="light" leftSection={<IconUsersGroup size={16} />} onClick={() => setOpen(true)}>
        {t('panel.refer')}
      </Button>
      <Modal opened={open} onClose={() => setOpen(false)} title={t('panel.refer_title')}>
        <Stack>
          {s.errors._form && <Alert color="red">{s.errors._form}</Alert>}
          <Textarea label={t('panel.refer_note')} required autosize minRows={3} value={note} onChange={(e) => setNote(e.currentTarget.value)} error={s.errors.note} data-autofocus />
          <Group justify="flex-end">
            <Button variant="default" onClick={() => setOpen(false)}>
              {t('common.cancel')}
            </Button>
            <Button loading={s.busy} onClick={submit}>
              {t('panel.refer_submit')}
            </Button>
          </Group>
        </Stack>
      </Modal>
    </>
  );
}

/** 申请转运: to another facility (the facility's ward may be chosen later) or another ward of this one. */
export function RequestTransferAction({ episodeId, user }: ChartContext) {
  const { t } = useI18n();
  const [open, setOpen] = useState(false);
  const facilities = useApiQuery('facilities:list', open ? {} : null);
  const [facilityId, setFacilityId] = useState<string | null>(null);
  const [wardId, setWardId] = useState<string | null>(null);
  const [reason, setReason] = useState('');
  const s = useApiMutation('transfers:request', {
    schema: TransferRequestInputSchema,
    success: () => t('transfer.requested_done'),
    onDone: () => {
      setOpen(false);
      setReason('');
    },
  });
  if (!can(user, 'transfers:request')) return null;
  const facility = facilities.data?.find((f) => String(f.id) === facilityId);
  const submit = () => void s.submit({ episodeId, toFacilityId: facilityId ? Number(facilityId) : 0, toWardId: wardId ? Number(wardId) : null, reason });
  return (
    <>
      <Button variant="light" leftSection={<IconArrowsTransferUp size={16} />} onClick={() => setOpen(true)}>
        {t('transfer.request')}
      </Button>
      <Modal opened={open} onClose={() => setOpen(false)} title={t('transfer.request_title')} size="lg">
        <Stack>
          {s.errors._form && <Alert color="red">{s.errors._form}</Alert>}
          <Select
            label={t('transfer.to_facility')}
            required
            data={(facilities.data ?? []).map((f) => ({ value: String(f.id), label: `${f.name} · ${t(`facility.kind.${f.kind}`)}` }))}
            value={facilityId}
            onChange={(v) => {
              setFacilityId(v);
              setWardId(null);
            }}
            error={s.errors.toFacilityId}
          />
          <Select
            label={t('transfer.to_ward')}
            description={t('transfer.to_ward_hint')}
            clearable
            searchable
            disabled={!facility}
            data={(facility?.wards ?? []).map((w) => ({ value: String(w.id), label: t('lists.aside', { text: w.name, aside: t('board.free_of', { free: w.free, beds: w.beds }) }) }))}
            value={wardId}
            onChange={setWardId}
            error={s.errors.toWardId}
          />
          <Textarea label={t('transfer.reason')} required autosize minRows={2} value={reason} onChange={(e) => setReason(e.currentTarget.value)} error={s.errors.reason} />
          <Group justify="flex-end">
            <Button variant="default" onClick={() => setOpen(false)}>
              {t('common.cancel')}
            </Button>
            <Button loading={s.busy} onClick={submit}>
              {t('transfer.request_submit')}
            </Button>
          </Group>
        </Stack>
      </Modal>
    </>
  );
}

/** 会诊与转运: the chart's section with the episode's reviews (amendments included) and transfer requests. */
export function ReviewsTransfersSection({ episodeId }: ChartContext) {
  const { t } = useI18n();
  const reviews = useApiQuery('reviews:list', { episodeId });
  const transfers = useApiQuery('transfers:forEpisode', { episodeId });
  const tz = DEFAULT_TIME_ZONE;
  return (
    <Stack gap="sm" data-testid="reviews-transfers">
      <Title order={5}>{t('review.history')}</Title>
      {reviews.error && <ErrorPanel error={reviews.error} onRetry={() => void reviews.refetch()} />}
      {!reviews.data && !reviews.error && <Loader size="sm" />}
      {reviews.data?.length === 0 && <Text size="sm" c="dimmed">{t('review.none')}</Text>}
      {reviews.data?.map((r) => (
        <Paper key={r.id} withBorder p="xs" style={r.superseded ? { opacity: 0.6 } : undefined}>
          <ReviewLine review={r} tz={tz} />
        </Paper>
      ))}
      <Title order={5}>{t('transfer.history')}</Title>
      {transfers.error && <ErrorPanel error={transfers.error} onRetry={() => void transfers.refetch()} />}
      {transfers.data?.length === 0 && <Text size="sm" c="dimmed">{t('transfer.none')}</Text>}
      {transfers.data?.map((x) => <TransferLine key={x.id} x={x} tz={tz} />)}
    </Stack>
  );
}

export function TransferLine({ x, tz }: { x: Transfer; tz: string }) {
  const { t } = useI18n();
  const end = x.completedAt ? t('transfer.completed_at', { at: formatLocal(x.completedAt, tz), by: x.completedBy ?? '' }) : x.cancelledAt ? t('transfer.cancelled_at', { at: formatLocal(x.cancelledAt, tz), reason: cancelReasonText(x.cancelReason, t) }) : null;
  return (
    <Paper withBorder p="xs">
      <Group gap="xs">
        <Badge variant="light" color={x.status === 'completed' ? 'teal' : x.status === 'cancelled' ? 'gray' : 'orange'}>
          {t(`transfer.status.${x.status}`)}
        </Badge>
        <Text size="sm">
          {t('transfer.from_to', {
            from: `${x.from.facility.name} ${x.from.ward.name}${x.from.bedLabel ? ` ${x.from.bedLabel}` : ''}`,
            to: `${x.to.facility.name}${x.to.ward ? ` ${x.to.ward.name}` : ''}${x.to.bed ? ` ${x.to.bed.name}` : ''}`,
          })}
        </Text>
      </Group>
      <Text size="xs" c="dimmed">
        {t('transfer.requested', { at: formatLocal(x.requestedAt, tz), by: x.requestedBy })} · {x.reason || '—'}
        {end ? ` · ${end}` : ''}
      </Text>
    </Paper>
  );
}
