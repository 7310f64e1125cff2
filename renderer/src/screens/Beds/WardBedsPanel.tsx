import { useEffect, useState } from 'react';
import { Alert, Badge, Button, Card, Group, Menu, Modal, Select, SimpleGrid, Stack, Text, TextInput } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconArrowsExchange } from '@tabler/icons-react';
import type { SessionUser } from '../../../../shared/api/auth';
import type { Bed, Facility } from '../../../../shared/api/facilities';
import { SETTABLE_BED_STATES } from '../../../../shared/api/beds';
import { AppError } from '../../../../shared/errors';
import { api } from '../../lib/api';
import { useApiMutation, useApiQuery } from '../../lib/query';
import { useI18n } from '../../lib/i18n';
import { ErrorPanel } from '../../components/ErrorPanel';
import { ConflictAlert } from '../../components/ConflictAlert';
import { BED_STATE_COLOR } from '../../theme';
import { can } from '../../lib/can';
import { LoadingSkeleton } from '../../components/LoadingSkeleton';

type Settable = (typeof SETTABLE_BED_STATES)[number];

/** One ward's beds: set a free bed's state (cleaning, out of service, reserved, free) and swap two patients. */
export function WardBedsPanel({ facility, user }: { facility: Facility; user: SessionUser }) {
  const { t, errorText, failureText } = useI18n();
  const [wardId, setWardId] = useState<number | null>(facility.wards[0]?.id ?? null);
  useEffect(() => setWardId(facility.wards[0]?.id ?? null), [facility.id]);
  const board = useApiQuery('wards:board', wardId ? { wardId } : null);
  const [swapFirst, setSwapFirst] = useState<Bed | null>(null);
  const [swapping, setSwapping] = useState(false);
  const [outOfService, setOutOfService] = useState<Bed | null>(null);
  const canEdit = can(user, 'beds:setState');

  const fail = (err: unknown) => notifications.show({ color: 'red', message: failureText(err) });
  // A refusal of a bed state stays on screen (the toast would vanish); a CONFLICT also reloads the board.
  const [refused, setRefused] = useState<AppError | null>(null);
  const stateSave = useApiMutation('beds:setState', {
    success: (r) => t('beds.state_set', { bed: r.label, state: t(`bed.state.${r.state}`) }),
    onRefused: (err) => {
      setRefused(err);
      if (err.code === 'CONFLICT') void board.refetch();
    },
  });
  /** Sends the version of the bed as the board showed it: a bed changed since is refused, naming who and when. */
  const setState = async (bed: Bed, state: Settable, reason?: string): Promise<boolean> => {
    setRefused(null);
    return (await stateSave.submit({ bedId: bed.id, state, version: bed.version, ...(reason ? { reason } : {}) })) !== undefined;
  };
  const pick = async (bed: Bed) => {
    if (!swapFirst) return setSwapFirst(bed);
    try {
      await api.beds.swap({ bedA: swapFirst.id, bedB: bed.id });
      notifications.show({ color: 'teal', message: t('beds.swapped', { a: swapFirst.label, b: bed.label }) });
      setSwapFirst(null);
      setSwapping(false);
    } catch (err) {
      fail(err);
    }
  };

  return (
    <Stack gap="sm">
      <Group justify="space-between" align="flex-end">
        <Select
          label={t('board.ward')}
          searchable
          w={280}
          allowDeselect={false}
          data={facility.wards.map((w) => ({ value: String(w.id), label: w.name }))}
          value={wardId ? String(wardId) : null}
          onChange={(v) => setWardId(v ? Number(v) : null)}
        />
        {canEdit && (
          <Button
            variant={swapping ? 'filled' : 'light'}
            leftSection={<IconArrowsExchange size={16} />}
            onClick={() => {
              setSwapping((s) => !s);
              setSwapFirst(null);
            }}
          >
            {swapping ? t('beds.swap_stop') : t('beds.swap')}
          </Button>
        )}
      </Group>
      {refused &&
        (refused.code === 'CONFLICT' ? (
          <ConflictAlert message={errorText(refused)} />
        ) : (
          <Alert color="red" role="alert" withCloseButton onClose={() => setRefused(null)}>
            {Object.values(stateSave.errors)[0] ?? errorText(refused)}
          </Alert>
        ))}
      {swapping && <Alert color="indigo">{swapFirst ? t('beds.swap_pick_second', { bed: swapFirst.label }) : t('beds.swap_pick_first')}</Alert>}
      {board.error && <ErrorPanel error={board.error} onRetry={() => void board.refetch()} />}
      {!board.data && !board.error && <LoadingSkeleton kind="rows" rows={4} />}
      {board.data && (
        <SimpleGrid cols={{ base: 4, lg: 6 }} spacing="xs" data-testid="ward-beds">
          {board.data.beds.map((bed) => (
            <Card
              key={bed.id}
              withBorder
              padding="xs"
              data-testid={`bedstate-${bed.label}`}
              data-state={bed.state}
              style={{
                borderLeft: `4px solid var(--mantine-color-${BED_STATE_COLOR[bed.state]}-6)`,
                outline: swapFirst?.id === bed.id ? '2px solid var(--mantine-color-indigo-6)' : undefined,
              }}
            >
              <Group justify="space-between" wrap="nowrap" gap={4}>
                <Text fw={700} size="sm">
                  {bed.label}
                </Text>
                <Badge size="xs" variant="light" color={BED_STATE_COLOR[bed.state]}>
                  {t(`bed.state.${bed.state}`)}
                </Badge>
              </Group>
              <Text size="sm" lineClamp={1} mih={22}>
                {bed.occupant?.name ?? (bed.tags.map((x) => t(`bed.tag.${x}`)).join(t('lists.sep')) || '—')}
              </Text>
              {canEdit && swapping && bed.occupant && (
                <Button size="compact-xs" variant="light" onClick={() => void pick(bed)} disabled={swapFirst?.id === bed.id}>
                  {t('beds.swap_choose')}
                </Button>
              )}
              {canEdit && !swapping && bed.state !== 'occupied' && (
                <Menu position="bottom-start" withinPortal>
                  <Menu.Target>
                    <Button size="compact-xs" variant="subtle" aria-label={t('beds.set_state_of', { bed: bed.label })}>
                      {t('beds.set_state')}
                    </Button>
                  </Menu.Target>
                  <Menu.Dropdown>
                    {SETTABLE_BED_STATES.filter((s) => s !== bed.state).map((s) => (
                      <Menu.Item key={s} onClick={() => (s === 'out_of_service' ? setOutOfService(bed) : void setState(bed, s))}>
                        {t(`bed.state.${s}`)}
                      </Menu.Item>
                    ))}
                  </Menu.Dropdown>
                </Menu>
              )}
            </Card>
          ))}
        </SimpleGrid>
      )}
      {outOfService && (
        <ReasonModal
          title={t('beds.out_of_service_title', { bed: outOfService.label })}
          conflict={refused?.code === 'CONFLICT' ? errorText(refused) : null}
          busy={stateSave.busy}
          onClose={() => setOutOfService(null)}
          onLoadCurrent={() => {
            // The reason typed stays; the bed is the one the reloaded board shows now.
            const current = board.data?.beds.find((b) => b.id === outOfService.id);
            if (current) setOutOfService(current);
            setRefused(null);
          }}
          onConfirm={async (reason) => {
            if (await setState(outOfService, 'out_of_service', reason)) setOutOfService(null);
          }}
        />
      )}
    </Stack>
  );
}

interface ReasonModalProps {
  title: string;
  /** The message of a CONFLICT: the bed changed after the board showed it. */
  conflict: string | null;
  busy: boolean;
  onClose: () => void;
  onLoadCurrent: () => void;
  onConfirm: (reason: string) => Promise<void>;
}

function ReasonModal({ title, conflict, busy, onClose, onLoadCurrent, onConfirm }: ReasonModalProps) {
  const { t } = useI18n();
  const [reason, setReason] = useState('');
  const [error, setError] = useState<string | null>(null);
  return (
    <Modal opened onClose={onClose} title={title}>
      <Stack>
        {conflict && <ConflictAlert message={conflict} onLoadCurrent={onLoadCurrent} />}
        <TextInput label={t('beds.reason')} required value={reason} onChange={(e) => setReason(e.currentTarget.value)} error={error} data-autofocus />
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            {t('common.cancel')}
          </Button>
          <Button loading={busy} onClick={() => (reason.trim() === '' ? setError(t('validation.beds_reason_required')) : void onConfirm(reason))}>
            {t('common.save')}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
