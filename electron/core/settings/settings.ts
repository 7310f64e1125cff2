import type Database from 'better-sqlite3';
import { DEFAULT_TIME_ZONE } from '../../../shared/domain/time';
import { DEFAULT_LATE_ENTRY_HOURS, type SettingsValue } from '../../../shared/api/settings';

export type Settings = SettingsValue;

export const DEFAULT_SETTINGS: Settings = { timeZone: DEFAULT_TIME_ZONE, idleLockMinutes: 10, backupKeep: 14, lateEntryHours: DEFAULT_LATE_ENTRY_HOURS, version: 1 };

/** Anything that prepares statements: a handler's Ctx or OpCtx. */
interface Reader {
  stmt<P extends unknown[] | {} = unknown[], R = unknown>(sql: string): Database.Statement<P, R>;
}

/**
 * Hospital settings, stored as key/value rows; absent keys take their defaults. Their one version is
 * 1 + the sum of the rows' versions (migration 17): every edit bumps a row or adds one at 1, and rows are
 * never deleted, so it grows with every change (records/versions.ts reads it the same way).
 */
export function settingsOf(ctx: Reader): Settings {
  const rows = ctx.stmt<[], { key: string; value: string; version: number }>('SELECT key, value, version FROM setting').all();
  const s: Settings = { ...DEFAULT_SETTINGS };
  for (const r of rows) {
    s.version += r.version;
    if (r.key === 'timeZone') s.timeZone = r.value;
    if (r.key === 'idleLockMinutes') s.idleLockMinutes = Number(r.value);
    if (r.key === 'backupKeep') s.backupKeep = Number(r.value);
    if (r.key === 'lateEntryHours') s.lateEntryHours = Number(r.value);
  }
  return s;
}
