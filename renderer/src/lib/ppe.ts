import { useSyncExternalStore } from 'react';

const subscribe = (changed: () => void) => {
  const watch = new MutationObserver(changed);
  watch.observe(document.documentElement, { attributes: true, attributeFilter: ['data-ppe'] });
  return () => watch.disconnect();
};

/** Whether PPE mode is on (PpeSwitch marks the document), for layouts that size rows in pixels. */
export function usePpe(): boolean {
  return useSyncExternalStore(
    subscribe,
    () => document.documentElement.dataset.ppe === 'on',
    () => false,
  );
}
