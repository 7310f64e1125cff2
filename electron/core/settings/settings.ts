import type { Ctx } from '../context';
import { DEFAULT_TIME_ZONE } from '../../../shared/domain/time';

export interface Settings {
  timeZone: string;
  idleLockMinutes: number;
}

const DEFAULTS: Settings = { timeZone: DEFAULT_TIME_ZONE, idleLockMinutes: 10 };

/** Hospital settings, stored as key/value rows; absent keys take their defaults. */
export function settingsOf(ctx: Ctx): Settings {
  const rows = ctx.stmt<[], { key: string; value: string }>('SELECT key, value FROM setting').all();
  const s: Settings = { ...DEFAULTS };
  for (const r of rows) {
    if (r.key === 'timeZone') s.timeZone = r.value;
    if (r.key === 'idleLockMinutes') s.idleLockMinutes = Number(r.value);
  }
  return s;
}
