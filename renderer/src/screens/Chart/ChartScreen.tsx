import { useState } from 'react';
import { Alert, Button, Drawer, Group, Stack, Tabs } from '@mantine/core';
import { IconArrowLeft, IconClipboardHeart, IconFlask, IconScan } from '@tabler/icons-react';
import type { SessionUser } from '../../../../shared/api/auth';
import { can, canChangeSpo2Scale } from '../../lib/can';
import { useApiQuery } from '../../lib/query';
import { useI18n } from '../../lib/i18n';
import { useNav } from '../../lib/nav';
import { ErrorPanel } from '../../components/ErrorPanel';
import type { ChartContext, ChartExtensions } from '../../components/chart/extensions';
import { RoundForm } from '../../components/rounds/RoundForm';
import { ChartHeader } from './ChartHeader';
import { ClassTierPanel } from './ClassTierPanel';
import { PlanPanel } from './PlanPanel';
import { AntiviralPanel } from './AntiviralPanel';
import { ImagingDrawer, LabDrawer } from '../../components/results/ResultForms';
import { ResultsPanel } from './ResultsPanel';
import { RoundsTable } from './RoundsTable';
import { TrendsPanel } from './TrendsPanel';
import { LoadingSkeleton } from '../../components/LoadingSkeleton';

/** 患者详情: header, trends, rounds and results, class and tier, the plan — and other features' sections. */
export function ChartScreen({ user, episodeId, extensions }: { user: SessionUser; episodeId: number | undefined; extensions: ChartExtensions }) {
  const { t } = useI18n();
  const { go } = useNav();
  const chart = useApiQuery('chart:get', episodeId ? { episodeId } : null);
  const [tab, setTab] = useState<string | null>('trends');
  const [drawer, setDrawer] = useState<'round' | 'labs' | 'imaging' | null>(null);

  if (!episodeId) return <Alert color="gray">{t('chart.no_patient')}</Alert>;
  if (chart.error) return <ErrorPanel error={chart.error} onRetry={() => void chart.refetch()} />;
  if (!chart.data) return <LoadingSkeleton kind="page" />;
  const c = chart.data;
  const h = c.header;
  const active = h.status === 'active';
  const canRound = can(user, 'rounds:record') && active;
  const canResult = can(user, 'results:record') && active;
  const ctx: ChartContext = { episodeId: h.episodeId, patientId: h.patientId, user, header: h };
  const lastRound = c.rounds.find((r) => r.status === 'current') ?? null;
  // After a save the query cache refreshes the chart by itself (QueryProvider): closing is all that is left.
  const close = () => setDrawer(null);

  const actions = (
    <>
      {canRound && (
        <Button leftSection={<IconClipboardHeart size={18} />} onClick={() => setDrawer('round')} data-testid="chart-record-round">
          {t('chart.record_round')}
        </Button>
      )}
      {canResult && (
        <Button variant="light" leftSection={<IconFlask size={18} />} onClick={() => setDrawer('labs')}>
          {t('chart.record_labs')}
        </Button>
      )}
      {canResult && (
        <Button variant="light" leftSection={<IconScan size={18} />} onClick={() => setDrawer('imaging')}>
          {t('chart.record_imaging')}
        </Button>
      )}
      {extensions.actions.map((a) => (
        <span key={a.id}>{a.render(ctx)}</span>
      ))}
    </>
  );

  return (
    <Stack gap="sm">
      <Group>
        <Button variant="subtle" size="compact-sm" leftSection={<IconArrowLeft size={16} />} onClick={() => go('board', h.wardId ? { wardId: h.wardId } : {})}>
          {t('chart.back_to_board')}
        </Button>
      </Group>
      <ChartHeader h={h} timeZone={c.timeZone} actions={actions} />
      <Tabs value={tab} onChange={setTab} keepMounted={false}>
        <Tabs.List>
          <Tabs.Tab value="trends">{t('chart.tab.trends')}</Tabs.Tab>
          <Tabs.Tab value="rounds">{t('chart.tab.rounds', { n: c.rounds.filter((r) => r.status === 'current').length })}</Tabs.Tab>
          <Tabs.Tab value="results">{t('chart.tab.results')}</Tabs.Tab>
          <Tabs.Tab value="class">{t('chart.tab.class')}</Tabs.Tab>
          <Tabs.Tab value="plan">{t('chart.tab.plan')}</Tabs.Tab>
          <Tabs.Tab value="antiviral" data-testid="tab-antiviral">
            {t('antiviral_ui.tab')}
          </Tabs.Tab>
          {extensions.sections.map((s) => (
            <Tabs.Tab key={s.id} value={`x.${s.id}`}>
              {t(s.label)}
            </Tabs.Tab>
          ))}
        </Tabs.List>
        <Tabs.Panel value="trends" pt="sm">
          <TrendsPanel chart={c} />
        </Tabs.Panel>
        <Tabs.Panel value="rounds" pt="sm">
          <RoundsTable rounds={c.rounds} timeZone={c.timeZone} episodeId={h.episodeId} spo2Scale={h.spo2Scale} user={user} canWrite={can(user, 'rounds:amend')} />
        </Tabs.Panel>
        <Tabs.Panel value="results" pt="sm">
          <ResultsPanel labs={c.labs} imaging={c.imaging} header={h} timeZone={c.timeZone} user={user} canWrite={can(user, 'results:amend')} />
        </Tabs.Panel>
        <Tabs.Panel value="class" pt="sm">
          <ClassTierPanel chart={c} user={user} />
        </Tabs.Panel>
        <Tabs.Panel value="plan" pt="sm">
          <PlanPanel chart={c} user={user} />
        </Tabs.Panel>
        <Tabs.Panel value="antiviral" pt="sm">
          <AntiviralPanel chart={c} user={user} />
        </Tabs.Panel>
        {extensions.sections.map((s) => (
          <Tabs.Panel key={s.id} value={`x.${s.id}`} pt="sm">
            {s.render(ctx)}
          </Tabs.Panel>
        ))}
      </Tabs>
      <Drawer opened={drawer === 'round'} onClose={close} position="right" size={1100} title={t('chart.record_round')}>
        {drawer === 'round' && (
          <RoundForm
            episodeId={h.episodeId}
            spo2Scale={h.spo2Scale}
            last={lastRound}
            timeZone={c.timeZone}
            canChangeScale={canChangeSpo2Scale(user)}
            onCancel={close}
            onSaved={close}
          />
        )}
      </Drawer>
      <LabDrawer episodeId={h.episodeId} timeZone={c.timeZone} opened={drawer === 'labs'} onClose={close} onSaved={close} />
      <ImagingDrawer episodeId={h.episodeId} timeZone={c.timeZone} opened={drawer === 'imaging'} amend={null} onClose={close} onSaved={close} />
    </Stack>
  );
}
