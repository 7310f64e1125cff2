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
import { AdminScreen } from '../screens/Admin/AdminScreen';
import { BedsScreen } from '../screens/Beds/BedsScreen';
import { ChartScreen } from '../screens/Chart/ChartScreen';
import { DischargeScreen } from '../screens/Discharge/DischargeScreen';
import { ImportScreen } from '../screens/Import/ImportScreen';
import { PatientsScreen } from '../screens/Patients/PatientsScreen';
import { QueueScreen } from '../screens/Queue/QueueScreen';
import { ReportsScreen } from '../screens/Reports/ReportsScreen';
import { RoundsScreen } from '../screens/Rounds/RoundsScreen';
import { WardBoardScreen } from '../screens/WardBoard/WardBoardScreen';
import { CHART_EXTENSIONS } from './chartExtensions';

export interface ScreenDef {
  id: string;
  /** i18n key of the navigation label; screens without one are reached from other screens only. */
  label?: string;
  icon?: ComponentType<{ size?: number }>;
  /** The call a user must be allowed to make to see it (the screen's main read or write); omitted = every role. */
  access?: Channel;
  render: (user: SessionUser, route: Route) => ReactNode;
}

const num = (v: unknown): number | undefined => (typeof v === 'number' ? v : undefined);

/** Every screen of the app. Add a screen here: one entry, nothing else. */
export const SCREENS: readonly ScreenDef[] = [
  {
    id: 'board',
    label: 'nav.board',
    icon: IconLayoutBoard,
    render: (user, route) => <WardBoardScreen key={String(route.params.wardId ?? '')} user={user} wardId={num(route.params.wardId)} />,
  },
  {
    id: 'rounds',
    label: 'nav.rounds',
    icon: IconClipboardHeart,
    access: 'rounds:ward',
    render: (user, route) => <RoundsScreen key={String(route.params.wardId ?? '')} user={user} wardId={num(route.params.wardId)} />,
  },
  { id: 'chart', render: (user, route) => <ChartScreen key={String(route.params.episodeId)} user={user} episodeId={num(route.params.episodeId)} extensions={CHART_EXTENSIONS} /> },
  { id: 'discharge', label: 'nav.discharge', icon: IconDoorExit, render: (user) => <DischargeScreen user={user} /> },
  { id: 'reports', label: 'nav.reports', icon: IconReportAnalytics, access: 'reports:daily', render: () => <ReportsScreen /> },
  { id: 'import', label: 'nav.import', icon: IconFileImport, access: 'import:commit', render: () => <ImportScreen /> },
  {
    id: 'patients',
    label: 'nav.patients',
    icon: IconUserSearch,
    render: (user, route) => <PatientsScreen key={String(route.params.q ?? '')} user={user} initialQuery={String(route.params.q ?? '')} />,
  },
  { id: 'admin', label: 'nav.admin', icon: IconSettings, access: 'users:list', render: () => <AdminScreen /> },
  { id: 'queue', label: 'nav.queue', icon: IconStethoscope, access: 'queue:list', render: (user) => <QueueScreen user={user} /> },
  { id: 'beds', label: 'nav.beds', icon: IconBed, render: (user, route) => <BedsScreen key={String(route.params.wardId)} user={user} wardId={num(route.params.wardId)} /> },
];
