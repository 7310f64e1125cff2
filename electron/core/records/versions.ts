import { AppError } from '../../../shared/errors';
import { formatLocal } from '../../../shared/domain/time';
import type { Ctx } from '../context';
import { settingsOf } from '../settings/settings';

/**
 * No lost updates (issue 15): an edit names the version it was made against, and is refused when the
 * row has changed since, naming who changed it and when. The versions are kept by triggers (migration
 * 17); the settings have one version for all their rows (settings/settings.ts).
 */
export type VersionedTable = 'bed' | 'transfer_request' | 'app_user' | 'setting';

/**
 * Where the audit log records the changes of each table. A null action list: every audit row of the
 * entity is a change. An account's audit rows also record its logins, which do not change its version.
 */
const CHANGES: Record<VersionedTable, { entity: string; actions: readonly string[] | null }> = {
  bed: { entity: 'bed', actions: null },
  transfer_request: { entity: 'transfer_request', actions: null },
  app_user: { entity: 'user', actions: ['user.create', 'user.update', 'user.reset_password', 'user.set_wards', 'auth.change_password'] },
  setting: { entity: 'setting', actions: null },
};

/** Who last changed a row and when, from its newest audit row. */
export interface LastChange {
  /** The display name of the user who made the change. */
  by: string;
  /** The audit row's instant (UTC ISO). */
  at: string;
}

interface LastChangeRow {
  at: string;
  by: string | null;
}

/** The newest audit row of an entity (audit_entity index): null when none names a user. */
export function lastChange(ctx: Ctx, table: VersionedTable, id: number | null): LastChange | null {
  const { entity, actions } = CHANGES[table];
  // Table names and actions are constants of this module, never user input.
  const onlyChanges = actions ? `AND a.action IN (${actions.map((a) => `'${a}'`).join(', ')})` : '';
  const row = ctx
    .stmt<[number | null], LastChangeRow>(
      `SELECT a.at, u.display_name AS by FROM audit a LEFT JOIN app_user u ON u.id = a.user_id
       WHERE a.entity = '${entity}' AND a.entity_id IS ? ${onlyChanges} ORDER BY a.id DESC LIMIT 1`,
    )
    .get(id);
  return row && row.by !== null ? { by: row.by, at: row.at } : null;
}

/** The stored version of a row; the settings' one version (1 + the sum of their rows'); null for a missing row. */
export function currentVersion(ctx: Ctx, table: VersionedTable, id: number | null): number | null {
  if (table === 'setting') return ctx.stmt<[], { v: number }>('SELECT 1 + coalesce(sum(version), 0) AS v FROM setting').get()?.v ?? 1;
  if (id === null) return null;
  return ctx.stmt<[number], { version: number }>(`SELECT version FROM ${table} WHERE id = ?`).get(id)?.version ?? null;
}

/**
 * The params of a refusal that names a change: who, the instant (`at`, UTC ISO) and the same instant on
 * the hospital's clock (`when`, e.g. `2022-03-20 14:05`), which is what the messages show.
 */
export function changeParams(ctx: Ctx, change: LastChange): { by: string; at: string; when: string } {
  return { by: change.by, at: change.at, when: formatLocal(change.at, settingsOf(ctx).timeZone) };
}

/**
 * Refuses an edit made against another version than the stored one: CONFLICT, key
 * `conflict.changed_since` with params by, at, when and version (the current one), or
 * `conflict.changed` with the version alone when no audit row names who changed it. Call it after the
 * handler has found the row (a missing row is the handler's NOT_FOUND), before anything is written.
 */
export function expectVersion(ctx: Ctx, target: { table: VersionedTable; id: number | null; version: number }): void {
  const current = currentVersion(ctx, target.table, target.id);
  if (current === null || current === target.version) return;
  const change = lastChange(ctx, target.table, target.id);
  throw new AppError('CONFLICT', `${target.table} ${target.id ?? ''} is at version ${current}, not ${target.version}`, {
    key: change ? 'conflict.changed_since' : 'conflict.changed',
    params: { version: current, ...(change ? changeParams(ctx, change) : {}) },
  });
}
