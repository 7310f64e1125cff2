import { useState } from 'react';
import { AppShell, Badge, Button, Group, NavLink, Text, Title } from '@mantine/core';
import { IconLayoutBoard, IconLogout } from '@tabler/icons-react';
import type { SessionUser } from '../../../shared/api/auth';
import { api } from '../lib/api';
import { useI18n } from '../lib/i18n';
import { LocaleSwitch } from './LocaleSwitch';
import { WardBoardScreen } from '../screens/WardBoard/WardBoardScreen';

type Screen = 'board';

const NAV: { id: Screen; icon: typeof IconLayoutBoard; label: string }[] = [{ id: 'board', icon: IconLayoutBoard, label: 'nav.board' }];

/** The app frame: header with the user and language, navigation on the left, the screen in the middle. */
export function Shell({ user, onLogout }: { user: SessionUser; onLogout: () => void }) {
  const { t } = useI18n();
  const [screen, setScreen] = useState<Screen>('board');

  const logout = async () => {
    await api.auth.logout({});
    onLogout();
  };

  return (
    <AppShell header={{ height: 56 }} navbar={{ width: 200, breakpoint: 0 }} padding="md">
      <AppShell.Header>
        <Group h="100%" px="md" justify="space-between">
          <Group gap="sm">
            <Title order={3}>{t('app.title')}</Title>
            <Text c="dimmed" size="sm">
              {t('app.subtitle')}
            </Text>
          </Group>
          <Group gap="sm">
            <LocaleSwitch />
            <Text size="sm" data-testid="current-user">
              {user.displayName}
            </Text>
            <Badge variant="light">{t(`role.${user.role}`)}</Badge>
            <Button variant="subtle" leftSection={<IconLogout size={16} />} onClick={() => void logout()}>
              {t('login.logout')}
            </Button>
          </Group>
        </Group>
      </AppShell.Header>
      <AppShell.Navbar p="xs">
        {NAV.map((n) => (
          <NavLink key={n.id} label={t(n.label)} leftSection={<n.icon size={18} />} active={screen === n.id} onClick={() => setScreen(n.id)} />
        ))}
      </AppShell.Navbar>
      <AppShell.Main>{screen === 'board' && <WardBoardScreen user={user} />}</AppShell.Main>
    </AppShell>
  );
}
