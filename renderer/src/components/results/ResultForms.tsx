import { useState, type ChangeEvent, type ReactNode } from 'react';
import { Alert, Button, Drawer, Group, SegmentedControl, Select, SimpleGrid, Stack, Text, TextInput, Textarea, Title } from '@mantine/core';
import {
  AmendImagingSchema,
  AmendLabSchema,
  LAB_PANEL,
  RecordImagingSchema,
  RecordLabsSchema,
  type Imaging,
  type LabResult,
  type PanelField,
} from '../../../../shared/api/results';
import { LAB_LIMITS, type LabField } from '../../../../shared/clinical';
import { fromLocal, toLocalInput } from '../../../../shared/domain/time';
import type { AppError, FieldIssue } from '../../../../shared/errors';
import { useI18n } from '../../lib/i18n';
import { issuesOf } from '../../lib/formErrors';
import { useApiMutation } from '../../lib/query';

const num = (v: string): number | null => (v.trim() === '' ? null : Number(v.trim().replace(',', '.')));
const qualitativeOf = (v: string | undefined): 'positive' | 'negative' | null => (v === 'positive' || v === 'negative' ? v : null);
const str = (v: number | null | undefined) => (v === null || v === undefined ? '' : String(v));
const instant = (local: string, tz: string) => {
  try {
    return fromLocal(local, tz);
  } catch (err) {
    if (err instanceof RangeError) return local;
    throw err;
  }
};

/** Server issues asking to confirm unusual values → the limit fields to confirm (`labs.crp` → `crp`). */
function extremesOf(issues: readonly FieldIssue[]): LabField[] {
  return issues.filter((i) => i.key === 'rounds.extreme_unconfirmed').map((i) => i.field.split('.').pop() as LabField);
}

/**
 * The question a refused save may ask: when every issue is an unconfirmed extreme value, the form
 * offers to save again with those values confirmed (the contract's `confirmedExtremes`).
 */
function useExtremes() {
  const [confirm, setConfirm] = useState<LabField[] | null>(null);
  const onRefused = (err: AppError) => {
    const issues = issuesOf(err);
    const extremes = extremesOf(issues);
    if (extremes.length > 0 && extremes.length === issues.length) setConfirm(extremes);
  };
  return { confirm, setConfirm, onRefused };
}

function ConfirmBar({ fields, onConfirm }: { fields: LabField[]; onConfirm: () => void }) {
  const { t } = useI18n();
  return (
    <Alert color="orange" title={t('rounds.confirm_title')}>
      <Stack gap="xs">
        <Text size="sm">{fields.map((f) => t(`field.${f}`)).join(t('chart.list_sep'))}</Text>
        <Button color="orange" onClick={onConfirm} w="fit-content">
          {t('rounds.confirm_save')}
        </Button>
      </Stack>
    </Alert>
  );
}

/** A form's values as strings by field name; `bind(k)` ties a text input to one of them. */
function useTextValues(initial: Record<string, string> | (() => Record<string, string>)) {
  const [v, setV] = useState<Record<string, string>>(initial);
  const set = (k: string, x: string) => setV((o) => ({ ...o, [k]: x }));
  const bind = (k: string) => ({ value: v[k] ?? '', onChange: (e: ChangeEvent<HTMLInputElement | HTMLTextAreaElement>) => set(k, e.currentTarget.value) });
  return { v, setV, set, bind };
}

/** Positive / negative / not given, for a nucleic-acid test. */
function QualitativeSelect({ value, onChange }: { value: string | undefined; onChange: (v: string) => void }) {
  const { t } = useI18n();
  return (
    <Select
      label={t('results.qualitative')}
      data={[
        { value: 'positive', label: t('results.positive') },
        { value: 'negative', label: t('results.negative') },
      ]}
      value={value || null}
      onChange={(x) => onChange(x ?? '')}
      clearable
    />
  );
}

