import { useCallback, useEffect, useMemo, useState } from 'react';
import { Button, Group, Loader, Paper, SegmentedControl, Select, SimpleGrid, Skeleton, Stack, Text, Title } from '@mantine/core';
import { IconClipboardHeart, IconUserPlus } from '@tabler/icons-react';
import type { SessionUser } from '../../../../shared/api/auth';
import { can } from '../../lib/can';
import { useApiQuery } from '../../lib/query';
import { useI18n } from '../../lib/i18n';
import { ErrorPanel } from '../../components/ErrorPanel';
import { SCREEN_HEIGHT, VirtualGrid } from '../../components/VirtualGrid';
import { BedCard, bedCardRem } from './BedCard';
import { AdmitDrawer } from './AdmitDrawer';
import { useNav } from '../../lib/nav';
import { sickestFirst } from './sort';

/**
 * 病区看板: one ward's beds with their patients; admit into a free bed. The beds scroll under the
 * filters and only the rows in view are mounted, so a 500-bed fangcang zone opens as fast as a
 * 50-bed ward.
 */
export function WardBoardScreen({ user, wardId: initialWard }: { user: SessionUser; wardId?: number }) {
  const { t } = useI18n();
  const { go } = useNav();
  const [order, setOrder] = useState<'beds' | 'sickest'>('beds');
  const facilities = useApiQuery('facilities:list', {});
  const [facilityId, setFacilityId] = useState<number | null>(null);
  const [wardId, setWardId] = useState<number | null>(null);
  const [admitBed, setAdmitBed] = useState<number | null | undefined>(undefined);

  useEffect(() => {
    const wanted = initialWard ? facilities.data?.find((f) => f.wards.some((w) => w.id === initialWard)) : undefined;
    const first = wanted ?? facilities.data?.[0];
    if (first && facilityId === null) {
      setFacilityId(first.id);
      setWardId(wanted ? (initialWard ?? null) : (first.wards[0]?.id ?? null));
    }
  }, [facilities.data, facilityId, initialWard]);

  const facility = facilities.data?.find((f) => f.id === facilityId);
  const board = useApiQuery('wards:board', wardId ? { wardId } : null);
  const counts = useMemo(() => {
    const c = { total: 0, occupied: 0, free: 0, cleaning: 0 };
    for (const b of board.data?.beds ?? []) {
      c.total += 1;
      if (b.state === 'occupied') c.occupied += 1;
      if (b.state === 'free') c.free += 1;
      if (b.state === 'cleaning') c.cleaning += 1;
    }
    return c;
  }, [board.data]);
  const beds = useMemo(() => (board.data ? (order === 'sickest' ? sickestFirst(board.data.beds) : board.data.beds) : []), [board.data, order]);
  const canAdmit = can(user, 'patients:admit');
  // Stable for every card, so a card renders again only when its own bed changes (BedCard is memo).
  const onAdmit = useMemo(() => (canAdmit ? (bedId: number) => setAdmitBed(bedId) : undefined), [canAdmit]);
  const onOpen = useCallback((episodeId: number) => go('chart', { episodeId }), [go]);
  const getKey = useCallback((i: number) => beds[i]!.id, [beds]);
  const itemRem = useCallback((i: number) => bedCardRem(beds[i]!), [beds]);
  const renderItem = useCallback((i: number) => <BedCard bed={beds[i]!} onAdmit={onAdmit} onOpen={onOpen} />, [beds, onAdmit, onOpen]);

  if (facilities.error) return <ErrorPanel error={facilities.error} onRetry={() => void facilities.refetch()} />;

  return (
    <Stack h={SCREEN_HEIGHT}>
      <Group justify="space-between" align="flex-end">
        <Group align="flex-end">
          <Select
            label={t('board.facility')}
            data={(facilities.data ?? []).map((f) => ({ value: String(f.id), label: `${f.name} · ${t(`facility.kind.${f.kind}`)}` }))}
            value={facilityId ? String(facilityId) : null}
            onChange={(v) => {
              const f = facilities.data?.find((x) => String(x.id) === v);
              setFacilityId(f?.id ?? null);
              setWardId(f?.wards[0]?.id ?? null);
            }}
            allowDeselect={false}
            w={280}
            disabled={facilities.isLoading}
            placeholder={facilities.isLoading ? t('common.loading') : undefined}
            rightSection={facilities.isLoading ? <Loader size="xs" /> : undefined}
          />
          <Select
            label={t('board.ward')}
            searchable
            data={(facility?.wards ?? []).map((w) => ({
              value: String(w.id),
              label: t('lists.aside', { text: w.name, aside: t('board.free_of', { free: w.free, beds: w.beds }) }),
            }))}
            value={wardId ? String(wardId) : null}
            onChange={(v) => setWardId(v ? Number(v) : null)}
            allowDeselect={false}
            w={280}
            disabled={facilities.isLoading}
            placeholder={facilities.isLoading ? t('common.loading') : undefined}
            rightSection={facilities.isLoading ? <Loader size="xs" /> : undefined}
          />
        </Group>
        <Group align="flex-end">
          <SegmentedControl
            value={order}
            onChange={(v) => setOrder(v === 'sickest' ? 'sickest' : 'beds')}
            data={[
              { value: 'beds', label: t('board.order_beds') },
              { value: 'sickest', label: t('board.order_sickest') },
            ]}
            aria-label={t('board.order')}
            data-testid="board-order"
          />
          {can(user, 'rounds:record') && (
            <Button
              variant="light"
              size="md"
              leftSection={<IconClipboardHeart size={18} />}
              onClick={() => go('rounds', wardId ? { wardId } : {})}
              disabled={!wardId || counts.occupied === 0}
            >
              {t('board.start_round')}
            </Button>
          )}
          {canAdmit && (
            <Button leftSection={<IconUserPlus size={18} />} size="md" onClick={() => setAdmitBed(null)} disabled={!wardId || counts.free === 0}>
              {t('board.admit')}
            </Button>
          )}
        </Group>
      </Group>

      {board.data && (
        <Paper withBorder p="sm">
          <Group gap="xl">
            <Title order={4}>
              {board.data.ward.facilityName} · {board.data.ward.name}
            </Title>
            <Text>{t('board.count_total', { n: counts.total })}</Text>
            <Text>{t('board.count_occupied', { n: counts.occupied })}</Text>
            <Text c="teal">{t('board.count_free', { n: counts.free })}</Text>
            <Text c="yellow">{t('board.count_cleaning', { n: counts.cleaning })}</Text>
          </Group>
        </Paper>
      )}

      {board.error && <ErrorPanel error={board.error} onRetry={() => void board.refetch()} />}
      {/* While the ward loads: the shape of the board, not a blank page (issue 18). */}
      {(facilities.isLoading || board.isLoading) && (
        <SimpleGrid cols={{ base: 3, lg: 5 }} spacing="sm" aria-busy="true" aria-label={t('common.loading')} data-testid="board-loading">
          {Array.from({ length: 10 }, (_, i) => (
            <Skeleton key={i} h={132} radius="sm" />
          ))}
        </SimpleGrid>
      )}
      {board.data && (
        <VirtualGrid
          key={`${wardId}-${order}`}
          testId="ward-board"
          label={t('lists.board_label', { ward: board.data.ward.name, n: beds.length })}
          count={beds.length}
          getKey={getKey}
          itemLabel={(i) => t('lists.bed_item', { bed: beds[i]!.label, state: t(`bed.state.${beds[i]!.state}`) })}
          renderItem={renderItem}
          minItemRem={13}
          maxColumns={6}
          itemRem={itemRem}
        />
      )}

      {board.data && admitBed !== undefined && (
        <AdmitDrawer board={board.data} initialBedId={admitBed} onClose={() => setAdmitBed(undefined)} onAdmitted={() => setAdmitBed(undefined)} />
      )}
    </Stack>
  );
}
