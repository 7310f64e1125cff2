import { useCallback, useMemo, useState } from 'react';
import { Alert, Button, Group, Loader, Select, Stack, Text, Title } from '@mantine/core';
import { IconPrinter, IconRefresh } from '@tabler/icons-react';
import { keepPreviousData, useInfiniteQuery } from '@tanstack/react-query';
import type { SessionUser } from '../../../../shared/api/auth';
import type { Queue, QueueCursor, QueueFilter } from '../../../../shared/api/queue';
import { FLAG_CODES } from '../../../../shared/clinical/flags';
import { TIER_CODES } from '../../../../shared/domain/clinical';
import type { AppError } from '../../../../shared/errors';
import { call, queryKeyOf, useApiQuery } from '../../lib/query';
import { useI18n } from '../../lib/i18n';
import { ErrorPanel } from '../../components/ErrorPanel';
import { SCREEN_HEIGHT, VirtualGrid } from '../../components/VirtualGrid';
import { PendingCard, QueueCard, queueCardRem } from './QueueCard';
import { ReviewDrawer } from './ReviewDrawer';
import { MeetingSheet } from './MeetingSheet';

/** The first page: the first screenfuls at the price of the core's default call. */
const FIRST = 100;
/**
 * Each page after it, fetched as the scroll comes near the end of what has arrived: at full scale a
 * page of 250 after a cursor stays within queue:list's 50 ms whatever its depth (500 did not, on a busy machine).
 */
const MORE = 250;
/** Rows before the end of what has arrived at which the next page is asked for. */
const AHEAD = 30;

/**
 * The queue under a filter, page after page (queue:list with `after`), cached under the same key as
 * a plain read of it ([channel, filter]), so a change notice refetches it like any other read: every
 * page loaded, each after the fresh one before it.
 */
function useQueuePages(filter: Omit<QueueFilter, 'limit' | 'after'>) {
  return useInfiniteQuery<Queue, AppError, { pages: Queue[] }, ReturnType<typeof queryKeyOf>, QueueCursor | null>({
    queryKey: queryKeyOf('queue:list', filter),
    initialPageParam: null,
    queryFn: ({ pageParam }) => call('queue:list', { ...filter, ...(pageParam ? { after: pageParam, limit: MORE } : { limit: FIRST }) }),
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    placeholderData: keepPreviousData,
  });
}

/**
 * 专家会诊: the expert panel's queue across the network, most urgent first, with the reasons. The
 * whole queue is one virtual list under the filters: the first FIRST rows come at once, the next
 * pages when the scroll comes near them (a cursor, so every flagged patient is reached), and their
 * place in the scrollbar is held by placeholder cards meanwhile, so the scrollbar is the queue's true
 * length from the start.
 */
