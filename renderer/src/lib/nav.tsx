import { createContext, useContext, useMemo, useState, useTransition, type ReactNode } from 'react';

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
  /** The screen being opened while its code is still being fetched (issue 17), else null. */
  opening: ScreenId | null;
}

const Ctx = createContext<Nav | null>(null);

export function NavProvider({ initial, children }: { initial: ScreenId; children: ReactNode }) {
  const [route, setRoute] = useState<Route>({ screen: initial, params: {} });
  const [target, setTarget] = useState<ScreenId | null>(null);
  const [pending, startTransition] = useTransition();
  // A transition: while a screen's code is fetched the current screen stays in place (and usable),
  // instead of a blank fallback flashing between the two.
  const value = useMemo<Nav>(
    () => ({
      route,
      opening: pending ? target : null,
      go: (screen, params = {}) => {
        setTarget(screen);
        startTransition(() => setRoute({ screen, params }));
      },
    }),
    [route, pending, target],
  );
  return <Ctx.Provider value={value}>{children}</Ctx.Provider>;
}

export function useNav(): Nav {
  const v = useContext(Ctx);
  if (!v) throw new Error('useNav outside NavProvider');
  return v;
}
