import { useSyncExternalStore } from 'react';
import { Badge, Tooltip } from '@mantine/core';
import { IconPlugConnected, IconPlugConnectedX } from '@tabler/icons-react';
import { formatLocal, DEFAULT_TIME_ZONE } from '../../../shared/domain/time';
import { networkMode } from '../lib/api';
import { connectionState, onConnection } from '../lib/transport';
import { desktopLink, onDesktopLink } from '../lib/live';
import { useI18n } from '../lib/i18n';

const subscribe = (notify: () => void) => {
  const stopHttp = onConnection(() => notify());
  const stopLink = onDesktopLink(notify);
  return () => {
    stopHttp();
    stopLink();
  };
};

/** The browser's link (lib/transport.ts), or a connected desktop app's change socket (lib/live.ts); null when standalone. */
function link(): { up: boolean; confirmedAt: number } | null {
  if (networkMode) {
    const c = connectionState();
    return { up: c.state === 'online', confirmedAt: c.confirmedAt };
  }
  const d = desktopLink();
  return d.remote ? d : null;
}
const snapshot = () => {
  const l = link();
  return l === null ? 'none' : l.up ? 'online' : `offline:${l.confirmedAt}`;
};

/**
 * The header's word on the link to the Echelon server, in a browser or a connected desktop app (never
 * standalone): connected, or offline with the time the screen's values were last confirmed. Both
 * reconnect by themselves.
 */
export function ConnectionStatus() {
  const { t } = useI18n();
  const state = useSyncExternalStore(subscribe, snapshot);
  const l = link();
  if (state === 'none' || l === null) return null;
  if (l.up) {
    return (
      <Badge variant="light" color="teal" leftSection={<IconPlugConnected size={14} />} data-testid="connection">
        {t('network.online')}
      </Badge>
    );
  }
  const time = formatLocal(l.confirmedAt, DEFAULT_TIME_ZONE);
  return (
    <Tooltip label={t('network.offline_hint', { time })} multiline w={280}>
      <Badge variant="filled" color="red" leftSection={<IconPlugConnectedX size={14} />} role="status" data-testid="connection">
        {t('network.offline')}
      </Badge>
    </Tooltip>
  );
}
