import { useState } from 'react';
import { Alert, Badge, Button, Group, Modal, Paper, Select, SimpleGrid, Stack, Text, Textarea } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import type { SessionUser } from '../../../../shared/api/auth';
import type { FreeBed } from '../../../../shared/api/beds';
import type { Incoming } from '../../../../shared/api/transfers';
import { formatLocal } from '../../../../shared/domain/time';
import { AppError } from '../../../../shared/errors';
import { api } from '../../lib/api';
import { useApiQuery } from '../../lib/query';
import { useI18n } from '../../lib/i18n';
import { ClassBadge, News2Badge, TierBadge } from '../../components/clinical';
import { can } from '../../lib/can';

/** Free beds as a Select grouped by ward; the requested ward first. */
export function bedOptions(beds: readonly FreeBed[], t: (k: string, p?: Record<string, string | number>) => string, preferWardId: number | null = null) {
  const groups = new Map<number, { group: string; items: { value: string; label: string }[] }>();
  for (const b of beds) {
    const g = groups.get(b.wardId) ?? { group: b.wardName, items: [] };
    g.items.push({
      value: String(b.id),
      label: b.tags.length > 0 ? t('lists.aside', { text: b.label, aside: b.tags.map((x) => t(`bed.tag.${x}`)).join(t('lists.sep')) }) : b.label,
    });
    groups.set(b.wardId, g);
  }
  const all = [...groups.entries()];
  all.sort(([a], [b]) => (a === preferWardId ? -1 : b === preferWardId ? 1 : 0));
  return all.map(([, g]) => g);
}

/** Requests towards this facility, oldest first, with what the receiving ward needs to know. */
export function IncomingPanel({ facilityId, transfers, tz, user }: { facilityId: number; transfers: readonly Incoming[]; tz: string; user: SessionUser }) {
  const { t } = useI18n();
  const beds = useApiQuery('beds:freeBeds', { facilityId });
  if (transfers.length === 0) return <Alert color="gray">{t('beds.no_incoming')}</Alert>;
  return (
    <Stack gap="xs" data-testid="incoming">
      {transfers.map((x) => (
        <IncomingCard key={x.id} x={x} tz={tz} beds={beds.data ?? []} canAct={can(user, 'transfers:assignBed')} />
      ))}
    </Stack>
  );
}

