import { useState } from 'react';
import { Alert, Button, Group, Paper, Select, SimpleGrid, Stack, Text, TextInput, Textarea } from '@mantine/core';
import { useForm, type UseFormReturnType } from '@mantine/form';
import { IconPrinter } from '@tabler/icons-react';
import { DISCHARGE_CONDITIONS, DischargeAmendSchema, type DischargeCheck, type DischargeRecord } from '../../../../shared/api/discharge';
import { DISCHARGE_DISPOSITIONS } from '../../../../shared/domain/clinical';
import { formatLocal } from '../../../../shared/domain/time';
import { fieldErrors, issuesOf, precheck } from '../../lib/formErrors';
import { useI18n } from '../../lib/i18n';
import { useApiMutation } from '../../lib/query';
import { ConflictAlert } from '../../components/ConflictAlert';

interface DischargedPanelProps {
  data: DischargeCheck;
  canAmend: boolean;
  onSummary: () => void;
  /** Refetches the check this panel shows: after a refused amendment, the current version. */
  onReload: () => Promise<{ data?: DischargeCheck }>;
}

/** What an amendment may change, as the form holds it. */
function editableOf(d: DischargeRecord | null) {
  return {
    disposition: d?.disposition ?? 'home',
    condition: d?.condition ?? 'cured',
    conditionNote: d?.conditionNote ?? '',
    followUpNote: d?.followUpNote ?? '',
    overrideReason: d?.overrideReason ?? '',
    summary: d?.summary ?? '',
  };
}

type AmendForm = UseFormReturnType<ReturnType<typeof editableOf> & { reason: string }>;

/**
 * The discharge row an amendment is made against (its base), and the way to the current one after a
 * CONFLICT: "load" refetches, makes the current row the base, and gives the fields left alone its values.
 */
function useAmendBase(form: AmendForm, onReload: DischargedPanelProps['onReload']) {
  const [baseId, setBaseId] = useState<number | null>(null);
  const [conflict, setConflict] = useState<string | null>(null);
  const [loading, setLoading] = useState(false);
  const loadCurrent = async () => {
    setLoading(true);
    try {
      const now = (await onReload()).data?.discharge;
      if (now) {
        setBaseId(now.id);
        const current = editableOf(now);
        const typed = Object.fromEntries(
          Object.keys(current)
            .filter((k) => form.isDirty(k))
            .map((k) => [k, form.values[k as keyof typeof current]]),
        );
        form.setInitialValues({ ...form.values, ...current, reason: '' });
        form.setValues({ ...current, ...typed });
      }
      setConflict(null);
    } finally {
      setLoading(false);
    }
  };
  return { baseId, setBaseId, conflict, setConflict, loading, loadCurrent };
}

/**
 * A signed discharge: what was recorded, its versions, and the correction (a superseding amendment
 * with a reason). The amendment is made against the version shown when it began (its base); when
 * someone corrected the discharge in between, the refusal names who and when, the form keeps what was
 * typed, and "load" makes the current version the base.
 */
