import { Badge, Group, Paper, ScrollArea, Stack, Text, UnstyledButton } from '@mantine/core';
import { IconCheck } from '@tabler/icons-react';
import { useI18n } from '../../lib/i18n';
import { BedListScore } from './BedSafety';
import type { Patient, RoundWalk } from './useRoundWalk';
import '../../components/rounds/rounds.css';

/** The ward's beds down the side: done (with the time), skipped, overdue, and each one's score. */
export function BedList({ beds, walk }: { beds: readonly Patient[]; walk: RoundWalk }) {
  const { t } = useI18n();
  const { marks, savedAt, index } = walk;
  return (
    <Paper withBorder className="round-bed-list">
      <ScrollArea h="calc(100vh - 160px)" type="auto">
        <Stack gap={0} role="list" aria-label={t('rounds.bed_list')}>
          {beds.map((b, i) => (
            <UnstyledButton
              key={b.episodeId}
              role="listitem"
              onClick={() => walk.moveTo(i)}
              px="xs"
              py={6}
              data-bed={b.bedLabel ?? ''}
              data-mark={marks[b.episodeId] ?? 'open'}
              aria-current={i === index ? 'true' : undefined}
              style={{ background: i === index ? 'var(--mantine-color-teal-light)' : undefined, borderBottom: '1px solid var(--mantine-color-default-border)' }}
            >
              <Group justify="space-between" wrap="wrap" gap={4}>
                <Text size="sm" fw={700} td={marks[b.episodeId] === 'skipped' ? 'line-through' : undefined} style={{ whiteSpace: 'nowrap' }}>
                  {b.bedLabel ?? t('rounds.no_bed')}
                </Text>
                {marks[b.episodeId] === 'done' ? (
                  <Badge size="xs" color="teal" leftSection={<IconCheck size={10} />} data-saved-at={savedAt[b.episodeId]}>
                    {savedAt[b.episodeId] ? t('rounds.saved_at', { at: savedAt[b.episodeId] ?? '' }) : t('rounds.done')}
                  </Badge>
                ) : marks[b.episodeId] === 'skipped' ? (
                  <Badge size="xs" color="gray" variant="outline" maw="100%" title={t('rounds.skipped')}>
                    {t('rounds.skipped')}
                  </Badge>
                ) : b.overdue ? (
                  <Badge size="xs" color="red" variant="light" maw="100%" title={t('rounds.overdue')}>
                    {t('rounds.overdue')}
                  </Badge>
                ) : null}
              </Group>
              <Text size="xs" truncate>
                {b.name}
              </Text>
              <BedListScore bed={b} />
            </UnstyledButton>
          ))}
        </Stack>
      </ScrollArea>
    </Paper>
  );
}
