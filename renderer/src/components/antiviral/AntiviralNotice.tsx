import { Alert, Group, Paper, Stack, Text } from '@mantine/core';
import { IconPill } from '@tabler/icons-react';
import { useApiQuery } from '../../lib/query';
import { useI18n } from '../../lib/i18n';
import { ClashList, StatusBadge, eligibleUndecided } from './parts';

/**
 * The round screen's line for the current bed (issue 19): shown only when there is something to act
 * on — an option the rules find eligible that nobody has decided on, or a clash of the patient's
 * chronic medicines with nirmatrelvir/ritonavir. The clashes fold to the first and "+N".
 */
export function AntiviralNotice({ episodeId }: { episodeId: number }) {
  const { t, locale } = useI18n();
  const q = useApiQuery('antiviral:get', { episodeId }, { keepPrevious: false });
  const view = q.data;
  if (!view) return null;
  const eligible = eligibleUndecided(view);
  const clashes = view.interactions.clashes;
  if (eligible.length === 0 && clashes.length === 0) return null;
  const severe = clashes.some((c) => c.severity === 'contraindicated');
  return (
    <Alert
      color={severe ? 'red' : 'orange'}
      variant="light"
      py={6}
      px="xs"
      icon={<IconPill size={18} />}
      title={t('antiviral_ui.notice.label')}
      data-testid="antiviral-notice"
      styles={{ title: { marginBottom: 2 } }}
    >
      <Stack gap={4}>
        {eligible.map((o) => (
          <Text key={o} size="sm" fw={600} data-eligible={o}>
            {t('antiviral_ui.notice.eligible_not_started', { option: t(`antiviral.option.${o}`) })}
          </Text>
        ))}
        {clashes.length > 0 && <ClashList clashes={clashes} t={t} locale={locale} limit={1} />}
      </Stack>
    </Alert>
  );
}

/**
 * The panel queue's review drawer (issue 19): the proposal per option and every clash with its
 * severity and advice, unfolded — the panel weighs them all.
 */
export function AntiviralSummary({ episodeId }: { episodeId: number }) {
  const { t, locale, errorText } = useI18n();
  const q = useApiQuery('antiviral:get', { episodeId }, { keepPrevious: false });
  const view = q.data;
  return (
    <Paper withBorder p="sm" data-testid="antiviral-summary">
      <Text fw={600} mb={4}>
        {t('antiviral_ui.notice.title')}
      </Text>
      {q.error && (
        <Text size="sm" c="red">
          {errorText(q.error)}
        </Text>
      )}
      {view && (
        <Stack gap={6}>
          {view.proposal.options.map((o) => {
            const decided = view.decisions.find((d) => d.option === o.option);
            return (
              <Group key={o.option} gap="xs" wrap="wrap" data-option={o.option}>
                <Text size="sm" fw={600}>
                  {t(`antiviral.option.${o.option}`)}
                </Text>
                <StatusBadge status={o.status} t={t} size="sm" />
                {decided && (
                  <Text size="sm" c="dimmed">
                    {decided.decision === 'start' ? t('antiviral_ui.started', { date: decided.startDate ?? '—' }) : t('antiviral_ui.decision.not_start')}
                  </Text>
                )}
              </Group>
            );
          })}
          {view.interactions.clashes.length > 0 ? (
            <ClashList clashes={view.interactions.clashes} t={t} locale={locale} />
          ) : (
            <Text size="sm" c="dimmed">
              {view.medications || view.legacyMedications ? t('antiviral_ui.notice.no_clashes') : t('antiviral_ui.interactions.no_list')}
            </Text>
          )}
        </Stack>
      )}
    </Paper>
  );
}
