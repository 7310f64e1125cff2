import { autoMap } from './cases';
import type { CsvRow } from './csv';

/**
 * Where the case list is in the sheet. District CDCs send lists with a title above the header
 * ("安次区新冠阳性感染者名单（3月19日）", a line naming who filled it in and when) and a totals row
 * at the end ("合计, 3人"). The header is the row whose cells name the most known columns; the rows
 * above it are ignored, and totals rows are set aside instead of being read as (bad) cases.
 */

/** Rows looked at for the header, and offered to the user to choose another. */
export const HEADER_SCAN_ROWS = 20;

/** How many known columns (autoMap's synonyms) a row's cells name. */
export function headerScore(cells: readonly string[]): number {
  return Object.values(autoMap(cells)).filter((i) => i !== null).length;
}

/**
 * Index (among `rows`) of the header: the first of the first HEADER_SCAN_ROWS rows with the highest
 * score. With no row naming any known column, the first row, as before (the user maps by hand).
 */
export function detectHeaderRow(rows: readonly CsvRow[]): number {
  let best = 0;
  let bestScore = 0;
  for (let i = 0; i < Math.min(rows.length, HEADER_SCAN_ROWS); i++) {
    const score = headerScore(rows[i]!.cells);
    if (score > bestScore) {
      best = i;
      bestScore = score;
    }
  }
  return best;
}

/**
 * A totals row names itself in its first non-empty cell: 合计 / 总计 / 小计 / 共计 / 累计 / 汇总 /
 * Total / Subtotal / Sum, alone or followed by a count ("合计3人", "合计：3例"), or "共3人".
 */
const TOTALS_RE =
  /^(?:(?:合\s*计|总\s*计|小\s*计|共\s*计|累\s*计|汇\s*总|总\s*数|grand\s*total|sub\s*total|total|sum)(?:\s*[:：]?\s*(?:\d+\s*[人例名个]?)?)?|共\s*\d+\s*[人例名个])$/i;
const COUNT_RE = /(\d+)\s*[人例名]/;

/** The count a totals row states ("3人" → 3), or null when it states none. */
export function statedCount(cells: readonly string[]): number | null {
  for (const c of cells) {
    const m = COUNT_RE.exec(c.normalize('NFKC'));
    if (m) return Number(m[1]);
  }
  return null;
}

export function isTotalsRow(cells: readonly string[]): boolean {
  const first = cells.find((c) => c.trim() !== '');
  return first !== undefined && TOTALS_RE.test(first.normalize('NFKC').trim());
}

export interface CaseListLayout {
  /** Index in the parsed rows of the header row. */
  headerIndex: number;
  header: CsvRow;
  /** Rows above the header (titles, notes): ignored, shown to the user. */
  above: CsvRow[];
  /** One row per case. */
  rows: CsvRow[];
  /** Totals rows found below the header, left out of `rows`. */
  totals: CsvRow[];
}

/** Splits the parsed rows at the header (detected unless given) and sets the totals rows aside. */
export function caseListLayout(parsed: readonly CsvRow[], headerIndex: number = detectHeaderRow(parsed)): CaseListLayout {
  const at = Math.max(0, Math.min(headerIndex, parsed.length - 1));
  const rows: CsvRow[] = [];
  const totals: CsvRow[] = [];
  for (const row of parsed.slice(at + 1)) (isTotalsRow(row.cells) ? totals : rows).push(row);
  return { headerIndex: at, header: parsed[at] ?? { line: 1, cells: [], oversized: [] }, above: parsed.slice(0, at), rows, totals };
}

/** A row as a short text for a select or a note: its first non-empty cells. */
export function rowGist(cells: readonly string[], maxCells = 4, maxChars = 48): string {
  const text = cells
    .map((c) => c.trim())
    .filter((c) => c !== '')
    .slice(0, maxCells)
    .join(' · ');
  return text.length > maxChars ? `${text.slice(0, maxChars - 1)}…` : text;
}
