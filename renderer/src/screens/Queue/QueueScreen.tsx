import { useCallback, useMemo, useState } from 'react';
import { Alert, Badge, Button, Group, Loader, Paper, Select, Skeleton, Stack, Text, Title, UnstyledButton } from '@mantine/core';
import { IconPrinter, IconRefresh } from '@tabler/icons-react';
import type { SessionUser } from '../../../../shared/api/auth';
import { QueueFilterSchema, type QueueRow } from '../../../../shared/api/queue';
import { FLAG_CODES } from '../../../../shared/clinical/flags';
import { TIER_CODES } from '../../../../shared/domain/clinical';
import { formatLocal } from '../../../../shared/domain/time';
import { useApiQuery } from '../../lib/query';
import { useI18n } from '../../lib/i18n';
import { ErrorPanel } from '../../components/ErrorPanel';
import { SCREEN_HEIGHT, VirtualGrid } from '../../components/VirtualGrid';
import { ClassBadge, DecisionBadge, FlagList, News2Badge, News2Trend } from '../../components/clinical';
import { ReviewDrawer } from './ReviewDrawer';
import { MeetingSheet } from './MeetingSheet';

/** The first answer: the core's default page, the first screenfuls at the price of the default call. */
const FIRST = 100;
/** As far as the queue scrolls: the most the core returns in one call (shared/api/queue.ts). */
const MOST = QueueFilterSchema.shape.limit.unwrap().maxValue ?? 2000;
/** Rows before the end of what has arrived at which the rest is asked for. */
const AHEAD = 20;

/**
 * 专家会诊: the expert panel's queue across the network, most urgent first, with the reasons. The
 * whole ranked queue (up to MOST) is one virtual list under the filters: the first FIRST rows come
 * at once, the rest is fetched when the scroll comes near them, and its place in the scrollbar is
 * held by placeholder cards meanwhile, so the scrollbar is the queue's true length from the start.
 */
export function QueueScreen({ user }: { user: SessionUser }) {
  const { t } = useI18n();
  const facilities = useApiQuery('facilities:list', {});
  const [facilityId, setFacilityId] = useState<number | null>(null);
  const [wardId, setWardId] = useState<number | null>(null);
  const [flag, setFlag] = useState<string | null>(null);
  const [tier, setTier] = useState<string | null>(null);
  const [limit, setLimit] = useState(FIRST);
  const [open, setOpen] = useState<number | null>(null);
  const [printing, setPrinting] = useState(false);
  const flagCode = FLAG_CODES.find((c) => c === flag);
  const tierCode = TIER_CODES.find((c) => c === tier);
  const filter = useMemo(
    () => ({
      limit,
      ...(facilityId ? { facilityId } : {}),
      ...(wardId ? { wardId } : {}),
      ...(flagCode ? { flag: flagCode } : {}),
      ...(tierCode ? { tier: tierCode } : {}),
    }),
    [limit, facilityId, wardId, flagCode, tierCode],
  );
  const queue = useApiQuery('queue:list', filter);
  const facility = facilities.data?.find((f) => f.id === facilityId);
  const tz = queue.data?.timeZone ?? 'Asia/Shanghai';
  const row = queue.data?.rows.find((r) => r.episodeId === open) ?? null;
  const rows = queue.data?.rows ?? [];
  const count = Math.min(queue.data?.total ?? 0, MOST);
  const onVisibleEnd = useCallback(
    (last: number) => {
      if (rows.length < count && last >= rows.length - AHEAD) setLimit(MOST);
    },
    [rows.length, count],
  );

  if (printing) return <MeetingSheet user={user} onClose={() => setPrinting(false)} />;

  return (
    <Stack gap="sm" h={SCREEN_HEIGHT}>
      <Group justify="space-between" align="flex-end" wrap="nowrap">
        <Group align="flex-end" gap="sm" wrap="nowrap">
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
        {queue.data && <Text c="dimmed">{t('panel.queue_count', { n: queue.data.total })}</Text>}
        <Text size="sm" c="dimmed">
          {t('panel.order_note')}
        </Text>
      </Group>

      {queue.error && <ErrorPanel error={queue.error} onRetry={() => void queue.refetch()} />}
      {queue.isFetching && !queue.data && <Loader />}
      {queue.data && queue.data.rows.length === 0 && <Alert color="teal">{t('panel.queue_empty')}</Alert>}
      {count > 0 && (
        <VirtualGrid
          key={`${facilityId}-${wardId}-${flag}-${tier}`}
          testId="queue"
          label={t('lists.queue_label', { n: count })}
          count={count}
          getKey={(i) => rows[i]?.episodeId ?? `pending-${i}`}
          renderItem={(i) => {
            const r = rows[i];
            return r ? <QueueCard row={r} rank={i + 1} tz={tz} onOpen={() => setOpen(r.episodeId)} /> : <PendingCard rank={i + 1} first={i === rows.length} />;
          }}
          gap={6}
          estimateRowHeight={110}
          onVisibleEnd={onVisibleEnd}
          footer={
            (queue.data?.total ?? 0) > MOST && (
              <Text size="sm" c="dimmed" ta="center" py="sm" data-testid="queue-capped">
                {t('lists.queue_capped', { shown: MOST, total: queue.data?.total ?? 0 })}
              </Text>
            )
          }
        />
      )}
      {row && <ReviewDrawer row={row} tz={tz} user={user} onClose={() => setOpen(null)} onDone={() => setOpen(null)} />}
    </Stack>
  );
}

