import { useMemo, useState } from 'react';
import { Badge, Button, Checkbox, Group, SegmentedControl, Stack, Text } from '@mantine/core';
import type { PreviewRow } from '../../../../shared/api/import';
import { normaliseDate, type CaseField, type CaseMapping } from '../../../../shared/import/cases';
import type { CsvRow } from '../../../../shared/import/csv';
import { maskIdCard } from '../../../../shared/domain/idcard';
import { useI18n, type T } from '../../lib/i18n';
import { VirtualTable, type VirtualColumn } from '../../components/VirtualTable';

export type RowStatus = 'ok' | 'error' | 'duplicate' | 'duplicate_file';

export interface RowView {
  line: number;
  row: CsvRow;
  status: RowStatus;
  preview: PreviewRow;
  duplicateOfLine: number | null;
}

const STATUS_COLOR: Record<RowStatus, string> = { ok: 'teal', error: 'red', duplicate: 'orange', duplicate_file: 'orange' };

/** Every problem of a row as one line of text: field, then what is wrong with it. */
export function problemText(v: Pick<RowView, 'preview' | 'duplicateOfLine'>, t: T): string {
  const parts = v.preview.issues.map((i) => {
    const field = i.field.split('.').pop() ?? '';
    const label = field ? t(`import.field.${field}`) : '';
    return label ? t('lists.label', { label, value: t(i.key, i.params) }) : t(i.key, i.params);
  });
  const d = v.preview.duplicate;
  if (d) parts.push(t('import.duplicate_db', { name: d.name, id: d.patientId, by: t(`import.by.${d.by}`) }));
  if (v.duplicateOfLine !== null) parts.push(t('import.duplicate_of_line', { line: v.duplicateOfLine }));
  return parts.join(t('lists.sep_clauses'));
}

type Filter = 'all' | 'ok' | 'error' | 'duplicate';

/**
 * A value as the import reads it, so the admin checks what will be stored: an Excel serial date
 * (44639) as 2022-03-19, full-width digits ("３２") as ASCII. Free text, and a date that cannot be
 * read (its row carries the error), are shown as written.
 */
export function shownValue(field: CaseField, raw: string): string {
  if (field === 'name' || field === 'address' || field === 'community' || field === 'source') return raw;
  if (field === 'sampleDate' || field === 'birthDate') {
    const d = normaliseDate(raw);
    if (d) return d.time ? `${d.date} ${d.time.slice(0, 5)}` : d.date;
  }
  return raw.normalize('NFKC');
}

/** The checked rows: status, the values as read, and every problem; only "ready" rows can be chosen. */
export function PreviewTable({
  views,
  mapping,
  selected,
  onSelect,
}: {
  views: readonly RowView[];
  mapping: CaseMapping;
  selected: ReadonlySet<number>;
  onSelect: (lines: ReadonlySet<number>) => void;
}) {
  const { t } = useI18n();
  const [filter, setFilter] = useState<Filter>('all');
  const counts = useMemo(() => {
    const c = { all: views.length, ok: 0, error: 0, duplicate: 0 };
    for (const v of views) {
      if (v.status === 'ok') c.ok += 1;
      else if (v.status === 'error') c.error += 1;
      else c.duplicate += 1;
    }
    return c;
  }, [views]);
  const shown = useMemo(
    () => (filter === 'all' ? views : views.filter((v) => (filter === 'duplicate' ? v.status === 'duplicate' || v.status === 'duplicate_file' : v.status === filter))),
    [views, filter],
  );
  const cell = (v: RowView, f: CaseField) => {
    const idx = mapping[f];
    return idx === null ? '' : shownValue(f, v.row.cells[idx] ?? '');
  };
  const toggle = (line: number) => {
    const next = new Set(selected);
    if (next.has(line)) next.delete(line);
    else next.add(line);
    onSelect(next);
  };

  const columns: VirtualColumn<RowView>[] = [
    {
      key: 'pick',
      header: '',
      width: '44px',
      align: 'center',
      render: (v) => (
        <Checkbox
          aria-label={t('import.line', { line: v.line })}
          checked={selected.has(v.line)}
          disabled={v.status !== 'ok'}
          onChange={() => toggle(v.line)}
          onClick={(e) => e.stopPropagation()}
        />
      ),
    },
    { key: 'line', header: t('import.col.line'), width: '60px', align: 'right', render: (v) => v.line },
    {
      key: 'status',
      header: t('import.col.status'),
      width: '100px',
      render: (v) => (
        <Badge color={STATUS_COLOR[v.status]} variant="light" size="sm">
          {t(`import.status.${v.status}`)}
        </Badge>
      ),
    },
    { key: 'name', header: t('import.field.name'), width: '90px', render: (v) => cell(v, 'name') },
    { key: 'sex', header: t('import.field.sex'), width: '44px', render: (v) => cell(v, 'sex') },
    { key: 'age', header: t('import.col.age'), width: '104px', render: (v) => cell(v, 'birthDate') || cell(v, 'ageYears') },
    { key: 'id', header: t('import.field.idCard'), width: '150px', render: (v) => maskIdCard(cell(v, 'idCard').toUpperCase() || null) ?? '' },
    { key: 'community', header: t('import.field.community'), width: '100px', render: (v) => cell(v, 'community') },
    { key: 'sample', header: t('import.field.sampleDate'), width: '132px', render: (v) => cell(v, 'sampleDate') },
    {
      key: 'ct',
      header: t('import.col.ct'),
      width: '96px',
      align: 'right',
      render: (v) => [cell(v, 'nCt'), cell(v, 'orf1abCt')].filter(Boolean).join(' / '),
    },
    {
      key: 'problems',
      header: t('import.col.problems'),
      width: 'minmax(200px, 1fr)',
      render: (v) => {
        const text = problemText(v, t);
        return (
          <Text size="sm" c={v.status === 'error' ? 'red' : 'orange'} title={text} truncate>
            {text}
          </Text>
        );
      },
    },
  ];

  return (
    <Stack gap="xs">
      <Group justify="space-between">
        <SegmentedControl
          value={filter}
          onChange={(v) => setFilter(v as Filter)}
          data={[
            { value: 'all', label: t('import.filter.all', { n: counts.all }) },
            { value: 'ok', label: t('import.filter.ok', { n: counts.ok }) },
            { value: 'error', label: t('import.filter.error', { n: counts.error }) },
            { value: 'duplicate', label: t('import.filter.duplicate', { n: counts.duplicate }) },
          ]}
        />
        <Group gap="xs">
          <Text size="sm" data-testid="import-selected">
            {t('import.selected', { n: selected.size })}
          </Text>
          <Button variant="subtle" size="compact-sm" onClick={() => onSelect(new Set(views.filter((v) => v.status === 'ok').map((v) => v.line)))}>
            {t('import.select_valid')}
          </Button>
          <Button variant="subtle" size="compact-sm" onClick={() => onSelect(new Set())}>
            {t('import.select_none')}
          </Button>
        </Group>
      </Group>
      <VirtualTable rows={shown} columns={columns} getKey={(v) => v.line} label={t('import.title')} testId="import-preview" height="calc(100vh - 420px)" rowHeight={38} />
    </Stack>
  );
}
