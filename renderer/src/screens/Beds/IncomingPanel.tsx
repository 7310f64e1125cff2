import { useState } from 'react';
import { Alert, Badge, Button, Group, Modal, Paper, Select, SimpleGrid, Stack, Text, Textarea } from '@mantine/core';
import type { SessionUser } from '../../../../shared/api/auth';
import type { FreeBed } from '../../../../shared/api/beds';
import type { Incoming } from '../../../../shared/api/transfers';
import { formatLocal } from '../../../../shared/domain/time';
import { AppError } from '../../../../shared/errors';
import { useApiMutation, useApiQuery } from '../../lib/query';
import { useI18n } from '../../lib/i18n';
import { ConflictAlert } from '../../components/ConflictAlert';
import { ClassBadge, News2Badge, TierBadge, transferRoute } from '../../components/clinical';
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
  // The same cache entry as the screen's list: a refused edit reloads what it was made against.
  const list = useApiQuery('transfers:listIncoming', { facilityId });
  const reload = () => {
    void list.refetch();
    void beds.refetch();
  };
  if (transfers.length === 0) return <Alert color="gray">{t('beds.no_incoming')}</Alert>;
  return (
    <Stack gap="xs" data-testid="incoming">
      {transfers.map((x) => (
        <IncomingCard key={x.id} x={x} tz={tz} beds={beds.data ?? []} canAct={can(user, 'transfers:assignBed')} onStale={reload} />
      ))}
    </Stack>
  );
}

/**
 * The request's actions send its version as the card shows it. A request or bed changed since is
 * refused (CONFLICT, naming who and when): the list and the free beds reload, the chosen bed stays.
 */
function useTransferActions(x: Incoming, onStale: () => void) {
  const { t, errorText } = useI18n();
  const [refused, setRefused] = useState<AppError | null>(null);
  const onRefused = (err: AppError) => {
    setRefused(err);
    if (err.code === 'CONFLICT') onStale();
  };
  const assign = useApiMutation('transfers:assignBed', { success: () => t('transfer.bed_assigned_done', { name: x.patient.name }), onRefused });
  const complete = useApiMutation('transfers:complete', {
    success: (r) => t('transfer.completed_done', { name: x.patient.name, bed: r.to.bed?.name ?? '' }),
    onRefused,
  });
  const cancel = useApiMutation('transfers:cancel', { success: () => t('transfer.cancelled_done', { name: x.patient.name }), onRefused });
  const issue = refused?.details.issues?.[0];
  const message = refused ? (issue ? t(issue.key, issue.params) : errorText(refused)) : null;
  return { assign, complete, cancel, refused, message, clear: () => setRefused(null), busy: assign.busy || complete.busy || cancel.busy };
}

function IncomingCard({ x, tz, beds, canAct, onStale }: { x: Incoming; tz: string; beds: readonly FreeBed[]; canAct: boolean; onStale: () => void }) {
  const { t } = useI18n();
  const [bedId, setBedId] = useState<string | null>(null);
  const [cancelling, setCancelling] = useState(false);
  const a = useTransferActions(x, onStale);
  const busy = a.busy;
  const run = async (send: () => Promise<unknown>) => {
    a.clear();
    if ((await send()) !== undefined) setBedId(null);
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
          <Text size="sm">{transferRoute(x, t)}</Text>
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
            <Text size="xs" c={p.allergies ? 'red' : undefined}>
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
              onClick={() => void run(() => a.assign.submit({ transferId: x.id, bedId: Number(bedId), version: x.version }))}
            >
              {t('transfer.assign_bed')}
            </Button>
            {x.status === 'bed_assigned' && (
              <Button color="teal" loading={busy} onClick={() => void run(() => a.complete.submit({ transferId: x.id, version: x.version }))}>
                {t('transfer.complete', { bed: x.to.bed?.name ?? '' })}
              </Button>
            )}
            <Button variant="subtle" color="red" onClick={() => setCancelling(true)}>
              {t('transfer.cancel')}
            </Button>
            {a.message &&
              (a.refused?.code === 'CONFLICT' ? (
                <ConflictAlert message={a.message} />
              ) : (
                <Text size="sm" c="red" role="alert">
                  {a.message}
                </Text>
              ))}
          </Stack>
        )}
      </Group>
      {cancelling && (
        <CancelModal
          name={p.name}
          version={x.version}
          refusal={a.message ? { message: a.message, conflict: a.refused?.code === 'CONFLICT' } : null}
          onLoaded={a.clear}
          onClose={() => {
            a.clear();
            setCancelling(false);
          }}
          onConfirm={async (reason, version) => {
            a.clear();
            if ((await a.cancel.submit({ transferId: x.id, reason, version })) !== undefined) setCancelling(false);
          }}
        />
      )}
    </Paper>
  );
}

interface CancelModalProps {
  name: string;
  /** The request's version when the dialog opened: the one the cancellation is made against. */
  version: number;
  /** Why the last cancellation was refused; a conflict means the request changed after it was shown. */
  refusal: { message: string; conflict: boolean } | null;
  onLoaded: () => void;
  onClose: () => void;
  onConfirm: (reason: string, version: number) => Promise<void>;
}

export function CancelModal({ name, version, refusal, onLoaded, onClose, onConfirm }: CancelModalProps) {
  const { t, failureText } = useI18n();
  const [reason, setReason] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [base, setBase] = useState(version);
  return (
    <Modal opened onClose={onClose} title={t('transfer.cancel_title', { name })}>
      <Stack>
        {refusal?.conflict && (
          <ConflictAlert
            message={refusal.message}
            onLoadCurrent={() => {
              // The list reloaded on the refusal: its version becomes the base, the reason typed stays.
              setBase(version);
              onLoaded();
            }}
          />
        )}
        {refusal && !refusal.conflict && (
          <Alert color="red" role="alert">
            {refusal.message}
          </Alert>
        )}
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
              onConfirm(reason, base).catch((err: unknown) => setError(failureText(err)));
            }}
          >
            {t('transfer.cancel_confirm')}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
