import { Alert, Button, FileButton, Group, Paper, Progress, Select, Stack, Text, Title } from '@mantine/core';
import { IconFileImport, IconListCheck, IconPencil, IconUpload } from '@tabler/icons-react';
import { CSV_ENCODINGS, type CsvEncoding } from '../../../../shared/import/csv';
import { useI18n } from '../../lib/i18n';
import { LayoutPanel } from './LayoutPanel';
import { MappingPanel } from './MappingPanel';
import { PreviewTable } from './PreviewTable';
import { ImportHistory, ReportPanel } from './ReportPanel';
import { useImport } from './useImport';
import { DateTimeField } from '../../components/dates/DateFields';

type ImportState = ReturnType<typeof useImport>;

/** Choose the file and its encoding (detected unless chosen); what was read. */
function FileBar({ s }: { s: ImportState }) {
  const { t } = useI18n();
  const { file } = s;
  return (
    <Group align="flex-end">
      <FileButton onChange={(f) => void s.load(f)} accept=".csv,.txt,.tsv,text/csv,text/plain">
        {(props) => (
          <Button {...props} leftSection={<IconUpload size={18} />} size="md" variant={file ? 'default' : 'filled'} data-testid="import-choose">
            {t('import.choose_file')}
          </Button>
        )}
      </FileButton>
      <Select
        label={t('import.encoding')}
        data={[{ value: 'auto', label: t('import.encoding.auto') }, ...CSV_ENCODINGS.map((e) => ({ value: e, label: t(`import.encoding.${e}`) }))]}
        value={s.forced ?? 'auto'}
        onChange={(v) => s.chooseEncoding(v === 'auto' || v === null ? null : (v as CsvEncoding))}
        allowDeselect={false}
        w={200}
      />
      {file && (
        <Text size="sm" data-testid="import-file">
          {t('import.file_summary', { file: file.name, encoding: t(`import.encoding.${file.encoding}`), rows: file.rows.length })}
        </Text>
      )}
    </Group>
  );
}

/** The target ward and admission time, then check the rows, or (once checked) import the chosen ones. */
function TargetBar({ s }: { s: ImportState }) {
  const { t } = useI18n();
  const { target, errors, views, committing, selected } = s;
  return (
    <Paper withBorder p="sm">
      <Group align="flex-end" wrap="wrap">
        <Select
          label={t('import.target_ward')}
          description={t('import.target_ward_hint')}
          data={target.wardOptions}
          value={target.wardId}
          onChange={target.setWardId}
          searchable
          allowDeselect={false}
          w={420}
        />
        <DateTimeField label={t('import.admitted_at')} value={target.admittedAt} onChange={target.setAdmittedAt} error={errors.admittedAt} />
        {views ? (
          <>
            <Button variant="default" leftSection={<IconPencil size={16} />} onClick={s.backToMapping} disabled={committing}>
              {t('import.mapping')}
            </Button>
            <Button size="md" leftSection={<IconFileImport size={18} />} onClick={() => void s.commit()} loading={committing} disabled={selected.size === 0 || !target.wardId}>
              {t('import.commit', { n: selected.size })}
            </Button>
          </>
        ) : (
          <Button size="md" leftSection={<IconListCheck size={18} />} onClick={() => void s.check()} loading={s.progress !== null} disabled={!s.mapping}>
            {t('import.check')}
          </Button>
        )}
      </Group>
    </Paper>
  );
}

/** Reading the file, checking n of m rows, or importing. */
function ImportProgress({ s }: { s: ImportState }) {
  const { t } = useI18n();
  const { progress } = s;
  return (
    <>
      {progress && progress.total > 0 && (
        <Stack gap={4}>
          <Text size="sm">{t('import.checking', { done: progress.done, total: progress.total })}</Text>
          <Progress value={(100 * progress.done) / progress.total} size="lg" aria-label={t('import.checking', { done: progress.done, total: progress.total })} />
        </Stack>
      )}
      {progress && progress.total === 0 && <Text size="sm">{t('import.reading')}</Text>}
      {s.committing && (
        <Stack gap={4}>
          <Text size="sm">{t('import.committing', { n: s.selected.size })}</Text>
          <Progress value={100} striped animated size="lg" />
        </Stack>
      )}
    </>
  );
}

/** 导入: a positive-case list from the CDC → checked rows → the chosen ones imported in one step. */
export function ImportScreen() {
  const { t } = useI18n();
  const s = useImport();
  const { file, mapping, views } = s;
  return (
    <Stack gap="sm">
      <div>
        <Title order={3}>{t('import.title')}</Title>
        {!file && (
          <Text c="dimmed" size="sm" maw={900}>
            {t('import.intro')}
          </Text>
        )}
      </div>
      {s.problem && (
        <Alert color="red" role="alert" withCloseButton onClose={s.closeProblem}>
          {s.problem}
        </Alert>
      )}

      {s.report && file ? (
        <ReportPanel report={s.report} wardName={s.target.wardName} file={file} onAgain={s.reset} />
      ) : (
        <>
          <FileBar s={s} />
          {file?.unclosedQuoteAt != null && (
            <Alert color="orange" role="alert">
              {t('import.unclosed_quote', { line: file.unclosedQuoteAt })}
            </Alert>
          )}
          {file && <LayoutPanel file={file} onHeaderRow={s.chooseHeaderRow} />}
          {file && mapping && !views && (
            <MappingPanel
              header={file.header}
              mapping={mapping}
              errors={s.errors}
              presets={s.presets.list}
              onChange={s.editMapping}
              onApplyPreset={s.presets.apply}
              onSavePreset={(n) => void s.presets.save(n)}
              onDeletePreset={(n) => void s.presets.remove(n)}
            />
          )}
          {file && <TargetBar s={s} />}
          <ImportProgress s={s} />
          {views && mapping && <PreviewTable views={views} mapping={mapping} selected={s.selected} onSelect={s.setSelected} />}
        </>
      )}
      {!views && <ImportHistory />}
    </Stack>
  );
}
