import { useCallback, useState } from 'react';

export const QUEUE_LAYOUTS = ['compact', 'cards'] as const;
export type QueueLayout = (typeof QUEUE_LAYOUTS)[number];

const keyOf = (username: string) => `echelon.queueLayout.${username}`;

/** The queue's layout this user chose on this workstation: compact (ten or more patients a screen) until they choose cards. */
function savedLayout(username: string): QueueLayout {
  return globalThis.localStorage?.getItem(keyOf(username)) === 'cards' ? 'cards' : 'compact';
}

/** The layout and its setter, which remembers the choice per user on this workstation (as the colour scheme is). */
export function useQueueLayout(username: string): [QueueLayout, (layout: QueueLayout) => void] {
  const [chosen, setChosen] = useState<{ username: string; layout: QueueLayout }>(() => ({ username, layout: savedLayout(username) }));
  const layout = chosen.username === username ? chosen.layout : savedLayout(username);
  const choose = useCallback(
    (next: QueueLayout) => {
      globalThis.localStorage?.setItem(keyOf(username), next);
      setChosen({ username, layout: next });
    },
    [username],
  );
  return [layout, choose];
}
