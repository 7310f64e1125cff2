import { useState, type ReactNode } from 'react';
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
import { toLocalInput } from '../../../../shared/domain/time';
import type { AppError, FieldIssue } from '../../../../shared/errors';
import { useI18n } from '../../lib/i18n';
import { issuesOf } from '../../lib/formErrors';
import { useApiForm } from '../../lib/apiForm';
import { instantOf } from '../localInstant';
import { DateTimeField } from '../dates/DateFields';

const num = (v: string): number | null => (v.trim() === '' ? null : Number(v.trim().replace(',', '.')));
const qualitativeOf = (v: string | undefined): 'positive' | 'negative' | null => (v === 'positive' || v === 'negative' ? v : null);
const str = (v: number | null | undefined) => (v === null || v === undefined ? '' : String(v));

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
  formError: ReactNode;
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

/**
 * A result form's state: the values in @mantine/form, the save through useApiMutation (useApiForm).
 * `formError` is the refusal without a field, from the core or from the contract's check here (an empty
 * collection), shown above the buttons.
 */
function resultForm<F extends { form: { errors: Record<string, ReactNode> }; formError: string | null }>(f: F) {
  return { ...f, formError: f.formError ?? f.form.errors._form };
}

interface LabValues extends Record<string, unknown> {
  collectedAt: string;
  /** As the contract nests them, so a refusal's field (`nucleicAcid.ctN`, `labs.crp`) is the input's path. */
  nucleicAcid: { ctN: string; ctOrf1ab: string; ctE: string; qualitative: string };
  labs: Record<PanelField, string>;
  note: string;
  confirmedExtremes: LabField[];
}

const blankLabs = (timeZone: string): LabValues => ({
  collectedAt: toLocalInput(new Date(), timeZone),
  nucleicAcid: { ctN: '', ctOrf1ab: '', ctE: '', qualitative: '' },
  labs: Object.fromEntries(LAB_PANEL.map((p) => [p.field, ''])) as Record<PanelField, string>,
  note: '',
  confirmedExtremes: [],
});

/** A nucleic-acid test and/or a laboratory panel collected together. */
export function LabDrawer({ episodeId, timeZone, opened, onClose, onSaved }: { episodeId: number; timeZone: string; opened: boolean; onClose: () => void; onSaved: () => void }) {
  const { t } = useI18n();
  const { confirm, setConfirm, onRefused } = useExtremes();
  const f = resultForm(
    useApiForm('results:record', {
      initialValues: blankLabs(timeZone),
      toInput: (v) => {
        const na = v.nucleicAcid;
        const hasNa = [na.ctN, na.ctOrf1ab, na.ctE, na.qualitative].some((x) => x !== '');
        const labs: Partial<Record<PanelField, number | null>> = {};
        for (const p of LAB_PANEL) labs[p.field] = num(v.labs[p.field]);
        return {
          episodeId,
          collectedAt: instantOf(v.collectedAt, timeZone),
          nucleicAcid: hasNa ? { ctN: num(na.ctN), ctOrf1ab: num(na.ctOrf1ab), ctE: num(na.ctE), qualitative: qualitativeOf(na.qualitative) } : null,
          labs,
          note: v.note,
          confirmedExtremes: v.confirmedExtremes,
        };
      },
      schema: RecordLabsSchema,
      success: () => t('results.saved'),
      onRefused,
      onDone: () => {
        setConfirm(null);
        f.form.setValues(blankLabs(timeZone));
        onSaved();
      },
    }),
  );
  const { form } = f;
  const submit = (confirmedExtremes: LabField[]) => void f.save({ ...form.getValues(), confirmedExtremes });
  const field = (path: `nucleicAcid.${'ctN' | 'ctOrf1ab' | 'ctE'}` | `labs.${PanelField}`, label: string, unit: string) => (
    <TextInput
      key={path}
      label={t('rounds.field_unit', { label, unit })}
      {...form.getInputProps(path)}
      inputMode="decimal"
      classNames={{ input: 'num' }}
      data-field={path.split('.').pop()}
    />
  );
  return (
    <ResultDrawer opened={opened} onClose={onClose} size={640} title={t('results.record_labs')} submit={submit} confirm={confirm} formError={f.formError} busy={f.busy}>
      <DateTimeField label={t('results.collected_at')} {...form.getInputProps('collectedAt')} />
      <Title order={5}>{t('results.nucleic_acid')}</Title>
      <SimpleGrid cols={4} spacing="xs">
        {field('nucleicAcid.ctN', t('field.ctN'), 'Ct')}
        {field('nucleicAcid.ctOrf1ab', t('field.ctOrf1ab'), 'Ct')}
        {field('nucleicAcid.ctE', t('field.ctE'), 'Ct')}
        <QualitativeSelect value={form.values.nucleicAcid.qualitative} onChange={(x) => form.setFieldValue('nucleicAcid.qualitative', x)} />
      </SimpleGrid>
      <Title order={5}>{t('results.panel')}</Title>
      <SimpleGrid cols={4} spacing="xs">
        {LAB_PANEL.map((p) => field(`labs.${p.field}`, t(`field.${p.field}`), LAB_LIMITS[p.field].unit))}
      </SimpleGrid>
      <TextInput label={t('rounds.note')} {...form.getInputProps('note')} />
    </ResultDrawer>
  );
}

