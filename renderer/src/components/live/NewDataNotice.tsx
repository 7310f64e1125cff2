import { useEffect, useState } from 'react';
import { Alert, Button, Group, List, Text } from '@mantine/core';
import { IconRefreshAlert } from '@tabler/icons-react';
import { onNotice, type NoticeMessage } from '../../lib/live';
import { actionLabel, useI18n } from '../../lib/i18n';
import { formatLocal, DEFAULT_TIME_ZONE } from '../../../../shared/domain/time';

/** The notices of other sessions about this episode since the component mounted (a form opened); own saves do not count. */
export function useChangesSince(episodeId: number | null): { changes: NoticeMessage[]; dismiss: () => void } {
  const [changes, setChanges] = useState<NoticeMessage[]>([]);
  useEffect(() => {
    setChanges([]);
    if (episodeId === null) return undefined;
    return onNotice((m) => {
      if (!m.own && (m.notice.all || m.notice.episodes.includes(episodeId))) setChanges((xs) => [...xs, m].slice(-10));
    });
  }, [episodeId]);
  return { changes, dismiss: () => setChanges([]) };
}

/**
 * "New data for this patient since you opened it": what others saved while this form was open, by
 * whom and when. The form itself is never replaced: what the user typed stays, and the screen behind
 * it shows the new values already. Dismissing keeps the form as it is.
 */
export function NewDataNotice({ episodeId }: { episodeId: number | null }) {
  const { t } = useI18n();
  const { changes, dismiss } = useChangesSince(episodeId);
  if (changes.length === 0) return null;
  const what = (m: NoticeMessage) => (m.notice.all ? t('live.changed_everything') : m.notice.actions.map((a) => actionLabel(a, t)).join('、') || m.notice.channel);
  return (
    <Alert color="yellow" icon={<IconRefreshAlert size={18} />} title={t('live.new_data_title')} role="status" data-testid="new-data">
      <List size="sm" spacing={2}>
        {changes.map((m) => (
          <List.Item key={`${m.notice.stream}-${m.notice.seq}`}>
            {t('live.new_data_item', {
              time: formatLocal(m.notice.at, DEFAULT_TIME_ZONE),
              by: [m.notice.by.name ?? '—', m.notice.by.workstation].filter(Boolean).join(' · '),
              what: what(m),
            })}
          </List.Item>
        ))}
      </List>
      <Group justify="space-between" mt="xs" wrap="nowrap">
        <Text size="xs" c="dimmed">
          {t('live.new_data_hint')}
        </Text>
        <Button size="xs" variant="subtle" onClick={dismiss}>
          {t('live.new_data_dismiss')}
        </Button>
      </Group>
    </Alert>
  );
}
