import { Button, Group, Modal, ScrollArea, Table, Text } from '@mantine/core';
import { IconFileSpreadsheet } from '@tabler/icons-react';
import type { DrillInput } from '../../../../shared/api/reports';
import { formatLocal } from '../../../../shared/domain/time';
import { ErrorPanel } from '../../components/ErrorPanel';
import { TableHead } from '../../components/TableHead';
import { api } from '../../lib/api';
import { useI18n } from '../../lib/i18n';
import { useNav } from '../../lib/nav';
import { downloadText } from '../../lib/print';
import { useApiQuery } from '../../lib/query';
import { ReportClassBadge } from '../../components/clinical';
import { LoadingSkeleton } from '../../components/LoadingSkeleton';

export interface Drill {
  input: DrillInput;
  title: string;
}

/** The patients behind one number of a report; each opens to the chart or the discharge record. */
export function DrillModal({ drill, tz, onClose }: { drill: Drill; tz: string; onClose: () => void }) {
  const { t, locale } = useI18n();
  const { go } = useNav();
  const rows = useApiQuery('reports:drill', drill.input);
  const exportCsv = async () => {
    const r = await api.reports.csv({ report: 'drill', drill: drill.input, locale });
    downloadText(r.filename, r.csv);
  };
  const list = rows.data?.rows ?? [];
  const showClass = list.some((r) => r.cls !== null);
  const showFrom = list.some((r) => r.fromClass !== null);
  const showOther = list.some((r) => r.otherFacility !== null);
  const showDisposition = list.some((r) => r.disposition !== null);
  return (
    <Modal opened onClose={onClose} size="xl" title={<Text fw={700}>{drill.title}</Text>}>
      {rows.error && <ErrorPanel error={rows.error} onRetry={() => void rows.refetch()} />}
      {rows.isFetching && !rows.data && <LoadingSkeleton kind="rows" />}
      {rows.data && (
        <>
          <Group justify="space-between" mb="xs">
            <Text size="sm" c="dimmed" data-testid="drill-count">
              {list.length === 0 ? t('report.drill.empty') : t('report.drill.count', { n: list.length })}
            </Text>
            <Button size="xs" variant="light" leftSection={<IconFileSpreadsheet size={14} />} onClick={() => void exportCsv()} disabled={list.length === 0}>
              {t('report.csv')}
            </Button>
          </Group>
          <ScrollArea.Autosize mah="60vh">
            <Table fz="sm" striped verticalSpacing={4} data-testid="drill-rows">
              <TableHead
                cells={[
                  t('patient.name'),
                  t('report.col.facility'),
                  t('report.col.bed'),
                  t('report.col.admitted_at'),
                  t('report.col.at'),
                  showFrom && t('report.col.from_class'),
                  showClass && t('report.col.class'),
                  showOther && t('report.col.other_facility'),
                  showDisposition && t('report.col.disposition'),
                  {},
                ]}
              />
              <Table.Tbody>
                {list.map((r, i) => (
                  <Table.Tr key={`${r.episodeId}-${i}`}>
                    <Table.Td>
                      {r.name}
                      <Text span size="xs" c="dimmed">
                        {' '}
                        {t(`sex.${r.sex}`)} {r.ageYears ?? ''}
                      </Text>
                    </Table.Td>
                    <Table.Td>{r.facilityName ?? '—'}</Table.Td>
                    <Table.Td>
                      {r.wardName ?? ''} {r.bedLabel ?? ''}
                    </Table.Td>
                    <Table.Td>{formatLocal(r.admittedAt, tz)}</Table.Td>
                    <Table.Td>{r.at ? formatLocal(r.at, tz) : '—'}</Table.Td>
                    {showFrom && <Table.Td>{r.fromClass ? <ReportClassBadge cls={r.fromClass} t={t} /> : null}</Table.Td>}
                    {showClass && <Table.Td>{r.cls ? <ReportClassBadge cls={r.cls} t={t} /> : null}</Table.Td>}
                    {showOther && <Table.Td>{r.otherFacility ?? ''}</Table.Td>}
                    {showDisposition && <Table.Td>{r.disposition ? t(`discharge.disposition.${r.disposition}`) : ''}</Table.Td>}
                    <Table.Td>
                      <Button size="compact-xs" variant="subtle" onClick={() => go(r.disposition ? 'discharge' : 'chart', { episodeId: r.episodeId })}>
                        {t(r.disposition ? 'report.drill.open_discharge' : 'report.drill.open_chart')}
                      </Button>
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </ScrollArea.Autosize>
        </>
      )}
    </Modal>
  );
}
