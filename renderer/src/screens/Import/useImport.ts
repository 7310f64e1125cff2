import { useEffect, useMemo, useState } from 'react';
import { notifications } from '@mantine/notifications';
import { PREVIEW_CHUNK_ROWS, type ImportReport, type PreviewRow } from '../../../../shared/api/import';
import { autoMap, fileDuplicates, mappingFromPreset, presetFromMapping, type CaseMapping } from '../../../../shared/import/cases';
import type { CsvEncoding } from '../../../../shared/import/csv';
import { DEFAULT_TIME_ZONE, fromLocal, toLocalInput } from '../../../../shared/domain/time';
import { AppError } from '../../../../shared/errors';
import { api } from '../../lib/api';
import { useApiQuery } from '../../lib/query';
import { useI18n } from '../../lib/i18n';
import { fieldErrors, issuesOf } from '../../lib/formErrors';
import { FileProblem, parseListFile, readListFile, withHeaderRow, type LoadedFile } from './loadFile';
import type { PresetView } from './MappingPanel';
import type { RowView } from './PreviewTable';

/** Rows per preview call: small enough that the progress bar moves, large enough to keep calls few. */
const CHUNK = Math.min(2500, PREVIEW_CHUNK_ROWS);

export interface Progress {
  done: number;
  total: number;
}

/** Checks every row of the file, chunk by chunk, then marks the same person twice in the file. */
async function previewRows(file: LoadedFile, mapping: CaseMapping, admittedAt: string, onProgress: (p: Progress) => void): Promise<RowView[]> {
  const out: PreviewRow[] = [];
  for (let i = 0; i < file.rows.length; i += CHUNK) {
    onProgress({ done: i, total: file.rows.length });
    const r = await api.import.preview({ mapping, rows: file.rows.slice(i, i + CHUNK), admittedAt });
    out.push(...r.rows);
  }
  // The same person twice in the file: found across all chunks from the keys each row came back with.
  const dups = fileDuplicates(out.filter((r) => r.status === 'ok'));
  return out.map((p, i) => {
    const of = dups.get(p.line) ?? null;
    return { line: p.line, row: file.rows[i]!, preview: p, status: p.status === 'ok' && of !== null ? 'duplicate_file' : p.status, duplicateOfLine: of };
  });
}

/** Where the imported patients go: a ward (the first of a fangcang by default) and the admission time. */
export function useImportTarget() {
  const { t } = useI18n();
  const tz = DEFAULT_TIME_ZONE;
  const facilities = useApiQuery('facilities:list', {});
  const [wardId, setWardId] = useState<string | null>(null);
  const [admittedAt, setAdmittedAt] = useState(() => toLocalInput(new Date(), tz));
  const wardOptions = useMemo(
    () =>
      (facilities.data ?? []).map((f) => ({
        group: f.name,
        items: f.wards.map((w) => ({ value: String(w.id), label: t('lists.aside', { text: w.name, aside: t('board.free_of', { free: w.free, beds: w.beds }) }) })),
      })),
    [facilities.data, t],
  );
  useEffect(() => {
    if (wardId !== null || !facilities.data) return;
    const fangcang = facilities.data.find((f) => f.kind === 'fangcang') ?? facilities.data[0];
    const first = fangcang?.wards[0];
    if (first) setWardId(String(first.id));
  }, [facilities.data, wardId]);
  const wardName = facilities.data?.flatMap((f) => f.wards).find((w) => String(w.id) === wardId)?.name ?? '';
  /** The instant to send; an impossible local time goes as typed, for the core to refuse on its field. */
  const admittedInstant = () => {
    try {
      return fromLocal(admittedAt, tz);
    } catch (err) {
      if (err instanceof RangeError) return admittedAt;
      throw err;
    }
  };
  return { wardOptions, wardId, setWardId, wardName, admittedAt, setAdmittedAt, admittedInstant };
}

