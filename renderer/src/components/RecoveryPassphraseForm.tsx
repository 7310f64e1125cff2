import { Alert, Button, Group, PasswordInput, Stack } from '@mantine/core';
import { IconAlertTriangle, IconKey } from '@tabler/icons-react';
import { security } from '../../../shared/api/security';
import { useApiForm } from '../lib/apiForm';
import { useI18n } from '../lib/i18n';
import { FormError } from './FormError';

/**
 * Setting the recovery passphrase (issue 20), twice, with the plain warning of what losing it means:
 * the first-run step after the administrator is created, and the administration screen while an
 * upgraded record has none. The contract's own schema checks length and repetition before the call.
 */
export function RecoveryPassphraseForm({ onDone, submitLabel }: { onDone?: () => void; submitLabel?: string }) {
  const { t } = useI18n();
  const f = useApiForm('security:setRecoveryPassphrase', {
    initialValues: { passphrase: '', confirm: '' },
    toInput: (v) => v,
    schema: security.setRecoveryPassphrase.input,
    success: () => t('security.passphrase_set_done'),
    onDone: () => onDone?.(),
  });
  return (
    <form onSubmit={f.onSubmit} data-testid="recovery-passphrase-form">
      <Stack gap="sm">
        <Alert color="orange" icon={<IconAlertTriangle />} role="note">
          {t('security.loss_warning')}
        </Alert>
        <PasswordInput label={t('security.passphrase')} description={t('security.passphrase_hint')} autoComplete="new-password" {...f.form.getInputProps('passphrase')} />
        <PasswordInput label={t('security.confirm_passphrase')} autoComplete="new-password" {...f.form.getInputProps('confirm')} />
        <FormError message={f.formError} />
        <Group>
          <Button type="submit" leftSection={<IconKey size={18} />} loading={f.busy}>
            {submitLabel ?? t('security.set_passphrase')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