export function QueueScreen({ user }: { user: SessionUser }) {
  const { t } = useI18n();
  const facilities = useApiQuery('facilities:list', {});
  const [facilityId, setFacilityId] = useState<number | null>(null);
  const [wardId, setWardId] = useState<number | null>(null);
  const [flag, setFlag] = useState<string | null>(null);
  const [tier, setTier] = useState<string | null>(null);
  const [open, setOpen] = useState<number | null>(null);
  const [printing, setPrinting] = useState(false);
  const flagCode = FLAG_CODES.find((c) => c === flag);
  const tierCode = TIER_CODES.find((c) => c === tier);
  const filter = useMemo(
    () => ({
      ...(facilityId ? { facilityId } : {}),
      ...(wardId ? { wardId } : {}),
      ...(flagCode ? { flag: flagCode } : {}),
      ...(tierCode ? { tier: tierCode } : {}),
    }),
    [facilityId, wardId, flagCode, tierCode],
  );
  const queue = useQueuePages(filter);
  const facility = facilities.data?.find((f) => f.id === facilityId);
  const pages = queue.data?.pages;
  const tz = pages?.[0]?.timeZone ?? 'Asia/Shanghai';
  // A patient a write moved down between two page loads can arrive twice until the notice's refetch
  // (every page again, each after the fresh one before it) lands: shown once, where first ranked.
  const rows = useMemo(() => {
    const seen = new Set<number>();
    return (pages ?? []).flatMap((p) => p.rows).filter((r) => !seen.has(r.episodeId) && Boolean(seen.add(r.episodeId)));
  }, [pages]);
  const total = pages?.at(-1)?.total ?? 0;
  const row = rows.find((r) => r.episodeId === open) ?? null;
  // Until the last page, the rows not yet loaded hold their places; after it, the rows are the queue.
  const count = queue.hasNextPage ? Math.max(total, rows.length) : rows.length;
  const { hasNextPage, isFetching, fetchNextPage } = queue;
  const onVisibleEnd = useCallback(
    (last: number) => {
      if (hasNextPage && !isFetching && last >= rows.length - AHEAD) void fetchNextPage();
    },
    [hasNextPage, isFetching, fetchNextPage, rows.length],
  );
  const getKey = useCallback((i: number) => rows[i]?.episodeId ?? `pending-${i}`, [rows]);
  const itemRem = useCallback((i: number) => queueCardRem(rows[i]), [rows]);
  const renderItem = useCallback(
    (i: number) => {
      const r = rows[i];
      return r ? <QueueCard row={r} rank={i + 1} tz={tz} onOpen={setOpen} /> : <PendingCard rank={i + 1} first={i === rows.length} />;
    },
    [rows, tz],
  );

  if (printing) return <MeetingSheet user={user} onClose={() => setPrinting(false)} />;

  return (
    <Stack gap="sm" h={SCREEN_HEIGHT}>
      <Group justify="space-between" align="flex-end">
        <Group align="flex-end" gap="sm">
          <Select
            label={t('board.facility')}
            placeholder={t('panel.all_facilities')}
            clearable
            w={220}
            data={(facilities.data ?? []).map((f) => ({ value: String(f.id), label: f.name }))}
            value={facilityId ? String(facilityId) : null}
            onChange={(v) => {
              setFacilityId(v ? Number(v) : null);
              setWardId(null);
            }}
          />
          <Select
            label={t('board.ward')}
            placeholder={t('panel.all_wards')}
            clearable
            searchable
            disabled={!facility}
            w={170}
            data={(facility?.wards ?? []).map((w) => ({ value: String(w.id), label: w.name }))}
            value={wardId ? String(wardId) : null}
            onChange={(v) => setWardId(v ? Number(v) : null)}
          />
          <Select
            label={t('panel.filter_flag')}
            placeholder={t('panel.all_flags')}
            clearable
            w={220}
            data={FLAG_CODES.map((c) => ({ value: c, label: t(`flag.${c}`) }))}
            value={flag}
            onChange={setFlag}
          />
          <Select
            label={t('panel.filter_tier')}
            placeholder={t('panel.all_tiers')}
            clearable
            w={150}
            data={TIER_CODES.map((c) => ({ value: c, label: c }))}
            value={tier}
            onChange={setTier}
          />
        </Group>
        <Group gap="xs" wrap="nowrap">
          <Button variant="default" leftSection={<IconRefresh size={16} />} onClick={() => void queue.refetch()}>
            {t('panel.refresh')}
          </Button>
          <Button leftSection={<IconPrinter size={16} />} onClick={() => setPrinting(true)}>
            {t('panel.print_today')}
          </Button>
        </Group>
      </Group>

      <Group gap="md">
        <Title order={4}>{t('panel.queue_title')}</Title>
        {pages && <Text c="dimmed">{t('panel.queue_count', { n: total })}</Text>}
        <Text size="sm" c="dimmed">
          {t('panel.order_note')}
        </Text>
      </Group>

      {queue.error && <ErrorPanel error={queue.error} onRetry={() => void queue.refetch()} />}
      {queue.isFetching && !pages && <Loader />}
      {pages && rows.length === 0 && <Alert color="teal">{t('panel.queue_empty')}</Alert>}
      {count > 0 && (
        <VirtualGrid
          key={`${facilityId}-${wardId}-${flag}-${tier}`}
          testId="queue"
          label={t('lists.queue_label', { n: count })}
          count={count}
          getKey={getKey}
          renderItem={renderItem}
          gap={6}
          itemRem={itemRem}
          overscan={4}
          onVisibleEnd={onVisibleEnd}
        />
      )}
      {row && <ReviewDrawer row={row} tz={tz} user={user} onClose={() => setOpen(null)} onDone={() => setOpen(null)} />}
    </Stack>
  );
}