/** The import's state: file → mapping → checked rows → the chosen ones imported, and what went wrong on the way. */
export function useImport() {
  const { t, failureText } = useI18n();
  const target = useImportTarget();
  const [file, setFile] = useState<LoadedFile | null>(null);
  const [forced, setForced] = useState<CsvEncoding | null>(null);
  const [mapping, setMapping] = useState<CaseMapping | null>(null);
  const [views, setViews] = useState<RowView[] | null>(null);
  const [selected, setSelected] = useState<ReadonlySet<number>>(new Set());
  const [progress, setProgress] = useState<Progress | null>(null);
  const [committing, setCommitting] = useState(false);
  const [report, setReport] = useState<ImportReport | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [errors, setErrors] = useState<Record<string, string>>({});

  const show = (err: unknown) => {
    if (err instanceof FileProblem) return setProblem(t(err.key, err.params));
    const issues = issuesOf(err);
    if (issues.length > 0) {
      setErrors(fieldErrors(issues, t, ['mapping.', 'mapping']));
      if (!issues.some((i) => i.field.startsWith('mapping') || i.field === 'admittedAt')) setProblem(failureText(err));
    } else setProblem(failureText(err));
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

  const parse = (name: string, bytes: Uint8Array, encoding: CsvEncoding | null) => {
    const loaded = parseListFile(name, bytes, encoding);
    setFile(loaded);
    setMapping(autoMap(loaded.header));
  };

  const load = async (picked: File | null, encoding: CsvEncoding | null = forced) => {
    if (!picked) return;
    reset();
    setForced(encoding);
    setProgress({ done: 0, total: 0 });
    try {
      parse(picked.name, await readListFile(picked), encoding);
    } catch (err) {
      show(err);
    } finally {
      setProgress(null);
    }
  };

  /** Another encoding: the file read again at once if there is one, else remembered for the next. */
  const chooseEncoding = (encoding: CsvEncoding | null) => {
    setForced(encoding);
    if (!file) return;
    setViews(null);
    try {
      parse(file.name, file.bytes, encoding);
    } catch (err) {
      show(err);
    }
  };

  /** Another row as the header: the rows above it are left out, and the columns mapped again from its cells. */
  const chooseHeaderRow = (index: number) => {
    if (!file) return;
    try {
      const next = withHeaderRow(file, index);
      setProblem(null);
      setErrors({});
      setViews(null);
      setFile(next);
      setMapping(autoMap(next.header));
    } catch (err) {
      show(err);
    }
  };

  const check = async () => {
    if (!file || !mapping) return;
    setProblem(null);
    setErrors({});
    setViews(null);
    try {
      const next = await previewRows(file, mapping, target.admittedInstant(), setProgress);
      setViews(next);
      setSelected(new Set(next.filter((v) => v.status === 'ok').map((v) => v.line)));
    } catch (err) {
      show(err);
    } finally {
      setProgress(null);
    }
  };

  const commit = async () => {
    if (!file || !mapping || !target.wardId || selected.size === 0) return;
    setProblem(null);
    setCommitting(true);
    try {
      const { name: fileName, encoding, header, rows } = file;
      setReport(
        await api.import.commit({
          fileName,
          encoding,
          header,
          mapping,
          rows,
          selected: [...selected].sort((a, b) => a - b),
          wardId: Number(target.wardId),
          admittedAt: target.admittedInstant(),
        }),
      );
    } catch (err) {
      show(err);
      // A stale preview (someone admitted one of these people meanwhile): check again at once.
      if (err instanceof AppError && err.details.key === 'import.stale_preview') void check();
    } finally {
      setCommitting(false);
    }
  };

  const presets = usePresetActions(file, mapping, show, (m) => {
    setMapping(m);
    setViews(null);
  });
  const editMapping = (m: CaseMapping) => {
    setMapping(m);
    setErrors({});
  };

  return {
    target,
    file,
    forced,
    mapping,
    views,
    selected,
    setSelected,
    progress,
    committing,
    report,
    problem,
    errors,
    reset,
    load,
    chooseEncoding,
    chooseHeaderRow,
    check,
    commit,
    editMapping,
    presets,
    backToMapping: () => setViews(null),
    closeProblem: () => setProblem(null),
  };
}

/** Saved column mappings: save the current one, delete one, or apply one to this file's header. */
function usePresetActions(file: LoadedFile | null, mapping: CaseMapping | null, show: (err: unknown) => void, apply: (m: CaseMapping) => void) {
  const { t } = useI18n();
  const list = useApiQuery('import:presets', {});
  const save = async (name: string) => {
    if (!file || !mapping) return;
    try {
      await api.import.savePreset({ name, columns: presetFromMapping(file.header, mapping) });
      notifications.show({ color: 'teal', message: t('import.preset_saved', { name }) });
    } catch (err) {
      show(err);
    }
  };
  const remove = async (name: string) => {
    try {
      await api.import.deletePreset({ name });
      notifications.show({ color: 'teal', message: t('import.preset_deleted', { name }) });
    } catch (err) {
      show(err);
    }
  };
  const applyPreset = (p: PresetView) => {
    if (file) apply(mappingFromPreset(file.header, p.columns));
  };
  return { list: list.data ?? [], save, remove, apply: applyPreset };
}
