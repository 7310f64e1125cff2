/**
 * The one CSV writer (DESIGN.md §6): reports, the backup's table export and the import's skipped-rows
 * report all write through it, so every CSV we hand out neutralises spreadsheet formulas the same way.
 * Pure: the core and the renderer both import it.
 */

export type CsvCell = string | number | bigint | null | undefined;

/** A byte-order mark, so Excel on a Chinese Windows opens the file as UTF-8. */
export const CSV_BOM = '\uFEFF';
export const CSV_EOL = '\r\n';

/**
 * One field (RFC 4180): quoted when it holds a quote, comma, CR or LF, or leading/trailing space;
 * quotes doubled; null as an empty field. Text that a spreadsheet would run as a formula (starting
 * with = + - @, a tab or a CR) gets a leading apostrophe (OWASP "CSV injection"): a name typed as
 * `=HYPERLINK(…)` at admission, or a cell of an imported case list, must never become live on the
 * administrator's machine. Numbers are written as numbers, so negative values are untouched.
 */
export function csvCell(v: CsvCell): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'number') return Number.isFinite(v) ? String(v) : '';
  if (typeof v === 'bigint') return String(v);
  const s = /^[=+\-@\t\r]/.test(v) ? `'${v}` : v;
  return /[",\r\n]/.test(s) || s !== s.trim() ? `"${s.replaceAll('"', '""')}"` : s;
}

/** One record, without its line end. */
export function csvLine(values: readonly CsvCell[]): string {
  return values.map(csvCell).join(',');
}

/** Whole records with CRLF line ends, the last one ended too; no BOM (the caller adds it where the file starts). */
export function csvText(rows: readonly (readonly CsvCell[])[]): string {
  return rows.map((r) => csvLine(r) + CSV_EOL).join('');
}
