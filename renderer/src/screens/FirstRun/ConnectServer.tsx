import { useState } from 'react';
import { Alert, Button, Group, Stack, Text, TextInput, Title } from '@mantine/core';
import { useForm } from '@mantine/form';
import { IconAlertTriangle, IconCircleCheck, IconServer2 } from '@tabler/icons-react';
import { useI18n } from '../../lib/i18n';
import { fieldErrors, issuesOf } from '../../lib/formErrors';
import { unwrapNetwork, type EchelonNetwork, type ServerProbe } from '../../lib/network';
import { Fingerprint } from './Fingerprint';
import { SectionTitle } from './SectionTitle';

/**
 * First connection to the hospital's Echelon server, like SSH's: the address and this workstation's
 * name; then the fingerprint of the certificate the server presents, to compare with the one the server
 * itself shows. Only "the same: trust and connect" pins it; main then writes network.json and restarts
 * the app in connected mode.
 */
export function ConnectServer({ network, onBack }: { network: EchelonNetwork; onBack: () => void }) {
  const { t, failureText } = useI18n();
  const [probe, setProbe] = useState<ServerProbe | null>(null);
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const form = useForm({ initialValues: { url: 'https://', workstation: '' } });

  const show = (err: unknown) => {
    const issues = issuesOf(err);
    if (issues.length) form.setErrors(fieldErrors(issues, t));
    else setError(failureText(err));
  };

  const check = form.onSubmit(async (values) => {
    setError(null);
    if (!values.workstation.trim()) return form.setErrors({ workstation: t('desktop.workstation_required') });
    setBusy(true);
    try {
      setProbe(await unwrapNetwork(network.probe(values.url.trim())));
    } catch (err) {
      show(err);
    } finally {
      setBusy(false);
    }
  });

  const trust = async () => {
    if (!probe) return;
    setBusy(true);
    setError(null);
    try {
      await unwrapNetwork(
        network.connect({
          url: probe.url,
          fingerprint: probe.fingerprint,
          workstation: form.values.workstation,
        }),
      );
      setDone(true);
    } catch (err) {
      setProbe(null);
      show(err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Stack>
      <SectionTitle icon={<IconServer2 />}>{t('desktop.connect_title')}</SectionTitle>
      {error && (
        <Alert color="red" role="alert">
          {error}
        </Alert>
      )}
      {done ? (
        <Alert color="teal" icon={<IconCircleCheck />} role="status">
          {t('desktop.restarting')}
        </Alert>
      ) : probe ? (
        <Stack data-testid="fingerprint-check">
          <Title order={5}>{t('desktop.compare_title')}</Title>
          <Text size="sm">{t('desktop.compare_intro', { url: probe.url })}</Text>
          <Fingerprint value={probe.fingerprint} label={t('desktop.fingerprint')} testId="server-fingerprint" />
          <Alert color="orange" icon={<IconAlertTriangle />}>
            {t('desktop.compare_warning')}
          </Alert>
          <Group>
            <Button onClick={() => void trust()} loading={busy}>
              {t('desktop.trust')}
            </Button>
            <Button variant="default" onClick={() => setProbe(null)} disabled={busy}>
              {t('desktop.differs')}
            </Button>
          </Group>
        </Stack>
      ) : (
        <form onSubmit={check}>
          <Stack>
            <Text size="sm">{t('desktop.connect_intro')}</Text>
            <TextInput label={t('desktop.address')} description={t('desktop.address_hint')} spellCheck={false} autoComplete="off" {...form.getInputProps('url')} />
            <TextInput label={t('desktop.workstation')} description={t('desktop.workstation_hint')} maxLength={64} {...form.getInputProps('workstation')} />
            <Group>
              <Button type="submit" loading={busy}>
                {t('desktop.check')}
              </Button>
              <Button variant="default" onClick={onBack} disabled={busy}>
                {t('desktop.back')}
              </Button>
            </Group>
          </Stack>
        </form>
      )}
    </Stack>
  );
}