/**
 * What every result form shares: a drawer on the right, a form of the given fields, the refusal
 * without a field, save and cancel; and when a save was refused for unconfirmed extreme values
 * (`confirm`), the question to save again with them confirmed.
 */
function ResultDrawer({
  opened,
  onClose,
  size,
  title,
  submit,
  confirm = null,
  formError,
  busy,
  saveLabel,
  children,
}: {
  opened: boolean;
  onClose: () => void;
  size: number;
  title: string;
  submit: (confirmedExtremes: LabField[]) => void;
  confirm?: LabField[] | null;
  formError: string | undefined;
  busy: boolean;
  saveLabel?: string;
  children: ReactNode;
}) {
  const { t } = useI18n();
  return (
    <Drawer opened={opened} onClose={onClose} position="right" size={size} title={title}>
      <form onSubmit={(e) => (e.preventDefault(), submit([]))} noValidate>
        <Stack>
          {children}
          {formError && <Alert color="red">{formError}</Alert>}
          {confirm && <ConfirmBar fields={confirm} onConfirm={() => submit(confirm)} />}
          <Group>
            <Button type="submit" loading={busy}>
              {saveLabel ?? t('common.save')}
            </Button>
            <Button variant="default" onClick={onClose}>
              {t('common.cancel')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Drawer>
  );
}

/** A nucleic-acid test and/or a laboratory panel collected together. */
export function LabDrawer({ episodeId, timeZone, opened, onClose, onSaved }: { episodeId: number; timeZone: string; opened: boolean; onClose: () => void; onSaved: () => void }) {
  const { t } = useI18n();
  const { v, setV, set, bind } = useTextValues({ collectedAt: toLocalInput(new Date(), timeZone), qualitative: '' });
  const { confirm, setConfirm, onRefused } = useExtremes();
  const {
    submit: send,
    busy,
    errors,
  } = useApiMutation('results:record', {
    schema: RecordLabsSchema,
    success: () => t('results.saved'),
    onRefused,
    onDone: () => {
      setConfirm(null);
      setV({ collectedAt: toLocalInput(new Date(), timeZone), qualitative: '' });
      onSaved();
    },
  });
  const input = (confirmedExtremes: LabField[]) => {
    const hasNa = ['ctN', 'ctOrf1ab', 'ctE'].some((k) => (v[k] ?? '') !== '') || v.qualitative !== '';
    const labs: Partial<Record<PanelField, number | null>> = {};
    for (const p of LAB_PANEL) labs[p.field] = num(v[p.field] ?? '');
    return {
      episodeId,
      collectedAt: instant(v.collectedAt ?? '', timeZone),
      nucleicAcid: hasNa ? { ctN: num(v.ctN ?? ''), ctOrf1ab: num(v.ctOrf1ab ?? ''), ctE: num(v.ctE ?? ''), qualitative: qualitativeOf(v.qualitative) } : null,
      labs,
      note: v.note ?? '',
      confirmedExtremes,
    };
  };
  const submit = (confirmed: LabField[]) => void send(input(confirmed));
  const field = (k: string, label: string, unit: string, errKey: string) => (
    <TextInput key={k} label={t('rounds.field_unit', { label, unit })} {...bind(k)} error={errors[errKey]} inputMode="decimal" classNames={{ input: 'num' }} data-field={k} />
  );
  return (
    <ResultDrawer opened={opened} onClose={onClose} size={640} title={t('results.record_labs')} submit={submit} confirm={confirm} formError={errors._form} busy={busy}>
      <TextInput type="datetime-local" label={t('results.collected_at')} {...bind('collectedAt')} error={errors.collectedAt} maw={260} />
      <Title order={5}>{t('results.nucleic_acid')}</Title>
      <SimpleGrid cols={4} spacing="xs">
        {field('ctN', t('field.ctN'), 'Ct', 'nucleicAcid.ctN')}
        {field('ctOrf1ab', t('field.ctOrf1ab'), 'Ct', 'nucleicAcid.ctOrf1ab')}
        {field('ctE', t('field.ctE'), 'Ct', 'nucleicAcid.ctE')}
        <QualitativeSelect value={v.qualitative} onChange={(x) => set('qualitative', x)} />
      </SimpleGrid>
      <Title order={5}>{t('results.panel')}</Title>
      <SimpleGrid cols={4} spacing="xs">
        {LAB_PANEL.map((p) => field(p.field, t(`field.${p.field}`), LAB_LIMITS[p.field].unit, `labs.${p.field}`))}
      </SimpleGrid>
      <TextInput label={t('rounds.note')} {...bind('note')} />
    </ResultDrawer>
  );
}

/** Amends one result: a nucleic-acid test (Ct / qualitative) or one analyte's value, with a reason. */
export function LabAmendDrawer({ result, timeZone, onClose, onSaved }: { result: LabResult | null; timeZone: string; onClose: () => void; onSaved: () => void }) {
  const { t } = useI18n();
  const { v, setV, set, bind } = useTextValues({});
  const { confirm, setConfirm, onRefused } = useExtremes();
  const {
    submit: send,
    busy,
    errors,
    setErrors,
  } = useApiMutation('results:amend', {
    schema: AmendLabSchema,
    onRefused,
    onDone: () => {
      setConfirm(null);
      onSaved();
    },
  });
  const key = result?.id ?? 0;
  const [loadedFor, setLoadedFor] = useState(0);
  if (result && loadedFor !== key) {
    setLoadedFor(key);
    setV({
      collectedAt: toLocalInput(result.collectedAt, timeZone),
      value: str(result.value),
      ctN: str(result.ctN),
      ctOrf1ab: str(result.ctOrf1ab),
      ctE: str(result.ctE),
      qualitative: result.qualitative ?? '',
      reason: '',
    });
    setErrors({});
  }
  const na = result?.analyte === 'nucleic_acid';
  const input = (confirmedExtremes: LabField[]) => ({
    resultId: result?.id ?? 0,
    reason: v.reason ?? '',
    collectedAt: instant(v.collectedAt ?? '', timeZone),
    value: na ? null : num(v.value ?? ''),
    ctN: na ? num(v.ctN ?? '') : null,
    ctOrf1ab: na ? num(v.ctOrf1ab ?? '') : null,
    ctE: na ? num(v.ctE ?? '') : null,
    qualitative: na ? qualitativeOf(v.qualitative) : null,
    confirmedExtremes,
  });
  const submit = (confirmed: LabField[]) => void send(input(confirmed));
  const box = (k: string, label: string) => <TextInput label={label} {...bind(k)} error={errors[k]} inputMode="decimal" classNames={{ input: 'num' }} />;
  return (
    <ResultDrawer
      opened={result !== null}
      onClose={onClose}
      size={520}
      title={t('results.amend')}
      submit={submit}
      confirm={confirm}
      formError={errors._form}
      busy={busy}
      saveLabel={t('rounds.save_amendment')}
    >
      <Text fw={600}>{result ? t(`results.analyte.${result.analyte}`) : ''}</Text>
      <TextInput type="datetime-local" label={t('results.collected_at')} {...bind('collectedAt')} error={errors.collectedAt} />
      {na ? (
        <SimpleGrid cols={2} spacing="xs">
          {box('ctN', t('field.ctN'))}
          {box('ctOrf1ab', t('field.ctOrf1ab'))}
          {box('ctE', t('field.ctE'))}
          <QualitativeSelect value={v.qualitative} onChange={(x) => set('qualitative', x)} />
        </SimpleGrid>
      ) : (
        box('value', t('results.value'))
      )}
      <TextInput label={t('records.reason')} {...bind('reason')} error={errors.reason} required />
    </ResultDrawer>
  );
}

/** A chest CT or X-ray: pneumonia yes/no, lesion change in %, improved; amending when `amend` is given. */
export function ImagingDrawer({
  episodeId,
  timeZone,
  opened,
  amend,
  onClose,
  onSaved,
}: {
  episodeId: number;
  timeZone: string;
  opened: boolean;
  amend: Imaging | null;
  onClose: () => void;
  onSaved: () => void;
}) {
  const { t } = useI18n();
  const blank = () => ({ performedAt: toLocalInput(new Date(), timeZone), modality: 'ct', pneumonia: 'no', progressionPct: '', improved: '', finding: '', reason: '' });
  const { v, setV, set, bind } = useTextValues(blank);
  const [loadedFor, setLoadedFor] = useState<number | null>(null);
  const done = () => {
    setLoadedFor(null);
    onSaved();
  };
  const record = useApiMutation('results:recordImaging', { schema: RecordImagingSchema, onDone: done });
  const amendIt = useApiMutation('results:amendImaging', { schema: AmendImagingSchema, onDone: done });
  const { errors, busy } = amend ? amendIt : record;
  if (opened && (amend?.id ?? 0) !== loadedFor) {
    setLoadedFor(amend?.id ?? 0);
    setV(
      amend
        ? {
            performedAt: toLocalInput(amend.performedAt, timeZone),
            modality: amend.modality,
            pneumonia: amend.pneumonia ? 'yes' : 'no',
            progressionPct: str(amend.progressionPct),
            improved: amend.improved === null ? '' : amend.improved ? 'yes' : 'no',
            finding: amend.finding ?? '',
            reason: '',
          }
        : blank(),
    );
    record.setErrors({});
    amendIt.setErrors({});
  }
  const values = () => ({
    performedAt: instant(v.performedAt ?? '', timeZone),
    modality: v.modality === 'xray' ? ('xray' as const) : ('ct' as const),
    pneumonia: v.pneumonia === 'yes',
    progressionPct: num(v.progressionPct ?? ''),
    improved: v.improved === '' ? null : v.improved === 'yes',
    finding: v.finding ?? '',
  });
  /** A choice between fixed values, `[value, label key]`; the first is the default. */
  const segments = (k: string, options: [string, string][]) => (
    <SegmentedControl value={v[k] ?? options[0]?.[0]} onChange={(x) => set(k, x)} data={options.map(([value, key]) => ({ value, label: t(key) }))} />
  );
  const submit = () => void (amend ? amendIt.submit({ imagingId: amend.id, reason: v.reason ?? '', ...values() }) : record.submit({ episodeId, ...values() }));
  return (
    <ResultDrawer
      opened={opened}
      onClose={onClose}
      size={520}
      title={t(amend ? 'results.amend_imaging' : 'results.record_imaging')}
      submit={submit}
      formError={errors._form}
      busy={busy}
    >
      <TextInput type="datetime-local" label={t('results.performed_at')} {...bind('performedAt')} error={errors.performedAt} />
      {segments('modality', [
        ['ct', 'results.modality.ct'],
        ['xray', 'results.modality.xray'],
      ])}
      <div>
        <Text size="sm" fw={500}>
          {t('results.pneumonia')}
        </Text>
        {segments('pneumonia', [
          ['no', 'results.no'],
          ['yes', 'results.yes'],
        ])}
      </div>
      <TextInput label={t('results.progression')} description={t('results.progression_hint')} {...bind('progressionPct')} error={errors.progressionPct} inputMode="decimal" />
      <Select
        label={t('results.improved')}
        data={[
          { value: 'yes', label: t('results.yes') },
          { value: 'no', label: t('results.no') },
        ]}
        value={v.improved || null}
        onChange={(x) => set('improved', x ?? '')}
        clearable
      />
      <Textarea label={t('results.finding')} {...bind('finding')} autosize minRows={2} />
      {amend && <TextInput label={t('records.reason')} {...bind('reason')} error={errors.reason} required />}
    </ResultDrawer>
  );
}
