import { Alert, Button, Stack } from '@mantine/core';
import { IconAlertTriangle } from '@tabler/icons-react';
import { useI18n } from '../lib/i18n';

/**
 * A save refused because the record changed after it was shown (CONFLICT, issue 15). The message names
 * who changed it and when; the button loads the current version into the form, which keeps what the
 * user typed. Without `onLoadCurrent` the screen has already refreshed what it shows.
 */
export function ConflictAlert({ message, onLoadCurrent, loading = false }: { message: string; onLoadCurrent?: () => void; loading?: boolean }) {
  const { t } = useI18n();
  return (
    <Alert color="orange" icon={<IconAlertTriangle />} role="alert" data-testid="conflict">
      <Stack gap="xs">
        <div>{message}</div>
        {onLoadCurrent && (
          <Button variant="light" color="orange" size="xs" w="fit-content" onClick={onLoadCurrent} loading={loading}>
            {t('conflict.load_current')}
          </Button>
        )}
      </Stack>
    </Alert>
  );
}
