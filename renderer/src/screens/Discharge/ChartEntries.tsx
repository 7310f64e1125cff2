import { Button, Group, Stack } from '@mantine/core';
import { IconDoorExit, IconPrinter } from '@tabler/icons-react';
import { ErrorPanel } from '../../components/ErrorPanel';
import { useI18n } from '../../lib/i18n';
import { useNav } from '../../lib/nav';
import { useApiQuery } from '../../lib/query';
import { CheckPanel } from './CheckPanel';
import { DischargedPanel } from './DischargedPanel';
import { can } from '../../lib/can';
import type { ChartContext } from '../../components/chart/extensions';
import { LoadingSkeleton } from '../../components/LoadingSkeleton';

/** Chart header action: open the discharge screen for this patient (the check, then the form), or the summary once ended. */
export function StartDischargeAction(ctx: ChartContext) {
  const { t } = useI18n();
  const { go } = useNav();
  if (ctx.header.status !== 'active') {
    return (
      <Button variant="light" leftSection={<IconPrinter size={16} />} onClick={() => go('discharge', { episodeId: ctx.episodeId, view: 'summary' })}>
        {t('discharge.open_summary')}
      </Button>
    );
  }
  return (
    <Button variant="light" leftSection={<IconDoorExit size={16} />} onClick={() => go('discharge', { episodeId: ctx.episodeId })}>
      {t('discharge.start')}
    </Button>
  );
}

/** Chart tab: the release/discharge check with its evidence now, or the signed discharge. */
export function DischargeSection(ctx: ChartContext) {
  const { t } = useI18n();
  const { go } = useNav();
  const check = useApiQuery('discharge:check', { episodeId: ctx.episodeId });
  if (check.error) return <ErrorPanel error={check.error} onRetry={() => void check.refetch()} />;
  if (!check.data) return <LoadingSkeleton />;
  const d = check.data;
  const canDischarge = can(ctx.user, 'discharge:amend');
  return (
    <Stack gap="sm">
      <CheckPanel data={d} tz={d.timeZone} />
      {d.discharge ? (
        <DischargedPanel data={d} canAmend={canDischarge} onSummary={() => go('discharge', { episodeId: ctx.episodeId, view: 'summary' })} onReload={() => check.refetch()} />
      ) : (
        d.episode.status === 'active' && (
          <Group>
            <Button leftSection={<IconDoorExit size={16} />} onClick={() => go('discharge', { episodeId: ctx.episodeId })}>
              {t('discharge.start')}
            </Button>
          </Group>
        )
      )}
    </Stack>
  );
}
