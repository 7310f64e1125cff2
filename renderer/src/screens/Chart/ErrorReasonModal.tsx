import { useEffect, useState } from 'react';
import { Button, Group, Modal, Stack, Text, TextInput } from '@mantine/core';
import { AppError } from '../../../../shared/errors';
import { useI18n } from '../../lib/i18n';
import { fieldErrors, issuesOf } from '../../lib/formErrors';

/** Asks why a signed record is withdrawn ("entered in error"); nothing is deleted. */
export function ErrorReasonModal({ opened, onClose, onConfirm }: { opened: boolean; onClose: () => void; onConfirm: (reason: string) => Promise<void> }) {
  const { t, errorText } = useI18n();
  const [reason, setReason] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    if (opened) {
      setReason('');
      setError(null);
    }
  }, [opened]);
  const submit = async () => {
    setBusy(true);
    try {
      await onConfirm(reason);
    } catch (err) {
      const issues = issuesOf(err);
      if (issues.length > 0) setError(fieldErrors(issues, t).reason ?? Object.values(fieldErrors(issues, t))[0] ?? null);
      else if (err instanceof AppError) setError(errorText(err));
      else throw err;
    } finally {
      setBusy(false);
    }
  };
  return (
    <Modal opened={opened} onClose={onClose} title={t('chart.entered_in_error')} centered>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          void submit();
        }}
      >
        <Stack>
          <Text size="sm">{t('chart.error_intro')}</Text>
          <TextInput label={t('records.reason')} value={reason} onChange={(e) => setReason(e.currentTarget.value)} error={error} data-autofocus required />
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              {t('common.cancel')}
            </Button>
            <Button type="submit" color="red" loading={busy}>
              {t('chart.error_confirm')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
