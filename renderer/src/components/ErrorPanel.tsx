import { Alert, Button, Center, Stack } from '@mantine/core';
import { IconAlertTriangle } from '@tabler/icons-react';
import type { AppError } from '../../../shared/errors';
import { useI18n } from '../lib/i18n';

export function ErrorPanel({ error, onRetry }: { error: AppError; onRetry?: () => void }) {
  const { t, errorText } = useI18n();
  return (
    <Center p="xl">
      <Alert color="red" icon={<IconAlertTriangle />} title={t(`error.${error.code}`)} maw={560} role="alert">
        <Stack gap="sm">
          <div>{errorText(error)}</div>
          {onRetry && (
            <Button variant="light" color="red" onClick={onRetry} w="fit-content">
              {t('common.retry')}
            </Button>
          )}
        </Stack>
      </Alert>
    </Center>
  );
}
