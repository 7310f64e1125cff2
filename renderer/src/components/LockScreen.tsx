import { useLayoutEffect, useState } from 'react';
import { createPortal } from 'react-dom';
import { Badge, Box, Button, Center, Group, Paper, PasswordInput, Stack, Text, ThemeIcon, Title } from '@mantine/core';
import { IconLock, IconUsers } from '@tabler/icons-react';
import type { SessionUser } from '../../../shared/api/auth';
import { AppError } from '../../../shared/errors';
import { api } from '../lib/api';
import { useI18n } from '../lib/i18n';
import { FormError } from './FormError';

export type LockReason = { kind: 'idle'; minutes: number } | { kind: 'manual' } | { kind: 'restart' };

interface LockCardProps {
  user: SessionUser;
  reason: LockReason;
  /** True when the app is still underneath (unsaved input is kept). */
  keepsWork: boolean;
  onUnlocked: () => void;
  /** Log out and show the login screen, for the next person at this workstation. */
  onSwitchUser: () => void;
  /** The core ended the session (too many wrong passwords): only the login screen remains. */
  onEnded: () => void;
}

/** The lock screen: the same user gives their password again, or hands the workstation over. */
export function LockCard({ user, reason, keepsWork, onUnlocked, onSwitchUser, onEnded }: LockCardProps) {
  const { t, errorText } = useI18n();
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [ended, setEnded] = useState(false);
  const [busy, setBusy] = useState(false);

  const submit = async (e: React.FormEvent) => {
    e.preventDefault();
    if (password === '') return;
    setBusy(true);
    setError(null);
    try {
      await api.auth.unlock({ password });
      setPassword('');
      onUnlocked();
    } catch (err) {
      const appErr = err instanceof AppError ? err : new AppError('INTERNAL', String(err));
      setError(errorText(appErr));
      setPassword('');
      // A lockout, or a session the core already ended: only the login screen is left. A wrong password just tries again.
      if (appErr.details.key === 'auth.locked' || appErr.details.key === 'auth.session_ended') setEnded(true);
    } finally {
      setBusy(false);
    }
  };

  const intro = reason.kind === 'idle' ? t('lock.idle', { minutes: reason.minutes }) : reason.kind === 'manual' ? t('lock.manual') : t('lock.restart');

  return (
    <Paper withBorder shadow="md" p="xl" w={460} radius="md" role="dialog" aria-modal="true" aria-labelledby="lock-title" data-testid="lock-screen">
      <form onSubmit={(e) => void submit(e)}>
        <Stack>
          <Group gap="sm">
            <ThemeIcon size={44} radius="xl" variant="light">
              <IconLock size={26} />
            </ThemeIcon>
            <div>
              <Title order={3} id="lock-title">
                {t('lock.title')}
              </Title>
              <Group gap={6}>
                <Text fw={500}>{user.displayName}</Text>
                <Badge variant="light">{t(`role.${user.role}`)}</Badge>
              </Group>
            </div>
          </Group>
          <Text size="sm">{intro}</Text>
          {keepsWork && (
            <Text size="sm" c="dimmed">
              {t('lock.kept')}
            </Text>
          )}
          {!ended && (
            <PasswordInput
              label={t('login.password')}
              autoComplete="current-password"
              data-autofocus
              autoFocus
              value={password}
              onChange={(e) => setPassword(e.currentTarget.value)}
              size="md"
            />
          )}
          <FormError message={error} />
          <Group justify="space-between">
            <Button variant="subtle" leftSection={<IconUsers size={16} />} onClick={ended ? onEnded : onSwitchUser}>
              {ended ? t('lock.to_login') : t('lock.switch_user')}
            </Button>
            {!ended && (
              <Button type="submit" size="md" loading={busy} disabled={password === ''}>
                {t('lock.unlock')}
              </Button>
            )}
          </Group>
        </Stack>
      </form>
    </Paper>
  );
}

/**
 * Covers the whole window while the app stays mounted underneath, so a half-filled form survives the
 * lock. Everything else in the page (the app root and any open drawer or modal) is made inert and
 * hidden from assistive technology until unlocked.
 */
export function LockOverlay(props: Omit<LockCardProps, 'keepsWork'>) {
  const [layer] = useState(() => document.createElement('div'));
  useLayoutEffect(() => {
    document.body.appendChild(layer);
    const others = [...document.body.children].filter((el): el is HTMLElement => el instanceof HTMLElement && el !== layer);
    const before = others.map((el) => ({ el, inert: el.inert, hidden: el.getAttribute('aria-hidden') }));
    for (const el of others) {
      el.inert = true;
      el.setAttribute('aria-hidden', 'true');
    }
    return () => {
      for (const { el, inert, hidden } of before) {
        el.inert = inert;
        if (hidden === null) el.removeAttribute('aria-hidden');
        else el.setAttribute('aria-hidden', hidden);
      }
      layer.remove();
    };
  }, [layer]);
  return createPortal(
    <Box pos="fixed" inset={0} bg="gray.1" style={{ zIndex: 10000 }} data-testid="lock-overlay">
      <Center h="100%">
        <LockCard {...props} keepsWork />
      </Center>
    </Box>,
    layer,
  );
}

/** After a restart with a locked session there is nothing unsaved: the lock screen alone. */
export function LockPage(props: Omit<LockCardProps, 'keepsWork'>) {
  return (
    <Center h="100%" bg="gray.1">
      <LockCard {...props} keepsWork={false} />
    </Center>
  );
}
