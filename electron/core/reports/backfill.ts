import type { Db } from '../db/open';
import { Ctx } from '../context';
import { settingsOf } from '../settings/settings';
import { backfillAwaitingSpans } from './history';

const WRITE_SKIPPED = new Set(['SQLITE_FULL', 'SQLITE_READONLY', 'SQLITE_BUSY', 'SQLITE_IOERR']);

/**
 * At start, when migration 19 (or a change of a patient, an SpO2 scale or the time zone since) left
 * days without spans: fills them (reports/history.ts) in one transaction, and clears the mark.
 */
export function backfillPendingAwaiting(db: Db, now: string): { spans: number } | null {
  if (db.prepare('SELECT 1 FROM awaiting_backfill').get() === undefined) return null;
  try {
    return db
      .transaction(() => {
        const ctx = new Ctx(db, now, { user: null });
        const spans = backfillAwaitingSpans(ctx, settingsOf(ctx).timeZone);
        db.prepare('DELETE FROM awaiting_backfill').run();
        return { spans };
      })
      .immediate();
  } catch (err) {
    // Derived data: a database that cannot take the write now (full, read-only, busy) still starts;
    // its reports compute what no span covers, and the mark stays for the next start.
    const code = (err as { code?: unknown }).code;
    if (typeof code !== 'string' || !WRITE_SKIPPED.has(code)) throw err;
    return null;
  }
}
