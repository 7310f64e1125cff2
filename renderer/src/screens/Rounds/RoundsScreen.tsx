import { useEffect, useMemo, useState } from 'react';
import { Alert, Badge, Button, Group, Select, Stack, Title } from '@mantine/core';
import { IconCheck, IconClockExclamation, IconRefresh } from '@tabler/icons-react';
import type { SessionUser } from '../../../../shared/api/auth';
import type { RoundWard } from '../../../../shared/api/rounds';
import { formatLocal } from '../../../../shared/domain/time';
import { canChangeSpo2Scale } from '../../lib/can';
import { useApiQuery } from '../../lib/query';
import { useI18n } from '../../lib/i18n';
import { ErrorPanel } from '../../components/ErrorPanel';
import { RoundForm } from '../../components/rounds/RoundForm';
import { useRoundShortcuts } from '../../components/rounds/roundShortcuts';
import { ImagingDrawer, LabDrawer } from '../../components/results/ResultForms';
import { BedHeader } from './BedHeader';
import { BedList } from './BedList';
import { BedSafetyBar } from './BedSafety';
import { AntiviralNotice } from '../../components/antiviral/AntiviralNotice';
import { RoundToast, type RoundToastData } from './RoundToast';
import { ShortcutButton, ShortcutOverlay } from './ShortcutOverlay';
import { useRoundWalk, type Patient, type RoundWalk } from './useRoundWalk';
import { LoadingSkeleton } from '../../components/LoadingSkeleton';

/**
 * 查房: walk one ward bed by bed; Enter saves the observation and opens the next bed. The ward's
 * list refreshes itself after each save (the query cache), in the background: the next bed's form
 * opens at once, without waiting for it.
 */
export function RoundsScreen({ user, wardId: initialWard }: { user: SessionUser; wardId?: number }) {
  const { t } = useI18n();
  const facilities = useApiQuery('facilities:list', {});
  const [wardId, setWardId] = useState<number | null>(initialWard ?? null);
  const ward = useApiQuery('rounds:ward', wardId ? { wardId } : null);
  const [results, setResults] = useState<'labs' | 'imaging' | null>(null);
  const [help, setHelp] = useState(false);
  const [toast, setToast] = useState<RoundToastData | null>(null);
  const beds = ward.data?.beds ?? [];
  const walk = useRoundWalk(wardId, beds);
  const { current, index } = walk;

  useEffect(() => {
    if (wardId === null && facilities.data) {
      const first = facilities.data.flatMap((f) => f.wards).find((w) => w.occupied > 0);
      setWardId(first?.id ?? null);
    }
  }, [facilities.data, wardId]);

  const wardOptions = useMemo(
    () =>
      (facilities.data ?? []).map((f) => ({
        group: f.name,
        items: f.wards.map((w) => ({ value: String(w.id), label: `${w.name}${t('chart.paren', { text: t('rounds.occupied', { n: w.occupied }) })}` })),
      })),
    [facilities.data, t],
  );

  useRoundShortcuts({
    previous: () => current && walk.moveTo(index - 1),
    next: () => current && walk.moveTo(index + 1),
    skip: () => walk.mark('skipped'),
    help: () => setHelp(true),
  });

  if (facilities.error) return <ErrorPanel error={facilities.error} onRetry={() => void facilities.refetch()} />;

  return (
    <Stack gap="xs">
      <Group justify="space-between" align="center">
        <Group align="center" gap="sm">
          <Title order={3}>{t('rounds.title')}</Title>
          <Select
            aria-label={t('board.ward')}
            data={wardOptions}
            value={wardId ? String(wardId) : null}
            onChange={(x) => setWardId(x ? Number(x) : null)}
            searchable
            allowDeselect={false}
            w={300}
          />
        </Group>
        <RoundToast toast={toast} />
        <Progress walk={walk} total={beds.length} onNewRound={() => (walk.restart(), void ward.refetch())} onHelp={() => setHelp(true)} />
      </Group>

      {ward.error && <ErrorPanel error={ward.error} onRetry={() => void ward.refetch()} />}
      {ward.isLoading && <LoadingSkeleton kind="page" />}
      {ward.data && beds.length === 0 && <Alert color="gray">{t('rounds.no_patients')}</Alert>}

      {ward.data && current && (
        <Group align="flex-start" wrap="nowrap" gap="sm">
          <BedList beds={beds} walk={walk} />
          <Stack gap="xs" style={{ flex: 1, minWidth: 0 }}>
            <BedHeader bed={current} walk={walk} onResults={setResults} />
            <BedSafetyBar bed={current} timeZone={ward.data.timeZone} onNotDone={() => (current.escalation ? walk.moveTo(index + 1) : walk.mark('done'))} />
            <AntiviralNotice episodeId={current.episodeId} />
            {walk.done + walk.skipped === beds.length && (
              <Alert color="teal" icon={<IconCheck />} data-testid="round-complete">
                {t('rounds.complete', { done: walk.done, skipped: walk.skipped })}
              </Alert>
            )}
            <LabDrawer episodeId={current.episodeId} timeZone={ward.data.timeZone} opened={results === 'labs'} onClose={() => setResults(null)} onSaved={() => setResults(null)} />
            <ImagingDrawer
              episodeId={current.episodeId}
              timeZone={ward.data.timeZone}
              opened={results === 'imaging'}
              amend={null}
              onClose={() => setResults(null)}
              onSaved={() => setResults(null)}
            />
            <BedRoundForm bed={current} ward={ward.data} walk={walk} user={user} setToast={setToast} />
          </Stack>
        </Group>
      )}
      <ShortcutOverlay opened={help} onClose={() => setHelp(false)} />
    </Stack>
  );
}

