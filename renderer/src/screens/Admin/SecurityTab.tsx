import { useState, type ReactNode } from 'react';
import { Alert, Badge, Button, Group, Loader, Paper, PasswordInput, Stack, Table, Text, Title } from '@mantine/core';
import { IconKey, IconLock, IconLockOpen, IconRefresh } from '@tabler/icons-react';
import { security, type SecurityStatus } from '../../../../shared/api/security';
import { formatLocal } from '../../../../shared/domain/time';
import { useApiForm } from '../../lib/apiForm';
import { useApiQuery } from '../../lib/query';
import { useI18n } from '../../lib/i18n';
import { ErrorPanel } from '../../components/ErrorPanel';
import { FormError } from '../../components/FormError';
import { RecoveryPassphraseForm } from '../../components/RecoveryPassphraseForm';
import { PlainLeftovers } from './PlainLeftovers';
import { LoadingSkeleton } from '../../components/LoadingSkeleton';

/** What is encrypted, under which key, held where; the passphrase; the key file. One row per fact. */
function StatusTable({ s, tz }: { s: SecurityStatus; tz: string }) {
  const { t } = useI18n();
  const rows: [string, ReactNode][] = [
    [
      t('security.status_title'),
      <Group gap="xs" key="state">
        {s.encrypted ? <IconLock size={18} color="var(--mantine-color-teal-7)" /> : <IconLockOpen size={18} color="var(--mantine-color-red-7)" />}
        <Text size="sm" fw={600} c={s.encrypted ? 'teal' : 'red'}>
          {t(s.encrypted ? 'security.encrypted' : 'security.not_encrypted')}
        </Text>
      </Group>,
    ],
    [t('security.label.cipher'), t(`security.cipher.${s.cipher}`)],
    [t('security.label.holder'), t(`security.holder.${s.keyHolder}`)],
    [t('security.label.key'), t('security.key_made', { id: s.keyId, at: formatLocal(s.keyCreatedAt, tz) })],
    [t('security.label.older_keys'), t('security.older_keys_n', { n: s.olderKeys })],
    [
      t('security.label.passphrase'),
      s.recoveryPassphraseSetAt ? (
        t('security.recovery_set', { at: formatLocal(s.recoveryPassphraseSetAt, tz) })
      ) : (
        <Text size="sm" c="orange" fw={600}>
          {t('security.recovery_not_set')}
        </Text>
      ),
    ],
    [
      t('security.label.key_file'),
      <Text key="file" size="sm" ff="monospace" style={{ wordBreak: 'break-all' }}>
        {s.keyFile}
      </Text>,
    ],
  ];
  return (
    <Table withTableBorder verticalSpacing="xs" data-testid="security-status">
      <Table.Tbody>
        {rows.map(([label, value]) => (
          <Table.Tr key={label}>
            <Table.Th w={180}>{label}</Table.Th>
            <Table.Td>{value}</Table.Td>
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  );
}

function ChangePassphrase({ onChanged }: { onChanged: () => void }) {
  const { t } = useI18n();
  const f = useApiForm('security:changeRecoveryPassphrase', {
    initialValues: { oldPassphrase: '', newPassphrase: '', confirm: '' },
    toInput: (v) => v,
    schema: security.changeRecoveryPassphrase.input,
    success: () => t('security.passphrase_changed'),
    onDone: () => {
      f.form.reset();
      onChanged();
    },
  });
  return (
    <form onSubmit={f.onSubmit} data-testid="change-passphrase-form">
      <Stack gap="sm">
        <PasswordInput label={t('security.old_passphrase')} autoComplete="off" {...f.form.getInputProps('oldPassphrase')} />
        <PasswordInput label={t('security.new_passphrase')} description={t('security.passphrase_hint')} autoComplete="new-password" {...f.form.getInputProps('newPassphrase')} />
        <PasswordInput label={t('security.confirm_passphrase')} autoComplete="new-password" {...f.form.getInputProps('confirm')} />
        <Text size="xs" c="dimmed">
          {t('security.loss_warning')}
        </Text>
        <FormError message={f.formError} />
        <Group>
          <Button type="submit" leftSection={<IconKey size={18} />} loading={f.busy}>
            {t('security.change_passphrase')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

/** Rotating the data key: an operation that re-encrypts the whole record, so it says it is working and what it made. */
function Rekey({ passphraseSet, tz, onChanged }: { passphraseSet: boolean; tz: string; onChanged: () => void }) {
  const { t } = useI18n();
  const [done, setDone] = useState<{ id: string; at: string } | null>(null);
  const f = useApiForm('security:rekey', {
    initialValues: { recoveryPassphrase: '' },
    toInput: (v) => (passphraseSet ? { recoveryPassphrase: v.recoveryPassphrase } : {}),
    onDone: (r) => {
      f.form.reset();
      setDone({ id: r.keyId, at: r.keyCreatedAt });
      onChanged();
    },
  });
  const submit = f.form.onSubmit((values) => {
    setDone(null);
    void f.save(values);
  });
  return (
    <form onSubmit={submit} data-testid="rekey-form">
      <Stack gap="sm">
        <Text size="sm">{t('security.rekey_explain')}</Text>
        {passphraseSet && (
          <PasswordInput label={t('security.passphrase')} description={t('security.rekey_needs_passphrase')} autoComplete="off" {...f.form.getInputProps('recoveryPassphrase')} />
        )}
        <FormError message={f.formError} />
        {f.busy && (
          <Alert color="blue" icon={<Loader size={18} />} role="status">
            {t('security.rekey_busy')}
          </Alert>
        )}
        {done && (
          <Alert color="teal" role="status" withCloseButton onClose={() => setDone(null)} data-testid="rekey-outcome">
            {t('security.rekeyed', { id: done.id, at: formatLocal(done.at, tz) })}
          </Alert>
        )}
        <Group>
          <Button type="submit" variant="light" color="orange" leftSection={<IconRefresh size={18} />} loading={f.busy}>
            {t('security.rekey')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

function Section({ title, children, testId }: { title: string; children: ReactNode; testId?: string }) {
  return (
    <Paper withBorder p="md" radius="md" data-testid={testId}>
      <Stack gap="sm">
        <Title order={4}>{title}</Title>
        {children}
      </Stack>
    </Paper>
  );
}

/** 数据加密: the record's encryption, the recovery passphrase, rotating the data key, and plain copies to destroy (issue 20). */
export function SecurityTab({ tz }: { tz: string }) {
  const { t } = useI18n();
  const status = useApiQuery('security:status', {});
  if (status.error) return <ErrorPanel error={status.error} onRetry={() => void status.refetch()} />;
  const s = status.data;
  if (!s) return <LoadingSkeleton />;
  // An operation's answer is what changed: the status is read again at once, not on the next notice.
  const changed = () => void status.refetch();
  return (
    <Stack gap="md" data-testid="security-tab">
      <PlainLeftovers leftovers={s.plainLeftovers} tz={tz} onChanged={changed} />
      <StatusTable s={s} tz={tz} />
      <Group align="flex-start" grow>
        <Section title={t(s.recoveryPassphraseSet ? 'security.change_passphrase' : 'security.set_passphrase')} testId="passphrase-section">
          {s.recoveryPassphraseSet ? (
            <ChangePassphrase onChanged={changed} />
          ) : (
            <>
              <Text size="sm">{t('security.recovery_explain')}</Text>
              <RecoveryPassphraseForm onDone={changed} />
            </>
          )}
        </Section>
        <Section title={t('security.rekey')} testId="rekey-section">
          <Rekey passphraseSet={s.recoveryPassphraseSet} tz={tz} onChanged={changed} />
          {s.olderKeys > 0 && (
            <Badge variant="light" color="gray">
              {t('security.label.older_keys')}: {s.olderKeys}
            </Badge>
          )}
        </Section>
      </Group>
    </Stack>
  );
}
