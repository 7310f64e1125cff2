import { Alert, Button, Group, Paper, Select, SimpleGrid, Stack, Text, TextInput, Textarea, Title } from '@mantine/core';
import { useForm } from '@mantine/form';
import { DISCHARGE_CONDITIONS, DischargeInputSchema, type DischargeCheck } from '../../../../shared/api/discharge';
import { DISCHARGE_DISPOSITIONS } from '../../../../shared/domain/clinical';
import { fromLocal, toLocalInput } from '../../../../shared/domain/time';
import { fieldErrors, issuesOf, precheck } from '../../lib/formErrors';
import { useI18n } from '../../lib/i18n';
import { useApiMutation } from '../../lib/query';
import { DateTimeField } from '../../components/dates/DateFields';

interface Values {
  dischargedAt: string;
  disposition: string;
  condition: string;
  conditionNote: string;
  followUpNote: string;
  overrideReason: string;
  summary: string;
}

/**
 * 办理出院: the discharge time re-runs the check at that instant; a criterion not met (or unknown)
 * shows the override reason, which the core requires. Nothing is written on an error.
 */
export function DischargeForm({ data, onAt, onRecheck }: { data: DischargeCheck; onAt: (at: string) => void; onRecheck: () => void }) {
  const { t } = useI18n();
  const tz = data.timeZone;
  const form = useForm<Values>({
    initialValues: {
      dischargedAt: toLocalInput(data.at, tz),
      disposition: 'home',
      condition: data.check.eligible ? 'cured' : 'improved',
      conditionNote: '',
      followUpNote: '',
      overrideReason: '',
      summary: '',
    },
  });
  const unmet = data.check.criteria.filter((c) => c.status !== 'met');
  const deceased = form.values.disposition === 'deceased';
  const needsReason = unmet.length > 0 && !deceased;

  // A death is recorded with the condition 'deceased', and only then: the disposition sets it.
  const onDisposition = (disposition: string | null) => {
    form.setFieldValue('disposition', disposition ?? 'home');
    const died = disposition === 'deceased';
    if (died && form.values.condition !== 'deceased') form.setFieldValue('condition', 'deceased');
    if (!died && form.values.condition === 'deceased') form.setFieldValue('condition', 'improved');
  };
  const record = useApiMutation('discharge:record', {
    success: () => t('discharge.done', { name: data.episode.name }),
    onRefused: (err) => {
      const issues = issuesOf(err);
      if (issues.length > 0) form.setErrors(fieldErrors(issues, t));
      // The criteria changed since they were shown: the check is run again, and the message says why.
      else if (err.details.key === 'discharge.criteria_changed') onRecheck();
    },
  });
  const formError = record.errors._form ?? null;

  const atInstant = (wall: string): string | null => {
    try {
      return fromLocal(wall, tz);
    } catch (err) {
      if (err instanceof RangeError) return null;
      throw err;
    }
  };

  const submit = form.onSubmit((v) => {
    const input = {
      episodeId: data.episode.episodeId,
      dischargedAt: atInstant(v.dischargedAt) ?? v.dischargedAt,
      disposition: v.disposition,
      condition: v.condition,
      conditionNote: v.conditionNote,
      followUpNote: v.followUpNote,
      overrideReason: v.overrideReason,
      summary: v.summary,
      shown: data.check.criteria.map((c) => ({ code: c.code, status: c.status })),
    };
    const checked = precheck(DischargeInputSchema, input);
    if (!checked.ok) {
      record.setErrors({});
      return form.setErrors(fieldErrors(checked.issues, t));
    }
    if (needsReason && v.overrideReason.trim() === '') {
      record.setErrors({});
      return form.setErrors({ overrideReason: t('release.override_reason_required') });
    }
    void record.submit(checked.data);
  });

  return (
    <Paper withBorder p="md" className="no-print">
      <form onSubmit={submit} noValidate>
        <Stack gap="sm">
          <Title order={4}>{t('discharge.form.title')}</Title>
          {formError && (
            <Alert color="red" role="alert">
              {formError}
            </Alert>
          )}
          <SimpleGrid cols={3}>
            <DateTimeField
              label={t('discharge.form.discharged_at')}
              required
              {...form.getInputProps('dischargedAt')}
              onBlur={() => {
                const at = atInstant(form.values.dischargedAt);
                if (at && at !== data.at) onAt(at);
              }}
            />
            <Select
              label={t('discharge.form.disposition')}
              data={DISCHARGE_DISPOSITIONS.map((d) => ({ value: d, label: t(`discharge.disposition.${d}`) }))}
              allowDeselect={false}
              {...form.getInputProps('disposition')}
              onChange={onDisposition}
            />
            <Select
              label={t('discharge.form.condition')}
              data={DISCHARGE_CONDITIONS.filter((c) => (deceased ? c === 'deceased' : c !== 'deceased')).map((c) => ({ value: c, label: t(`discharge.condition.${c}`) }))}
              allowDeselect={false}
              {...form.getInputProps('condition')}
            />
          </SimpleGrid>
          {needsReason && (
            <Stack gap={4}>
              <Alert color="orange" variant="light" data-testid="override-hint">
                {t('discharge.form.override_hint', {
                  list: unmet.map((c) => t('punct.paren', { text: t(`release.${c.code}`), note: t(`release.status.${c.status}`) })).join(t('punct.semicolon')),
                })}
              </Alert>
              <Textarea label={t('discharge.form.override_reason')} required autosize minRows={2} {...form.getInputProps('overrideReason')} />
            </Stack>
          )}
          <Textarea label={t('discharge.form.condition_note')} autosize minRows={1} {...form.getInputProps('conditionNote')} />
          <Stack gap={2}>
            <Text size="sm" fw={500}>
              {t('discharge.form.follow_up')}
            </Text>
            <Text size="sm" c="dimmed">
              {t('release.follow_up', { days: data.check.followUp.homeMonitoringDays })}
            </Text>
          </Stack>
          <TextInput label={t('discharge.form.follow_up_note')} {...form.getInputProps('followUpNote')} />
          <Textarea label={t('discharge.form.summary')} autosize minRows={2} {...form.getInputProps('summary')} />
          <Group justify="flex-end">
            <Button type="submit" size="md" color={needsReason ? 'orange' : 'teal'} loading={record.busy}>
              {t('discharge.form.submit')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Paper>
  );
}
