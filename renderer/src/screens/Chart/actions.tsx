import type { ReactNode } from 'react';
import type { SessionUser } from '../../../../shared/api/auth';
import type { ChartHeader } from '../../../../shared/api/chart';
import { ReferToPanelAction, RequestTransferAction, ReviewsTransfersSection } from '../Queue/ChartPanel';
import { DischargeSection, StartDischargeAction } from '../Discharge/ChartEntries';

/** What an action or a section of the patient chart gets to work with. */
export interface ChartContext {
  episodeId: number;
  patientId: number;
  user: SessionUser;
  /** Reloads the chart (after the action wrote something). */
  reload: () => void;
  /** The chart header as shown: class, tier, NEWS2, flags, placement, status. */
  header: ChartHeader;
}

export interface ChartAction {
  id: string;
  /** A button (or a small group of buttons) in the chart header's actions area. */
  render: (ctx: ChartContext) => ReactNode;
}

export interface ChartSection {
  id: string;
  /** i18n key of the tab label. */
  label: string;
  render: (ctx: ChartContext) => ReactNode;
}

/**
 * Actions in the chart header, in order. Other features append theirs here with one entry
 * ("refer to panel / request transfer", "start discharge"); the chart renders whatever is listed.
 * The chart's own actions (record a round, results, imaging) are part of the header itself.
 */
export const CHART_ACTIONS: ChartAction[] = [
  { id: 'panel.refer', render: (ctx) => (ctx.header.status === 'active' ? <ReferToPanelAction {...ctx} /> : null) },
  { id: 'transfers.request', render: (ctx) => (ctx.header.status === 'active' ? <RequestTransferAction {...ctx} /> : null) },
  { id: 'discharge.start', render: (ctx) => <StartDischargeAction {...ctx} /> },
];

/** Extra tabs of the chart after its own (trends, rounds, results, class and tier, plan): reviews, transfers, discharge. */
export const CHART_SECTIONS: ChartSection[] = [
  { id: 'reviews-transfers', label: 'panel.chart_section', render: (ctx) => <ReviewsTransfersSection {...ctx} /> },
  { id: 'discharge', label: 'discharge.section_title', render: (ctx) => <DischargeSection {...ctx} /> },
];
