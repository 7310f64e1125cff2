import { useState } from 'react';
import { Alert, Button, Center, Group, Paper, PasswordInput, Stack, Text, TextInput, UnstyledButton, Badge } from '@mantine/core';
import { useForm } from '@mantine/form';
import { IconLock } from '@tabler/icons-react';
import type { SessionUser } from '../../../../shared/api/auth';
import { api } from '../../lib/api';
import { useApiQuery } from '../../lib/query';
import { useI18n } from '../../lib/i18n';
import { LocaleSwitch } from '../../components/LocaleSwitch';
import { TitleHint } from '../../components/TitleHint';

/** Login on a shared ward workstation: recent users to pick from, then the password. */
export function LoginScreen({ onLogin, ended = false }: { onLogin: (u: SessionUser) => void; ended?: boolean }) {
  const { t, failureText } = useI18n();
  const users = useApiQuery('auth:loginUsers', {});
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const form = useForm({ initialValues: { username: '', password: '' } });

  const submit = form.onSubmit(async (values) => {
    setBusy(true);
    setError(null);
    try {
      onLogin(await api.auth.login(values));
    } catch (err) {
      setError(failureText(err));
      form.setFieldValue('password', '');
    } finally {
      setBusy(false);
    }
  });

  return (
    <Center h="100%" bg="gray.0">
      <Paper withBorder shadow="sm" p="xl" w={440} radius="md">
        <form onSubmit={submit}>
          <Stack>
            <Group justify="space-between">
              <TitleHint order={2} title={t('app.title')} hint={t('app.subtitle')} />
              <LocaleSwitch />
            </Group>
            {users.data && users.data.length > 0 && (
              <Stack gap={4}>
                <Text size="sm" fw={500}>
                  {t('login.recent_users')}
                </Text>
                <Group gap="xs">
                  {users.data.map((u) => (
                    <UnstyledButton
                      key={u.username}
                      onClick={() => form.setFieldValue('username', u.username)}
                      aria-pressed={form.values.username === u.username}
                      data-selected={form.values.username === u.username || undefined}
                    >
                      <Badge size="lg" variant={form.values.username === u.username ? 'filled' : 'light'} tt="none">
                        {u.displayName} · {t(`role.${u.role}`)}
                      </Badge>
                    </UnstyledButton>
                  ))}
                </Group>
              </Stack>
            )}
            {ended && !error && (
              <Alert color="yellow" role="status">
                {t('auth.session_ended')}
              </Alert>
            )}
            <TextInput label={t('login.username')} autoComplete="username" required {...form.getInputProps('username')} />
            <PasswordInput label={t('login.password')} autoComplete="current-password" required {...form.getInputProps('password')} />
            {error && (
              <Alert color="red" icon={<IconLock size={18} />} role="alert">
                {error}
              </Alert>
            )}
            <Button type="submit" size="md" loading={busy}>
              {t('login.submit')}
            </Button>
          </Stack>
        </form>
      </Paper>
    </Center>
  );
}
