import { Badge, Group, Paper, Stack, Text, Title } from '@mantine/core';
import { IconAlertTriangle, IconClockExclamation } from '@tabler/icons-react';
import type { ChartHeader as Header } from '../../../../shared/api/chart';
import { formatLocal } from '../../../../shared/domain/time';
import { formatAge } from '../../../../shared/domain/age';
import { useI18n } from '../../lib/i18n';
import { ClassBadge, FlagList, News2Badge, TierBadge } from '../../components/clinical';

/** Who the patient is, where, how ill (class, tier, NEWS2), why at risk (risk factors, flags with reasons). */
export function ChartHeader({ h, timeZone, actions }: { h: Header; timeZone: string; actions: React.ReactNode }) {
  const { t } = useI18n();
  const place = [h.facilityName, h.wardName, h.bedLabel ? t('chart.bed', { bed: h.bedLabel }) : null].filter(Boolean).join(' · ');
  return (
    <Paper withBorder p="sm" data-testid="chart-header">
      <Group justify="space-between" align="flex-start" wrap="nowrap" gap="sm">
        <Stack gap={6} style={{ minWidth: 0, flex: 1 }}>
          <Group gap="sm" wrap="wrap">
            <Title order={2} data-testid="chart-name">
              {h.name}
            </Title>
            <Text>
              {t(`sex.${h.sex}`)} · <span data-testid="chart-age">{formatAge(t, { years: h.ageYears, months: h.ageMonths })}</span>
              {h.idCardMasked ? ` · ${h.idCardMasked}` : ''}
            </Text>
            <Text c="dimmed" size="sm">
              {place}
            </Text>
            <Badge variant="outline" color="gray">
              {h.status === 'active' ? t('patient.day_of_stay', { n: h.dayOfStay }) : t(`chart.status.${h.status}`)}
            </Badge>
          </Group>
          <Group gap="xs" wrap="wrap">
            <ClassBadge cls={h.currentClass} proposed={h.proposal.proposed} t={t} size="lg" />
            <TierBadge tier={h.tier} t={t} size="lg" />
            <News2Badge total={h.news2?.total ?? null} band={h.news2?.band ?? null} complete={h.news2?.complete ?? null} missing={h.news2?.missing} t={t} size="lg" />
            {h.escalation && (
              <Badge
                color={h.escalation.level === 'emergency' ? 'red' : 'orange'}
                variant="filled"
                size="lg"
                leftSection={<IconAlertTriangle size={14} />}
                tt="none"
                maw="100%"
                title={t(`escalation.pending.${h.escalation.level}`, { total: h.escalation.news2Total })}
                data-testid="chart-escalation"
              >
                {t(`escalation.pending.${h.escalation.level}`, { total: h.escalation.news2Total })}
              </Badge>
            )}
            {h.news2 && (
              <Text size="xs" c="dimmed">
                {t(`news2.monitoring.${h.news2.monitoring}`)}
              </Text>
            )}
            {h.overdue && h.nextObsDueAt && (
              <Badge
                color="red"
                variant="light"
                tt="none"
                maw="100%"
                title={t('chart.obs_overdue', { at: formatLocal(h.nextObsDueAt, timeZone) })}
                leftSection={<IconClockExclamation size={14} />}
                data-testid="chart-overdue"
              >
                {t('chart.obs_overdue', { at: formatLocal(h.nextObsDueAt, timeZone) })}
              </Badge>
            )}
            <Text size="xs" c="dimmed">
              {t('chart.admitted', { at: formatLocal(h.admittedAt, timeZone) })}
              {h.lastRoundAt ? ` · ${t('chart.last_round', { at: formatLocal(h.lastRoundAt, timeZone) })}` : ''}
            </Text>
          </Group>
          <Group gap={6} wrap="wrap">
            <Text size="sm" fw={500}>
              {t('patient.risk_factors')}
            </Text>
            {h.riskFactors.length === 0 ? (
              <Text size="sm" c="dimmed">
                {t('chart.none')}
              </Text>
            ) : (
              h.riskFactors.map((r) => (
                // Sentence case and the whole name as a title: a long English factor is cut where the header is narrow.
                <Badge key={r} variant="light" color="grape" size="sm" tt="none" maw="100%" title={t(`risk.${r}`)}>
                  {t(`risk.${r}`)}
                </Badge>
              ))
            )}
            {h.allergies && (
              <Text size="sm" c="red">
                {t('chart.allergies', { text: h.allergies })}
              </Text>
            )}
            {h.chronicMedications && <Text size="sm">{t('chart.chronic', { text: h.chronicMedications })}</Text>}
          </Group>
          <div data-testid="chart-flags">
            <FlagList flags={h.flags.filter((f) => f.code !== 'risk_factors')} t={t} tz={timeZone} limit={4} />
          </div>
        </Stack>
        <Group gap="xs" justify="flex-end" maw={360} data-testid="chart-actions">
          {actions}
        </Group>
      </Group>
    </Paper>
  );
}
