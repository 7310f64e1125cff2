import { useEffect, useMemo, useState } from 'react';
import { Alert, Badge, Button, Group, Loader, Paper, ScrollArea, Select, Stack, Text, Title, UnstyledButton } from '@mantine/core';
import { IconArrowLeft, IconArrowRight, IconCheck, IconClockExclamation, IconFlask, IconPlayerSkipForward, IconRefresh, IconReportMedical, IconScan } from '@tabler/icons-react';
import type { SessionUser } from '../../../../shared/api/auth';
import type { RoundWard } from '../../../../shared/api/rounds';
import { api } from '../../lib/api';
import { useCall } from '../../lib/useCall';
import { useI18n } from '../../lib/i18n';
import { useNav } from '../../lib/nav';
import { ErrorPanel } from '../../components/ErrorPanel';
import { ClassBadge, News2Badge } from '../../components/clinical';
import { RoundForm } from '../../components/rounds/RoundForm';
import { BedListScore, BedSafetyBar } from './BedSafety';
import { RoundToast, type RoundToastData } from './RoundToast';
import { ShortcutButton, ShortcutOverlay } from './ShortcutOverlay';
import { useRoundShortcuts } from '../../components/rounds/roundShortcuts';
import { formatLocal } from '../../../../shared/domain/time';
import { ImagingDrawer, LabDrawer } from '../../components/results/ResultForms';

type BedStatus = 'done' | 'skipped';
type Patient = RoundWard['beds'][number];

const storageKey = (wardId: number) => `echelon.round.${wardId}`;

/** This round's done/skipped marks survive leaving the screen, until a new round is started. */
function loadMarks(wardId: number): Record<number, BedStatus> {
  const raw = globalThis.sessionStorage?.getItem(storageKey(wardId));
  if (!raw) return {};
  const parsed: unknown = JSON.parse(raw);
  return typeof parsed === 'object' && parsed !== null ? (parsed as Record<number, BedStatus>) : {};
}

