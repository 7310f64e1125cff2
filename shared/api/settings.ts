import { z } from 'zod';
import { command, query, NOT_WARD_DATA, ADMIN_ONLY } from './define';
import { RowVersion } from './version';
import { NoInput } from './fields';

/** True for an IANA time zone name this runtime knows (`Asia/Shanghai`). */
export function isTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: tz });
    return true;
  } catch (err) {
    if (err instanceof RangeError) return false;
    throw err;
  }
}

/** Default of `lateEntryHours`: a round entered 4 h or more after it was measured is unusual (issue 13). */
export const DEFAULT_LATE_ENTRY_HOURS = 4;

export const SettingsSchema = z.object({
  timeZone: z.string(),
  /** Minutes without keyboard or pointer activity before the screen locks. */
  idleLockMinutes: z.number().int(),
  /** How many dated backups the backups folder keeps. */
  backupKeep: z.number().int(),
  /** A round measured more than this many hours before it is saved asks the user to confirm the time. */
  lateEntryHours: z.number().int(),
  /**
   * One version for all the settings: 1 + the sum of the versions of their key/value rows (migration 17).
   * Every saved change bumps a row or adds one, and rows are never deleted, so it grows with each change.
   */
  version: RowVersion,
});
export type SettingsValue = z.infer<typeof SettingsSchema>;

export const SettingsUpdateSchema = z.strictObject({
  timeZone: z.string().trim().max(64).refine(isTimeZone, { error: 'validation.time_zone' }).optional(),
  idleLockMinutes: z.number().int().min(1).max(120).optional(),
  backupKeep: z.number().int().min(1).max(365).optional(),
  lateEntryHours: z.number().int().min(1).max(72).optional(),
  version: RowVersion,
});

export const settings = {
  get: query({ input: NoInput, output: SettingsSchema, scope: NOT_WARD_DATA, access: 'authenticated' }),
  update: command({ input: SettingsUpdateSchema, output: SettingsSchema, scope: ADMIN_ONLY, access: ['admin'] }),
};
