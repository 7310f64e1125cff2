import { useState } from 'react';
import { Alert, Badge, Button, Group, Stack, Table, Text } from '@mantine/core';
import { IconDatabaseExport, IconDeviceFloppy, IconFileImport, IconFileSpreadsheet, IconLockOpen, IconRestore } from '@tabler/icons-react';
import type { BackupFile } from '../../../../shared/api/backup';
import { formatLocal } from '../../../../shared/domain/time';
import { api } from '../../lib/api';
import { useApiQuery } from '../../lib/query';
import { useI18n } from '../../lib/i18n';
import { ErrorPanel } from '../../components/ErrorPanel';
import { formatBytes } from './format';
import { RestoreModal } from './RestoreModal';
import { TableHead } from '../../components/TableHead';
import { HintedSection } from '../../components/TitleHint';

type Outcome = { color: 'teal' | 'red'; title: string; lines: string[] } | null;

/** 备份与恢复: back up now, back up to a chosen file, bring in a backup file, restore, and export everything as CSV. */
export function BackupTab({ tz }: { tz: string }) {
  const { t, failureText } = useI18n();
  const list = useApiQuery('backup:list', {});
  const [busy, setBusy] = useState<string | null>(null);
  const [outcome, setOutcome] = useState<Outcome>(null);
  const [restoring, setRestoring] = useState<BackupFile | null>(null);

  const act = async (what: string, fn: () => Promise<Outcome>) => {
    setBusy(what);
    setOutcome(null);
    try {
      setOutcome(await fn());
      void list.refetch();
    } catch (err) {
      setOutcome({ color: 'red', title: t('backup.failed'), lines: [failureText(err)] });
    } finally {
      setBusy(null);
    }
  };

  const backupNow = (target: 'folder' | 'file') =>
    act(target, async () => {
      const r = await api.backup.create({ target });
      if (r.cancelled || !r.file) return null;
      return {
        color: 'teal',
        title: t('backup.done_title'),
        lines: [t('backup.done', { name: r.file.name, size: formatBytes(r.file.size) }), ...(r.pruned.length > 0 ? [t('backup.pruned', { n: r.pruned.length })] : [])],
      };
    });

  const importFile = () =>
    act('import', async () => {
      const r = await api.backup.import({});
      if (r.cancelled || !r.verification) return null;
      if (!r.file) return { color: 'red', title: t('backup.import_refused'), lines: r.verification.problems.map((p) => t(p.key, p.params)) };
      return { color: 'teal', title: t('backup.import_done_title'), lines: [t('backup.import_done', { name: r.file.name })] };
    });

  const exportCsv = () =>
    act('export', async () => {
      const r = await api.export.csv({});
      const rows = r.tables.reduce((n, x) => n + x.rows, 0);
      return { color: 'teal', title: t('backup.export_done_title'), lines: [t('backup.export_done', { tables: r.tables.length, rows, folder: r.folder })] };
    });

  if (list.error) return <ErrorPanel error={list.error} onRetry={() => void list.refetch()} />;

  return (
    <Stack gap="md">
      <Group align="stretch" grow>
        <HintedSection order={4} title={t('backup.section_backup')} hint={t('backup.auto_hint', { n: list.data?.keep ?? 14 })}>
          <Text size="xs" c="dimmed" ff="monospace" style={{ wordBreak: 'break-all' }}>
            {list.data?.folder}
          </Text>
          <Group gap="sm">
            <Button leftSection={<IconDeviceFloppy size={18} />} loading={busy === 'folder'} disabled={busy !== null} onClick={() => void backupNow('folder')}>
              {t('backup.now')}
            </Button>
            {list.data?.canChooseFile && (
              <>
                <Button variant="default" leftSection={<IconDatabaseExport size={18} />} loading={busy === 'file'} disabled={busy !== null} onClick={() => void backupNow('file')}>
                  {t('backup.to_file')}
                </Button>
                <Button variant="default" leftSection={<IconFileImport size={18} />} loading={busy === 'import'} disabled={busy !== null} onClick={() => void importFile()}>
                  {t('backup.import')}
                </Button>
              </>
            )}
          </Group>
        </HintedSection>
        <HintedSection order={4} title={t('backup.section_export')} hint={t('backup.export_hint')}>
          <Alert color="orange" icon={<IconLockOpen size={18} />} p="xs" data-testid="csv-export-plain">
            {t('security.export_plain')}
          </Alert>
          <Group>
            <Button variant="default" leftSection={<IconFileSpreadsheet size={18} />} loading={busy === 'export'} disabled={busy !== null} onClick={() => void exportCsv()}>
              {t('backup.export')}
            </Button>
          </Group>
        </HintedSection>
      </Group>

      {outcome && (
        <Alert color={outcome.color} title={outcome.title} withCloseButton onClose={() => setOutcome(null)} data-testid="backup-outcome">
          {outcome.lines.map((l) => (
            <div key={l}>{l}</div>
          ))}
        </Alert>
      )}

      <Table striped highlightOnHover withTableBorder verticalSpacing="xs" data-testid="backup-table">
        <TableHead cells={[t('backup.col.name'), t('backup.col.time'), { label: t('backup.col.size'), ta: 'right' }, t('backup.col.kind'), { w: 120 }]} />
        <Table.Tbody>
          {(list.data?.files ?? []).map((f) => (
            <Table.Tr key={f.name} data-testid={`backup-${f.name}`}>
              <Table.Td ff="monospace" fz="sm">
                {f.name}
              </Table.Td>
              <Table.Td>{formatLocal(f.createdAt, tz)}</Table.Td>
              <Table.Td ta="right">{formatBytes(f.size)}</Table.Td>
              <Table.Td>
                <Badge variant="light" color={f.kind === 'imported' ? 'indigo' : 'gray'}>
                  {t(`backup.kind.${f.kind}`)}
                </Badge>
              </Table.Td>
              <Table.Td>
                <Button size="xs" variant="light" color="orange" leftSection={<IconRestore size={14} />} disabled={busy !== null} onClick={() => setRestoring(f)}>
                  {t('backup.restore')}
                </Button>
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      {list.data && list.data.files.length === 0 && (
        <Text c="dimmed" ta="center">
          {t('backup.empty')}
        </Text>
      )}
      {restoring && <RestoreModal file={restoring} tz={tz} onClose={() => setRestoring(null)} />}
    </Stack>
  );
}
