import { Button, Group, Loader, Stack } from '@mantine/core';
import { IconDoorExit, IconPrinter } from '@tabler/icons-react';
import type { SessionUser } from '../../../../shared/api/auth';
import { ErrorPanel } from '../../components/ErrorPanel';
import { useI18n } from '../../lib/i18n';
import { useNav } from '../../lib/nav';
import { useApiQuery } from '../../lib/query';
import { CheckPanel } from './CheckPanel';
import { DischargedPanel } from './DischargedPanel';
import { DISCHARGE_ROLES } from '../../../../shared/api/discharge';

/** The part of the chart's ChartContext (screens/Chart/actions.tsx) that these entries use. */
interface ChartContext {
  episodeId: number;
  user: SessionUser;
  reload: () => void;
  header: { status: string };
}

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
  if (!check.data) return <Loader />;
  const d = check.data;
  const canDischarge = (DISCHARGE_ROLES as readonly string[]).includes(ctx.user.role);
  return (
    <Stack gap="sm">
      <CheckPanel data={d} tz={d.timeZone} />
      {d.discharge ? (
        <DischargedPanel
          data={d}
          canAmend={canDischarge}
          onChanged={() => {
            ctx.reload();
          }}
          onSummary={() => go('discharge', { episodeId: ctx.episodeId, view: 'summary' })}
        />
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
