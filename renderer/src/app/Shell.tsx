import { ActionIcon, AppShell, Button, Group, NavLink, Text, Title, Tooltip } from '@mantine/core';
import { IconLayoutBoard, IconLock, IconLogout, IconSettings } from '@tabler/icons-react';
import type { ComponentType, ReactNode } from 'react';
import type { SessionUser } from '../../../shared/api/auth';
import type { Role } from '../../../shared/domain/enums';
import { api } from '../lib/api';
import { useI18n } from '../lib/i18n';
import { NavProvider, useNav, type Route } from '../lib/nav';
import { LocaleSwitch } from './LocaleSwitch';
import { PpeSwitch } from './PpeSwitch';
import { ConnectionStatus } from './ConnectionStatus';
import { RoundsScreen } from '../screens/Rounds/RoundsScreen';
import { ChartScreen } from '../screens/Chart/ChartScreen';
import { IconClipboardHeart } from '@tabler/icons-react';
import { WardBoardScreen } from '../screens/WardBoard/WardBoardScreen';
import { AdminScreen } from '../screens/Admin/AdminScreen';
import { SessionFrame } from './SessionFrame';
import { SwitchUser } from './SwitchUser';
import { UserMenu } from './ChangePassword';
import { useSession } from '../lib/session';
import { ImportScreen } from '../screens/Import/ImportScreen';
import { PatientsScreen } from '../screens/Patients/PatientsScreen';
import { PatientSearchBox } from './PatientSearch';
import { IconUserSearch } from '@tabler/icons-react';
import { IconFileImport } from '@tabler/icons-react';
import { DischargeScreen } from '../screens/Discharge/DischargeScreen';
import { ReportsScreen } from '../screens/Reports/ReportsScreen';
import { IconDoorExit, IconReportAnalytics } from '@tabler/icons-react';
import { QueueScreen } from '../screens/Queue/QueueScreen';
import { BedsScreen } from '../screens/Beds/BedsScreen';
import { IconBed, IconStethoscope } from '@tabler/icons-react';

export interface ScreenDef {
  id: string;
  /** i18n key of the navigation label; screens without one are reached from other screens only. */
  label?: string;
  icon?: ComponentType<{ size?: number }>;
  /** Roles that see it; omitted = every role. The core enforces the same roles per call. */
  roles?: readonly Role[];
  render: (user: SessionUser, route: Route) => ReactNode;
}

const num = (v: unknown): number | undefined => (typeof v === 'number' ? v : undefined);

/** Every screen of the app. Add a screen here: one entry, nothing else. */
export const SCREENS: readonly ScreenDef[] = [
  { id: 'board', label: 'nav.board', icon: IconLayoutBoard, render: (user, route) => <WardBoardScreen key={String(route.params.wardId ?? '')} user={user} wardId={num(route.params.wardId)} /> },
  { id: 'rounds', label: 'nav.rounds', icon: IconClipboardHeart, roles: ['ward_doctor', 'nurse'], render: (user, route) => <RoundsScreen key={String(route.params.wardId ?? '')} user={user} wardId={num(route.params.wardId)} /> },
  { id: 'chart', render: (user, route) => <ChartScreen key={String(route.params.episodeId)} user={user} episodeId={num(route.params.episodeId)} /> },
  { id: 'discharge', label: 'nav.discharge', icon: IconDoorExit, render: (user) => <DischargeScreen user={user} /> },
  { id: 'reports', label: 'nav.reports', icon: IconReportAnalytics, roles: ['admin', 'expert'], render: () => <ReportsScreen /> },
  { id: 'import', label: 'nav.import', icon: IconFileImport, roles: ['admin'], render: () => <ImportScreen /> },
  { id: 'patients', label: 'nav.patients', icon: IconUserSearch, render: (user, route) => <PatientsScreen key={String(route.params.q ?? '')} user={user} initialQuery={String(route.params.q ?? '')} /> },
  { id: 'admin', label: 'nav.admin', icon: IconSettings, roles: ['admin'], render: () => <AdminScreen /> },
  { id: 'queue', label: 'nav.queue', icon: IconStethoscope, roles: ['expert', 'admin', 'ward_doctor'], render: (user) => <QueueScreen user={user} /> },
  { id: 'beds', label: 'nav.beds', icon: IconBed, render: (user) => <BedsScreen user={user} /> },
];

/** The app frame: header with the user and language, navigation on the left, the screen in the middle. */
export function Shell({ user, onLogout, onSwitched }: { user: SessionUser; onLogout: () => void; onSwitched?: (u: SessionUser) => void }) {
  return (
    <NavProvider initial="board">
      <SessionFrame user={user} onLogout={onLogout}>
        <Frame user={user} onLogout={onLogout} onSwitched={onSwitched} />
      </SessionFrame>
    </NavProvider>
  );
}

function Frame({ user, onLogout, onSwitched }: { user: SessionUser; onLogout: () => void; onSwitched?: (u: SessionUser) => void }) {
  const session = useSession();
  const { t } = useI18n();
  const { route, go } = useNav();
  const visible = SCREENS.filter((s) => !s.roles || s.roles.includes(user.role));
  const current = visible.find((s) => s.id === route.screen) ?? visible[0];

  // The login screen follows even when the core has already ended the session (a password reset or
  // role change elsewhere) and refuses the logout itself.
  const logout = () =>
    api.auth
      .logout({})
      .catch((err: unknown) => console.warn('logout refused: the session had already ended', err))
      .finally(onLogout);

  return (
    <AppShell header={{ height: 56 }} navbar={{ width: 200, breakpoint: 0 }} padding="md">
      <AppShell.Header>
        <Group h="100%" px="md" justify="space-between" wrap="nowrap">
          <Group gap="sm" wrap="nowrap">
            <Title order={3}>{t('app.title')}</Title>
            <PatientSearchBox />
            <Text c="dimmed" size="sm" visibleFrom="xl">
              {t('app.subtitle')}
            </Text>
          </Group>
          <Group gap="sm" wrap="nowrap">
            <ConnectionStatus />
            <PpeSwitch />
            <LocaleSwitch />
            <UserMenu user={user} />
            <Tooltip label={t('shell.lock')}>
              <ActionIcon variant="subtle" size="lg" onClick={session.lock} aria-label={t('shell.lock')}>
                <IconLock size={18} />
              </ActionIcon>
            </Tooltip>
            {onSwitched && <SwitchUser current={user} onSwitched={onSwitched} />}
            <Button variant="subtle" leftSection={<IconLogout size={16} />} onClick={() => void logout()}>
              {t('login.logout')}
            </Button>
          </Group>
        </Group>
      </AppShell.Header>
      <AppShell.Navbar p="xs">
        {visible
          .filter((s) => s.label)
          .map((s) => (
            <NavLink
              key={s.id}
              // A button, not an <a> without href: Tab reaches the menu and Enter/Space open a screen.
              component="button"
              type="button"
              aria-current={current?.id === s.id ? 'page' : undefined}
              label={t(s.label ?? '')}
              leftSection={s.icon ? <s.icon size={18} /> : null}
              active={current?.id === s.id}
              onClick={() => go(s.id)}
            />
          ))}
      </AppShell.Navbar>
      <AppShell.Main>{current?.render(user, route)}</AppShell.Main>
    </AppShell>
  );
}
