import { useEffect, useState } from 'react';
import { Alert, Button, Center, Divider, Group, Paper, PasswordInput, SimpleGrid, Stack, Text, TextInput, Title } from '@mantine/core';
import { useForm } from '@mantine/form';
import { IconBuildingHospital, IconServer2, IconUserShield } from '@tabler/icons-react';
import type { SessionUser } from '../../../../shared/api/auth';
import { NewAdminSchema } from '../../../../shared/api/setup';
import { api } from '../../lib/api';
import { useI18n } from '../../lib/i18n';
import { fieldErrors, issuesOf, precheck } from '../../lib/formErrors';
import { AppError } from '../../../../shared/errors';
import { LocaleSwitch } from '../../components/LocaleSwitch';
import { desktopNetwork } from '../../lib/network';
import { ConnectServer } from './ConnectServer';

/**
 * First run on an empty database: create the administrator, or load the demo network; on the desktop
 * app (standalone, `window.echelonNetwork` present), or connect to the hospital's Echelon server.
 */
export function FirstRunScreen({ onDone }: { onDone: (u: SessionUser) => void }) {
  const { t, errorText } = useI18n();
  const [busy, setBusy] = useState<'admin' | 'demo' | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [demo, setDemo] = useState<{
    user: SessionUser;
    password: string;
    patients: number;
    beds: number;
  } | null>(null);
  const form = useForm({
    initialValues: {
      username: 'admin',
      displayName: '',
      password: '',
      confirm: '',
    },
  });
  const network = desktopNetwork();
  const [canConnect, setCanConnect] = useState(false);
  const [connecting, setConnecting] = useState(false);

  useEffect(() => {
    if (!network) return;
    let live = true;
    void network.mode().then((r) => live && setCanConnect(r.ok && r.value.mode === 'standalone'));
    return () => {
      live = false;
    };
  }, [network]);

  const createAdmin = form.onSubmit(async ({ confirm, ...values }) => {
    setError(null);
    const checked = precheck(NewAdminSchema, values);
    const errors = checked.ok ? {} : fieldErrors(checked.issues, t);
    if (confirm !== values.password) errors.confirm = t('setup.password_mismatch');
    if (Object.keys(errors).length > 0) return form.setErrors(errors);
    setBusy('admin');
    try {
      onDone(await api.setup.createAdmin(values));
    } catch (err) {
      form.setErrors(fieldErrors(issuesOf(err), t));
      if (!issuesOf(err).length) setError(err instanceof AppError ? errorText(err) : String(err));
    } finally {
      setBusy(null);
    }
  });

  const loadDemo = async () => {
    setBusy('demo');
    setError(null);
    try {
      setDemo(await api.setup.loadDemo({}));
    } catch (err) {
      setError(err instanceof AppError ? errorText(err) : String(err));
    } finally {
      setBusy(null);
    }
  };

  return (
    <Center h="100%" bg="gray.0" p="md">
      <Paper withBorder shadow="sm" p="xl" maw={880} w="100%" radius="md">
        <Group justify="space-between" mb="md">
          <div>
            <Title order={2}>{t('setup.title')}</Title>
            <Text c="dimmed">{t('setup.intro')}</Text>
          </div>
          <LocaleSwitch />
        </Group>
        {error && (
          <Alert color="red" mb="md" role="alert">
            {error}
          </Alert>
        )}
        {connecting && network ? (
          <ConnectServer network={network} onBack={() => setConnecting(false)} />
        ) : (
          <>
            <SimpleGrid cols={2} spacing="xl">
              <form onSubmit={createAdmin}>
                <Stack>
                  <Group gap="xs">
                    <IconUserShield />
                    <Title order={4}>{t('setup.create_admin')}</Title>
                  </Group>
                  <TextInput label={t('user.username')} {...form.getInputProps('username')} />
                  <TextInput label={t('user.display_name')} {...form.getInputProps('displayName')} />
                  <PasswordInput label={t('login.password')} description={t('setup.password_hint')} {...form.getInputProps('password')} />
                  <PasswordInput label={t('setup.confirm_password')} {...form.getInputProps('confirm')} />
                  <Button type="submit" loading={busy === 'admin'} disabled={busy === 'demo'}>
                    {t('setup.create_admin')}
                  </Button>
                </Stack>
              </form>
              <Stack>
                <Group gap="xs">
                  <IconBuildingHospital />
                  <Title order={4}>{t('setup.demo_title')}</Title>
                </Group>
                <Text size="sm">{t('setup.demo_intro')}</Text>
                {demo ? (
                  <Alert color="teal" title={t('setup.demo_ready')}>
                    <Stack gap="xs">
                      <Text size="sm">
                        {t('setup.demo_summary', {
                          patients: demo.patients,
                          beds: demo.beds,
                        })}
                      </Text>
                      <Text size="sm">
                        {t('setup.demo_credentials', {
                          password: demo.password,
                        })}
                      </Text>
                      <Button onClick={() => onDone(demo.user)}>{t('setup.enter')}</Button>
                    </Stack>
                  </Alert>
                ) : (
                  <Button variant="light" onClick={() => void loadDemo()} loading={busy === 'demo'} disabled={busy === 'admin'}>
                    {t('setup.load_demo')}
                  </Button>
                )}
              </Stack>
            </SimpleGrid>
            {canConnect && (
              <>
                <Divider my="md" />
                <Group justify="space-between" wrap="nowrap" gap="xl">
                  <Stack gap={4}>
                    <Group gap="xs">
                      <IconServer2 />
                      <Title order={4}>{t('desktop.connect_title')}</Title>
                    </Group>
                    <Text size="sm">{t('desktop.connect_intro')}</Text>
                  </Stack>
                  <Button variant="light" onClick={() => setConnecting(true)} disabled={busy !== null} style={{ flexShrink: 0 }}>
                    {t('desktop.connect_start')}
                  </Button>
                </Group>
              </>
            )}
          </>
        )}
        {/* "Data stays on this computer" is said of the standalone choices only. */}
        {!connecting && (
          <>
            <Divider my="md" />
            <Text size="xs" c="dimmed">
              {t('setup.footer')}
            </Text>
          </>
        )}
      </Paper>
    </Center>
  );
}
