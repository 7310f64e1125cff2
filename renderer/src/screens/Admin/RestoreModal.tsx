import { useState } from 'react';
import { Alert, Button, Group, Loader, Modal, Stack, Text, TextInput } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconAlertTriangle, IconCircleCheck } from '@tabler/icons-react';
import type { BackupFile } from '../../../../shared/api/backup';
import { formatLocal } from '../../../../shared/domain/time';
import { api } from '../../lib/api';
import { useApiQuery } from '../../lib/query';
import { useI18n } from '../../lib/i18n';
import { fieldErrors, issuesOf } from '../../lib/formErrors';
import { useSession } from '../../lib/session';
import { ProblemList } from './ProblemList';
import { FormError } from '../../components/FormError';

/**
 * Restore one backup: the copy is verified first and the result shown; the administrator types the
 * backup's name to confirm; afterwards every user, this one included, logs in again.
 */
export function RestoreModal({ file, tz, onClose }: { file: BackupFile; tz: string; onClose: () => void }) {
  const { t, errorText, failureText } = useI18n();
  const session = useSession();
  const inspect = useApiQuery('backup:inspect', { name: file.name }, { keepPrevious: false });
  const [confirm, setConfirm] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [fieldError, setFieldError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const v = inspect.data?.verification;

  const restore = async () => {
    setBusy(true);
    setError(null);
    setFieldError(null);
    try {
      const r = await api.backup.restore({ name: file.name, confirm });
      notifications.show({ color: 'teal', autoClose: 15_000, title: t('backup.restored_title'), message: t('backup.restored', { name: r.restoredFrom, replaced: r.replacedAs }) });
      session.ended();
    } catch (err) {
      const issues = issuesOf(err);
      if (issues.length > 0) setFieldError(fieldErrors(issues, t).confirm ?? null);
      else setError(failureText(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal opened onClose={onClose} size="lg" centered title={<Text fw={700}>{t('backup.restore_title', { name: file.name })}</Text>}>
      <Stack>
        <Alert color="orange" icon={<IconAlertTriangle />}>
          {t('backup.restore_warning', { time: formatLocal(file.createdAt, tz) })}
        </Alert>
        {inspect.isFetching && (
          <Group gap="xs">
            <Loader size="sm" />
            <Text size="sm">{t('backup.checking')}</Text>
          </Group>
        )}
        <FormError message={inspect.error && errorText(inspect.error)} />
        {v && v.ok && (
          <Alert color="teal" icon={<IconCircleCheck />} data-testid="restore-check">
            {t('backup.check_ok', { schema: v.schemaVersion ?? 0, patients: v.patients ?? 0, users: v.users ?? 0, audit: v.auditRows ?? 0 })}
          </Alert>
        )}
        {v && !v.ok && (
          <Alert color="red" title={t('backup.check_failed')} data-testid="restore-check">
            <ProblemList verification={v} />
          </Alert>
        )}
        {v?.ok && (
          <TextInput
            label={t('backup.confirm_label')}
            description={file.name}
            value={confirm}
            onChange={(e) => setConfirm(e.currentTarget.value)}
            error={fieldError}
            autoComplete="off"
            data-autofocus
          />
        )}
        <FormError message={error} />
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            {t('common.cancel')}
          </Button>
          <Button color="orange" loading={busy} disabled={!v?.ok || confirm.trim() !== file.name} onClick={() => void restore()}>
            {t('backup.restore_confirm')}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
