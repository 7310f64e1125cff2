import type { SessionUser } from '../../../shared/api/auth';
import type { ChartExtensions } from '../components/chart/extensions';
import { ChartScreen } from '../screens/Chart/ChartScreen';
import { ReferToPanelAction, RequestTransferAction, ReviewsTransfersSection } from '../screens/Queue/ChartPanel';
import { DischargeSection, StartDischargeAction } from '../screens/Discharge/ChartEntries';

/**
 * Actions in the chart header and tabs after the chart's own (trends, rounds, results, class and
 * tier, plan), in order. A feature adds its entry here; the chart renders whatever is listed. The
 * chart's own actions (record a round, results, imaging) are part of its header.
 */
export const CHART_EXTENSIONS: ChartExtensions = {
  actions: [
    { id: 'panel.refer', render: (ctx) => (ctx.header.status === 'active' ? <ReferToPanelAction {...ctx} /> : null) },
    { id: 'transfers.request', render: (ctx) => (ctx.header.status === 'active' ? <RequestTransferAction {...ctx} /> : null) },
    { id: 'discharge.start', render: (ctx) => <StartDischargeAction {...ctx} /> },
  ],
  sections: [
    { id: 'reviews-transfers', label: 'panel.chart_section', render: (ctx) => <ReviewsTransfersSection {...ctx} /> },
    { id: 'discharge', label: 'discharge.section_title', render: (ctx) => <DischargeSection {...ctx} /> },
  ],
};

/** The chart screen with its extensions: one chunk, loaded when a chart is first opened (routes.tsx). */
export function ChartRoute({ user, episodeId }: { user: SessionUser; episodeId: number | undefined }) {
  return <ChartScreen user={user} episodeId={episodeId} extensions={CHART_EXTENSIONS} />;
}
