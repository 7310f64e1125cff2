import { Skeleton, Stack } from '@mantine/core';
import { useI18n } from '../lib/i18n';

/**
 * What a screen or panel shows while its data loads (issue 18): the rough shape of what is coming — a
 * title bar and blocks, or rows — instead of a spinner on an empty page, marked busy for screen readers.
 */
export function LoadingSkeleton({ kind = 'panel', rows = 6 }: { kind?: 'page' | 'panel' | 'rows'; rows?: number }) {
  const { t } = useI18n();
  return (
    <Stack gap="sm" aria-busy="true" aria-label={t('common.loading')} data-testid="loading-skeleton">
      {kind === 'page' && <Skeleton h={96} radius="sm" />}
      {kind === 'rows' ? (
        Array.from({ length: rows }, (_, i) => <Skeleton key={i} h={32} radius="sm" />)
      ) : (
        <>
          <Skeleton h={28} w="40%" radius="sm" />
          <Skeleton h={kind === 'page' ? 320 : 160} radius="sm" />
        </>
      )}
    </Stack>
  );
}
