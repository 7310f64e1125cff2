import { useEffect } from 'react';
import { ActionIcon, AppShell, Button, Group, NavLink, Text, Title, Tooltip } from '@mantine/core';
import { IconLock, IconLogout } from '@tabler/icons-react';
import type { SessionUser } from '../../../shared/api/auth';
import { api } from '../lib/api';
import { can } from '../lib/can';
import { useI18n } from '../lib/i18n';
import { NavProvider, useNav } from '../lib/nav';
import { useSession } from '../lib/session';
import { LocaleSwitch } from '../components/LocaleSwitch';
import { PpeSwitch } from '../components/PpeSwitch';
import { ConnectionStatus } from '../components/ConnectionStatus';
import { LiveUpdates } from '../components/live/LiveUpdates';
import { SessionFrame } from '../components/SessionFrame';
import { SwitchUser } from '../components/SwitchUser';
import { SchemeSwitch } from '../components/SchemeSwitch';
import { UserMenu } from '../components/ChangePassword';
import { PatientSearchBox } from '../components/PatientSearch';
import { FIRST_SCREEN, LIKELY_NEXT, SCREENS } from './routes';
import { LazyArea, SlowLoader, prefetch } from './lazy';

/** The app frame: header with the user and language, navigation on the left, the screen in the middle. */
export function Shell({ user, onLogout, onSwitched }: { user: SessionUser; onLogout: () => void; onSwitched?: (u: SessionUser) => void }) {
  return (
    <NavProvider initial={FIRST_SCREEN}>
      <SessionFrame user={user} onLogout={onLogout}>
        <LiveUpdates />
        <Frame user={user} onLogout={onLogout} onSwitched={onSwitched} />
      </SessionFrame>
    </NavProvider>
  );
}

function Frame({ user, onLogout, onSwitched }: { user: SessionUser; onLogout: () => void; onSwitched?: (u: SessionUser) => void }) {
  const session = useSession();
  const { t } = useI18n();
  const { route, go, opening } = useNav();
  const visible = SCREENS.filter((s) => !s.access || can(user, s.access));
  const current = visible.find((s) => s.id === route.screen) ?? visible[0];

  // Once the first screen is up, the screens this user most often opens next are fetched while the browser is idle.
  useEffect(() => prefetch(SCREENS.filter((s) => LIKELY_NEXT.includes(s.id) && (!s.access || can(user, s.access))).map((s) => s.preload)), [user]);

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
            <Title order={3} className="app-title">
              {t('app.title')}
            </Title>
            <PatientSearchBox />
            <Text c="dimmed" size="sm" visibleFrom="xl">
              {t('app.subtitle')}
            </Text>
          </Group>
          <Group gap="sm" wrap="nowrap">
            <ConnectionStatus />
            <PpeSwitch />
            <LocaleSwitch />
            <SchemeSwitch username={user.username} />
            <UserMenu user={user} />
            <Tooltip label={t('shell.lock')}>
              <ActionIcon variant="subtle" size="lg" onClick={session.lock} aria-label={t('shell.lock')}>
                <IconLock size={18} />
              </ActionIcon>
            </Tooltip>
            {onSwitched && <SwitchUser current={user} onSwitched={onSwitched} />}
            <Button
              variant="subtle"
              leftSection={<IconLogout size={16} />}
              onClick={() => void logout()}
              aria-label={t('login.logout')}
              title={t('login.logout')}
              className="header-action"
            >
              <span className="roomy-only">{t('login.logout')}</span>
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
              title={t(s.label ?? '')}
              leftSection={s.icon ? <s.icon size={18} /> : null}
              rightSection={opening === s.id && current?.id !== s.id ? <SlowLoader size={14} /> : null}
              active={current?.id === s.id}
              onClick={() => go(s.id)}
            />
          ))}
      </AppShell.Navbar>
      <AppShell.Main>
        {/* Kept across screens: navigation is a transition (lib/nav), so the screen shown stays until the next one's code is there. */}
        <LazyArea resetKey={current?.id ?? ''}>{current?.render(user, route)}</LazyArea>
      </AppShell.Main>
    </AppShell>
  );
}
