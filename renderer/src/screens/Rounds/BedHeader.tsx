import { Badge, Button, Group, Paper, Stack, Text, Title } from '@mantine/core';
import { IconArrowLeft, IconArrowRight, IconClockExclamation, IconFlask, IconPlayerSkipForward, IconReportMedical, IconScan } from '@tabler/icons-react';
import { useI18n } from '../../lib/i18n';
import { useNav } from '../../lib/nav';
import { ClassBadge, News2Badge } from '../../components/clinical';
import type { Patient, RoundWalk } from './useRoundWalk';

/** The open bed: who, how ill, and the walk's buttons (previous, next, skip, results, chart). */
export function BedHeader({ bed, walk, onResults }: { bed: Patient; walk: RoundWalk; onResults: (kind: 'labs' | 'imaging') => void }) {
  const { t } = useI18n();
  const { go } = useNav();
  return (
    <Paper withBorder px="xs" py={6}>
      {/* The name never sits under the buttons: where both do not fit on one line, the buttons wrap below (issue 18). */}
      <Group justify="space-between" wrap="wrap" gap="xs">
        <Stack gap={2} style={{ minWidth: 0, flex: '1 1 16rem' }}>
          <Group gap="xs" wrap="nowrap">
            <Title order={4} data-testid="round-bed" style={{ whiteSpace: 'nowrap' }}>
              {bed.bedLabel ?? t('rounds.no_bed')} · {bed.name}
            </Title>
            <Text size="sm" c="dimmed" truncate>
              {t(`sex.${bed.sex}`)} · {bed.ageYears === null ? t('common.unknown') : t('patient.age_years', { n: bed.ageYears })} · {t('patient.day_of_stay', { n: bed.dayOfStay })}
            </Text>
          </Group>
          <Group gap={6} wrap="nowrap">
            <ClassBadge cls={bed.currentClass} proposed={bed.proposedClass} t={t} size="sm" />
            <News2Badge total={bed.news2Total} band={bed.news2Band} complete={bed.news2Complete} t={t} size="sm" />
            {bed.overdue && (
              <Badge size="sm" color="red" variant="light" leftSection={<IconClockExclamation size={12} />} style={{ flexShrink: 0 }} title={t('rounds.overdue')}>
                {t('rounds.overdue')}
              </Badge>
            )}
          </Group>
        </Stack>
        <Group gap={4} wrap="wrap" justify="flex-end">
          <Button
            variant="default"
            size="compact-md"
            leftSection={<IconArrowLeft size={16} />}
            onClick={() => walk.moveTo(walk.index - 1)}
            aria-keyshortcuts="Alt+ArrowLeft"
            title="Alt+←"
          >
            {t('rounds.previous')}
          </Button>
          <Button
            variant="default"
            size="compact-md"
            rightSection={<IconArrowRight size={16} />}
            onClick={() => walk.moveTo(walk.index + 1)}
            aria-keyshortcuts="Alt+ArrowRight"
            title="Alt+→"
          >
            {t('rounds.next')}
          </Button>
          <Button
            variant="light"
            color="gray"
            size="compact-md"
            leftSection={<IconPlayerSkipForward size={16} />}
            onClick={() => walk.mark('skipped')}
            aria-keyshortcuts="Alt+S"
            title="Alt+S"
          >
            {t('rounds.skip')}
          </Button>
          <Button variant="subtle" size="compact-md" leftSection={<IconFlask size={16} />} onClick={() => onResults('labs')}>
            {t('rounds.labs')}
          </Button>
          <Button variant="subtle" size="compact-md" leftSection={<IconScan size={16} />} onClick={() => onResults('imaging')}>
            {t('rounds.imaging')}
          </Button>
          <Button variant="subtle" size="compact-md" leftSection={<IconReportMedical size={16} />} onClick={() => go('chart', { episodeId: bed.episodeId })}>
            {t('rounds.open_chart')}
          </Button>
        </Group>
      </Group>
    </Paper>
  );
}
