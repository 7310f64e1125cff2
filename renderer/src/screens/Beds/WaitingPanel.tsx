import { useState } from 'react';
import { Alert, Button, Group, Select, Table, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import type { SessionUser } from '../../../../shared/api/auth';
import type { WaitingPatient } from '../../../../shared/api/beds';
import { formatLocal } from '../../../../shared/domain/time';
import { AppError } from '../../../../shared/errors';
import { api } from '../../lib/api';
import { useApiQuery } from '../../lib/query';
import { useI18n } from '../../lib/i18n';
import { ClassBadge } from '../../components/clinical';
import { bedOptions } from './IncomingPanel';
import { can } from '../../lib/can';

/** Patients admitted without a bed, longest waiting first; a free bed of the facility takes them in. */
export function WaitingPanel({ facilityId, waiting, tz, user }: { facilityId: number; waiting: readonly WaitingPatient[]; tz: string; user: SessionUser }) {
  const { t } = useI18n();
  const beds = useApiQuery('beds:freeBeds', { facilityId });
  if (waiting.length === 0) return <Alert color="gray">{t('beds.no_waiting')}</Alert>;
  const canPlace = can(user, 'beds:place');
  return (
    <Table withTableBorder striped verticalSpacing={4} data-testid="waiting">
      <Table.Thead>
        <Table.Tr>
          <Table.Th>{t('patient.name')}</Table.Th>
          <Table.Th>{t('board.ward')}</Table.Th>
          <Table.Th>{t('beds.waiting_since')}</Table.Th>
          <Table.Th>{t('panel.class')}</Table.Th>
          <Table.Th ta="right">{t('panel.flags')}</Table.Th>
          {canPlace && <Table.Th w={360}>{t('beds.place')}</Table.Th>}
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {waiting.map((w) => (
          <WaitingRow key={w.placementId} w={w} tz={tz} beds={beds.data ?? []} canPlace={canPlace} />
        ))}
      </Table.Tbody>
    </Table>
  );
}

function WaitingRow({ w, tz, beds, canPlace }: { w: WaitingPatient; tz: string; beds: Parameters<typeof bedOptions>[0]; canPlace: boolean }) {
  const { t, errorText } = useI18n();
  const [bedId, setBedId] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const place = async () => {
    setError(null);
    try {
      await api.beds.place({ episodeId: w.episodeId, bedId: Number(bedId) });
      notifications.show({ color: 'teal', message: t('beds.placed', { name: w.name }) });
    } catch (err) {
      setError(err instanceof AppError ? (err.details.issues?.[0] ? t(err.details.issues[0].key, err.details.issues[0].params) : errorText(err)) : String(err));
    }
  };
  return (
    <Table.Tr data-name={w.name}>
      <Table.Td>
        <Text fw={600}>{w.name}</Text>
        <Text size="xs" c="dimmed">
          {t(`sex.${w.sex}`)} · {w.ageYears === null ? t('common.unknown') : t('patient.age_years', { n: w.ageYears })}
        </Text>
      </Table.Td>
      <Table.Td>{w.wardName}</Table.Td>
      <Table.Td>{formatLocal(w.waitingSince, tz)}</Table.Td>
      <Table.Td>
        <ClassBadge cls={w.currentClass} proposed={w.proposedClass} t={t} />
      </Table.Td>
      <Table.Td ta="right" className="num">
        {w.flagCount}
      </Table.Td>
      {canPlace && (
        <Table.Td>
          <Group gap="xs" wrap="nowrap">
            <Select
              size="sm"
              searchable
              w={220}
              placeholder={t('transfer.choose_bed_ph')}
              data={bedOptions(beds, t, w.wardId)}
              value={bedId}
              onChange={setBedId}
              aria-label={t('beds.place_bed_for', { name: w.name })}
              error={error}
            />
            <Button size="sm" disabled={!bedId} onClick={() => void place()}>
              {t('beds.place_confirm')}
            </Button>
          </Group>
        </Table.Td>
      )}
    </Table.Tr>
  );
}
