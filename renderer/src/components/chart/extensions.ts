import type { ReactNode } from 'react';
import type { SessionUser } from '../../../../shared/api/auth';
import type { ChartHeader } from '../../../../shared/api/chart';

/**
 * What an action or a section of the patient chart gets to work with. After a write, nothing needs
 * reloading by hand: the query cache refreshes the chart once the core has committed.
 */
export interface ChartContext {
  episodeId: number;
  patientId: number;
  user: SessionUser;
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
 * What other features add to the chart: header actions and tabs after the chart's own. The app
 * (renderer/src/app/chartExtensions.tsx) lists them and hands them to the chart, so the chart never
 * imports the screens that contribute them.
 */
export interface ChartExtensions {
  actions: readonly ChartAction[];
  sections: readonly ChartSection[];
}