/** Holds a row's place until the rest of the queue arrives. */
function PendingCard({ rank, first }: { rank: number; first: boolean }) {
  const { t } = useI18n();
  return (
    <Paper withBorder p="xs" radius="sm" aria-busy data-testid="queue-pending">
      <Group align="flex-start" wrap="nowrap" gap="sm">
        <Text fw={700} c="dimmed" w={40} ta="right" className="num" style={{ flexShrink: 0 }}>
          {rank}
        </Text>
        <Stack gap={6} style={{ flex: 1 }}>
          {first ? (
            <Text size="sm" c="dimmed">
              {t('lists.queue_loading_row', { rank })}
            </Text>
          ) : (
            <Skeleton h={16} w="30%" />
          )}
          <Skeleton h={12} w="60%" />
          <Skeleton h={12} w="45%" />
        </Stack>
      </Group>
    </Paper>
  );
}

function QueueCard({ row: r, rank, tz, onOpen }: { row: QueueRow; rank: number; tz: string; onOpen: () => void }) {
  const { t } = useI18n();
  return (
    <Paper withBorder p="xs" radius="sm" data-testid={`queue-row-${r.episodeId}`} data-name={r.name}>
      <UnstyledButton onClick={onOpen} w="100%" aria-label={t('panel.open_review', { name: r.name })}>
        <Group align="flex-start" wrap="nowrap" gap="sm">
          <Text fw={700} c="dimmed" w={40} ta="right" className="num" style={{ flexShrink: 0 }}>
            {rank}
          </Text>
          <Stack gap={2} w={210} style={{ flexShrink: 0 }}>
            <Group gap={6} wrap="nowrap">
              <Text fw={700} size="lg" lh={1.2}>
                {r.name}
              </Text>
              <Text size="sm" c="dimmed">
                {t(`sex.${r.sex}`)} · {r.ageYears === null ? t('common.unknown') : t('patient.age_years', { n: r.ageYears })}
              </Text>
            </Group>
            <Text size="sm">
              {r.facility.name} · {r.ward.name}
              {r.bedLabel ? ` · ${r.bedLabel}` : ` · ${t('panel.no_bed')}`}
            </Text>
            <Text size="xs" c="dimmed">
              {t('patient.day_of_stay', { n: r.dayOfStay })} · {t('panel.waiting_since', { at: formatLocal(r.waitingSince, tz) })}
            </Text>
          </Stack>
          <Stack gap={4} w={190} style={{ flexShrink: 0 }}>
            <Group gap={4}>
              <ClassBadge cls={r.currentClass} proposed={r.proposedClass} t={t} />
              {r.tier && (
                <Badge variant="light" color="indigo">
                  {r.tier}
                </Badge>
              )}
            </Group>
            <News2Badge total={r.news2Total} band={r.news2Band} complete={r.news2Complete} t={t} />
            <News2Trend values={r.news2Trend} band={r.news2Band} t={t} />
          </Stack>
          <Stack gap={2} style={{ flex: 1, minWidth: 0 }}>
            <FlagList flags={r.flags} t={t} tz={tz} compact />
            {r.riskFactors.length > 0 && (
              <Text size="xs" c="dimmed">
                {t('lists.label', { label: t('panel.risk_factors'), value: r.riskFactors.map((f) => t(`risk.${f}`)).join(t('lists.sep')) })}
              </Text>
            )}
            {r.plan && (
              <Text size="xs" c="dimmed" lineClamp={1}>
                {t('lists.label', {
                  label: t('panel.plan_summary', { version: r.plan.version }),
                  value:
                    r.plan.itemKinds.length > 0
                      ? t('lists.aside', { text: r.plan.goals ?? '—', aside: r.plan.itemKinds.map((k) => t(`panel.plan_item.${k}`)).join(t('lists.sep')) })
                      : (r.plan.goals ?? '—'),
                })}
              </Text>
            )}
          </Stack>
          <Stack gap={4} w={170} align="flex-end" style={{ flexShrink: 0 }}>
            {r.lastReview ? (
              <>
                <DecisionBadge decision={r.lastReview.decision} t={t} />
                <Text size="xs" c="dimmed" ta="right">
                  {t('panel.last_review', { at: formatLocal(r.lastReview.at, tz), by: r.lastReview.by })}
                </Text>
              </>
            ) : (
              <Text size="xs" c="dimmed">
                {t('panel.never_reviewed')}
              </Text>
            )}
            {r.openTransfer && (
              <Badge color="red" variant="outline" styles={{ label: { overflow: 'visible' } }}>
                {t(`transfer.status.${r.openTransfer.status}`)} → {r.openTransfer.to.facility.name}
              </Badge>
            )}
            {r.snoozed.length > 0 && (
              <Text size="xs" c="dimmed">
                {t('panel.snoozed_count', { n: r.snoozed.length })}
              </Text>
            )}
          </Stack>
        </Group>
      </UnstyledButton>
    </Paper>
  );
}
