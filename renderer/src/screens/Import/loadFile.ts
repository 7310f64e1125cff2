import { decodeCsv, parseCsv, MAX_IMPORT_FILE_BYTES, MAX_IMPORT_ROWS, type CsvEncoding, type CsvRow } from '../../../../shared/import/csv';
import { caseListLayout, HEADER_SCAN_ROWS } from '../../../../shared/import/layout';

export interface LoadedFile {
  name: string;
  bytes: Uint8Array;
  encoding: CsvEncoding;
  /** Every non-blank row of the file, the header's candidates among them. */
  parsed: CsvRow[];
  /** Index in `parsed` of the header row: detected, or the one the user chose. */
  headerIndex: number;
  header: string[];
  /** Rows above the header (a title, who filled the list in): not imported. */
  above: CsvRow[];
  /** One row per case. */
  rows: CsvRow[];
  /** Totals rows ("合计, 3人"): not imported, and not reported as bad cases. */
  totals: CsvRow[];
  unclosedQuoteAt: number | null;
}

/** A file the screen refuses before any call: too large, too many rows, or no data. The key is an i18n key. */
export class FileProblem extends Error {
  constructor(
    readonly key: string,
    readonly params: Record<string, string | number> = {},
  ) {
    super(key);
  }
}

const MB = 1024 * 1024;

/** Reads the bytes (size checked first, so a huge file is refused before it is read), decodes and parses. */
export async function readListFile(file: File): Promise<Uint8Array> {
  if (file.size > MAX_IMPORT_FILE_BYTES) {
    throw new FileProblem('import.file_too_large', { size: (file.size / MB).toFixed(1), max: MAX_IMPORT_FILE_BYTES / MB });
  }
  return new Uint8Array(await file.arrayBuffer());
}

/** The file split at a header row: the detected one unless `headerIndex` is given. */
export function withHeaderRow(file: Omit<LoadedFile, 'headerIndex' | 'header' | 'above' | 'rows' | 'totals'>, headerIndex?: number): LoadedFile {
  const layout = caseListLayout(file.parsed, headerIndex);
  if (layout.rows.length === 0) throw new FileProblem('import.no_rows', { line: layout.header.line });
  return { ...file, headerIndex: layout.headerIndex, header: layout.header.cells, above: layout.above, rows: layout.rows, totals: layout.totals };
}

export function parseListFile(name: string, bytes: Uint8Array, forced: CsvEncoding | null): LoadedFile {
  const decoded = decodeCsv(bytes, forced ?? undefined);
  // One more than the most data rows, plus the title rows a header may sit below.
  const parsed = parseCsv(decoded.text, { maxRows: MAX_IMPORT_ROWS + HEADER_SCAN_ROWS });
  if (parsed.truncated) throw new FileProblem('import.too_many_rows', { max: MAX_IMPORT_ROWS });
  if (parsed.rows.length === 0) throw new FileProblem('import.no_rows', { line: 1 });
  const file = withHeaderRow({ name, bytes, encoding: decoded.encoding, parsed: parsed.rows, unclosedQuoteAt: parsed.unclosedQuoteAt });
  if (file.rows.length > MAX_IMPORT_ROWS) throw new FileProblem('import.too_many_rows', { max: MAX_IMPORT_ROWS });
  return file;
}