function IncomingCard({ x, tz, beds, canAct }: { x: Incoming; tz: string; beds: readonly FreeBed[]; canAct: boolean }) {
  const { t, errorText } = useI18n();
  const [bedId, setBedId] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [cancelling, setCancelling] = useState(false);
  const run = async (fn: () => Promise<unknown>, done: string) => {
    setError(null);
    setBusy(true);
    try {
      await fn();
      setBedId(null);
      notifications.show({ color: 'teal', message: done });
    } catch (err) {
      setError(err instanceof AppError ? (err.details.issues?.[0] ? t(err.details.issues[0].key, err.details.issues[0].params) : errorText(err)) : String(err));
    } finally {
      setBusy(false);
    }
  };
  const p = x.patient;
  return (
    <Paper withBorder p="sm" data-testid={`incoming-${x.id}`} data-name={p.name}>
      <Group justify="space-between" align="flex-start" wrap="nowrap">
        <Stack gap={4} style={{ flex: 1 }}>
          <Group gap="sm">
            <Text fw={700} size="lg">
              {p.name}
            </Text>
            <Text c="dimmed">
              {t(`sex.${p.sex}`)} · {p.ageYears === null ? t('common.unknown') : t('patient.age_years', { n: p.ageYears })} · {t('patient.day_of_stay', { n: p.dayOfStay })}
            </Text>
            <Badge color={x.status === 'bed_assigned' ? 'indigo' : 'orange'} variant="light">
              {t(`transfer.status.${x.status}`)}
            </Badge>
          </Group>
          <Text size="sm">
            {t('transfer.from_to', {
              from: `${x.from.facility.name} ${x.from.ward.name}${x.from.bedLabel ? ` ${x.from.bedLabel}` : ''}`,
              to: `${x.to.facility.name}${x.to.ward ? ` ${x.to.ward.name}` : ''}${x.to.bed ? ` ${x.to.bed.name}` : ''}`,
            })}
          </Text>
          <Text size="sm" c="dimmed">
            {t('transfer.requested', { at: formatLocal(x.requestedAt, tz), by: x.requestedBy })}
            {x.reviewId ? ` · ${t('transfer.by_panel')}` : ''}
          </Text>
          <Text size="sm">
            <Text span fw={600}>
              {t('transfer.reason')}：
            </Text>
            {x.reason || '—'}
          </Text>
          <Group gap={6}>
            <ClassBadge cls={x.currentClass} proposed={x.proposedClass} t={t} />
            <TierBadge tier={x.tier} t={t} />
            <News2Badge total={x.news2Total} band={x.news2Band} t={t} />
            {x.onOxygen && <Badge color="cyan">{t('transfer.on_oxygen')}</Badge>}
          </Group>
          <SimpleGrid cols={2} spacing={4}>
            <Text size="xs">
              {t('lists.label', {
                label: t('panel.risk_factors'),
                value: p.riskFactors.length > 0 ? p.riskFactors.map((f) => t(`risk.${f}`)).join(t('lists.sep')) : t('panel.none'),
              })}
            </Text>
            <Text size="xs">
              {t('lists.label', { label: t('panel.flags'), value: x.flagCodes.length > 0 ? x.flagCodes.map((f) => t(`flag.${f}`)).join(t('lists.sep')) : t('panel.none') })}
            </Text>
            <Text size="xs" c={p.allergies ? 'red.8' : undefined}>
              {t('lists.label', { label: t('patient.allergies'), value: p.allergies ?? t('panel.none') })}
            </Text>
            <Text size="xs">{t('lists.label', { label: t('patient.chronic_medications'), value: p.chronicMedications ?? t('panel.none') })}</Text>
          </SimpleGrid>
        </Stack>
        {canAct && (
          <Stack gap={6} w={300} style={{ flexShrink: 0 }}>
            <Select
              label={x.status === 'bed_assigned' ? t('transfer.reassign_bed') : t('transfer.choose_bed')}
              placeholder={beds.length === 0 ? t('beds.no_free_bed') : t('transfer.choose_bed_ph')}
              searchable
              data={bedOptions(beds, t, x.to.ward?.id ?? null)}
              value={bedId}
              onChange={setBedId}
              nothingFoundMessage={t('beds.no_free_bed')}
              aria-label={t('transfer.choose_bed')}
            />
            <Button
              disabled={!bedId}
              loading={busy}
              variant={x.status === 'bed_assigned' ? 'light' : 'filled'}
              onClick={() => void run(() => api.transfers.assignBed({ transferId: x.id, bedId: Number(bedId) }), t('transfer.bed_assigned_done', { name: p.name }))}
            >
              {t('transfer.assign_bed')}
            </Button>
            {x.status === 'bed_assigned' && (
              <Button
                color="teal"
                loading={busy}
                onClick={() => void run(() => api.transfers.complete({ transferId: x.id }), t('transfer.completed_done', { name: p.name, bed: x.to.bed?.name ?? '' }))}
              >
                {t('transfer.complete', { bed: x.to.bed?.name ?? '' })}
              </Button>
            )}
            <Button variant="subtle" color="red" onClick={() => setCancelling(true)}>
              {t('transfer.cancel')}
            </Button>
            {error && (
              <Text size="sm" c="red" role="alert">
                {error}
              </Text>
            )}
          </Stack>
        )}
      </Group>
      {cancelling && (
        <CancelModal
          name={p.name}
          onClose={() => setCancelling(false)}
          onConfirm={async (reason) => {
            await api.transfers.cancel({ transferId: x.id, reason });
            setCancelling(false);
            notifications.show({ color: 'teal', message: t('transfer.cancelled_done', { name: p.name }) });
          }}
        />
      )}
    </Paper>
  );
}

export function CancelModal({ name, onClose, onConfirm }: { name: string; onClose: () => void; onConfirm: (reason: string) => Promise<void> }) {
  const { t, errorText } = useI18n();
  const [reason, setReason] = useState('');
  const [error, setError] = useState<string | null>(null);
  return (
    <Modal opened onClose={onClose} title={t('transfer.cancel_title', { name })}>
      <Stack>
        <Textarea
          label={t('transfer.cancel_reason')}
          required
          autosize
          minRows={2}
          value={reason}
          onChange={(e) => setReason(e.currentTarget.value)}
          error={error}
          data-autofocus
        />
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            {t('common.cancel')}
          </Button>
          <Button
            color="red"
            onClick={() => {
              if (reason.trim() === '') return setError(t('validation.required'));
              onConfirm(reason).catch((err: unknown) => setError(err instanceof AppError ? errorText(err) : String(err)));
            }}
          >
            {t('transfer.cancel_confirm')}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
