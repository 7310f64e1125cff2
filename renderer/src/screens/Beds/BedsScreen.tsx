import { useEffect, useState } from 'react';
import { Badge, Button, Group, Select, Stack, Tabs } from '@mantine/core';
import { IconUserPlus } from '@tabler/icons-react';
import type { SessionUser } from '../../../../shared/api/auth';
import { can } from '../../lib/can';
import { useApiQuery } from '../../lib/query';
import { useI18n } from '../../lib/i18n';
import { ErrorPanel } from '../../components/ErrorPanel';
import { AvailabilityPanel } from './AvailabilityPanel';
import { IncomingPanel } from './IncomingPanel';
import { WaitingPanel } from './WaitingPanel';
import { WardBedsPanel } from './WardBedsPanel';
import { WaitingAdmitDrawer } from './WaitingAdmitDrawer';

/** Roles that move patients and beds (the contract's access for transfers:assignBed/complete, beds:*). */

/** 入出转: one facility's incoming transfers, waiting list, free beds and bed states; `wardId` opens that ward's facility (an incoming-transfer notification). */
export function BedsScreen({ user, wardId }: { user: SessionUser; wardId?: number }) {
  const { t } = useI18n();
  const facilities = useApiQuery('facilities:list', {});
  const [facilityId, setFacilityId] = useState<number | null>(null);
  const [tab, setTab] = useState<string | null>('incoming');
  const [admitting, setAdmitting] = useState(false);
  useEffect(() => {
    const first = facilities.data?.find((f) => wardId !== undefined && f.wards.some((w) => w.id === wardId)) ?? facilities.data?.[0];
    if (first && facilityId === null) setFacilityId(first.id);
  }, [facilities.data, facilityId, wardId]);
  const incoming = useApiQuery('transfers:listIncoming', facilityId ? { facilityId } : null);
  const waiting = useApiQuery('beds:waiting', facilityId ? { facilityId } : null);
  const facility = facilities.data?.find((f) => f.id === facilityId);
  const tz = incoming.data?.timeZone ?? 'Asia/Shanghai';

  if (facilities.error) return <ErrorPanel error={facilities.error} onRetry={() => void facilities.refetch()} />;
  return (
    <Stack gap="sm">
      <Group justify="space-between" align="flex-end">
        <Select
          label={t('board.facility')}
          w={320}
          allowDeselect={false}
          data={(facilities.data ?? []).map((f) => ({ value: String(f.id), label: `${f.name} · ${t(`facility.kind.${f.kind}`)}` }))}
          value={facilityId ? String(facilityId) : null}
          onChange={(v) => setFacilityId(v ? Number(v) : null)}
        />
        {can(user, 'beds:admitWaiting') && facility && (
          <Button leftSection={<IconUserPlus size={18} />} variant="light" onClick={() => setAdmitting(true)}>
            {t('beds.admit_waiting')}
          </Button>
        )}
      </Group>
      {facilityId && <AvailabilityPanel facilityId={facilityId} />}
      <Tabs value={tab} onChange={setTab} keepMounted={false}>
        <Tabs.List>
          <Tabs.Tab
            value="incoming"
            rightSection={
              incoming.data ? (
                <Badge size="sm" variant="light">
                  {incoming.data.transfers.length}
                </Badge>
              ) : null
            }
          >
            {t('beds.tab_incoming')}
          </Tabs.Tab>
          <Tabs.Tab
            value="waiting"
            rightSection={
              waiting.data ? (
                <Badge size="sm" variant="light">
                  {waiting.data.length}
                </Badge>
              ) : null
            }
          >
            {t('beds.tab_waiting')}
          </Tabs.Tab>
          <Tabs.Tab value="beds">{t('beds.tab_beds')}</Tabs.Tab>
        </Tabs.List>
        <Tabs.Panel value="incoming" pt="sm">
          {incoming.error && <ErrorPanel error={incoming.error} onRetry={() => void incoming.refetch()} />}
          {incoming.data && facilityId && <IncomingPanel facilityId={facilityId} transfers={incoming.data.transfers} tz={tz} user={user} />}
        </Tabs.Panel>
        <Tabs.Panel value="waiting" pt="sm">
          {waiting.error && <ErrorPanel error={waiting.error} onRetry={() => void waiting.refetch()} />}
          {waiting.data && facilityId && <WaitingPanel facilityId={facilityId} waiting={waiting.data} tz={tz} user={user} />}
        </Tabs.Panel>
        <Tabs.Panel value="beds" pt="sm">
          {facility && <WardBedsPanel facility={facility} user={user} />}
        </Tabs.Panel>
      </Tabs>
      {admitting && facility && (
        <WaitingAdmitDrawer
          facility={facility}
          onClose={() => setAdmitting(false)}
          onAdmitted={() => {
            setAdmitting(false);
            setTab('waiting');
          }}
        />
      )}
    </Stack>
  );
}
