import { createContext, useContext } from 'react';
import type { SessionUser } from '../../../shared/api/auth';
import type { SettingsValue } from '../../../shared/api/settings';

/** What screens may do with the window's session: lock it, hand the workstation to someone else, or end it (after a restore). */
export interface SessionActions {
  user: SessionUser;
  lock: () => void;
  switchUser: () => void;
  /** The session is gone on the core's side (restore, deactivation): show the login screen. */
  ended: () => void;
  /** The hospital settings changed (the idle lock time): read them again. */
  settingsChanged: () => void;
  /** The hospital settings, once read (round mode's late-entry threshold). */
  settings?: SettingsValue;
}

export const SessionContext = createContext<SessionActions | null>(null);

export function useSession(): SessionActions {
  const v = useContext(SessionContext);
  if (!v) throw new Error('useSession outside the Shell');
  return v;
}
