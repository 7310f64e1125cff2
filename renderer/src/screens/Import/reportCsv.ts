import type { ImportReport, SkippedRow } from '../../../../shared/api/import';
import type { CsvRow } from '../../../../shared/import/csv';
import { csvText } from '../../../../shared/csv';
import type { T } from '../../lib/i18n';
import { problemText } from './PreviewTable';

/** Why a row was skipped, in words: its field problems and duplicates. */
export function skippedDetail(s: SkippedRow, t: T): string {
  const base = problemText(
    { preview: { line: s.line, status: 'error', issues: s.issues, duplicate: null, keys: { idCard: null, nbp: null } }, duplicateOfLine: s.duplicateOfLine },
    t,
  );
  return s.duplicatePatientId !== null ? [base, t('import.status.duplicate')].filter(Boolean).join(t('lists.sep_clauses')) : base;
}

/** The skipped rows as CSV: line, reason, detail and, when the file is at hand, its own columns to fix and re-import. */
export function reportCsv(report: ImportReport, t: T, file?: { header: readonly string[]; rows: readonly CsvRow[] }): string {
  const byLine = new Map(file?.rows.map((r) => [r.line, r.cells]));
  const head = [t('import.col.line'), t('import.report.reason'), t('import.report.detail'), ...(file?.header ?? [])];
  return csvText([head, ...report.skipped.map((s) => [s.line, t(`import.skip.${s.reason}`), skippedDetail(s, t), ...(byLine.get(s.line) ?? [])])]);
}
