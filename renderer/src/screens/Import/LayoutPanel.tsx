import { Group, Select, Stack, Text } from '@mantine/core';
import { HEADER_SCAN_ROWS, rowGist, statedCount } from '../../../../shared/import/layout';
import { useI18n } from '../../lib/i18n';
import type { LoadedFile } from './loadFile';

/**
 * Where the list is in the file: the header row (detected, or another chosen here), the title rows
 * above it that are not imported, and the totals rows that are skipped rather than read as cases.
 */
export function LayoutPanel({ file, onHeaderRow }: { file: LoadedFile; onHeaderRow: (index: number) => void }) {
  const { t } = useI18n();
  const options = file.parsed.slice(0, Math.max(HEADER_SCAN_ROWS, file.headerIndex + 1)).map((r, i) => ({
    value: String(i),
    label: t('import.header_row_option', { line: r.line, text: rowGist(r.cells) || '—' }),
  }));
  const stated = file.totals.map((r) => statedCount(r.cells)).find((n) => n !== null) ?? null;
  return (
    <Group align="flex-start" wrap="wrap" gap="md">
      <Select
        label={t('import.header_row')}
        description={t('import.header_row_hint')}
        data={options}
        value={String(file.headerIndex)}
        onChange={(v) => v !== null && onHeaderRow(Number(v))}
        allowDeselect={false}
        w={460}
        data-testid="import-header-row"
      />
      <Stack gap={4} pt={4} style={{ flex: 1, minWidth: 320 }} data-testid="import-layout-notes">
        {file.above.length > 0 && (
          <Text size="sm" c="dimmed">
            {t('import.above_ignored', {
              line: file.parsed[file.headerIndex]?.line ?? 1,
              n: file.above.length,
              text: file.above.map((r) => rowGist(r.cells)).join(t('lists.sep_clauses')),
            })}
          </Text>
        )}
        {file.totals.map((r) => (
          <Text size="sm" c="dimmed" key={r.line}>
            {t('import.totals_skipped', { line: r.line, text: rowGist(r.cells) })}
          </Text>
        ))}
        {stated !== null && stated !== file.rows.length && (
          <Text size="sm" c="orange.9" role="alert">
            {t('import.totals_mismatch', { stated, rows: file.rows.length })}
          </Text>
        )}
      </Stack>
    </Group>
  );
}
