import type { TestCore } from './core';

/**
 * The versions a screen would have shown (issue 15): each read through the query the screen uses, so
 * a test's edit sends back what a user would have seen, as the renderer does.
 */
export function bedVersion(c: TestCore, bedId: number): number {
  const wardId = c.db.prepare('SELECT ward_id FROM bed WHERE id = ?').pluck().get(bedId) as number;
  const bed = c.ok<{ beds: { id: number; version: number }[] }>('wards:board', { wardId }).beds.find((b) => b.id === bedId);
  if (!bed) throw new Error(`bed ${bedId} is not on its ward's board`);
  return bed.version;
}

export function transferVersion(c: TestCore, transferId: number): number {
  const episodeId = c.db.prepare('SELECT episode_id FROM transfer_request WHERE id = ?').pluck().get(transferId) as number;
  const t = c.ok<{ id: number; version: number }[]>('transfers:forEpisode', { episodeId }).find((x) => x.id === transferId);
  if (!t) throw new Error(`transfer ${transferId} is not in its episode's history`);
  return t.version;
}

/** Read as the session's user, who must be an administrator (users:list is theirs alone). */
export function userVersion(c: TestCore, userId: number): number {
  const u = c.ok<{ id: number; version: number }[]>('users:list', {}).find((x) => x.id === userId);
  if (!u) throw new Error(`user ${userId} not listed`);
  return u.version;
}

export function settingsVersion(c: TestCore): number {
  return c.ok<{ version: number }>('settings:get', {}).version;
}
