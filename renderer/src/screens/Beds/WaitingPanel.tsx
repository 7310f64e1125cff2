import { useState } from 'react';
import { Alert, Button, Group, Select, Table, Text } from '@mantine/core';
import type { SessionUser } from '../../../../shared/api/auth';
import type { WaitingPatient } from '../../../../shared/api/beds';
import { formatLocal } from '../../../../shared/domain/time';
import { useApiMutation, useApiQuery } from '../../lib/query';
import { useI18n } from '../../lib/i18n';
import { ClassBadge } from '../../components/clinical';
import { bedOptions } from './IncomingPanel';
import { can } from '../../lib/can';

/** Patients admitted without a bed, longest waiting first; a free bed of the facility takes them in. */
export function WaitingPanel({ facilityId, waiting, tz, user }: { facilityId: number; waiting: readonly WaitingPatient[]; tz: string; user: SessionUser }) {
  const { t } = useI18n();
  const beds = useApiQuery('beds:freeBeds', { facilityId });
  // The screen's own list (the same cache entry), reloaded with the free beds after a refusal.
  const list = useApiQuery('beds:waiting', { facilityId });
  // A bed taken meanwhile (CONFLICT, naming who took it): both lists reload, the choice stays to be changed.
  const reloadBeds = () => {
    void beds.refetch();
    void list.refetch();
  };
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
          <WaitingRow key={w.placementId} w={w} tz={tz} beds={beds.data ?? []} canPlace={canPlace} onStale={reloadBeds} />
        ))}
      </Table.Tbody>
    </Table>
  );
}

function WaitingRow({ w, tz, beds, canPlace, onStale }: { w: WaitingPatient; tz: string; beds: Parameters<typeof bedOptions>[0]; canPlace: boolean; onStale: () => void }) {
  const { t } = useI18n();
  const [bedId, setBedId] = useState<string | null>(null);
  const place = useApiMutation('beds:place', {
    success: () => t('beds.placed', { name: w.name }),
    onRefused: (err) => err.code === 'CONFLICT' && onStale(),
  });
  const error = place.errors.bedId ?? place.errors._form ?? Object.values(place.errors)[0] ?? null;
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
            <Button size="sm" disabled={!bedId} loading={place.busy} onClick={() => void place.submit({ episodeId: w.episodeId, bedId: Number(bedId) })}>
              {t('beds.place_confirm')}
            </Button>
          </Group>
        </Table.Td>
      )}
    </Table.Tr>
  );
}