export function DischargedPanel({ data, canAmend, onSummary, onReload }: DischargedPanelProps) {
  const { t, errorText } = useI18n();
  const d = data.discharge;
  const tz = data.timeZone;
  const [amending, setAmending] = useState(false);
  const form = useForm({ initialValues: { reason: '', ...editableOf(d) } });
  const base = useAmendBase(form, onReload);
  const amend = useApiMutation('discharge:amend', {
    success: () => t('discharge.amended'),
    onDone: () => setAmending(false),
    onRefused: (err) => {
      if (err.code === 'CONFLICT') base.setConflict(errorText(err));
      form.setErrors(fieldErrors(issuesOf(err), t));
    },
  });
  const busy = amend.busy;
  const formError = base.conflict ? null : (amend.errors._form ?? null);
  if (!d) return null;
  const startAmending = () => {
    base.setBaseId(d.id);
    base.setConflict(null);
    setAmending(true);
  };
  const submit = form.onSubmit((v) => {
    const checked = precheck(DischargeAmendSchema, { dischargeId: base.baseId ?? d.id, ...v });
    if (!checked.ok) {
      amend.setErrors({});
      return form.setErrors(fieldErrors(checked.issues, t));
    }
    void amend.submit(checked.data);
  });
  const banner =
    d.disposition === 'deceased'
      ? t('discharge.deceased_banner', { at: formatLocal(d.dischargedAt, tz), by: d.authorName })
      : t('discharge.discharged_banner', { at: formatLocal(d.dischargedAt, tz), disposition: t(`discharge.disposition.${d.disposition}`), by: d.authorName });
  return (
    <Paper withBorder p="md" className="no-print">
      <Stack gap="sm">
        <Alert color={d.disposition === 'deceased' ? 'gray' : 'teal'} data-testid="discharged-banner">
          <Text size="sm">{banner}</Text>
          <Text size="sm">
            {t('summary.section.condition')}
            {t('punct.colon')}
            {t(`discharge.condition.${d.condition}`)}
            {d.conditionNote ? ` · ${d.conditionNote}` : ''}
          </Text>
          {d.overrideReason && <Text size="sm">{t('discharge.override_recorded', { reason: d.overrideReason })}</Text>}
        </Alert>
        {data.history.length > 1 && (
          <Stack gap={2}>
            <Text size="sm" fw={600}>
              {t('discharge.history')}
            </Text>
            {data.history
              .filter((h) => h.entryKind !== 'original')
              .map((h) => (
                <Text key={h.id} size="xs" c="dimmed">
                  {t('discharge.version_amendment', { at: formatLocal(h.enteredAt, tz), by: h.authorName, reason: h.reason ?? '' })}
                </Text>
              ))}
          </Stack>
        )}
        <Group>
          <Button leftSection={<IconPrinter size={16} />} onClick={onSummary}>
            {t('discharge.print_summary')}
          </Button>
          {canAmend && !amending && (
            <Button variant="default" onClick={startAmending}>
              {t('discharge.amend')}
            </Button>
          )}
        </Group>
        {amending && (
          <form onSubmit={submit} noValidate>
            <Stack gap="sm">
              {base.conflict && <ConflictAlert message={base.conflict} loading={base.loading} onLoadCurrent={() => void base.loadCurrent()} />}
              {formError && (
                <Alert color="red" role="alert">
                  {formError}
                </Alert>
              )}
              <TextInput label={t('discharge.amend_reason')} required {...form.getInputProps('reason')} />
              <SimpleGrid cols={2}>
                <Select
                  label={t('discharge.form.disposition')}
                  data={DISCHARGE_DISPOSITIONS.map((x) => ({ value: x, label: t(`discharge.disposition.${x}`) }))}
                  allowDeselect={false}
                  {...form.getInputProps('disposition')}
                />
                <Select
                  label={t('discharge.form.condition')}
                  data={DISCHARGE_CONDITIONS.map((x) => ({ value: x, label: t(`discharge.condition.${x}`) }))}
                  allowDeselect={false}
                  {...form.getInputProps('condition')}
                />
              </SimpleGrid>
              <Textarea label={t('discharge.form.condition_note')} autosize minRows={1} {...form.getInputProps('conditionNote')} />
              <Textarea label={t('discharge.form.override_reason')} autosize minRows={1} {...form.getInputProps('overrideReason')} />
              <TextInput label={t('discharge.form.follow_up_note')} {...form.getInputProps('followUpNote')} />
              <Textarea label={t('discharge.form.summary')} autosize minRows={2} {...form.getInputProps('summary')} />
              <Group justify="flex-end">
                <Button variant="default" onClick={() => setAmending(false)}>
                  {t('common.cancel')}
                </Button>
                <Button type="submit" loading={busy}>
                  {t('discharge.amend_submit')}
                </Button>
              </Group>
            </Stack>
          </form>
        )}
      </Stack>
    </Paper>
  );
}
