import { useCallback, useMemo, useState } from 'react';
import { Alert, Button, Group, SegmentedControl, Select, Stack, Text, Title } from '@mantine/core';
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
import { COMPACT_REM, PendingRowCompact, QueueRowCompact } from './QueueRowCompact';
import { QUEUE_LAYOUTS, useQueueLayout, type QueueLayout } from './layout';
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

interface Filters {
  facilityId: number | null;
  wardId: number | null;
  flag: string | null;
  tier: string | null;
}

const NO_FILTERS: Filters = { facilityId: null, wardId: null, flag: null, tier: null };

/** The facility, ward, flag and tier filters above the queue. */
function QueueFilters({ value, onChange }: { value: Filters; onChange: (f: Filters) => void }) {
  const { t } = useI18n();
  const facilities = useApiQuery('facilities:list', {});
  const facility = facilities.data?.find((f) => f.id === value.facilityId);
  return (
    <Group align="flex-end" gap="sm">
      <Select
        label={t('board.facility')}
        placeholder={t('panel.all_facilities')}
        clearable
        w={200}
        data={(facilities.data ?? []).map((f) => ({ value: String(f.id), label: f.name }))}
        value={value.facilityId ? String(value.facilityId) : null}
        onChange={(v) => onChange({ ...value, facilityId: v ? Number(v) : null, wardId: null })}
      />
      <Select
        label={t('board.ward')}
        placeholder={t('panel.all_wards')}
        clearable
        searchable
        disabled={!facility}
        w={150}
        data={(facility?.wards ?? []).map((w) => ({ value: String(w.id), label: w.name }))}
        value={value.wardId ? String(value.wardId) : null}
        onChange={(v) => onChange({ ...value, wardId: v ? Number(v) : null })}
      />
      <Select
        label={t('panel.filter_flag')}
        placeholder={t('panel.all_flags')}
        clearable
        w={200}
        data={FLAG_CODES.map((c) => ({ value: c, label: t(`flag.${c}`) }))}
        value={value.flag}
        onChange={(flag) => onChange({ ...value, flag })}
      />
      <Select
        label={t('panel.filter_tier')}
        placeholder={t('panel.all_tiers')}
        clearable
        w={120}
        data={TIER_CODES.map((c) => ({ value: c, label: c }))}
        value={value.tier}
        onChange={(tier) => onChange({ ...value, tier })}
      />
    </Group>
  );
}

/** While the first page loads: placeholder rows of the chosen layout, where the rows will be. */
function SkeletonRows({ layout }: { layout: QueueLayout }) {
  const { t } = useI18n();
  return (
    <Stack gap={layout === 'compact' ? COMPACT_GAP : CARD_GAP} aria-busy aria-label={t('panel.queue_loading')} data-testid="queue-loading" style={{ overflow: 'hidden' }}>
      {Array.from({ length: 8 }, (_, i) =>
        layout === 'compact' ? (
          <div key={i} style={{ height: `calc(${COMPACT_REM}rem * var(--mantine-scale))`, display: 'grid', flexShrink: 0 }}>
            <PendingRowCompact rank={i + 1} first={false} />
          </div>
        ) : (
          <PendingCard key={i} rank={i + 1} first={false} />
        ),
      )}
    </Stack>
  );
}

const COMPACT_GAP = 4;
const CARD_GAP = 6;

/**
 * 专家会诊: the expert panel's queue across the network, most urgent first, with the reasons. The
 * whole queue is one virtual list under the filters: the first FIRST rows come at once, the next
 * pages when the scroll comes near them (a cursor, so every flagged patient is reached), and their
 * place in the scrollbar is held by placeholder rows meanwhile, so the scrollbar is the queue's true
 * length from the start. Compact rows (two lines, a dozen a screen) by default; the cards show every
 * flag with its evidence. The choice is remembered per user on this workstation.
 */
