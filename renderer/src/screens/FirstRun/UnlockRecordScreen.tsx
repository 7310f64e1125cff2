import { Alert, Box, Button, Group, Paper, PasswordInput, Stack, Text, Title } from '@mantine/core';
import { IconKey, IconLock } from '@tabler/icons-react';
import { security } from '../../../../shared/api/security';
import { useApiForm } from '../../lib/apiForm';
import { useI18n } from '../../lib/i18n';
import { LocaleSwitch } from '../../components/LocaleSwitch';
import { FormError } from '../../components/FormError';

/**
 * The desktop app started on a record this workstation holds no key for (a reinstalled OS, a drive
 * moved to another computer): main refused it with `security.key_missing` and runs no core. The
 * recovery passphrase unlocks it (main answers `security:unlockWithPassphrase` through the core's
 * `unlockRecord`, then opens the core), and the window goes on to the login. A wrong passphrase is
 * said on the field; the file is not touched.
 */
export function UnlockRecordScreen({ onUnlocked }: { onUnlocked: () => void }) {
  const { t } = useI18n();
  const f = useApiForm('security:unlockWithPassphrase', {
    initialValues: { passphrase: '' },
    toInput: (v) => v,
    schema: security.unlockWithPassphrase.input,
    onDone: onUnlocked,
    onRefused: () => f.form.setFieldValue('passphrase', ''),
  });
  return (
    <Box h="100%" bg="gray.0" p="md" style={{ overflowY: 'auto' }}>
      <Paper withBorder shadow="sm" p="xl" maw={720} mx="auto" my="xl" radius="md" data-testid="unlock-record">
        <Stack>
          <Group justify="space-between" wrap="nowrap">
            <Group gap="xs" wrap="nowrap">
              <IconLock color="var(--mantine-color-orange-7)" />
              <Title order={2}>{t('security.unlock_title')}</Title>
            </Group>
            <LocaleSwitch />
          </Group>
          <Alert color="orange" role="alert">
            {t('security.unlock_intro')}
          </Alert>
          <form onSubmit={f.onSubmit}>
            <Stack gap="sm">
              <PasswordInput label={t('security.passphrase')} autoComplete="off" autoFocus size="md" {...f.form.getInputProps('passphrase')} />
              <FormError message={f.formError} />
              <Group>
                <Button type="submit" size="md" leftSection={<IconKey size={18} />} loading={f.busy}>
                  {t('security.unlock')}
                </Button>
              </Group>
            </Stack>
          </form>
          <Text size="sm" c="dimmed">
            {t('security.unlock_no_passphrase')}
          </Text>
        </Stack>
      </Paper>
    </Box>
  );
}
