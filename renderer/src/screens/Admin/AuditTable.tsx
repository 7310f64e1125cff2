import { ActionIcon, Code, Modal, SimpleGrid, Stack, Table, Text } from '@mantine/core';
import { IconEye } from '@tabler/icons-react';
import type { AuditRowView } from '../../../../shared/api/audit';
import { formatLocal } from '../../../../shared/domain/time';
import { useI18n } from '../../lib/i18n';
import { actionLabel, actorFallback, prettyJson } from './format';
import { TableHead } from '../../components/TableHead';

/** The audit rows, newest first; the eye opens one row whole. */
export function AuditTable({ rows, tz, onShow }: { rows: readonly AuditRowView[]; tz: string; onShow: (r: AuditRowView) => void }) {
  const { t } = useI18n();
  return (
    <Table striped highlightOnHover withTableBorder verticalSpacing={6} data-testid="audit-table">
      <TableHead
        cells={[
          { label: t('audit.col.time'), w: 150 },
          { label: t('audit.col.user'), w: 150 },
          { label: t('audit.col.action'), w: 170 },
          { label: t('audit.col.entity'), w: 110 },
          { label: t('audit.col.patient'), w: 140 },
          t('audit.col.details'),
          { w: 44 },
        ]}
      />
      <Table.Tbody>
        {rows.map((r) => (
          <Table.Tr key={r.id}>
            <Table.Td style={{ whiteSpace: 'nowrap' }}>{formatLocal(r.at, tz)}</Table.Td>
            <Table.Td>
              {r.userName ?? actorFallback(r.action, t)}
              {r.workstation && (
                <Text size="xs" c="dimmed">
                  {r.workstation}
                </Text>
              )}
            </Table.Td>
            <Table.Td>{actionLabel(r.action, t)}</Table.Td>
            <Table.Td ff="monospace" fz="xs">
              {r.entity}
              {r.entityId !== null ? ` #${r.entityId}` : ''}
            </Table.Td>
            <Table.Td>{r.patientId !== null ? `${r.patientName ?? ''} #${r.patientId}` : ''}</Table.Td>
            <Table.Td>
              <Text ff="monospace" fz="xs" lineClamp={1} style={{ wordBreak: 'break-all' }}>
                {r.reason ? `${t('audit.reason')}：${r.reason} ` : ''}
                {r.after ?? r.before ?? ''}
              </Text>
            </Table.Td>
            <Table.Td>
              <ActionIcon variant="subtle" aria-label={t('audit.show', { id: r.id })} onClick={() => onShow(r)}>
                <IconEye size={16} />
              </ActionIcon>
            </Table.Td>
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  );
}

function JsonBlock({ label, json }: { label: string; json: string | null }) {
  return (
    <Stack gap={4}>
      <Text size="sm" fw={500}>
        {label}
      </Text>
      <Code block>{prettyJson(json) || '—'}</Code>
    </Stack>
  );
}

/** One audit row whole: who, what and when, the reason, and the record before and after. */
export function AuditDetail({ row, tz, onClose }: { row: AuditRowView; tz: string; onClose: () => void }) {
  const { t } = useI18n();
  return (
    <Modal opened onClose={onClose} size="xl" title={<Text fw={700}>{t('audit.detail_title', { id: row.id })}</Text>}>
      <Stack gap="xs">
        <Text size="sm">
          {formatLocal(row.at, tz)} · {row.userName ?? actorFallback(row.action, t)}
          {row.workstation ? ` (${row.workstation})` : ''} · {actionLabel(row.action, t)} · {row.entity}
          {row.entityId !== null ? ` #${row.entityId}` : ''}
        </Text>
        {row.reason && <Text size="sm">{t('lists.label', { label: t('audit.reason'), value: row.reason })}</Text>}
        <SimpleGrid cols={2}>
          <JsonBlock label={t('audit.before')} json={row.before} />
          <JsonBlock label={t('audit.after')} json={row.after} />
        </SimpleGrid>
      </Stack>
    </Modal>
  );
}