export function QueueScreen({ user }: { user: SessionUser }) {
  const { t } = useI18n();
  const [filters, setFilters] = useState<Filters>(NO_FILTERS);
  const [layout, setLayout] = useQueueLayout(user.username);
  const [open, setOpen] = useState<number | null>(null);
  const [printing, setPrinting] = useState(false);
  const { facilityId, wardId } = filters;
  const flagCode = FLAG_CODES.find((c) => c === filters.flag);
  const tierCode = TIER_CODES.find((c) => c === filters.tier);
  const filtered = facilityId !== null || wardId !== null || flagCode !== undefined || tierCode !== undefined;
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
  const compact = layout === 'compact';
  const itemRem = useCallback((i: number) => (compact ? COMPACT_REM : queueCardRem(rows[i])), [rows, compact]);
  const renderItem = useCallback(
    (i: number) => {
      const r = rows[i];
      if (compact) return r ? <QueueRowCompact row={r} rank={i + 1} tz={tz} onOpen={setOpen} lead={flagCode} /> : <PendingRowCompact rank={i + 1} first={i === rows.length} />;
      return r ? <QueueCard row={r} rank={i + 1} tz={tz} onOpen={setOpen} /> : <PendingCard rank={i + 1} first={i === rows.length} />;
    },
    [rows, tz, compact, flagCode],
  );

  if (printing) return <MeetingSheet user={user} onClose={() => setPrinting(false)} />;

  return (
    <Stack gap="sm" h={SCREEN_HEIGHT}>
      <QueueFilters value={filters} onChange={setFilters} />

      {/* The actions share the title's line, so the filters keep one line down to a 1024-px window and the rows get the height. */}
      <Group gap="sm" wrap="nowrap" justify="space-between">
        <Group gap="md" wrap="nowrap" style={{ minWidth: 0 }}>
          <Title order={4} style={{ whiteSpace: 'nowrap' }}>
            {t('panel.queue_title')}
          </Title>
          {pages && !queue.error && (
            <Text c="dimmed" style={{ whiteSpace: 'nowrap' }}>
              {t('panel.queue_count', { n: total })}
            </Text>
          )}
          <Text size="sm" c="dimmed" truncate="end" title={t('panel.order_note')}>
            {t('panel.order_note')}
          </Text>
        </Group>
        <Group gap="xs" wrap="nowrap">
          <SegmentedControl
            aria-label={t('panel.layout')}
            value={layout}
            onChange={(v) => setLayout(QUEUE_LAYOUTS.find((l) => l === v) ?? 'compact')}
            data={QUEUE_LAYOUTS.map((l) => ({ value: l, label: t(`panel.layout.${l}`) }))}
            data-testid="queue-layout"
          />
          <Button variant="default" leftSection={<IconRefresh size={16} />} onClick={() => void queue.refetch()}>
            {t('panel.refresh')}
          </Button>
          <Button leftSection={<IconPrinter size={16} />} onClick={() => setPrinting(true)}>
            {t('panel.print_today')}
          </Button>
        </Group>
      </Group>

      {queue.error ? (
        // An error replaces what was shown: a list that failed to refresh is not the queue any more.
        <ErrorPanel error={queue.error} onRetry={() => void queue.refetch()} />
      ) : !pages ? (
        <SkeletonRows layout={layout} />
      ) : rows.length === 0 ? (
        filtered ? (
          <Alert color="gray" data-testid="queue-no-match">
            <Group justify="space-between">
              <Text size="sm">{t('panel.queue_no_match')}</Text>
              <Button size="compact-sm" variant="light" onClick={() => setFilters(NO_FILTERS)}>
                {t('panel.clear_filters')}
              </Button>
            </Group>
          </Alert>
        ) : (
          <Alert color="teal">{t('panel.queue_empty')}</Alert>
        )
      ) : (
        <VirtualGrid
          key={`${facilityId}-${wardId}-${filters.flag}-${filters.tier}-${layout}`}
          testId="queue"
          label={t('lists.queue_label', { n: count })}
          count={count}
          getKey={getKey}
          renderItem={renderItem}
          gap={compact ? COMPACT_GAP : CARD_GAP}
          itemRem={itemRem}
          overscan={compact ? 8 : 4}
          onVisibleEnd={onVisibleEnd}
        />
      )}
      {row && <ReviewDrawer row={row} tz={tz} user={user} onClose={() => setOpen(null)} onDone={() => setOpen(null)} />}
    </Stack>
  );
}
