import type { Ctx } from '../context';

/** Why a cache write may be skipped without failing the report: the database cannot take a write just now. */
const WRITE_SKIPPED = new Set(['SQLITE_FULL', 'SQLITE_READONLY', 'SQLITE_BUSY', 'SQLITE_IOERR']);

export type CacheKind = 'population' | 'day' | 'awaiting';

/**
 * Per-facility report figures of a past instant ('population'), a period that is over ('day': its
 * movements, for a past day or today's hours so far; 'awaiting': who was awaiting review at the end of
 * a past day), read from
 * report_cache when there and computed and stored when not. Migration 8's triggers delete every
 * cached figure a write changes (anything at or before its `at`), so a cached figure is always what a
 * recomputation would give; only periods that are over are cached. The cache is derived data, not a
 * clinical record (not audited, not in exports). A report does not fail because its cache could not
 * be written (disk full, read-only media): it is only slower.
 */
export function cached<T>(
  ctx: Ctx,
  kind: CacheKind,
  fromAt: string,
  at: string,
  compute: () => Map<number, T>,
  empty: () => T,
  options: { replacesEarlier?: boolean } = {},
): Map<number, T> {
  if (at > ctx.now) throw new RangeError(`report cache: ${at} is not over yet (now ${ctx.now})`);
  const rows = ctx
    .stmt<[string, string, string], { facility_id: number; figures: string }>('SELECT facility_id, figures FROM report_cache WHERE kind = ? AND from_at = ? AND at = ?')
    .all(kind, fromAt, at);
  if (rows.length > 0) return new Map(rows.map((r) => [r.facility_id, JSON.parse(r.figures) as T]));
  const figures = compute();
  try {
    // A longer period from the same start (today's hours so far) supersedes the shorter ones.
    if (options.replacesEarlier) ctx.stmt<[string, string, string]>('DELETE FROM report_cache WHERE kind = ? AND from_at = ? AND at < ?').run(kind, fromAt, at);
    const put = ctx.stmt<[string, string, string, number, string]>('INSERT OR REPLACE INTO report_cache (kind, from_at, at, facility_id, figures) VALUES (?, ?, ?, ?, ?)');
    // Every facility gets a row, so a cached period is never mistaken for an uncomputed one.
    for (const id of ctx.stmt<[], number>('SELECT id FROM facility').pluck().all()) put.run(kind, fromAt, at, id, JSON.stringify(figures.get(id) ?? empty()));
  } catch (err) {
    const code = (err as { code?: unknown }).code;
    if (typeof code !== 'string' || !WRITE_SKIPPED.has(code)) throw err;
  }
  return figures;
}