/** Done, skipped and overdue counts, and "new round" (clears the marks). */
function Progress({ walk, total, onNewRound, onHelp }: { walk: RoundWalk; total: number; onNewRound: () => void; onHelp: () => void }) {
  const { t } = useI18n();
  return (
    <Group gap="sm">
      <Badge size="lg" variant="light" color="teal" leftSection={<IconCheck size={14} />} data-testid="round-progress">
        {t('rounds.progress', { done: walk.done, total })}
      </Badge>
      {walk.skipped > 0 && (
        <Badge size="lg" variant="light" color="gray">
          {t('rounds.skipped_count', { n: walk.skipped })}
        </Badge>
      )}
      {walk.overdue > 0 && (
        <Badge size="lg" variant="light" color="red" leftSection={<IconClockExclamation size={14} />}>
          {t('rounds.overdue_count', { n: walk.overdue })}
        </Badge>
      )}
      <Button variant="default" leftSection={<IconRefresh size={16} />} onClick={onNewRound}>
        {t('rounds.new_round')}
      </Button>
      <ShortcutButton onClick={onHelp} />
    </Group>
  );
}

/** The open bed's round form; a save with vital signs marks the bed done and opens the next one. */
function BedRoundForm({
  bed,
  ward,
  walk,
  user,
  setToast,
}: {
  bed: Patient;
  ward: RoundWard;
  walk: RoundWalk;
  user: SessionUser;
  setToast: (f: (old: RoundToastData | null) => RoundToastData) => void;
}) {
  const { t } = useI18n();
  return (
    <RoundForm
      key={`${bed.episodeId}.${walk.formKey}`}
      episodeId={bed.episodeId}
      spo2Scale={bed.spo2Scale}
      last={bed.last}
      timeZone={ward.timeZone}
      canChangeScale={canChangeSpo2Scale(user)}
      saveLabel={t('rounds.save_next')}
      announce={(n) => setToast((old) => ({ ...n, seq: (old?.seq ?? 0) + 1 }))}
      onSaved={(saved) => {
        // A bed is done only with vital signs, or a record of why not (issue 13): symptoms alone leave it open.
        if (!saved.news2) {
          setToast((old) => ({ color: 'orange', message: t('rounds.saved_needs_vitals'), seq: (old?.seq ?? 0) + 1 }));
          walk.freshForm();
          return;
        }
        walk.saved(bed.episodeId, formatLocal(new Date(), ward.timeZone).slice(11));
        walk.mark('done');
      }}
    />
  );
}
