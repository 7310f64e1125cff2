import { useState } from 'react';
import { Button, Group, Modal, Stack, Text, TextInput } from '@mantine/core';
import type { Channel } from '../../lib/can';
import { useApiForm } from '../../lib/apiForm';
import type { CallInput } from '../../lib/query';
import { useI18n } from '../../lib/i18n';

/**
 * Asks why a signed record is withdrawn ("entered in error"); nothing is deleted. The withdrawal is
 * `channel`, its input built from the reason by `toInput`; every refusal shows on the reason, the field
 * this dialog has.
 */
export function ErrorReasonModal<C extends Channel>({
  opened,
  channel,
  toInput,
  onClose,
}: {
  opened: boolean;
  channel: C;
  toInput: (reason: string) => CallInput<C>;
  onClose: () => void;
}) {
  const { t } = useI18n();
  const f = useApiForm(channel, { initialValues: { reason: '' }, toInput: (v) => toInput(v.reason), onDone: onClose });
  // Each opening starts blank.
  const [wasOpened, setWasOpened] = useState(opened);
  if (opened !== wasOpened) {
    setWasOpened(opened);
    if (opened) {
      f.form.reset();
      f.clear();
    }
  }
  const error = f.form.errors.reason ?? Object.values(f.form.errors)[0] ?? f.formError;
  return (
    <Modal opened={opened} onClose={onClose} title={t('chart.entered_in_error')} centered>
      <form onSubmit={f.onSubmit}>
        <Stack>
          <Text size="sm">{t('chart.error_intro')}</Text>
          <TextInput label={t('records.reason')} {...f.form.getInputProps('reason')} error={error} data-autofocus required />
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              {t('common.cancel')}
            </Button>
            <Button type="submit" color="red" loading={f.busy}>
              {t('chart.error_confirm')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
