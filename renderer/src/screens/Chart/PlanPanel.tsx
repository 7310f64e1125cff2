import { useState } from 'react';
import { Badge, Button, Checkbox, Drawer, Group, Paper, Select, SimpleGrid, Stack, Table, Text, TextInput, Textarea, Title } from '@mantine/core';
import type { SessionUser } from '../../../../shared/api/auth';
import type { Chart } from '../../../../shared/api/chart';
import { SavePlanSchema, diffPlanVersions, type PlanChange, type PlanVersion } from '../../../../shared/api/plans';
import { PLAN_ITEM_KINDS } from '../../../../shared/domain/clinical';
import { formatLocal, fromLocal, toLocalInput } from '../../../../shared/domain/time';
import { can } from '../../lib/can';
import { useApiForm } from '../../lib/apiForm';
import { useApiQuery } from '../../lib/query';
import { useI18n, type T } from '../../lib/i18n';
import { VersionedEditorFooter } from '../../components/VersionedEditorFooter';
import { NewDataNotice } from '../../components/live/NewDataNotice';
import { DateField, DateTimeField } from '../../components/dates/DateFields';

const MONITORING = ['q12h', 'q4to6h', 'hourly', 'continuous'] as const;
type Item = PlanVersion['items'][number];

function itemText(i: Item, t: T): string {
  const parts = [i.detail ?? ''];
  if (i.startDate) parts.push(t('plans.from', { date: i.startDate }));
  if (i.courseDays) parts.push(t('plans.course', { n: i.courseDays }));
  return parts.filter(Boolean).join(' · ') || '—';
}

function changeText(c: PlanChange, t: T, tz: string): string {
  if (c.field === 'item') {
    const label = t(`plans.item.${c.kind}`);
    if (c.change === 'added') return t('plans.diff_added', { item: label, text: c.after ? itemText(c.after, t) : '' });
    if (c.change === 'removed') return t('plans.diff_removed', { item: label });
    return t('plans.diff_changed', { item: label, before: c.before ? itemText(c.before, t) : '', after: c.after ? itemText(c.after, t) : '' });
  }
  const show = (v: string | null) => (v === null ? t('plans.empty') : c.field === 'monitoring' ? t(`news2.monitoring.${v}`) : c.field === 'nextReviewDue' ? formatLocal(v, tz) : v);
  return t('plans.diff_field', { field: t(`plans.field.${c.field}`), before: show(c.before), after: show(c.after) });
}

