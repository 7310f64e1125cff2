import { useEffect } from 'react';
import { Button, Stack, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconTransfer } from '@tabler/icons-react';
import { onNotice, startLive } from '../../lib/live';
import { useI18n } from '../../lib/i18n';
import { useNav } from '../../lib/nav';
import { formatLocal, DEFAULT_TIME_ZONE } from '../../../../shared/domain/time';

/**
 * Hears the network's change notices while a user is logged in (lib/live.ts; the query cache
 * applies them), and tells a receiving ward of each transfer heading for it: a notification that
 * stays until read, with the way to the incoming list.
 */
export function LiveUpdates() {
  const { t } = useI18n();
  const { go } = useNav();
  useEffect(() => startLive(), []);
  useEffect(
    () =>
      onNotice((m) => {
        if (!m.incoming) return;
        const id = `incoming-${m.notice.stream}-${m.notice.seq}`;
        notifications.show({
          id,
          color: 'orange',
          autoClose: false,
          icon: <IconTransfer size={18} />,
          title: t('live.incoming_title'),
          message: (
            <Stack gap={4} data-testid="incoming-transfer">
              <Text size="sm">
                {t(m.notice.actions.includes('transfer.assign_bed') ? 'live.incoming_bed' : 'live.incoming_request', {
                  by: m.notice.by.name ?? '—',
                  time: formatLocal(m.notice.at, DEFAULT_TIME_ZONE),
                })}
              </Text>
              <Button
                size="xs"
                variant="light"
                w="fit-content"
                onClick={() => {
                  notifications.hide(id);
                  go('beds', { wardId: m.notice.incoming[0] ?? 0 });
                }}
              >
                {t('live.incoming_open')}
              </Button>
            </Stack>
          ),
        });
      }),
    [t, go],
  );
  return null;
}
