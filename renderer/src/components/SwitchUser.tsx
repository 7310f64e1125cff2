import { useState } from 'react';
import { Badge, Button, Group, PasswordInput, Popover, Stack, Text, TextInput, UnstyledButton } from '@mantine/core';
import { IconUsers } from '@tabler/icons-react';
import type { SessionUser } from '../../../shared/api/auth';
import { api } from '../lib/api';
import { useApiQuery } from '../lib/query';
import { useI18n } from '../lib/i18n';
import { FormError } from './FormError';

/**
 * Quick user switch on a shared ward workstation: pick a recent user, give their password, and the
 * window is theirs. The current user stays logged in until the new password is accepted; the app then
 * starts afresh for the new user, so nothing typed by one person is saved under another's name.
 */
export function SwitchUser({ current, onSwitched }: { current: SessionUser; onSwitched: (u: SessionUser) => void }) {
  const { t, failureText } = useI18n();
  const [opened, setOpened] = useState(false);
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const users = useApiQuery('auth:loginUsers', opened ? {} : null);
  const others = (users.data ?? []).filter((u) => u.username !== current.username);

  const submit = async (e: React.FormEvent) => {
    e.preventDefault();
    if (!username || !password) return;
    setBusy(true);
    setError(null);
    try {
      const user = await api.auth.login({ username, password });
      setOpened(false);
      onSwitched(user);
    } catch (err) {
      setError(failureText(err));
      setPassword('');
    } finally {
      setBusy(false);
    }
  };

  return (
    <Popover opened={opened} onChange={setOpened} position="bottom-end" width={360} shadow="md" trapFocus withArrow>
      <Popover.Target>
        <Button
          variant="subtle"
          leftSection={<IconUsers size={16} />}
          onClick={() => setOpened((o) => !o)}
          aria-label={t('shell.switch_user')}
          title={t('shell.switch_user')}
          className="header-action"
        >
          <span className="roomy-only">{t('shell.switch_user')}</span>
        </Button>
      </Popover.Target>
      <Popover.Dropdown>
        <form onSubmit={(e) => void submit(e)}>
          <Stack gap="sm">
            <Text size="sm" fw={500}>
              {t('shell.switch_to')}
            </Text>
            <Group gap="xs">
              {others.map((u) => (
                <UnstyledButton key={u.username} onClick={() => setUsername(u.username)} aria-pressed={username === u.username}>
                  <Badge size="lg" variant={username === u.username ? 'filled' : 'light'} tt="none">
                    {u.displayName} · {t(`role.${u.role}`)}
                  </Badge>
                </UnstyledButton>
              ))}
            </Group>
            <TextInput label={t('login.username')} value={username} onChange={(e) => setUsername(e.currentTarget.value)} autoComplete="off" />
            <PasswordInput label={t('login.password')} value={password} onChange={(e) => setPassword(e.currentTarget.value)} autoComplete="off" />
            <FormError message={error} />
            <Button type="submit" loading={busy} disabled={!username || !password}>
              {t('shell.switch_submit')}
            </Button>
          </Stack>
        </form>
      </Popover.Dropdown>
    </Popover>
  );
}
