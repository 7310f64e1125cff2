import type { ComponentType, ReactNode } from 'react';
import {
  IconBed,
  IconClipboardHeart,
  IconDoorExit,
  IconFileImport,
  IconLayoutBoard,
  IconReportAnalytics,
  IconSettings,
  IconStethoscope,
  IconUserSearch,
} from '@tabler/icons-react';
import type { SessionUser } from '../../../shared/api/auth';
import type { Channel } from '../lib/can';
import type { Route } from '../lib/nav';
import { lazyComponent } from './lazy';

// Each screen's code is its own chunk, fetched when the screen is first opened or prefetched (issue 17):
// the login screen needs none of it, and the charting libraries come only with the chart and reports.
const AdminScreen = lazyComponent(() => import('../screens/Admin/AdminScreen').then((m) => m.AdminScreen));
const BedsScreen = lazyComponent(() => import('../screens/Beds/BedsScreen').then((m) => m.BedsScreen));
const ChartRoute = lazyComponent(() => import('./chartExtensions').then((m) => m.ChartRoute));
const DischargeScreen = lazyComponent(() => import('../screens/Discharge/DischargeScreen').then((m) => m.DischargeScreen));
const ImportScreen = lazyComponent(() => import('../screens/Import/ImportScreen').then((m) => m.ImportScreen));
const PatientsScreen = lazyComponent(() => import('../screens/Patients/PatientsScreen').then((m) => m.PatientsScreen));
const QueueScreen = lazyComponent(() => import('../screens/Queue/QueueScreen').then((m) => m.QueueScreen));
const ReportsScreen = lazyComponent(() => import('../screens/Reports/ReportsScreen').then((m) => m.ReportsScreen));
const RoundsScreen = lazyComponent(() => import('../screens/Rounds/RoundsScreen').then((m) => m.RoundsScreen));
const WardBoardScreen = lazyComponent(() => import('../screens/WardBoard/WardBoardScreen').then((m) => m.WardBoardScreen));

export interface ScreenDef {
  id: string;
  /** i18n key of the navigation label; screens without one are reached from other screens only. */
  label?: string;
  icon?: ComponentType<{ size?: number }>;
  /** The call a user must be allowed to make to see it (the screen's main read or write); omitted = every role. */
  access?: Channel;
  render: (user: SessionUser, route: Route) => ReactNode;
  /** Fetches the screen's code ahead of its first opening. */
  preload: () => Promise<unknown>;
}

const num = (v: unknown): number | undefined => (typeof v === 'number' ? v : undefined);

/** Every screen of the app. Add a screen here: one entry, nothing else. */
export const SCREENS: readonly ScreenDef[] = [
  {
    id: 'board',
    label: 'nav.board',
    icon: IconLayoutBoard,
    render: (user, route) => <WardBoardScreen key={String(route.params.wardId ?? '')} user={user} wardId={num(route.params.wardId)} />,
    preload: WardBoardScreen.preload,
  },
  {
    id: 'rounds',
    label: 'nav.rounds',
    icon: IconClipboardHeart,
    access: 'rounds:ward',
    render: (user, route) => <RoundsScreen key={String(route.params.wardId ?? '')} user={user} wardId={num(route.params.wardId)} />,
    preload: RoundsScreen.preload,
  },
  {
    id: 'chart',
    render: (user, route) => <ChartRoute key={String(route.params.episodeId)} user={user} episodeId={num(route.params.episodeId)} />,
    preload: ChartRoute.preload,
  },
  { id: 'discharge', label: 'nav.discharge', icon: IconDoorExit, render: (user) => <DischargeScreen user={user} />, preload: DischargeScreen.preload },
  { id: 'reports', label: 'nav.reports', icon: IconReportAnalytics, access: 'reports:daily', render: () => <ReportsScreen />, preload: ReportsScreen.preload },
  { id: 'import', label: 'nav.import', icon: IconFileImport, access: 'import:commit', render: () => <ImportScreen />, preload: ImportScreen.preload },
  {
    id: 'patients',
    label: 'nav.patients',
    icon: IconUserSearch,
    render: (user, route) => <PatientsScreen key={String(route.params.q ?? '')} user={user} initialQuery={String(route.params.q ?? '')} />,
    preload: PatientsScreen.preload,
  },
  { id: 'admin', label: 'nav.admin', icon: IconSettings, access: 'users:list', render: () => <AdminScreen />, preload: AdminScreen.preload },
  { id: 'queue', label: 'nav.queue', icon: IconStethoscope, access: 'queue:list', render: (user) => <QueueScreen user={user} />, preload: QueueScreen.preload },
  {
    id: 'beds',
    label: 'nav.beds',
    icon: IconBed,
    render: (user, route) => <BedsScreen key={String(route.params.wardId)} user={user} wardId={num(route.params.wardId)} />,
    preload: BedsScreen.preload,
  },
];

/** The screen the app opens on after login (NavProvider's initial route in the Shell). */
export const FIRST_SCREEN = 'board';

/** What a user opens next from the ward board, prefetched while the browser is idle once the board is shown. */
export const LIKELY_NEXT: readonly string[] = ['chart', 'rounds', 'queue', 'patients'];

/** Fetches the code of the screen `id` (nothing for an unknown id). */
export function preloadScreen(id: string): Promise<unknown> {
  return SCREENS.find((s) => s.id === id)?.preload() ?? Promise.resolve();
}
