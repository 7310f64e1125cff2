import { Alert, Button, Center, Divider, Group, Paper, PasswordInput, SimpleGrid, Stack, Text, TextInput, Title } from '@mantine/core';
import { IconBuildingHospital, IconLock, IconServer2, IconUserShield } from '@tabler/icons-react';
import type { SessionUser } from '../../../../shared/api/auth';
import { useI18n } from '../../lib/i18n';
import { LocaleSwitch } from '../../components/LocaleSwitch';
import { RecoveryPassphraseForm } from '../../components/RecoveryPassphraseForm';
import { ConnectServer } from './ConnectServer';
import { SectionTitle } from './SectionTitle';
import { useFirstRun } from './useFirstRun';

type FirstRun = ReturnType<typeof useFirstRun>;

function AdminForm({ s }: { s: FirstRun }) {
  const { t } = useI18n();
  const { form, busy } = s;
  return (
    <form onSubmit={s.createAdmin}>
      <Stack>
        <SectionTitle icon={<IconUserShield />}>{t('setup.create_admin')}</SectionTitle>
        <TextInput label={t('user.username')} {...form.getInputProps('username')} />
        <TextInput label={t('user.display_name')} {...form.getInputProps('displayName')} />
        <PasswordInput label={t('login.password')} description={t('setup.password_hint')} {...form.getInputProps('password')} />
        <PasswordInput label={t('setup.confirm_password')} {...form.getInputProps('confirm')} />
        <Button type="submit" loading={busy === 'admin'} disabled={busy === 'demo'}>
          {t('setup.create_admin')}
        </Button>
      </Stack>
    </form>
  );
}

function DemoChoice({ s, onDone }: { s: FirstRun; onDone: (u: SessionUser) => void }) {
  const { t } = useI18n();
  const { demo, busy } = s;
  return (
    <Stack>
      <SectionTitle icon={<IconBuildingHospital />}>{t('setup.demo_title')}</SectionTitle>
      <Text size="sm">{t('setup.demo_intro')}</Text>
      {demo ? (
        <Alert color="teal" title={t('setup.demo_ready')}>
          <Stack gap="xs">
            <Text size="sm">{t('setup.demo_summary', { patients: demo.patients, beds: demo.beds })}</Text>
            <Text size="sm">{t('setup.demo_credentials', { password: demo.password })}</Text>
            <Button onClick={() => onDone(demo.user)}>{t('setup.enter')}</Button>
          </Stack>
        </Alert>
      ) : (
        <Button variant="light" onClick={() => void s.loadDemo()} loading={busy === 'demo'} disabled={busy === 'admin'}>
          {t('setup.load_demo')}
        </Button>
      )}
    </Stack>
  );
}

function ConnectChoice({ s }: { s: FirstRun }) {
  const { t } = useI18n();
  return (
    <>
      <Divider my="md" />
      <Group justify="space-between" wrap="nowrap" gap="xl">
        <Stack gap={4}>
          <SectionTitle icon={<IconServer2 />}>{t('desktop.connect_title')}</SectionTitle>
          <Text size="sm">{t('desktop.connect_intro')}</Text>
        </Stack>
        <Button variant="light" onClick={() => s.setConnecting(true)} disabled={s.busy !== null} style={{ flexShrink: 0 }}>
          {t('desktop.connect_start')}
        </Button>
      </Group>
    </>
  );
}

/** After the administrator is created: the recovery passphrase, the last way into the encrypted record. */
function PassphraseStep({ onDone }: { onDone: () => void }) {
  const { t } = useI18n();
  return (
    <Stack data-testid="first-run-passphrase">
      <SectionTitle icon={<IconLock />}>{t('security.first_run_title')}</SectionTitle>
      <Text size="sm">{t('security.first_run_intro')}</Text>
      <RecoveryPassphraseForm onDone={onDone} submitLabel={t('security.set_passphrase')} />
    </Stack>
  );
}

/**
 * First run on an empty database: create the administrator, or load the demo network; on the desktop
 * app (standalone, `window.echelonNetwork` present), or connect to the hospital's Echelon server. A
 * new administrator then sets the recovery passphrase before the app opens.
 */
export function FirstRunScreen({ onDone }: { onDone: (u: SessionUser) => void }) {
  const { t } = useI18n();
  const s = useFirstRun();
  const admin = s.admin;
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
        {s.error && (
          <Alert color="red" mb="md" role="alert">
            {s.error}
          </Alert>
        )}
        {admin ? (
          <PassphraseStep onDone={() => onDone(admin)} />
        ) : s.connecting && s.network ? (
          <ConnectServer network={s.network} onBack={() => s.setConnecting(false)} />
        ) : (
          <>
            <SimpleGrid cols={2} spacing="xl">
              <AdminForm s={s} />
              <DemoChoice s={s} onDone={onDone} />
            </SimpleGrid>
            {s.canConnect && <ConnectChoice s={s} />}
          </>
        )}
        {/* "Data stays on this computer" is said of the standalone choices only. */}
        {!s.connecting && !admin && (
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
