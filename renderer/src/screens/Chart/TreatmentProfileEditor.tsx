import { useState } from 'react';
import { Drawer, NumberInput, Select, SimpleGrid, Stack, TextInput } from '@mantine/core';
import { PREGNANCY_STATUSES, SaveProfileSchema, type AntiviralView, type ProfileVersion } from '../../../../shared/api/antiviral';
import { formatLocal, fromLocal, localDate, toLocalInput } from '../../../../shared/domain/time';
import { useApiForm } from '../../lib/apiForm';
import { useI18n } from '../../lib/i18n';
import { VersionedEditorFooter } from '../../components/VersionedEditorFooter';
import { NewDataNotice } from '../../components/live/NewDataNotice';
import { DateField, DateTimeField } from '../../components/dates/DateFields';

interface Values extends Record<string, unknown> {
  onsetDate: string;
  weightKg: number | string;
  pregnancy: string | null;
  liver: string | null;
  creatinine: number | string;
  /** As typed (local wall time); sent as an instant. */
  creatinineAt: string;
  egfrManual: number | string;
  changeNote: string;
}

const num = (v: number | string): number | null => (typeof v === 'number' ? v : v.trim() === '' ? null : Number(v));

function valuesOf(p: ProfileVersion | null, tz: string): Values {
  return {
    onsetDate: p?.onsetDate ?? '',
    weightKg: p?.weightKg ?? '',
    pregnancy: p?.pregnancy ?? null,
    liver: p?.severeLiverImpairment === null || p?.severeLiverImpairment === undefined ? null : p.severeLiverImpairment ? 'yes' : 'no',
    creatinine: p?.creatinine?.valueUmolL ?? '',
    creatinineAt: p?.creatinine ? toLocalInput(p.creatinine.collectedAt, tz) : '',
    egfrManual: p?.egfrManual ?? '',
    changeNote: '',
  };
}

/** A typed local time as an instant; what does not parse goes as typed, for the contract to refuse on its field. */
function instantOrTyped(local: string, tz: string): string {
  try {
    return fromLocal(local, tz);
  } catch (err) {
    if (!(err instanceof RangeError)) throw err;
    return local;
  }
}

/**
 * What the antiviral rules need beyond rounds: onset, weight, pregnancy or breastfeeding, severe liver
 * impairment, and kidney function (the latest creatinine, or a clinician's eGFR). Each save is a version.
 */
export function TreatmentProfileEditor({ view, timeZone, onClose }: { view: AntiviralView; timeZone: string; onClose: () => void }) {
  const { t } = useI18n();
  const [base, setBase] = useState(view.profile);
  const { form, save, busy, formError } = useApiForm('antiviral:saveProfile', {
    initialValues: valuesOf(base, timeZone),
    toInput: (v) => {
      const creatinine = num(v.creatinine);
      return {
        episodeId: view.episodeId,
        baseVersion: base?.version ?? 0,
        onsetDate: v.onsetDate || null,
        weightKg: num(v.weightKg),
        pregnancy: PREGNANCY_STATUSES.find((s) => s === v.pregnancy) ?? null,
        severeLiverImpairment: v.liver === null ? null : v.liver === 'yes',
        creatinine: creatinine === null && !v.creatinineAt ? null : { valueUmolL: creatinine ?? 0, collectedAt: instantOrTyped(v.creatinineAt, timeZone) },
        egfrManual: num(v.egfrManual),
        changeNote: v.changeNote,
      };
    },
    schema: SaveProfileSchema,
    success: (r) => t('antiviral_ui.profile.saved', { n: r.version }),
    onDone: onClose,
  });
  const newer = view.profile && view.profile.version !== (base?.version ?? 0) ? view.profile : null;
  const e = form.errors;
  const today = localDate(new Date(), timeZone);

  return (
    <Drawer opened onClose={onClose} position="right" size={640} title={t('antiviral_ui.profile.editor_title', { n: (base?.version ?? 0) + 1 })}>
      <Stack gap="sm" data-testid="profile-editor">
        <NewDataNotice episodeId={view.episodeId} />
        <DateField
          label={t('antiviral_ui.profile.onset')}
          description={t('antiviral_ui.profile.onset_hint')}
          clearable
          max={today}
          value={form.values.onsetDate}
          onChange={(v) => form.setFieldValue('onsetDate', v)}
          error={e.onsetDate}
          data-testid="profile-onset"
        />
        <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="xs">
          <NumberInput label={t('antiviral_ui.profile.weight')} min={0.5} max={400} decimalScale={1} hideControls {...form.getInputProps('weightKg')} />
          <Select
            label={t('antiviral_ui.profile.pregnancy')}
            data={PREGNANCY_STATUSES.map((s) => ({ value: s, label: t(`antiviral_ui.profile.pregnancy.${s}`) }))}
            placeholder={t('antiviral_ui.profile.not_recorded')}
            clearable
            {...form.getInputProps('pregnancy')}
            comboboxProps={{ withinPortal: true }}
          />
        </SimpleGrid>
        <Select
          label={t('antiviral_ui.profile.liver')}
          data={[
            { value: 'no', label: t('antiviral_ui.profile.no') },
            { value: 'yes', label: t('antiviral_ui.profile.yes') },
          ]}
          placeholder={t('antiviral_ui.profile.not_recorded')}
          clearable
          {...form.getInputProps('liver')}
          error={e.severeLiverImpairment}
          comboboxProps={{ withinPortal: true }}
        />
        <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="xs">
          <NumberInput
            label={t('antiviral_ui.profile.creatinine')}
            min={5}
            max={3000}
            decimalScale={0}
            hideControls
            {...form.getInputProps('creatinine')}
            error={e['creatinine.valueUmolL'] ?? e.creatinine}
          />
          <DateTimeField
            label={t('antiviral_ui.profile.creatinine_at')}
            clearable
            max={today}
            value={form.values.creatinineAt}
            onChange={(v) => form.setFieldValue('creatinineAt', v)}
            error={e['creatinine.collectedAt']}
            data-field="creatinineAt"
          />
        </SimpleGrid>
        <NumberInput
          label={t('antiviral_ui.profile.egfr_manual')}
          description={t('antiviral_ui.profile.egfr_manual_hint')}
          min={0}
          max={200}
          decimalScale={0}
          hideControls
          {...form.getInputProps('egfrManual')}
        />
        <TextInput label={t('antiviral_ui.profile.change_note')} {...form.getInputProps('changeNote')} maxLength={300} />
        <VersionedEditorFooter
          newer={
            newer && {
              message: t('antiviral_ui.profile.newer', { n: newer.version, who: newer.authorName, at: formatLocal(newer.createdAt, timeZone) }),
              loadLabel: t('antiviral_ui.profile.load_newer', { n: newer.version }),
              onLoad: () => {
                setBase(newer);
                form.setValues(valuesOf(newer, timeZone));
              },
              testId: 'profile-newer',
            }
          }
          formError={formError}
          busy={busy}
          onSave={() => void save()}
          saveLabel={t('antiviral_ui.profile.save')}
          saveTestId="save-profile"
          onCancel={onClose}
        />
      </Stack>
    </Drawer>
  );
}
