import { useEffect, useRef } from 'react';

const ACTIVITY = ['pointerdown', 'pointermove', 'keydown', 'wheel', 'touchstart'] as const;

/**
 * Calls `onIdle` once after `minutes` without keyboard, pointer or touch activity anywhere in the
 * window. Checked every few seconds against the clock rather than with one long timer, so a laptop
 * waking from sleep locks at once.
 */
export function useIdleTimer(minutes: number, onIdle: () => void, enabled: boolean): void {
  const last = useRef(Date.now());
  const fired = useRef(false);
  const callback = useRef(onIdle);
  callback.current = onIdle;

  useEffect(() => {
    if (!enabled) return;
    last.current = Date.now();
    fired.current = false;
    const touch = () => {
      last.current = Date.now();
    };
    for (const e of ACTIVITY) window.addEventListener(e, touch, { capture: true, passive: true });
    const timer = window.setInterval(() => {
      if (!fired.current && Date.now() - last.current >= minutes * 60_000) {
        fired.current = true;
        callback.current();
      }
    }, 5_000);
    return () => {
      for (const e of ACTIVITY) window.removeEventListener(e, touch, { capture: true });
      window.clearInterval(timer);
    };
  }, [minutes, enabled]);
}
