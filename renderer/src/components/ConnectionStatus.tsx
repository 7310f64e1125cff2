import { useSyncExternalStore } from 'react';
import { Badge, Tooltip } from '@mantine/core';
import { IconPlugConnected, IconPlugConnectedX } from '@tabler/icons-react';
import { formatLocal, DEFAULT_TIME_ZONE } from '../../../shared/domain/time';
import { networkMode } from '../lib/api';
import { connectionState, onConnection } from '../lib/transport';
import { useI18n } from '../lib/i18n';

const subscribe = (notify: () => void) => onConnection(() => notify());
const snapshot = () => connectionState().state;

/**
 * The header's word on the link to the Echelon server, in network mode only: connected, or offline
 * with the time the screen's values were last confirmed. The transport reconnects by itself.
 */
export function ConnectionStatus() {
  const { t } = useI18n();
  const state = useSyncExternalStore(subscribe, snapshot);
  if (!networkMode) return null;
  if (state === 'online') {
    return (
      <Badge variant="light" color="teal" leftSection={<IconPlugConnected size={14} />} data-testid="connection">
        {t('network.online')}
      </Badge>
    );
  }
  const time = formatLocal(connectionState().confirmedAt, DEFAULT_TIME_ZONE);
  return (
    <Tooltip label={t('network.offline_hint', { time })} multiline w={280}>
      <Badge variant="filled" color="red" leftSection={<IconPlugConnectedX size={14} />} role="status" data-testid="connection">
        {t('network.offline')}
      </Badge>
    </Tooltip>
  );
}