const blankAmend = { collectedAt: '', value: '', ctN: '', ctOrf1ab: '', ctE: '', qualitative: '', reason: '', confirmedExtremes: [] as LabField[] };

/** Amends one result: a nucleic-acid test (Ct / qualitative) or one analyte's value, with a reason. */
export function LabAmendDrawer({ result, timeZone, onClose, onSaved }: { result: LabResult | null; timeZone: string; onClose: () => void; onSaved: () => void }) {
  const { t } = useI18n();
  const { confirm, setConfirm, onRefused } = useExtremes();
  const na = result?.analyte === 'nucleic_acid';
  const f = resultForm(
    useApiForm('results:amend', {
      initialValues: blankAmend,
      toInput: (v) => ({
        resultId: result?.id ?? 0,
        reason: v.reason,
        collectedAt: instantOf(v.collectedAt, timeZone),
        value: na ? null : num(v.value),
        ctN: na ? num(v.ctN) : null,
        ctOrf1ab: na ? num(v.ctOrf1ab) : null,
        ctE: na ? num(v.ctE) : null,
        qualitative: na ? qualitativeOf(v.qualitative) : null,
        confirmedExtremes: v.confirmedExtremes,
      }),
      schema: AmendLabSchema,
      onRefused,
      onDone: () => {
        setConfirm(null);
        onSaved();
      },
    }),
  );
  const { form } = f;
  const key = result?.id ?? 0;
  const [loadedFor, setLoadedFor] = useState(0);
  if (result && loadedFor !== key) {
    setLoadedFor(key);
    form.setValues({
      collectedAt: toLocalInput(result.collectedAt, timeZone),
      value: str(result.value),
      ctN: str(result.ctN),
      ctOrf1ab: str(result.ctOrf1ab),
      ctE: str(result.ctE),
      qualitative: result.qualitative ?? '',
      reason: '',
    });
    f.clear();
  }
  const submit = (confirmedExtremes: LabField[]) => void f.save({ ...form.getValues(), confirmedExtremes });
  const box = (k: 'value' | 'ctN' | 'ctOrf1ab' | 'ctE', label: string) => <TextInput label={label} {...form.getInputProps(k)} inputMode="decimal" classNames={{ input: 'num' }} />;
  return (
    <ResultDrawer
      opened={result !== null}
      onClose={onClose}
      size={520}
      title={t('results.amend')}
      submit={submit}
      confirm={confirm}
      formError={f.formError}
      busy={f.busy}
      saveLabel={t('rounds.save_amendment')}
    >
      <Text fw={600}>{result ? t(`results.analyte.${result.analyte}`) : ''}</Text>
      <DateTimeField label={t('results.collected_at')} {...form.getInputProps('collectedAt')} />
      {na ? (
        <SimpleGrid cols={2} spacing="xs">
          {box('ctN', t('field.ctN'))}
          {box('ctOrf1ab', t('field.ctOrf1ab'))}
          {box('ctE', t('field.ctE'))}
          <QualitativeSelect value={form.values.qualitative} onChange={(x) => form.setFieldValue('qualitative', x)} />
        </SimpleGrid>
      ) : (
        box('value', t('results.value'))
      )}
      <TextInput label={t('records.reason')} {...form.getInputProps('reason')} required />
    </ResultDrawer>
  );
}

