import { createContext, useContext, useMemo, useState, type ReactNode } from 'react';

/**
 * In-app navigation without a router: the current screen id and its parameters. Screens call
 * `go('chart', { episodeId })` to open another screen; the Shell renders by `route.screen`.
 */
export type ScreenId = string;
export interface Route {
  screen: ScreenId;
  params: Record<string, number | string | undefined>;
}

interface Nav {
  route: Route;
  go: (screen: ScreenId, params?: Route['params']) => void;
}

const Ctx = createContext<Nav | null>(null);

export function NavProvider({ initial, children }: { initial: ScreenId; children: ReactNode }) {
  const [route, setRoute] = useState<Route>({ screen: initial, params: {} });
  const value = useMemo<Nav>(() => ({ route, go: (screen, params = {}) => setRoute({ screen, params }) }), [route]);
  return <Ctx.Provider value={value}>{children}</Ctx.Provider>;
}

export function useNav(): Nav {
  const v = useContext(Ctx);
  if (!v) throw new Error('useNav outside NavProvider');
  return v;
}
