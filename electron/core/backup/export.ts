import fs from 'node:fs';
import path from 'node:path';
import type { Db } from '../db/open';
import { EXPORTS_DIR, fsError, fsyncDir, stampOf } from './files';
import { CSV_BOM, CSV_EOL, csvLine, type CsvCell } from '../../../shared/csv';

/** Never leaves the database: password hashes are not "data for the hospital's records". */
const EXCLUDED_COLUMNS: Readonly<Record<string, readonly string[]>> = { app_user: ['password_hash'] };

const FLUSH_AT = 1 << 20;

/** A column value as a CSV cell through the one writer (shared/csv); a BLOB is written as hex. */
const exportCell = (v: unknown): CsvCell =>
  v === null || v === undefined || typeof v === 'number' || typeof v === 'bigint' || typeof v === 'string' ? v : Buffer.isBuffer(v) ? v.toString('hex') : String(v);
const exportLine = (values: readonly unknown[]): string => csvLine(values.map(exportCell)) + CSV_EOL;

const quoteIdent = (name: string) => `"${name.replace(/"/g, '""')}"`;

export interface ExportedTable {
  table: string;
  rows: number;
  file: string;
}

/**
 * Writes every table as `<dataDir>/exports/<stamp>/<table>.csv`, UTF-8 with a byte-order mark so
 * Excel reads the Chinese text, CRLF line ends. Runs inside the caller's transaction, so all files
 * show the same moment. On any failure the half-written folder is removed.
 */
export function exportCsv(db: Db, dataDir: string, now: string, tz: string): { folder: string; tables: ExportedTable[] } {
  const root = path.join(dataDir, EXPORTS_DIR);
  let folder = path.join(root, stampOf(now, tz));
  for (let i = 2; fs.existsSync(folder); i++) folder = path.join(root, `${stampOf(now, tz)}-${i}`);
  const tables = db.prepare(`SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name`).pluck().all() as string[];
  const out: ExportedTable[] = [];
  try {
    fs.mkdirSync(folder, { recursive: true });
    for (const table of tables) {
      const excluded = EXCLUDED_COLUMNS[table] ?? [];
      const columns = (db.prepare(`SELECT name FROM pragma_table_info(?) ORDER BY cid`).pluck().all(table) as string[]).filter((c) => !excluded.includes(c));
      const file = path.join(folder, `${table}.csv`);
      const rows = writeTable(db, table, columns, file);
      out.push({ table, rows, file: path.relative(dataDir, file) });
    }
    fsyncDir(folder);
  } catch (err) {
    fs.rmSync(folder, { recursive: true, force: true });
    throw fsError(err);
  }
  return { folder: path.relative(dataDir, folder), tables: out };
}

function writeTable(db: Db, table: string, columns: string[], file: string): number {
  const fd = fs.openSync(file, 'wx');
  try {
    let buf = CSV_BOM + exportLine(columns);
    let rows = 0;
    // Its own statement, not the shared cache: raw mode (arrays) would change it for every other user.
    const stmt = db.prepare(`SELECT ${columns.map(quoteIdent).join(', ')} FROM ${quoteIdent(table)}`).raw(true);
    for (const row of stmt.iterate() as IterableIterator<unknown[]>) {
      buf += exportLine(row);
      rows += 1;
      if (buf.length >= FLUSH_AT) {
        fs.writeSync(fd, buf);
        buf = '';
      }
    }
    fs.writeSync(fd, buf);
    fs.fsyncSync(fd);
    return rows;
  } finally {
    fs.closeSync(fd);
  }
}