type ImagingValues = ReturnType<typeof blankImaging>;

const blankImaging = (timeZone: string) => ({
  performedAt: toLocalInput(new Date(), timeZone),
  modality: 'ct',
  pneumonia: 'no',
  progressionPct: '',
  improved: '',
  finding: '',
  reason: '',
});

/** What a study records, new or amended. */
const imagingOf = (v: ImagingValues, timeZone: string) => ({
  performedAt: instantOf(v.performedAt, timeZone),
  modality: v.modality === 'xray' ? ('xray' as const) : ('ct' as const),
  pneumonia: v.pneumonia === 'yes',
  progressionPct: num(v.progressionPct),
  improved: v.improved === '' ? null : v.improved === 'yes',
  finding: v.finding,
});

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
  const [loadedFor, setLoadedFor] = useState<number | null>(null);
  const done = () => {
    setLoadedFor(null);
    onSaved();
  };
  // The same drawer records a study and amends one (`amend` set while it is open): one form per call.
  const record = useApiForm('results:recordImaging', {
    initialValues: blankImaging(timeZone),
    toInput: (v) => ({ episodeId, ...imagingOf(v, timeZone) }),
    schema: RecordImagingSchema,
    onDone: done,
  });
  const amendIt = useApiForm('results:amendImaging', {
    initialValues: blankImaging(timeZone),
    toInput: (v) => ({ imagingId: amend?.id ?? 0, reason: v.reason, ...imagingOf(v, timeZone) }),
    schema: AmendImagingSchema,
    onDone: done,
  });
  const f = amend ? amendIt : record;
  const { form } = f;
  if (opened && (amend?.id ?? 0) !== loadedFor) {
    setLoadedFor(amend?.id ?? 0);
    form.setValues(
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
        : blankImaging(timeZone),
    );
    record.clear();
    amendIt.clear();
  }
  /** A choice between fixed values, `[value, label key]`. */
  const segments = (k: 'modality' | 'pneumonia', options: [string, string][]) => (
    <SegmentedControl value={form.values[k]} onChange={(x) => form.setFieldValue(k, x)} data={options.map(([value, key]) => ({ value, label: t(key) }))} />
  );
  return (
    <ResultDrawer
      opened={opened}
      onClose={onClose}
      size={520}
      title={t(amend ? 'results.amend_imaging' : 'results.record_imaging')}
      submit={() => void f.save()}
      formError={f.formError}
      busy={f.busy}
    >
      <DateTimeField label={t('results.performed_at')} {...form.getInputProps('performedAt')} />
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
      <TextInput label={t('results.progression')} description={t('results.progression_hint')} {...form.getInputProps('progressionPct')} inputMode="decimal" />
      <Select
        label={t('results.improved')}
        data={[
          { value: 'yes', label: t('results.yes') },
          { value: 'no', label: t('results.no') },
        ]}
        value={form.values.improved || null}
        onChange={(x) => form.setFieldValue('improved', x ?? '')}
        clearable
      />
      <Textarea label={t('results.finding')} {...form.getInputProps('finding')} autosize minRows={2} />
      {amend && <TextInput label={t('records.reason')} {...form.getInputProps('reason')} required />}
    </ResultDrawer>
  );
}
