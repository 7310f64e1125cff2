import { Badge, Button, Card, Group, Stack, Text } from '@mantine/core';
import type { Bed } from '../../../../shared/api/facilities';
import { useI18n } from '../../lib/i18n';
import { BED_STATE_COLOR } from '../../theme';

export function BedCard({ bed, onAdmit }: { bed: Bed; onAdmit: (() => void) | undefined }) {
  const { t } = useI18n();
  const o = bed.occupant;
  return (
    <Card withBorder padding="sm" radius="md" data-testid={`bed-${bed.label}`} data-state={bed.state} style={{ borderLeft: `4px solid var(--mantine-color-${BED_STATE_COLOR[bed.state]}-6)` }}>
      <Group justify="space-between" mb={4} wrap="nowrap">
        <Text fw={700} size="sm">
          {bed.label}
        </Text>
        <Badge size="sm" variant="light" color={BED_STATE_COLOR[bed.state]}>
          {t(`bed.state.${bed.state}`)}
        </Badge>
      </Group>
      {o ? (
        <Stack gap={2}>
          <Text fw={600} size="lg" lh={1.2}>
            {o.name}
          </Text>
          <Text size="sm" c="dimmed">
            {t(`sex.${o.sex}`)} · {o.ageYears === null ? t('common.unknown') : t('patient.age_years', { n: o.ageYears })} · {t('patient.day_of_stay', { n: o.dayOfStay })}
          </Text>
        </Stack>
      ) : (
        <Group justify="space-between" mih={46}>
          <Text size="sm" c="dimmed">
            {bed.tags.map((tag) => t(`bed.tag.${tag}`)).join(' · ') || '—'}
          </Text>
          {bed.state === 'free' && onAdmit && (
            <Button size="compact-sm" variant="light" onClick={onAdmit} aria-label={t('board.admit_to', { bed: bed.label })}>
              {t('board.admit_short')}
            </Button>
          )}
        </Group>
      )}
    </Card>
  );
}
