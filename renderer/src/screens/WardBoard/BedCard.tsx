import { Badge, Button, Card, Group, Stack, Text, Tooltip, UnstyledButton } from '@mantine/core';
import { IconAlertTriangle, IconClockExclamation } from '@tabler/icons-react';
import type { Bed } from '../../../../shared/api/facilities';
import { formatLocal } from '../../../../shared/domain/time';
import { useI18n } from '../../lib/i18n';
import { BED_STATE_COLOR } from '../../theme';
import { CLASS_COLOR, ClassBadge, News2Badge } from '../../components/clinical';

/**
 * One bed of the ward board. An occupied bed shows who is in it and how ill: class (colour and
 * name), NEWS2 with its band, tier, flags, an overdue-observation marker and an unanswered escalation;
 * clicking opens the chart.
 */
export function BedCard({ bed, onAdmit, onOpen, timeZone }: { bed: Bed; onAdmit: (() => void) | undefined; onOpen?: (episodeId: number) => void; timeZone?: string }) {
  const { t } = useI18n();
  const o = bed.occupant;
  const cls = o ? (o.currentClass ?? o.proposedClass) : null;
  const edge = cls ? `var(--mantine-color-${CLASS_COLOR[cls] ?? 'gray'}-6)` : `var(--mantine-color-${BED_STATE_COLOR[bed.state]}-6)`;
  const flags = o ? o.flags.filter((f) => f !== 'risk_factors') : [];
  const body = (
    <>
      <Group justify="space-between" mb={4} wrap="nowrap" gap={6}>
        <Text fw={700} size="sm" style={{ whiteSpace: 'nowrap' }}>
          {bed.label}
        </Text>
        {o ? (
          // The badges never shrink: a tier or an overdue marker cut to "T·" or "OVER…" says nothing.
          <Group gap={4} wrap="nowrap" style={{ flexShrink: 0 }}>
            {o.overdue && (
              <Tooltip label={t('board.obs_overdue')}>
                <Badge
                  size="sm"
                  color="red"
                  variant="light"
                  px={6}
                  leftSection={<IconClockExclamation size={12} />}
                  styles={{ label: { overflow: 'visible' } }}
                  data-testid="overdue"
                >
                  {t('board.overdue_short')}
                </Badge>
              </Tooltip>
            )}
            {o.tier && (
              <Badge size="sm" variant="outline" color="indigo" px={6} styles={{ label: { overflow: 'visible' } }}>
                {o.tier}
              </Badge>
            )}
          </Group>
        ) : (
          <Badge size="sm" variant="light" color={BED_STATE_COLOR[bed.state]}>
            {t(`bed.state.${bed.state}`)}
          </Badge>
        )}
      </Group>
      {o ? (
        <Stack gap={3}>
          <Text fw={600} size="lg" lh={1.2}>
            {o.name}
          </Text>
          <Text size="sm" c="dimmed">
            {t(`sex.${o.sex}`)} · {o.ageYears === null ? t('common.unknown') : t('patient.age_years', { n: o.ageYears })} · {t('patient.day_of_stay', { n: o.dayOfStay })}
          </Text>
          <Group gap={4} wrap="wrap">
            <ClassBadge cls={o.currentClass} proposed={o.proposedClass} t={t} size="sm" />
            <News2Badge total={o.news2Total} band={o.news2Band} complete={o.news2Complete} t={t} size="sm" />
          </Group>
          {o.escalation && (
            // A score that called for a clinical response nobody has answered: stays until someone does (issue 13).
            <Tooltip label={t('escalation.pending_hint', { at: formatLocal(o.escalation.measuredAt, timeZone) })} multiline w={260}>
              <Badge
                size="md"
                color={o.escalation.level === 'emergency' ? 'red' : 'orange'}
                variant="filled"
                leftSection={<IconAlertTriangle size={14} />}
                styles={{ label: { overflow: 'visible' } }}
                data-testid="bed-escalation"
                data-level={o.escalation.level}
              >
                {t(`escalation.pending.${o.escalation.level}`, { total: o.escalation.news2Total })}
              </Badge>
            </Tooltip>
          )}
          {flags.length > 0 && (
            <Tooltip label={flags.map((f) => t(`flag.${f}`)).join(t('chart.list_sep'))} multiline w={260}>
              <Group gap={4} wrap="nowrap" data-testid="bed-flags">
                <IconAlertTriangle size={14} color="var(--mantine-color-red-7)" aria-hidden />
                <Text size="xs" c="red.8" fw={600} truncate>
                  {t('board.flags', { n: flags.length, first: t(`flag.${flags[0]}`) })}
                </Text>
              </Group>
            </Tooltip>
          )}
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
    </>
  );
  return (
    <Card withBorder padding="sm" radius="md" data-testid={`bed-${bed.label}`} data-state={bed.state} data-class={cls ?? undefined} style={{ borderLeft: `5px solid ${edge}` }}>
      {o && onOpen ? (
        <UnstyledButton onClick={() => onOpen(o.episodeId)} aria-label={t('board.open_chart', { name: o.name, bed: bed.label })} style={{ display: 'block', width: '100%' }}>
          {body}
        </UnstyledButton>
      ) : (
        body
      )}
    </Card>
  );
}