/** 一人一策: the plan in force, and each earlier version with what changed. */
export function PlanPanel({ chart, user }: { chart: Chart; user: SessionUser }) {
  const { t } = useI18n();
  const tz = chart.timeZone;
  const [editing, setEditing] = useState(false);
  const current = chart.plans[0] ?? null;
  const canEdit = can(user, 'plans:save') && chart.header.status === 'active';
  return (
    <Stack gap="sm">
      <Group justify="space-between">
        <Title order={5}>{current ? t('plans.version_title', { n: current.version }) : t('plans.none')}</Title>
        {canEdit && (
          <Button onClick={() => setEditing(true)} data-testid="edit-plan">
            {current ? t('plans.edit') : t('plans.create')}
          </Button>
        )}
      </Group>
      {current && (
        <Paper withBorder p="sm" data-testid="plan-current">
          <SimpleGrid cols={3} spacing="xs" mb="xs">
            <Text size="sm">{t('chart.kv', { label: t('plans.field.attending'), value: current.attending?.name ?? '—' })}</Text>
            <Text size="sm">{t('chart.kv', { label: t('plans.field.nurse'), value: current.nurse?.name ?? '—' })}</Text>
            <Text size="sm">{t('chart.kv', { label: t('plans.field.expert'), value: current.expert?.name ?? '—' })}</Text>
            <Text size="sm">{t('chart.kv', { label: t('plans.field.monitoring'), value: current.monitoring ? t(`news2.monitoring.${current.monitoring}`) : '—' })}</Text>
            <Text size="sm">{t('chart.kv', { label: t('plans.field.nextReviewDue'), value: current.nextReviewDue ? formatLocal(current.nextReviewDue, tz) : '—' })}</Text>
            <Text size="sm" c="dimmed">
              {t('plans.saved_by', { who: current.authorName, at: formatLocal(current.createdAt, tz) })}
            </Text>
          </SimpleGrid>
          <Text size="sm" mb="xs">
            {t('chart.kv', { label: t('plans.field.goals'), value: current.goals ?? '—' })}
          </Text>
          <Table verticalSpacing={2} fz="sm">
            <Table.Tbody>
              {current.items.map((i) => (
                <Table.Tr key={i.kind}>
                  <Table.Td w={220} fw={600}>
                    {t(`plans.item.${i.kind}`)}
                  </Table.Td>
                  <Table.Td>{itemText(i, t)}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Paper>
      )}
      {chart.plans.length > 0 && <Title order={6}>{t('plans.history')}</Title>}
      {chart.plans.map((v, i) => {
        const changes = diffPlanVersions(chart.plans[i + 1] ?? null, v);
        return (
          <Paper key={v.id} withBorder p="xs" data-plan-version={v.version}>
            <Group gap="xs">
              <Badge variant="light">{t('plans.version', { n: v.version })}</Badge>
              <Text size="sm">
                {formatLocal(v.createdAt, tz)} · {v.authorName}
              </Text>
              {v.changeNote && (
                <Text size="sm" c="dimmed">
                  {v.changeNote}
                </Text>
              )}
            </Group>
            {i + 1 < chart.plans.length || changes.length > 0 ? (
              <ul style={{ margin: '4px 0 0', paddingInlineStart: 18 }}>
                {changes.length === 0 ? (
                  <li>
                    <Text size="xs" c="dimmed">
                      {t('plans.no_change')}
                    </Text>
                  </li>
                ) : null}
                {changes.map((c, k) => (
                  <li key={k}>
                    <Text size="xs">{changeText(c, t, tz)}</Text>
                  </li>
                ))}
              </ul>
            ) : null}
          </Paper>
        );
      })}
      {editing && <PlanEditor chart={chart} base={current} onClose={() => setEditing(false)} onSaved={() => setEditing(false)} />}
    </Stack>
  );
}

interface EditorValues extends Record<string, unknown> {
  attendingId: string | null;
  nurseId: string | null;
  expertId: string | null;
  goals: string;
  items: Partial<Record<Item['kind'], Item>>;
  monitoring: string | null;
  /** As typed (local wall time); sent as an instant. */
  nextReviewDue: string;
  changeNote: string;
}

/** A typed local time as an instant; what does not parse goes as typed, for the contract to refuse on its field. */
function instantOrTyped(local: string, tz: string): string | null {
  if (!local) return null;
  try {
    return fromLocal(local, tz);
  } catch (err) {
    if (!(err instanceof RangeError)) throw err;
    return local;
  }
}

/** The editor's values from a plan version (or empty, with the NEWS2 monitoring proposed). */
function editorValues(base: PlanVersion | null, proposedMonitoring: EditorValues['monitoring'], tz: string): EditorValues {
  return {
    attendingId: base?.attending ? String(base.attending.id) : null,
    nurseId: base?.nurse ? String(base.nurse.id) : null,
    expertId: base?.expert ? String(base.expert.id) : null,
    goals: base?.goals ?? '',
    items: Object.fromEntries((base?.items ?? []).map((i) => [i.kind, i])),
    monitoring: base?.monitoring ?? proposedMonitoring,
    nextReviewDue: base?.nextReviewDue ? toLocalInput(base.nextReviewDue, tz) : '',
    changeNote: '',
  };
}

function PlanEditor({ chart, base, onClose, onSaved }: { chart: Chart; base: PlanVersion | null; onClose: () => void; onSaved: () => void }) {
  const { t } = useI18n();
  const tz = chart.timeZone;
  const team = useApiQuery('plans:team', {});
  const proposedMonitoring = chart.header.news2?.monitoring ?? null;
  // The version this edit starts from, kept while the chart behind refreshes: saving against it is
  // refused when someone saved a newer one meanwhile (never last-write-wins).
  const [opened, setOpened] = useState(base);
  const initialValues = editorValues(opened, proposedMonitoring, tz);
  const { form, save, busy, formError } = useApiForm('plans:save', {
    initialValues,
    toInput: (v) => ({
      episodeId: chart.header.episodeId,
      baseVersion: opened?.version ?? 0,
      attendingId: v.attendingId ? Number(v.attendingId) : null,
      nurseId: v.nurseId ? Number(v.nurseId) : null,
      expertId: v.expertId ? Number(v.expertId) : null,
      goals: v.goals,
      items: PLAN_ITEM_KINDS.flatMap((k) => v.items[k] ?? []),
      monitoring: MONITORING.find((m) => m === v.monitoring) ?? null,
      nextReviewDue: instantOrTyped(v.nextReviewDue, tz),
      changeNote: v.changeNote,
    }),
    schema: SavePlanSchema,
    success: (r) => t('plans.saved', { n: r.version }),
    onDone: onSaved,
  });
  const people = (roles: string[]) => (team.data ?? []).filter((u) => roles.includes(u.role)).map((u) => ({ value: String(u.id), label: u.displayName }));
  const items = form.values.items;
  const errors = form.errors;
  const setItem = (kind: Item['kind'], patch: Partial<Item> | null) => {
    const next = { ...items };
    if (patch === null) delete next[kind];
    else next[kind] = { kind, detail: null, startDate: null, courseDays: null, ...items[kind], ...patch };
    form.setFieldValue('items', next);
  };

  const newer = base !== null && base.version !== (opened?.version ?? 0) ? base : null;
  const startFromNewer = () => {
    setOpened(newer);
    form.setValues(editorValues(newer, proposedMonitoring, tz));
  };

  return (
    <Drawer opened onClose={onClose} position="right" size={760} title={opened ? t('plans.edit_title', { n: opened.version + 1 }) : t('plans.create')}>
      <Stack gap="sm">
        <NewDataNotice episodeId={chart.header.episodeId} />
        <SimpleGrid cols={3} spacing="xs">
          <Select label={t('plans.field.attending')} data={people(['ward_doctor', 'expert'])} {...form.getInputProps('attendingId')} clearable />
          <Select label={t('plans.field.nurse')} data={people(['nurse'])} {...form.getInputProps('nurseId')} clearable />
          <Select label={t('plans.field.expert')} data={people(['expert'])} {...form.getInputProps('expertId')} clearable />
        </SimpleGrid>
        <Textarea label={t('plans.field.goals')} {...form.getInputProps('goals')} autosize minRows={2} data-testid="plan-goals" />
        <Text size="sm" fw={500}>
          {t('plans.items')}
        </Text>
        {PLAN_ITEM_KINDS.map((kind) => {
          const it = items[kind];
          const i = PLAN_ITEM_KINDS.filter((k) => items[k]).indexOf(kind);
          return (
            <Group key={kind} align="flex-start" wrap="nowrap" gap="xs">
              <Checkbox mt={8} w={170} label={t(`plans.item.${kind}`)} checked={!!it} onChange={(e) => setItem(kind, e.currentTarget.checked ? {} : null)} data-item={kind} />
              {it && (
                <>
                  <TextInput
                    style={{ flex: 1 }}
                    placeholder={t('plans.detail')}
                    value={it.detail ?? ''}
                    onChange={(e) => setItem(kind, { detail: e.currentTarget.value || null })}
                    error={errors[`items.${i}.detail`]}
                  />
                  <DateField
                    label={null}
                    w={150}
                    clearable
                    value={it.startDate ?? ''}
                    onChange={(x) => setItem(kind, { startDate: x || null })}
                    error={errors[`items.${i}.startDate`]}
                    aria-label={t('plans.start_date')}
                  />
                  <TextInput
                    w={90}
                    placeholder={t('plans.days')}
                    value={it.courseDays ?? ''}
                    onChange={(e) => setItem(kind, { courseDays: e.currentTarget.value ? Number(e.currentTarget.value) : null })}
                    error={errors[`items.${i}.courseDays`]}
                    inputMode="numeric"
                    aria-label={t('plans.days')}
                  />
                </>
              )}
            </Group>
          );
        })}
        <SimpleGrid cols={2} spacing="xs">
          <Select
            label={t('plans.field.monitoring')}
            description={proposedMonitoring ? t('plans.monitoring_proposed', { m: t(`news2.monitoring.${proposedMonitoring}`) }) : undefined}
            data={MONITORING.map((m) => ({ value: m, label: t(`news2.monitoring.${m}`) }))}
            {...form.getInputProps('monitoring')}
            clearable
          />
          <DateTimeField label={t('plans.field.nextReviewDue')} clearable {...form.getInputProps('nextReviewDue')} />
        </SimpleGrid>
        <TextInput label={t('plans.change_note')} {...form.getInputProps('changeNote')} />
        <VersionedEditorFooter
          newer={
            newer && {
              message: t('plans.newer_version', { n: newer.version, who: newer.authorName, at: formatLocal(newer.createdAt, tz) }),
              loadLabel: t('plans.load_newer', { n: newer.version }),
              onLoad: startFromNewer,
              testId: 'plan-newer',
              loadTestId: 'plan-load-newer',
            }
          }
          formError={formError}
          busy={busy}
          onSave={() => void save()}
          saveLabel={t('plans.save')}
          saveTestId="save-plan"
          onCancel={onClose}
        />
      </Stack>
    </Drawer>
  );
}
