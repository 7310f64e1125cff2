/**
 * Reading the case lists hospitals actually receive: CSV files saved by Excel or WPS on a Chinese
 * Windows desktop, in UTF-8 (with or without BOM) or in the legacy GB18030/GBK code page, sometimes
 * UTF-16 ("Unicode text", tab-separated). Pure: runs in the renderer (which reads the file) and in tests.
 */

/** Larger files are refused before parsing, with a translated message (a district list of 50,000 cases is ~6 MB). */
export const MAX_IMPORT_FILE_BYTES = 64 * 1024 * 1024;
/** Most rows a file may hold (the largest fangcang admitted ~11,500 a day; a week's list fits). */
export const MAX_IMPORT_ROWS = 100_000;
/** A field longer than this is not a real value (a pasted document, a broken quote): the row gets an error. */
export const MAX_FIELD_CHARS = 1000;
/** Most columns a row may have. */
export const MAX_COLUMNS = 64;

export const CSV_ENCODINGS = ['utf-8', 'gb18030', 'utf-16le'] as const;
export type CsvEncoding = (typeof CSV_ENCODINGS)[number];

export interface DecodedText {
  text: string;
  encoding: CsvEncoding;
  bom: boolean;
}

/**
 * Decodes the file's bytes. A BOM decides; otherwise valid UTF-8 is UTF-8 and anything else is read
 * as GB18030 (a superset of GBK and GB2312, what Excel writes on a Chinese Windows). TextDecoder
 * knows GB18030 in Chromium and in Node with full ICU, so no conversion table is shipped.
 */
export function decodeCsv(bytes: Uint8Array, forced?: CsvEncoding): DecodedText {
  if (bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) {
    return { text: new TextDecoder('utf-8').decode(bytes.subarray(3)), encoding: 'utf-8', bom: true };
  }
  if (bytes.length >= 2 && bytes[0] === 0xff && bytes[1] === 0xfe) {
    return { text: new TextDecoder('utf-16le').decode(bytes.subarray(2)), encoding: 'utf-16le', bom: true };
  }
  if (forced) return { text: new TextDecoder(forced).decode(bytes), encoding: forced, bom: false };
  try {
    return { text: new TextDecoder('utf-8', { fatal: true }).decode(bytes), encoding: 'utf-8', bom: false };
  } catch (err) {
    if (!(err instanceof TypeError)) throw err;
    return { text: new TextDecoder('gb18030').decode(bytes), encoding: 'gb18030', bom: false };
  }
}

export interface CsvRow {
  /** 1-based line of the file where the record starts (what a user sees in Excel or a text editor). */
  line: number;
  cells: string[];
  /** Column indexes whose value was longer than MAX_FIELD_CHARS; the value is cut to that length. */
  oversized: number[];
}

export interface ParsedCsv {
  delimiter: ',' | '\t' | ';';
  rows: CsvRow[];
  /** Set when the file has more than MAX_IMPORT_ROWS records; rows holds the first MAX_IMPORT_ROWS. */
  truncated: boolean;
  /** A quote opened and never closed: the rest of the file was read as one field. */
  unclosedQuoteAt: number | null;
}

/** Lines looked at to choose the delimiter: enough to pass the title rows above a list's header. */
const SNIFF_LINES = 20;

/**
 * The delimiter is the one of comma, tab and semicolon that occurs most, outside quotes, in the first
 * SNIFF_LINES lines: not the first line alone, which may be a list's title ("安次区新冠阳性感染者名单")
 * without any delimiter.
 */
function sniffDelimiter(text: string): ParsedCsv['delimiter'] {
  const counts = { ',': 0, '\t': 0, ';': 0 };
  let quoted = false;
  let lines = 0;
  for (let i = 0; i < text.length && i < 65536 && lines < SNIFF_LINES; i++) {
    const ch = text[i];
    if (ch === '"') quoted = !quoted;
    else if (!quoted && ch === '\n') lines += 1;
    else if (!quoted && (ch === ',' || ch === '\t' || ch === ';')) counts[ch] += 1;
  }
  if (counts['\t'] > counts[','] && counts['\t'] >= counts[';']) return '\t';
  if (counts[';'] > counts[',']) return ';';
  return ',';
}

