import { useCallback, useMemo, useState, type ReactNode } from 'react';
import type { SessionUser } from '../../../shared/api/auth';
import { api } from '../lib/api';
import { useApiQuery } from '../lib/query';
import { useIdleTimer } from '../lib/idle';
import { SessionContext, type SessionActions } from '../lib/session';
import { LockOverlay, type LockReason } from './LockScreen';

const DEFAULT_IDLE_MINUTES = 10;

/**
 * The session around the app: the idle lock (from the hospital's setting), the manual lock, and the
 * actions screens use. Locking tells the core too, which then refuses every call but unlock and logout.
 */
export function SessionFrame({ user, onLogout, children }: { user: SessionUser; onLogout: () => void; children: ReactNode }) {
  const settings = useApiQuery('settings:get', {});
  const refetchSettings = settings.refetch;
  const minutes = settings.data?.idleLockMinutes ?? DEFAULT_IDLE_MINUTES;
  const [lock, setLock] = useState<LockReason | null>(null);

  const lockNow = useCallback((reason: LockReason) => {
    setLock(reason);
    api.auth.lock({}).catch((err: unknown) => console.warn('the core did not record the lock', err));
  }, []);

  useIdleTimer(minutes, () => lockNow({ kind: 'idle', minutes }), lock === null);

  const logout = useCallback(async () => {
    try {
      await api.auth.logout({});
    } finally {
      onLogout();
    }
  }, [onLogout]);

  const actions = useMemo<SessionActions>(
    () => ({
      user,
      lock: () => lockNow({ kind: 'manual' }),
      switchUser: () => void logout(),
      ended: onLogout,
      settingsChanged: () => void refetchSettings(),
      settings: settings.data,
    }),
    [user, lockNow, logout, onLogout, refetchSettings, settings.data],
  );

  return (
    <SessionContext.Provider value={actions}>
      {children}
      {lock && <LockOverlay user={user} reason={lock} onUnlocked={() => setLock(null)} onSwitchUser={() => void logout()} onEnded={onLogout} />}
    </SessionContext.Provider>
  );
}
