import { useEffect, useMemo, useState } from 'react';
import { Alert, Button, FileButton, Group, Paper, Progress, Select, Stack, Text, TextInput, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconFileImport, IconListCheck, IconPencil, IconUpload } from '@tabler/icons-react';
import { PREVIEW_CHUNK_ROWS, type ImportReport, type PreviewRow } from '../../../../shared/api/import';
import { autoMap, fileDuplicates, mappingFromPreset, presetFromMapping, type CaseMapping } from '../../../../shared/import/cases';
import { CSV_ENCODINGS, type CsvEncoding } from '../../../../shared/import/csv';
import { DEFAULT_TIME_ZONE, fromLocal, toLocalInput } from '../../../../shared/domain/time';
import { AppError } from '../../../../shared/errors';
import { api } from '../../lib/api';
import { useApiQuery } from '../../lib/query';
import { useI18n } from '../../lib/i18n';
import { fieldErrors, issuesOf } from '../../lib/formErrors';
import { FileProblem, parseListFile, readListFile, type LoadedFile } from './loadFile';
import { MappingPanel, type PresetView } from './MappingPanel';
import { PreviewTable, type RowView } from './PreviewTable';
import { ImportHistory, ReportPanel } from './ReportPanel';

/** Rows per preview call: small enough that the progress bar moves, large enough to keep calls few. */
const CHUNK = Math.min(2500, PREVIEW_CHUNK_ROWS);

