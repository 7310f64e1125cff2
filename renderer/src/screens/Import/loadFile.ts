import { decodeCsv, parseCsv, MAX_IMPORT_FILE_BYTES, MAX_IMPORT_ROWS, type CsvEncoding, type CsvRow } from '../../../../shared/import/csv';

export interface LoadedFile {
  name: string;
  bytes: Uint8Array;
  encoding: CsvEncoding;
  header: string[];
  rows: CsvRow[];
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

export function parseListFile(name: string, bytes: Uint8Array, forced: CsvEncoding | null): LoadedFile {
  const decoded = decodeCsv(bytes, forced ?? undefined);
  const parsed = parseCsv(decoded.text, { maxRows: MAX_IMPORT_ROWS + 1 });
  if (parsed.truncated) throw new FileProblem('import.too_many_rows', { max: MAX_IMPORT_ROWS });
  const [header, ...rows] = parsed.rows;
  if (!header || rows.length === 0) throw new FileProblem('import.no_rows');
  return { name, bytes, encoding: decoded.encoding, header: header.cells, rows, unclosedQuoteAt: parsed.unclosedQuoteAt };
}
