import { Alert, Button, Group, Paper, Stack, Table, Text, Title } from '@mantine/core';
import { IconDownload, IconFileImport } from '@tabler/icons-react';
import type { ImportReport } from '../../../../shared/api/import';
import type { CsvRow } from '../../../../shared/import/csv';
import { formatLocal, DEFAULT_TIME_ZONE } from '../../../../shared/domain/time';
import { api } from '../../lib/api';
import { useApiQuery } from '../../lib/query';
import { useI18n } from '../../lib/i18n';
import { downloadText } from '../../lib/download';
import { VirtualTable } from '../../components/VirtualTable';
import { reportCsv, skippedDetail } from './reportCsv';
import { TableHead } from '../../components/TableHead';

const reportName = (r: ImportReport) => `${r.fileName.replace(/\.[^.]+$/, '')}-report-${r.batchId}.csv`;

export function ReportPanel({
  report,
  wardName,
  file,
  onAgain,
}: {
  report: ImportReport;
  wardName: string;
  file: { header: readonly string[]; rows: readonly CsvRow[] };
  onAgain: () => void;
}) {
  const { t } = useI18n();
  return (
    <Stack>
      <Alert color="teal" title={t('import.report')} role="status">
        {t('import.done', { imported: report.imported, ward: wardName, skipped: report.skipped.length })}
      </Alert>
      <Group>
        <Button leftSection={<IconFileImport size={18} />} onClick={onAgain}>
          {t('import.new_file')}
        </Button>
        <Button
          variant="default"
          leftSection={<IconDownload size={18} />}
          disabled={report.skipped.length === 0}
          onClick={() => downloadText(reportName(report), reportCsv(report, t, file), 'text/csv;charset=utf-8')}
        >
          {t('import.report_download')}
        </Button>
      </Group>
      {report.skipped.length === 0 ? (
        <Text c="dimmed">{t('import.report_none_skipped')}</Text>
      ) : (
        <VirtualTable
          rows={report.skipped}
          getKey={(s) => s.line}
          label={t('import.report')}
          testId="import-skipped"
          height={320}
          columns={[
            { key: 'line', header: t('import.col.line'), width: '72px', align: 'right', render: (s) => s.line },
            { key: 'reason', header: t('import.report.reason'), width: '140px', render: (s) => t(`import.skip.${s.reason}`) },
            { key: 'detail', header: t('import.report.detail'), width: '1fr', render: (s) => skippedDetail(s, t) },
          ]}
        />
      )}
    </Stack>
  );
}

/** Past imports, newest first; each report can be downloaded again. */
export function ImportHistory() {
  const { t } = useI18n();
  const history = useApiQuery('import:history', {});
  const download = async (batchId: number) => {
    const r = await api.import.report({ batchId });
    downloadText(reportName(r), reportCsv(r, t), 'text/csv;charset=utf-8');
  };
  if (!history.data || history.data.length === 0) return null;
  return (
    <Paper withBorder p="md">
      <Title order={4} mb="xs">
        {t('import.history')}
      </Title>
      <Table striped data-testid="import-history">
        <TableHead
          cells={[
            t('import.col.time'),
            t('import.col.file'),
            t('import.col.by'),
            t('import.col.ward'),
            { label: t('import.col.rows'), ta: 'right' },
            { label: t('import.col.imported'), ta: 'right' },
            { label: t('import.col.skipped'), ta: 'right' },
            {},
          ]}
        />
        <Table.Tbody>
          {history.data.slice(0, 8).map((b) => (
            <Table.Tr key={b.id}>
              <Table.Td>{formatLocal(b.importedAt, DEFAULT_TIME_ZONE)}</Table.Td>
              <Table.Td>{b.fileName}</Table.Td>
              <Table.Td>{b.importedBy}</Table.Td>
              <Table.Td>{b.wardName}</Table.Td>
              <Table.Td ta="right">{b.rowsInFile}</Table.Td>
              <Table.Td ta="right">{b.imported}</Table.Td>
              <Table.Td ta="right">{b.skipped}</Table.Td>
              <Table.Td>
                <Button variant="subtle" size="compact-sm" disabled={b.skipped === 0} onClick={() => void download(b.id)} aria-label={t('import.report_download')}>
                  <IconDownload size={16} />
                </Button>
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Paper>
  );
}