/** 导入: a positive-case list from the CDC → checked rows → the chosen ones imported in one step. */
export function ImportScreen() {
  const { t, errorText } = useI18n();
  const tz = DEFAULT_TIME_ZONE;
  const facilities = useApiQuery('facilities:list', {});
  const presets = useApiQuery('import:presets', {});
  const [file, setFile] = useState<LoadedFile | null>(null);
  const [forced, setForced] = useState<CsvEncoding | null>(null);
  const [mapping, setMapping] = useState<CaseMapping | null>(null);
  const [wardId, setWardId] = useState<string | null>(null);
  const [admittedAt, setAdmittedAt] = useState(() => toLocalInput(new Date(), tz));
  const [views, setViews] = useState<RowView[] | null>(null);
  const [selected, setSelected] = useState<ReadonlySet<number>>(new Set());
  const [progress, setProgress] = useState<{ done: number; total: number } | null>(null);
  const [committing, setCommitting] = useState(false);
  const [report, setReport] = useState<ImportReport | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [errors, setErrors] = useState<Record<string, string>>({});

  const wardOptions = useMemo(
    () => (facilities.data ?? []).map((f) => ({ group: f.name, items: f.wards.map((w) => ({ value: String(w.id), label: t('lists.aside', { text: w.name, aside: t('board.free_of', { free: w.free, beds: w.beds }) }) })) })),
    [facilities.data, t],
  );
  useEffect(() => {
    if (wardId !== null || !facilities.data) return;
    const fangcang = facilities.data.find((f) => f.kind === 'fangcang') ?? facilities.data[0];
    const first = fangcang?.wards[0];
    if (first) setWardId(String(first.id));
  }, [facilities.data, wardId]);
  const wardName = facilities.data?.flatMap((f) => f.wards).find((w) => String(w.id) === wardId)?.name ?? '';

  const show = (err: unknown) => {
    if (err instanceof FileProblem) return setProblem(t(err.key, err.params));
    const issues = issuesOf(err);
    if (issues.length > 0) {
      setErrors(fieldErrors(issues, t, ['mapping.', 'mapping']));
      if (!issues.some((i) => i.field.startsWith('mapping') || i.field === 'admittedAt')) setProblem(err instanceof AppError ? errorText(err) : String(err));
    } else setProblem(err instanceof AppError ? errorText(err) : String(err));
  };

  const reset = () => {
    setFile(null);
    setViews(null);
    setReport(null);
    setMapping(null);
    setProblem(null);
    setErrors({});
    setForced(null);
  };

  const load = async (picked: File | null, encoding: CsvEncoding | null = forced) => {
    if (!picked) return;
    reset();
    setForced(encoding);
    setProgress({ done: 0, total: 0 });
    try {
      const bytes = await readListFile(picked);
      const loaded = parseListFile(picked.name, bytes, encoding);
      setFile(loaded);
      setMapping(autoMap(loaded.header));
    } catch (err) {
      show(err);
    } finally {
      setProgress(null);
    }
  };

  const reencode = (encoding: CsvEncoding | null) => {
    if (!file) return;
    setForced(encoding);
    setViews(null);
    try {
      const loaded = parseListFile(file.name, file.bytes, encoding);
      setFile(loaded);
      setMapping(autoMap(loaded.header));
    } catch (err) {
      show(err);
    }
  };

  const admittedInstant = () => {
    try {
      return fromLocal(admittedAt, tz);
    } catch (err) {
      if (err instanceof RangeError) return admittedAt;
      throw err;
    }
  };

  const check = async () => {
    if (!file || !mapping) return;
    setProblem(null);
    setErrors({});
    setViews(null);
    const at = admittedInstant();
    const out: PreviewRow[] = [];
    try {
      for (let i = 0; i < file.rows.length; i += CHUNK) {
        setProgress({ done: i, total: file.rows.length });
        const r = await api.import.preview({ mapping, rows: file.rows.slice(i, i + CHUNK), admittedAt: at });
        out.push(...r.rows);
      }
    } catch (err) {
      setProgress(null);
      return show(err);
    }
    // The same person twice in the file: found across all chunks from the keys each row came back with.
    const dups = fileDuplicates(out.filter((r) => r.status === 'ok'));
    const next: RowView[] = out.map((p, i) => {
      const of = dups.get(p.line) ?? null;
      return { line: p.line, row: file.rows[i]!, preview: p, status: p.status === 'ok' && of !== null ? 'duplicate_file' : p.status, duplicateOfLine: of };
    });
    setViews(next);
    setSelected(new Set(next.filter((v) => v.status === 'ok').map((v) => v.line)));
    setProgress(null);
  };

  const commit = async () => {
    if (!file || !mapping || !wardId || selected.size === 0) return;
    setProblem(null);
    setCommitting(true);
    try {
      const r = await api.import.commit({
        fileName: file.name,
        encoding: file.encoding,
        header: file.header,
        mapping,
        rows: file.rows,
        selected: [...selected].sort((a, b) => a - b),
        wardId: Number(wardId),
        admittedAt: admittedInstant(),
      });
      setReport(r);
    } catch (err) {
      show(err);
      // A stale preview (someone admitted one of these people meanwhile): check again at once.
      if (err instanceof AppError && err.details.key === 'import.stale_preview') void check();
    } finally {
      setCommitting(false);
    }
  };

  const savePreset = async (name: string) => {
    if (!file || !mapping) return;
    try {
      await api.import.savePreset({ name, columns: presetFromMapping(file.header, mapping) });
      notifications.show({ color: 'teal', message: t('import.preset_saved', { name }) });
    } catch (err) {
      show(err);
    }
  };
  const deletePreset = async (name: string) => {
    try {
      await api.import.deletePreset({ name });
      notifications.show({ color: 'teal', message: t('import.preset_deleted', { name }) });
    } catch (err) {
      show(err);
    }
  };
  const applyPreset = (p: PresetView) => {
    if (!file) return;
    setMapping(mappingFromPreset(file.header, p.columns));
    setViews(null);
  };

  const encodingSelect = (
    <Select
      label={t('import.encoding')}
      data={[{ value: 'auto', label: t('import.encoding.auto') }, ...CSV_ENCODINGS.map((e) => ({ value: e, label: t(`import.encoding.${e}`) }))]}
      value={forced ?? 'auto'}
      onChange={(v) => (file ? reencode(v === 'auto' || v === null ? null : (v as CsvEncoding)) : setForced(v === 'auto' || v === null ? null : (v as CsvEncoding)))}
      allowDeselect={false}
      w={200}
    />
  );

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
      {problem && (
        <Alert color="red" role="alert" withCloseButton onClose={() => setProblem(null)}>
          {problem}
        </Alert>
      )}

      {report && file ? (
        <ReportPanel report={report} wardName={wardName} file={file} onAgain={reset} />
      ) : (
        <>
          <Group align="flex-end">
            <FileButton onChange={(f) => void load(f)} accept=".csv,.txt,.tsv,text/csv,text/plain">
              {(props) => (
                <Button {...props} leftSection={<IconUpload size={18} />} size="md" variant={file ? 'default' : 'filled'} data-testid="import-choose">
                  {t('import.choose_file')}
                </Button>
              )}
            </FileButton>
            {encodingSelect}
            {file && (
              <Text size="sm" data-testid="import-file">
                {t('import.file_summary', { file: file.name, encoding: t(`import.encoding.${file.encoding}`), rows: file.rows.length })}
              </Text>
            )}
          </Group>
          {file?.unclosedQuoteAt != null && (
            <Alert color="orange" role="alert">
              {t('import.unclosed_quote', { line: file.unclosedQuoteAt })}
            </Alert>
          )}

          {file && mapping && !views && (
            <MappingPanel
              header={file.header}
              mapping={mapping}
              errors={errors}
              presets={presets.data ?? []}
              onChange={(m) => {
                setMapping(m);
                setErrors({});
              }}
              onApplyPreset={applyPreset}
              onSavePreset={(n) => void savePreset(n)}
              onDeletePreset={(n) => void deletePreset(n)}
            />
          )}

          {file && (
            <Paper withBorder p="sm">
              <Group align="flex-end" wrap="wrap">
                <Select label={t('import.target_ward')} description={t('import.target_ward_hint')} data={wardOptions} value={wardId} onChange={setWardId} searchable allowDeselect={false} w={420} />
                <TextInput type="datetime-local" label={t('import.admitted_at')} value={admittedAt} onChange={(e) => setAdmittedAt(e.currentTarget.value)} error={errors.admittedAt} w={220} />
                {views ? (
                  <>
                    <Button variant="default" leftSection={<IconPencil size={16} />} onClick={() => setViews(null)} disabled={committing}>
                      {t('import.mapping')}
                    </Button>
                    <Button size="md" leftSection={<IconFileImport size={18} />} onClick={() => void commit()} loading={committing} disabled={selected.size === 0 || !wardId}>
                      {t('import.commit', { n: selected.size })}
                    </Button>
                  </>
                ) : (
                  <Button size="md" leftSection={<IconListCheck size={18} />} onClick={() => void check()} loading={progress !== null} disabled={!mapping}>
                    {t('import.check')}
                  </Button>
                )}
              </Group>
            </Paper>
          )}

          {progress && progress.total > 0 && (
            <Stack gap={4}>
              <Text size="sm">{t('import.checking', { done: progress.done, total: progress.total })}</Text>
              <Progress value={(100 * progress.done) / progress.total} size="lg" aria-label={t('import.checking', { done: progress.done, total: progress.total })} />
            </Stack>
          )}
          {progress && progress.total === 0 && <Text size="sm">{t('import.reading')}</Text>}
          {committing && (
            <Stack gap={4}>
              <Text size="sm">{t('import.committing', { n: selected.size })}</Text>
              <Progress value={100} striped animated size="lg" />
            </Stack>
          )}

          {views && mapping && <PreviewTable views={views} mapping={mapping} selected={selected} onSelect={setSelected} />}
        </>
      )}
      {!views && <ImportHistory />}
    </Stack>
  );
}
