import { useCallback, useEffect, useState } from 'react';
import { Alert, Box, Button, Divider, Group, Paper, PasswordInput, SimpleGrid, Stack, Text, TextInput, Title } from '@mantine/core';
import { useForm } from '@mantine/form';
import { IconCertificateOff, IconShieldLock } from '@tabler/icons-react';
import { useI18n } from '../../lib/i18n';
import { fieldErrors, issuesOf } from '../../lib/formErrors';
import { unwrapNetwork, type CertificateStatus, type EchelonNetwork } from '../../lib/network';
import { LocaleSwitch } from '../../components/LocaleSwitch';
import { Fingerprint } from './Fingerprint';
import { SectionTitle } from './SectionTitle';

/**
 * Connected mode, when the server presents a certificate other than the pinned one: never a generic
 * error, and nothing is sent (main refuses on the TLS handshake). The user is told not to continue
 * unless IT has said the certificate was replaced. Only an administrator can accept the new one:
 * main checks the login over a connection pinned to the new certificate shown here, re-pins only for
 * role admin, and logs that session out again; every window then logs in anew.
 */
export function CertificateChangedScreen({ network, onResolved }: { network: EchelonNetwork; onResolved: () => void }) {
  const { t, failureText } = useI18n();
  const [status, setStatus] = useState<CertificateStatus | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [accepted, setAccepted] = useState(false);
  const form = useForm({ initialValues: { username: '', password: '' } });

  const read = useCallback(async () => {
    setError(null);
    try {
      const s = await unwrapNetwork(network.certificate());
      setStatus(s);
      // The server shows the trusted certificate again (it was a passing fault): carry on as before.
      if (s.presented === s.trusted) onResolved();
    } catch (err) {
      setError(failureText(err));
    }
  }, [network, onResolved, failureText]);

  useEffect(() => {
    void read();
  }, [read]);

  const accept = form.onSubmit(async (values) => {
    if (!status?.presented) return;
    setBusy(true);
    setError(null);
    try {
      await unwrapNetwork(network.acceptCertificate({ fingerprint: status.presented, ...values }));
      setAccepted(true);
    } catch (err) {
      const issues = issuesOf(err);
      if (issues.length) form.setErrors(fieldErrors(issues, t));
      else setError(failureText(err));
    } finally {
      form.setFieldValue('password', '');
      setBusy(false);
    }
  });

  return (
    <Box h="100%" bg="gray.0" p="md" style={{ overflowY: 'auto' }}>
      <Paper withBorder shadow="sm" p="xl" maw={820} mx="auto" my="md" radius="md" data-testid="certificate-changed">
        <Stack>
          <Group justify="space-between">
            <Group gap="xs">
              <IconCertificateOff color="var(--mantine-color-red-7)" />
              <Title order={2}>{t('desktop.changed_title')}</Title>
            </Group>
            <LocaleSwitch />
          </Group>
          <Alert color="red" role="alert">
            {t('desktop.changed_warning', { url: status?.url ?? '' })}
          </Alert>
          {error && (
            <Alert color="red" role="alert">
              {error}
            </Alert>
          )}
          {status && (
            <SimpleGrid cols={2} spacing="md">
              <Fingerprint value={status.trusted} label={t('desktop.trusted')} testId="trusted-fingerprint" size={16} />
              {status.presented ? (
                <Fingerprint value={status.presented} compareTo={status.trusted} label={t('desktop.presented')} testId="presented-fingerprint" size={16} />
              ) : (
                <Text c="dimmed">{t('desktop.presented_unknown')}</Text>
              )}
            </SimpleGrid>
          )}
          <Group>
            <Button variant="default" onClick={() => void read()} disabled={busy}>
              {t('desktop.recheck')}
            </Button>
          </Group>
          {accepted ? (
            <Alert color="teal" role="status">
              <Stack gap="xs">
                <Text size="sm">{t('desktop.accepted')}</Text>
                <Button onClick={onResolved} w="fit-content">
                  {t('login.submit')}
                </Button>
              </Stack>
            </Alert>
          ) : (
            status?.presented && (
              <>
                <Divider />
                <form onSubmit={accept}>
                  <Stack>
                    <SectionTitle icon={<IconShieldLock />}>{t('desktop.admin_title')}</SectionTitle>
                    <Text size="sm">{t('desktop.admin_intro')}</Text>
                    <Group grow align="flex-start">
                      <TextInput label={t('login.username')} autoComplete="off" required {...form.getInputProps('username')} />
                      <PasswordInput label={t('login.password')} autoComplete="off" required {...form.getInputProps('password')} />
                    </Group>
                    <Button type="submit" color="red" variant="light" loading={busy} w="fit-content">
                      {t('desktop.accept')}
                    </Button>
                  </Stack>
                </form>
              </>
            )
          )}
        </Stack>
      </Paper>
    </Box>
  );
}