/**
 * RFC 4180 with the usual leniencies: CRLF, LF or CR line ends; quoted fields with delimiters, doubled
 * quotes and line breaks; blank lines skipped; surrounding spaces trimmed from unquoted fields. Linear
 * in the text length (fields are sliced, never built character by character), so a 2 MB field is cheap.
 */
export function parseCsv(text: string, opts: { maxRows?: number } = {}): ParsedCsv {
  const maxRows = opts.maxRows ?? MAX_IMPORT_ROWS;
  const delimiter = sniffDelimiter(text);
  const rows: CsvRow[] = [];
  const n = text.length;
  let i = 0;
  let line = 1;
  let truncated = false;
  let unclosedQuoteAt: number | null = null;

  while (i < n) {
    const startLine = line;
    const cells: string[] = [];
    const oversized: number[] = [];
    let endOfRecord = false;
    while (!endOfRecord) {
      let value: string;
      if (text[i] === '"') {
        const quoteLine = line;
        let j = i + 1;
        const parts: string[] = [];
        for (;;) {
          const q = text.indexOf('"', j);
          if (q === -1) {
            parts.push(text.slice(j));
            line += countLineBreaks(text, j, n);
            unclosedQuoteAt ??= quoteLine;
            j = n;
            break;
          }
          parts.push(text.slice(j, q));
          line += countLineBreaks(text, j, q);
          if (text[q + 1] === '"') {
            parts.push('"');
            j = q + 2;
            continue;
          }
          j = q + 1;
          break;
        }
        value = parts.join('');
        // Anything between the closing quote and the delimiter is kept (lenient, as Excel does).
        let k = j;
        while (k < n && text[k] !== delimiter && text[k] !== '\n' && text[k] !== '\r') k++;
        if (k > j) value += text.slice(j, k).trim();
        i = k;
      } else {
        let k = i;
        while (k < n && text[k] !== delimiter && text[k] !== '\n' && text[k] !== '\r') k++;
        value = text.slice(i, k).trim();
        i = k;
      }
      // Fields past MAX_COLUMNS are dropped (no mapping can name them), so a row never breaks the
      // contract's limits and a chunk is never refused whole for one wide row (issue 12, finding 12).
      if (cells.length < MAX_COLUMNS) {
        if (value.length > MAX_FIELD_CHARS) {
          oversized.push(cells.length);
          value = value.slice(0, MAX_FIELD_CHARS);
        }
        cells.push(value);
      }
      if (i >= n) {
        endOfRecord = true;
      } else if (text[i] === delimiter) {
        i += 1;
        // A delimiter ending the file opens one more, empty, field.
        if (i >= n) {
          if (cells.length < MAX_COLUMNS) cells.push('');
          endOfRecord = true;
        }
      } else {
        if (text[i] === '\r' && text[i + 1] === '\n') i += 2;
        else i += 1;
        line += 1;
        endOfRecord = true;
      }
    }
    if (cells.every((c) => c === '')) continue;
    if (rows.length >= maxRows) {
      truncated = true;
      break;
    }
    rows.push({ line: startLine, cells, oversized });
  }
  return { delimiter, rows, truncated, unclosedQuoteAt };
}

function countLineBreaks(text: string, from: number, to: number): number {
  let count = 0;
  for (let k = text.indexOf('\n', from); k !== -1 && k < to; k = text.indexOf('\n', k + 1)) count++;
  if (count === 0) for (let k = text.indexOf('\r', from); k !== -1 && k < to; k = text.indexOf('\r', k + 1)) count++;
  return count;
}
