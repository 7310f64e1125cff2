import { deliver, scopeMayHaveChanged, wardScopeOf, type Core, type SessionBox } from '../core';
import type { ChangeMessage } from '../../shared/api/changes';

/** The IPC channel main sends change messages on (the preload's `echelonChanges`). */
export const CHANGES_CHANNEL = 'changes:message';

/**
 * Standalone mode: the notices of the local core go to each window as the server would send them to a
 * workstation (electron/server/changes.ts): only to a logged-in window, only what its ward scope
 * hears, marked `own` for the window that made the change. Plain Node, no Electron: the shell passes
 * its windows and a `send`. Returns the unsubscribe.
 */
export function relayLocalChanges(core: Core, windows: () => Iterable<[id: number, box: SessionBox]>, send: (windowId: number, message: ChangeMessage) => void): () => void {
  const scopes = new Map<number, { userId: number; wards: 'all' | ReadonlySet<number> }>();
  return core.changes.subscribe((notice, origin) => {
    for (const [id, box] of windows()) {
      const user = box.user;
      if (!user || box.locked) continue;
      let scope = scopes.get(id);
      if (!scope || scope.userId !== user.id || scopeMayHaveChanged(notice)) {
        scope = { userId: user.id, wards: wardScopeOf(core.db, user) };
        scopes.set(id, scope);
      }
      const message = deliver(notice, origin, { box, user, wards: scope.wards });
      if (message) send(id, message);
    }
  });
}
