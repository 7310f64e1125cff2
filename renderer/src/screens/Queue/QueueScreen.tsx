import { useMemo, useState } from 'react';
import { Alert, Badge, Button, Group, Loader, Paper, Select, Stack, Text, Title, UnstyledButton } from '@mantine/core';
import { IconPrinter, IconRefresh } from '@tabler/icons-react';
import type { SessionUser } from '../../../../shared/api/auth';
import type { QueueRow } from '../../../../shared/api/queue';
import { FLAG_CODES } from '../../../../shared/clinical/flags';
import { TIER_CODES } from '../../../../shared/domain/clinical';
import { formatLocal } from '../../../../shared/domain/time';
import { api } from '../../lib/api';
import { useCall } from '../../lib/useCall';
import { useI18n } from '../../lib/i18n';
import { ErrorPanel } from '../../components/ErrorPanel';
import { ClassBadge, DecisionBadge, FlagList, News2Badge, News2Trend } from './parts';
import { ReviewDrawer } from './ReviewDrawer';
import { MeetingSheet } from './MeetingSheet';

const PAGE = 100;

/** 专家会诊: the expert panel's queue across the network, most urgent first, with the reasons. */
export function QueueScreen({ user }: { user: SessionUser }) {
  const { t } = useI18n();
  const facilities = useCall(() => api.facilities.list({}), []);
  const [facilityId, setFacilityId] = useState<number | null>(null);
  const [wardId, setWardId] = useState<number | null>(null);
  const [flag, setFlag] = useState<string | null>(null);
  const [tier, setTier] = useState<string | null>(null);
  const [limit, setLimit] = useState(PAGE);
  const [open, setOpen] = useState<number | null>(null);
  const [printing, setPrinting] = useState(false);
  const filter = useMemo(
    () => ({
      limit,
      ...(facilityId ? { facilityId } : {}),
      ...(wardId ? { wardId } : {}),
      ...(flag ? { flag: flag as (typeof FLAG_CODES)[number] } : {}),
      ...(tier ? { tier: tier as (typeof TIER_CODES)[number] } : {}),
    }),
    [limit, facilityId, wardId, flag, tier],
  );
  const queue = useCall(() => api.queue.list(filter), [filter]);
  const facility = facilities.data?.find((f) => f.id === facilityId);
  const tz = queue.data?.timeZone ?? 'Asia/Shanghai';
  const row = queue.data?.rows.find((r) => r.episodeId === open) ?? null;

  if (printing) return <MeetingSheet user={user} onClose={() => setPrinting(false)} />;

  return (
    <Stack gap="sm">
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
          <Button variant="default" leftSection={<IconRefresh size={16} />} onClick={queue.reload}>
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

      {queue.error && <ErrorPanel error={queue.error} onRetry={queue.reload} />}
      {queue.loading && !queue.data && <Loader />}
      {queue.data && queue.data.rows.length === 0 && <Alert color="teal">{t('panel.queue_empty')}</Alert>}
      <Stack gap={6} data-testid="queue">
        {queue.data?.rows.map((r, i) => <QueueCard key={r.episodeId} row={r} rank={i + 1} tz={tz} onOpen={() => setOpen(r.episodeId)} />)}
      </Stack>
      {queue.data && queue.data.total > queue.data.rows.length && (
        <Button variant="light" onClick={() => setLimit((l) => Math.min(2000, l + PAGE))} loading={queue.loading}>
          {t('panel.show_more', { shown: queue.data.rows.length, total: queue.data.total })}
        </Button>
      )}
      {row && (
        <ReviewDrawer
          row={row}
          tz={tz}
          user={user}
          onClose={() => setOpen(null)}
          onDone={() => {
            setOpen(null);
            queue.reload();
          }}
          onChanged={queue.reload}
        />
      )}
    </Stack>
  );
}

function QueueCard({ row: r, rank, tz, onOpen }: { row: QueueRow; rank: number; tz: string; onOpen: () => void }) {
  const { t } = useI18n();
  return (
    <Paper withBorder p="xs" radius="sm" data-testid={`queue-row-${r.episodeId}`} data-name={r.name}>
      <UnstyledButton onClick={onOpen} w="100%" aria-label={t('panel.open_review', { name: r.name })}>
        <Group align="flex-start" wrap="nowrap" gap="sm">
          <Text fw={700} c="dimmed" w={28} ta="right" className="num">
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
              {r.tier && <Badge variant="light" color="indigo">{r.tier}</Badge>}
            </Group>
            <News2Badge total={r.news2Total} band={r.news2Band} complete={r.news2Complete} t={t} />
            <News2Trend values={r.news2Trend} band={r.news2Band} t={t} />
          </Stack>
          <Stack gap={2} style={{ flex: 1, minWidth: 0 }}>
            <FlagList flags={r.flags} t={t} tz={tz} compact />
            {r.riskFactors.length > 0 && (
              <Text size="xs" c="dimmed">
                {t('panel.risk_factors')}：{r.riskFactors.map((f) => t(`risk.${f}`)).join('、')}
              </Text>
            )}
            {r.plan && (
              <Text size="xs" c="dimmed" lineClamp={1}>
                {t('panel.plan_summary', { version: r.plan.version })}：{r.plan.goals ?? '—'}
                {r.plan.itemKinds.length > 0 ? `（${r.plan.itemKinds.map((k) => t(`panel.plan_item.${k}`)).join('、')}）` : ''}
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

