import { Badge, Group, Paper, ScrollArea, Table, Text } from '@mantine/core';
import { BED_TAGS } from '../../../../shared/domain/enums';
import type { Availability } from '../../../../shared/api/beds';
import { useApiQuery } from '../../lib/query';
import { useI18n } from '../../lib/i18n';
import { ErrorPanel } from '../../components/ErrorPanel';
import { LoadingSkeleton } from '../../components/LoadingSkeleton';

type Counts = Availability[number]['totals'];

/** The ward table's plain counts after the free beds, in order. */
const COUNT_COLUMNS = [
  { key: 'total', label: 'beds.col_total' },
  { key: 'reserved', label: 'bed.state.reserved' },
  { key: 'cleaning', label: 'bed.state.cleaning' },
  { key: 'out_of_service', label: 'bed.state.out_of_service' },
  { key: 'waiting', label: 'beds.col_waiting' },
] as const;

/** Free beds of a facility by ward and tag (oxygen, monitor…), with what is reserved, being cleaned, out of service, and waiting. */
export function AvailabilityPanel({ facilityId }: { facilityId: number }) {
  const { t } = useI18n();
  const data = useApiQuery('beds:availability', { facilityId });
  if (data.error) return <ErrorPanel error={data.error} onRetry={() => void data.refetch()} />;
  const f = data.data?.[0];
  if (!f) return <LoadingSkeleton kind="rows" rows={4} />;
  const tags = (c: Counts) =>
    BED_TAGS.filter((tag) => (c.freeByTag[tag] ?? 0) > 0).map((tag) => (
      <Badge key={tag} size="sm" variant="light" color="teal">
        {t(`bed.tag.${tag}`)} {c.freeByTag[tag]}
      </Badge>
    ));
  const wards = f.wards.filter((w) => w.total > 0 || w.waiting > 0);
  return (
    <Paper withBorder p="sm" data-testid="availability">
      <Group gap="lg" mb="xs">
        <Text fw={700}>{t('beds.availability', { name: f.name })}</Text>
        <Text className="num" c="teal" fw={700}>
          {t('beds.free_of_total', { free: f.totals.free, total: f.totals.total })}
        </Text>
        <Text size="sm">{t('beds.count_reserved', { n: f.totals.reserved })}</Text>
        <Text size="sm">{t('beds.count_cleaning', { n: f.totals.cleaning })}</Text>
        <Text size="sm">{t('beds.count_out', { n: f.totals.out_of_service })}</Text>
        <Text size="sm" c={f.totals.waiting > 0 ? 'orange' : undefined}>
          {t('beds.count_waiting', { n: f.totals.waiting })}
        </Text>
        <Group gap={4}>{tags(f.totals)}</Group>
      </Group>
      <ScrollArea.Autosize mah={190} viewportProps={{ tabIndex: 0, 'aria-label': t('beds.availability_table') }}>
        <Table striped highlightOnHover withTableBorder fz="sm" verticalSpacing={2}>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('board.ward')}</Table.Th>
              <Table.Th ta="right">{t('bed.state.free')}</Table.Th>
              {COUNT_COLUMNS.map((c) => (
                <Table.Th key={c.key} ta="right">
                  {t(c.label)}
                </Table.Th>
              ))}
              <Table.Th>{t('beds.col_free_tags')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {wards.map((w) => (
              <Table.Tr key={w.id} data-ward={w.name}>
                <Table.Td>{w.name}</Table.Td>
                <Table.Td ta="right" className="num" fw={700} c={w.free === 0 ? 'red' : 'teal'}>
                  {w.free}
                </Table.Td>
                {COUNT_COLUMNS.map((c) => (
                  <Table.Td key={c.key} ta="right" className="num">
                    {w[c.key]}
                  </Table.Td>
                ))}
                <Table.Td>
                  <Group gap={4}>{tags(w)}</Group>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </ScrollArea.Autosize>
    </Paper>
  );
}