/** 查房: walk one ward bed by bed; Enter saves the observation and opens the next bed. */
export function RoundsScreen({ user, wardId: initialWard }: { user: SessionUser; wardId?: number }) {
  const { t } = useI18n();
  const { go } = useNav();
  const facilities = useCall(() => api.facilities.list({}), []);
  const [wardId, setWardId] = useState<number | null>(initialWard ?? null);
  const ward = useCall(() => (wardId ? api.rounds.ward({ wardId }) : Promise.resolve(null)), [wardId]);
  const [index, setIndex] = useState(0);
  const [marks, setMarks] = useState<Record<number, BedStatus>>({});
  const [formKey, setFormKey] = useState(0);
  const [results, setResults] = useState<'labs' | 'imaging' | null>(null);
  const [help, setHelp] = useState(false);
  const [toast, setToast] = useState<RoundToastData | null>(null);
  /** When each bed of this round was saved (HH:MM), shown in the bed list beside "done". */
  const [savedAt, setSavedAt] = useState<Record<number, string>>({});

  useEffect(() => {
    if (wardId === null && facilities.data) {
      const first = facilities.data.flatMap((f) => f.wards).find((w) => w.occupied > 0);
      setWardId(first?.id ?? null);
    }
  }, [facilities.data, wardId]);
  useEffect(() => {
    if (wardId === null) return;
    setMarks(loadMarks(wardId));
    setIndex(0);
  }, [wardId]);
  useEffect(() => {
    if (wardId !== null) globalThis.sessionStorage?.setItem(storageKey(wardId), JSON.stringify(marks));
  }, [marks, wardId]);

  const beds = ward.data?.beds ?? [];
  const current: Patient | undefined = beds[index];
  const done = beds.filter((b) => marks[b.episodeId] === 'done').length;
  const skipped = beds.filter((b) => marks[b.episodeId] === 'skipped').length;
  const overdue = beds.filter((b) => b.overdue && !marks[b.episodeId]).length;

  const wardOptions = useMemo(
    () =>
      (facilities.data ?? []).map((f) => ({
        group: f.name,
        items: f.wards.map((w) => ({ value: String(w.id), label: `${w.name}${t('chart.paren', { text: t('rounds.occupied', { n: w.occupied }) })}` })),
      })),
    [facilities.data, t],
  );

  /** The next bed after `from` not yet done or skipped in this round, wrapping around. */
  const nextOpen = (from: number, next: Record<number, BedStatus>) => {
    for (let k = 1; k <= beds.length; k += 1) {
      const i = (from + k) % beds.length;
      const b = beds[i];
      if (b && !next[b.episodeId]) return i;
    }
    return from;
  };
  const mark = (status: BedStatus) => {
    if (!current) return;
    const next = { ...marks, [current.episodeId]: status };
    setMarks(next);
    setIndex(nextOpen(index, next));
    setFormKey((k) => k + 1);
  };
  const moveTo = (i: number) => {
    setIndex((i + beds.length) % Math.max(1, beds.length));
    setFormKey((k) => k + 1);
  };

  useRoundShortcuts({
    previous: () => current && moveTo(index - 1),
    next: () => current && moveTo(index + 1),
    skip: () => mark('skipped'),
    help: () => setHelp(true),
  });

  if (facilities.error) return <ErrorPanel error={facilities.error} onRetry={facilities.reload} />;

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
        <Group gap="sm">
          <Badge size="lg" variant="light" color="teal" leftSection={<IconCheck size={14} />} data-testid="round-progress">
            {t('rounds.progress', { done, total: beds.length })}
          </Badge>
          {skipped > 0 && (
            <Badge size="lg" variant="light" color="gray">
              {t('rounds.skipped_count', { n: skipped })}
            </Badge>
          )}
          {overdue > 0 && (
            <Badge size="lg" variant="light" color="red" leftSection={<IconClockExclamation size={14} />}>
              {t('rounds.overdue_count', { n: overdue })}
            </Badge>
          )}
          <Button
            variant="default"
            leftSection={<IconRefresh size={16} />}
            onClick={() => {
              setMarks({});
              setIndex(0);
              setFormKey((k) => k + 1);
              ward.reload();
            }}
          >
            {t('rounds.new_round')}
          </Button>
          <ShortcutButton onClick={() => setHelp(true)} />
        </Group>
      </Group>

      {ward.error && <ErrorPanel error={ward.error} onRetry={ward.reload} />}
      {ward.loading && !ward.data && <Loader />}
      {ward.data && beds.length === 0 && <Alert color="gray">{t('rounds.no_patients')}</Alert>}

      {ward.data && current && (
        <Group align="flex-start" wrap="nowrap" gap="sm">
          <Paper withBorder w={200} style={{ flexShrink: 0 }}>
            <ScrollArea h="calc(100vh - 160px)" type="auto">
              <Stack gap={0} role="list" aria-label={t('rounds.bed_list')}>
                {beds.map((b, i) => (
                  <UnstyledButton
                    key={b.episodeId}
                    role="listitem"
                    onClick={() => moveTo(i)}
                    px="xs"
                    py={6}
                    data-bed={b.bedLabel ?? ''}
                    data-mark={marks[b.episodeId] ?? 'open'}
                    aria-current={i === index ? 'true' : undefined}
                    style={{ background: i === index ? 'var(--mantine-color-teal-light)' : undefined, borderBottom: '1px solid var(--mantine-color-default-border)' }}
                  >
                    <Group justify="space-between" wrap="nowrap" gap={4}>
                      <Text size="sm" fw={700} td={marks[b.episodeId] === 'skipped' ? 'line-through' : undefined}>
                        {b.bedLabel ?? t('rounds.no_bed')}
                      </Text>
                      {marks[b.episodeId] === 'done' ? (
                        <Badge size="xs" color="teal" leftSection={<IconCheck size={10} />} data-saved-at={savedAt[b.episodeId]}>
                          {savedAt[b.episodeId] ? t('rounds.saved_at', { at: savedAt[b.episodeId] ?? '' }) : t('rounds.done')}
                        </Badge>
                      ) : marks[b.episodeId] === 'skipped' ? (
                        <Badge size="xs" color="gray" variant="outline">
                          {t('rounds.skipped')}
                        </Badge>
                      ) : b.overdue ? (
                        <Badge size="xs" color="red" variant="light">
                          {t('rounds.overdue')}
                        </Badge>
                      ) : null}
                    </Group>
                    <Text size="xs" truncate>
                      {b.name}
                    </Text>
                    <BedListScore bed={b} />
                  </UnstyledButton>
                ))}
              </Stack>
            </ScrollArea>
          </Paper>

          <Stack gap="xs" style={{ flex: 1, minWidth: 0 }}>
            <Paper withBorder px="xs" py={6}>
              <Group justify="space-between" wrap="nowrap" gap="xs">
                <Stack gap={2} style={{ minWidth: 0 }}>
                  <Group gap="xs" wrap="nowrap">
                    <Title order={4} data-testid="round-bed" style={{ whiteSpace: 'nowrap' }}>
                      {current.bedLabel ?? t('rounds.no_bed')} · {current.name}
                    </Title>
                    <Text size="sm" c="dimmed" truncate>
                      {t(`sex.${current.sex}`)} · {current.ageYears === null ? t('common.unknown') : t('patient.age_years', { n: current.ageYears })} · {t('patient.day_of_stay', { n: current.dayOfStay })}
                    </Text>
                  </Group>
                  <Group gap={6} wrap="nowrap">
                    <ClassBadge cls={current.currentClass} proposed={current.proposedClass} t={t} size="sm" />
                    <News2Badge total={current.news2Total} band={current.news2Band} complete={current.news2Complete} t={t} size="sm" />
                    {current.overdue && (
                      <Badge size="sm" color="red" variant="light" leftSection={<IconClockExclamation size={12} />}>
                        {t('rounds.overdue')}
                      </Badge>
                    )}
                  </Group>
                </Stack>
                <Group gap={4} wrap="nowrap">
                  <Button variant="default" size="compact-md" leftSection={<IconArrowLeft size={16} />} onClick={() => moveTo(index - 1)} aria-keyshortcuts="Alt+ArrowLeft" title="Alt+←">
                    {t('rounds.previous')}
                  </Button>
                  <Button variant="default" size="compact-md" rightSection={<IconArrowRight size={16} />} onClick={() => moveTo(index + 1)} aria-keyshortcuts="Alt+ArrowRight" title="Alt+→">
                    {t('rounds.next')}
                  </Button>
                  <Button variant="light" color="gray" size="compact-md" leftSection={<IconPlayerSkipForward size={16} />} onClick={() => mark('skipped')} aria-keyshortcuts="Alt+S" title="Alt+S">
                    {t('rounds.skip')}
                  </Button>
                  <Button variant="subtle" size="compact-md" leftSection={<IconFlask size={16} />} onClick={() => setResults('labs')}>
                    {t('rounds.labs')}
                  </Button>
                  <Button variant="subtle" size="compact-md" leftSection={<IconScan size={16} />} onClick={() => setResults('imaging')}>
                    {t('rounds.imaging')}
                  </Button>
                  <Button variant="subtle" size="compact-md" leftSection={<IconReportMedical size={16} />} onClick={() => go('chart', { episodeId: current.episodeId })}>
                    {t('rounds.open_chart')}
                  </Button>
                </Group>
              </Group>
            </Paper>
            <BedSafetyBar bed={current} timeZone={ward.data.timeZone} onChanged={ward.reload} onNotDone={() => (current.escalation ? moveTo(index + 1) : mark('done'), ward.reload())} />
            {done + skipped === beds.length && (
              <Alert color="teal" icon={<IconCheck />} data-testid="round-complete">
                {t('rounds.complete', { done, skipped })}
              </Alert>
            )}
            <LabDrawer episodeId={current.episodeId} timeZone={ward.data.timeZone} opened={results === 'labs'} onClose={() => setResults(null)} onSaved={() => (setResults(null), ward.reload())} />
            <ImagingDrawer episodeId={current.episodeId} timeZone={ward.data.timeZone} opened={results === 'imaging'} amend={null} onClose={() => setResults(null)} onSaved={() => (setResults(null), ward.reload())} />
            <RoundForm
              key={`${current.episodeId}.${formKey}`}
              episodeId={current.episodeId}
              spo2Scale={current.spo2Scale}
              last={current.last}
              timeZone={ward.data.timeZone}
              canChangeScale={user.role === 'ward_doctor'}
              saveLabel={t('rounds.save_next')}
              announce={(n) => setToast((old) => ({ ...n, seq: (old?.seq ?? 0) + 1 }))}
              onSaved={(saved) => {
                ward.reload();
                // A bed is done only with vital signs, or a record of why not (issue 13): symptoms alone leave it open.
                if (!saved.news2) {
                  setToast((old) => ({ color: 'orange', message: t('rounds.saved_needs_vitals'), seq: (old?.seq ?? 0) + 1 }));
                  setFormKey((k) => k + 1);
                  return;
                }
                setSavedAt((old) => ({ ...old, [current.episodeId]: formatLocal(new Date(), ward.data?.timeZone).slice(11) }));
                mark('done');
              }}
            />
          </Stack>
        </Group>
      )}
      <ShortcutOverlay opened={help} onClose={() => setHelp(false)} />
    </Stack>
  );
}
