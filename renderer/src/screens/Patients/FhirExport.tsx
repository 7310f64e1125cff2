import { useState } from 'react';
import { ActionIcon, Alert, Button, Group, Progress, Stack, Text, Tooltip } from '@mantine/core';
import { IconDownload, IconFileExport, IconLockOpen } from '@tabler/icons-react';
import { BUNDLE_TAIL, BundleWriter, bundleHead } from '../../../../shared/fhir/bundle';
import { DEFAULT_TIME_ZONE, addDays, localDate } from '../../../../shared/domain/time';
import { api } from '../../lib/api';
import { useI18n } from '../../lib/i18n';
import { downloadParts } from '../../lib/download';
import { fieldErrors, issuesOf } from '../../lib/formErrors';
import { HintedSection } from '../../components/TitleHint';
import { FormError } from '../../components/FormError';
import { DateField } from '../../components/dates/DateFields';

const FHIR_JSON = 'application/fhir+json';

/** One patient's record as a FHIR R4 Bundle file; the file is plain (issue 20), as the tooltip says. */
export function FhirPatientButton({ patientId, name }: { patientId: number; name: string }) {
  const { t, failureText } = useI18n();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const run = async () => {
    setBusy(true);
    try {
      const r = await api.fhir.patient({ patientId });
      downloadParts(r.fileName, [JSON.stringify(r.bundle)], FHIR_JSON);
      setError(null);
    } catch (err) {
      setError(failureText(err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Tooltip label={error ?? `${t('fhir.download_patient', { name })}${t('security.export_plain_short')}`}>
      <ActionIcon
        variant="subtle"
        color={error ? 'red' : undefined}
        loading={busy}
        aria-label={t('fhir.download_patient', { name })}
        onClick={(e) => {
          e.stopPropagation();
          void run();
        }}
      >
        <IconDownload size={18} />
      </ActionIcon>
    </Tooltip>
  );
}

/** Every patient with a stay in a date range, fetched page by page and written into one Bundle file. */
export function FhirRangeExport() {
  const { t, failureText } = useI18n();
  const today = localDate(new Date(), DEFAULT_TIME_ZONE);
  const [from, setFrom] = useState(addDays(today, -6));
  const [to, setTo] = useState(today);
  const [progress, setProgress] = useState<{ done: number; total: number } | null>(null);
  const [result, setResult] = useState<string | null>(null);
  const [errors, setErrors] = useState<Record<string, string>>({});

  const run = async () => {
    setErrors({});
    setResult(null);
    setProgress({ done: 0, total: 0 });
    try {
      const writer = new BundleWriter();
      const parts: BlobPart[] = [];
      let offset: number | null = 0;
      let head = '';
      let patients = 0;
      while (offset !== null) {
        const page: Awaited<ReturnType<typeof api.fhir.range>> = await api.fhir.range({ from, to, offset });
        if (!head) head = bundleHead(page.bundleId, page.timestamp);
        patients = page.patients;
        // Each page becomes a Blob at once: the file is never one string in memory.
        const text = writer.page(page.entries);
        if (text) parts.push(new Blob([text]));
        offset = page.nextOffset;
        setProgress({ done: offset ?? patients, total: patients });
      }
      if (patients === 0) {
        setResult(t('fhir.none'));
        return;
      }
      downloadParts(`echelon-fhir-${from}_${to}.json`, [head, ...parts, BUNDLE_TAIL], FHIR_JSON);
      setResult(t('fhir.done', { patients, resources: Object.values(writer.counts).reduce((a, b) => a + b, 0) }));
    } catch (err) {
      const issues = issuesOf(err);
      if (issues.length > 0) setErrors(fieldErrors(issues, t));
      else setErrors({ _form: failureText(err) });
    } finally {
      setProgress(null);
    }
  };

  return (
    <HintedSection order={5} title={t('fhir.range_title')} hint={t('fhir.range_hint')}>
      <Alert color="orange" icon={<IconLockOpen size={18} />} p="xs" data-testid="fhir-export-plain">
        {t('security.export_plain')}
      </Alert>
      <Group align="flex-end">
        <DateField label={t('fhir.from')} value={from} onChange={setFrom} error={errors.from} />
        <DateField label={t('fhir.to')} value={to} onChange={setTo} error={errors.to} />
        <Button leftSection={<IconFileExport size={18} />} onClick={() => void run()} loading={progress !== null}>
          {t('fhir.export')}
        </Button>
        {result && (
          <Text size="sm" role="status">
            {result}
          </Text>
        )}
      </Group>
      {progress && progress.total > 0 && (
        <Stack gap={2}>
          <Text size="xs">{t('fhir.exporting', { done: progress.done, total: progress.total })}</Text>
          <Progress value={(100 * progress.done) / progress.total} />
        </Stack>
      )}
      <FormError message={errors._form} />
    </HintedSection>
  );
}
