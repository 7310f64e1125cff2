import type { DomainHandlers } from '../context';
import { settingsOf, type Settings } from './settings';
import { expectVersion } from '../records/versions';

export const settingsHandlers: DomainHandlers<'settings'> = {
  get(ctx) {
    return settingsOf(ctx);
  },

  update(ctx, input) {
    expectVersion(ctx, { table: 'setting', id: null, version: input.version });
    const before = settingsOf(ctx);
    const changed: Partial<Settings> = {};
    const put = ctx.stmt('INSERT INTO setting (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value');
    for (const key of ['timeZone', 'idleLockMinutes', 'backupKeep', 'lateEntryHours'] as const) {
      const value = input[key];
      if (value === undefined || value === before[key]) continue;
      put.run(key, String(value));
      Object.assign(changed, { [key]: value });
    }
    const after = settingsOf(ctx);
    const keys = Object.keys(changed) as (keyof Settings)[];
    ctx.audit({
      action: 'settings.update',
      entity: 'setting',
      before: Object.fromEntries(keys.map((k) => [k, before[k]])),
      after: changed,
    });
    return after;
  },
};
