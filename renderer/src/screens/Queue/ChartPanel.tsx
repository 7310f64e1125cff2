import { useState, type ReactNode } from 'react';
import { Alert, Badge, Button, Group, Loader, Modal, Paper, Select, Stack, Text, Textarea, Title } from '@mantine/core';
import { IconArrowsTransferUp, IconUsersGroup } from '@tabler/icons-react';
import { ReferInputSchema } from '../../../../shared/api/queue';
import { TransferRequestInputSchema, type Transfer } from '../../../../shared/api/transfers';
import { DEFAULT_TIME_ZONE, formatLocal } from '../../../../shared/domain/time';
import { can } from '../../lib/can';
import { useApiForm } from '../../lib/apiForm';
import { useApiQuery } from '../../lib/query';
import { useI18n } from '../../lib/i18n';
import type { ChartContext } from '../../components/chart/extensions';
import { ErrorPanel } from '../../components/ErrorPanel';
import { ReviewLine } from './ReviewHistory';
import { cancelReasonText, transferRoute } from '../../components/clinical';

/** A chart action: its button, and a modal with the form's refusal, its fields, cancel and submit. */
function ActionModal({
  icon,
  label,
  title,
  size,
  open,
  setOpen,
  form,
  submitLabel,
  children,
}: {
  icon: ReactNode;
  label: string;
  title: string;
  size?: string;
  open: boolean;
  setOpen: (open: boolean) => void;
  form: { formError: string | null; busy: boolean; save: () => Promise<unknown> };
  submitLabel: string;
  children: ReactNode;
}) {
  const { t } = useI18n();
  return (
    <>
      <Button variant="light" leftSection={icon} onClick={() => setOpen(true)}>
        {label}
      </Button>
      <Modal opened={open} onClose={() => setOpen(false)} title={title} size={size}>
        <Stack>
          {form.formError && <Alert color="red">{form.formError}</Alert>}
          {children}
          <Group justify="flex-end">
            <Button variant="default" onClick={() => setOpen(false)}>
              {t('common.cancel')}
            </Button>
            <Button loading={form.busy} onClick={() => void form.save()}>
              {submitLabel}
            </Button>
          </Group>
        </Stack>
      </Modal>
    </>
  );
}

/** 提请专家组会诊: a doctor asks the panel to see the patient, with a note; the patient joins the queue. */
export function ReferToPanelAction({ episodeId, user }: ChartContext) {
  const { t } = useI18n();
  const [open, setOpen] = useState(false);
  const s = useApiForm('queue:refer', {
    initialValues: { note: '' },
    toInput: (v) => ({ episodeId, note: v.note }),
    schema: ReferInputSchema,
    success: () => t('panel.referred'),
    onDone: () => {
      setOpen(false);
      s.form.reset();
    },
  });
  if (!can(user, 'queue:refer')) return null;
  return (
    <ActionModal
      icon={<IconUsersGroup size={16} />}
      label={t('panel.refer')}
      title={t('panel.refer_title')}
      open={open}
      setOpen={setOpen}
      form={s}
      submitLabel={t('panel.refer_submit')}
    >
      <Textarea label={t('panel.refer_note')} required autosize minRows={3} {...s.form.getInputProps('note')} data-autofocus />
    </ActionModal>
  );
}

/** 申请转运: to another facility (the facility's ward may be chosen later) or another ward of this one. */
export function RequestTransferAction({ episodeId, user }: ChartContext) {
  const { t } = useI18n();
  const [open, setOpen] = useState(false);
  const facilities = useApiQuery('facilities:list', open ? {} : null);
  const s = useApiForm('transfers:request', {
    initialValues: { toFacilityId: null as string | null, toWardId: null as string | null, reason: '' },
    toInput: (v) => ({ episodeId, toFacilityId: v.toFacilityId ? Number(v.toFacilityId) : 0, toWardId: v.toWardId ? Number(v.toWardId) : null, reason: v.reason }),
    schema: TransferRequestInputSchema,
    success: () => t('transfer.requested_done'),
    onDone: () => {
      setOpen(false);
      s.form.setFieldValue('reason', '');
    },
  });
  if (!can(user, 'transfers:request')) return null;
  const facility = facilities.data?.find((f) => String(f.id) === s.form.values.toFacilityId);
  return (
    <ActionModal
      icon={<IconArrowsTransferUp size={16} />}
      label={t('transfer.request')}
      title={t('transfer.request_title')}
      size="lg"
      open={open}
      setOpen={setOpen}
      form={s}
      submitLabel={t('transfer.request_submit')}
    >
      <Select
        label={t('transfer.to_facility')}
        required
        data={(facilities.data ?? []).map((f) => ({ value: String(f.id), label: `${f.name} · ${t(`facility.kind.${f.kind}`)}` }))}
        {...s.form.getInputProps('toFacilityId')}
        onChange={(v) => {
          s.form.setFieldValue('toFacilityId', v);
          s.form.setFieldValue('toWardId', null);
        }}
      />
      <Select
        label={t('transfer.to_ward')}
        description={t('transfer.to_ward_hint')}
        clearable
        searchable
        disabled={!facility}
        data={(facility?.wards ?? []).map((w) => ({
          value: String(w.id),
          label: t('lists.aside', { text: w.name, aside: t('board.free_of', { free: w.free, beds: w.beds }) }),
        }))}
        {...s.form.getInputProps('toWardId')}
      />
      <Textarea label={t('transfer.reason')} required autosize minRows={2} {...s.form.getInputProps('reason')} />
    </ActionModal>
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
      {reviews.data?.length === 0 && (
        <Text size="sm" c="dimmed">
          {t('review.none')}
        </Text>
      )}
      {reviews.data?.map((r) => (
        <Paper key={r.id} withBorder p="xs" style={r.superseded ? { opacity: 0.6 } : undefined}>
          <ReviewLine review={r} tz={tz} />
        </Paper>
      ))}
      <Title order={5}>{t('transfer.history')}</Title>
      {transfers.error && <ErrorPanel error={transfers.error} onRetry={() => void transfers.refetch()} />}
      {transfers.data?.length === 0 && (
        <Text size="sm" c="dimmed">
          {t('transfer.none')}
        </Text>
      )}
      {transfers.data?.map((x) => (
        <TransferLine key={x.id} x={x} tz={tz} />
      ))}
    </Stack>
  );
}

export function TransferLine({ x, tz }: { x: Transfer; tz: string }) {
  const { t } = useI18n();
  const end = x.completedAt
    ? t('transfer.completed_at', { at: formatLocal(x.completedAt, tz), by: x.completedBy ?? '' })
    : x.cancelledAt
      ? t('transfer.cancelled_at', { at: formatLocal(x.cancelledAt, tz), reason: cancelReasonText(x.cancelReason, t) })
      : null;
  return (
    <Paper withBorder p="xs">
      <Group gap="xs">
        <Badge variant="light" color={x.status === 'completed' ? 'teal' : x.status === 'cancelled' ? 'gray' : 'orange'}>
          {t(`transfer.status.${x.status}`)}
        </Badge>
        <Text size="sm">{transferRoute(x, t)}</Text>
      </Group>
      <Text size="xs" c="dimmed">
        {t('transfer.requested', { at: formatLocal(x.requestedAt, tz), by: x.requestedBy })} · {x.reason || '—'}
        {end ? ` · ${end}` : ''}
      </Text>
    </Paper>
  );
}
