import { Button, Checkbox, Drawer, Group, NumberInput, SegmentedControl, Select, SimpleGrid, Stack, Text, TextInput, Textarea } from '@mantine/core';
import { AdmitInputSchema, RECORDED_RISK_FACTORS } from '../../../../shared/api/patients';
import type { WardBoard } from '../../../../shared/api/facilities';
import { ADMISSION_SOURCES, type AdmissionSource } from '../../../../shared/domain/enums';
import { birthDateFromIdCard, isValidIdCard } from '../../../../shared/domain/idcard';
import { DEFAULT_TIME_ZONE, toLocalInput } from '../../../../shared/domain/time';
import { AGE_MONTHS_BELOW } from '../../../../shared/domain/age';
import { useI18n } from '../../lib/i18n';
import { useApiForm } from '../../lib/apiForm';
import { FormError } from '../../components/FormError';
import { instantOf } from '../../components/localInstant';
import { DateTimeField } from '../../components/dates/DateFields';

interface Values extends Record<string, unknown> {
  name: string;
  sex: 'M' | 'F';
  idCard: string;
  birthDate: string;
  /** The age as typed, in the unit of ageUnit. */
  ageYears: number | string;
  /** An infant's age is entered in completed months: the child criteria are banded by months. */
  ageUnit: 'years' | 'months';
  phone: string;
  community: string;
  address: string;
  riskFactors: string[];
  vaccinationDoses: number | string;
  allergies: string;
  chronicMedications: string;
  source: AdmissionSource;
  admittedAt: string;
  bedId: string | null;
}

const num = (v: number | string): number | null => (v === '' || v === null ? null : Number(v));

/** An empty admission, admitted now into the bed chosen on the board (or the first free one). */
function blankAdmission(tz: string, bedId: string): Values {
  return {
    name: '',
    sex: 'M',
    idCard: '',
    birthDate: '',
    ageYears: '',
    ageUnit: 'years',
    phone: '',
    community: '',
    address: '',
    riskFactors: [],
    vaccinationDoses: '',
    allergies: '',
    chronicMedications: '',
    source: 'community_screening',
    admittedAt: toLocalInput(new Date(), tz),
    bedId,
  };
}

/** The admission form's state and its save; field errors land on the form's fields, anything else above it. */
function useAdmitForm(board: WardBoard, initialBedId: number | null, onAdmitted: () => void) {
  const { t } = useI18n();
  const tz = DEFAULT_TIME_ZONE;
  const freeBeds = board.beds.filter((b) => b.state === 'free');
  const toInput = (v: Values) => ({
    patient: {
      name: v.name,
      sex: v.sex,
      birthDate: v.birthDate.trim() === '' ? null : v.birthDate.trim(),
      ageYears: v.ageUnit === 'years' ? num(v.ageYears) : null,
      ageMonths: v.ageUnit === 'months' ? num(v.ageYears) : null,
      idCard: v.idCard,
      phone: v.phone,
      address: v.address,
      community: v.community,
      riskFactors: v.riskFactors,
      vaccinationDoses: num(v.vaccinationDoses),
      allergies: v.allergies,
      chronicMedications: v.chronicMedications,
    },
    wardId: board.ward.id,
    bedId: v.bedId ? Number(v.bedId) : 0,
    admittedAt: instantOf(v.admittedAt, tz),
    source: v.source,
  });

  const admit = useApiForm('patients:admit', {
    initialValues: blankAdmission(tz, String(initialBedId ?? freeBeds[0]?.id ?? '')),
    toInput,
    schema: AdmitInputSchema,
    prefixes: ['patient.'],
    // The name as the contract keeps it (trimmed), as the core saved it.
    success: (r, input) => t('admit.done', { name: input.patient.name.trim(), bed: freeBeds.find((b) => b.id === r.bedId)?.label ?? '' }),
    onDone: onAdmitted,
  });
  const { form } = admit;

  const onIdCard = (value: string) => {
    form.setFieldValue('idCard', value);
    const id = value.trim().toUpperCase();
    if (isValidIdCard(id)) {
      form.setFieldValue('birthDate', birthDateFromIdCard(id) ?? '');
      form.setFieldValue('sex', Number(id.charAt(16)) % 2 === 1 ? 'M' : 'F');
    }
  };
  // A refusal without a field (the bed was just taken, the session ended) is admit.formError: one message above the form.
  return { form, submit: admit.onSubmit, busy: admit.busy, formError: admit.formError, onIdCard, freeBeds };
}

type AdmitForm = ReturnType<typeof useAdmitForm>;

/** Admit a new patient into a free bed of this ward. Nothing is written unless every field is valid. */
export function AdmitDrawer({ board, initialBedId, onClose, onAdmitted }: { board: WardBoard; initialBedId: number | null; onClose: () => void; onAdmitted: () => void }) {
  const { t } = useI18n();
  const a = useAdmitForm(board, initialBedId, onAdmitted);
  const { form } = a;
  return (
    <Drawer opened onClose={onClose} position="right" size={720} title={<Text fw={700}>{t('admit.title', { ward: board.ward.name })}</Text>}>
      <form onSubmit={a.submit} noValidate>
        <Stack>
          <FormError message={a.formError} />
          <PatientFields a={a} />
          <Checkbox.Group label={t('patient.risk_factors')} {...form.getInputProps('riskFactors')}>
            <SimpleGrid cols={3} mt="xs" spacing="xs">
              {RECORDED_RISK_FACTORS.map((f) => (
                <Checkbox key={f} value={f} label={t(`risk.${f}`)} />
              ))}
            </SimpleGrid>
          </Checkbox.Group>
          <SimpleGrid cols={2}>
            <NumberInput label={t('patient.vaccination_doses')} min={0} max={6} allowDecimal={false} {...form.getInputProps('vaccinationDoses')} />
            <TextInput label={t('patient.allergies')} {...form.getInputProps('allergies')} />
          </SimpleGrid>
          <Textarea label={t('patient.chronic_medications')} description={t('admit.chronic_hint')} autosize minRows={2} {...form.getInputProps('chronicMedications')} />
          <SimpleGrid cols={3}>
            <Select
              label={t('admit.bed')}
              required
              searchable
              data={a.freeBeds.map((b) => ({ value: String(b.id), label: b.label }))}
              {...form.getInputProps('bedId')}
              error={form.errors.bedId}
            />
            <DateTimeField label={t('admit.admitted_at')} required {...form.getInputProps('admittedAt')} />
            <Select
              label={t('admit.source')}
              data={ADMISSION_SOURCES.map((s) => ({ value: s, label: t(`source.${s}`) }))}
              allowDeselect={false}
              {...form.getInputProps('source')}
            />
          </SimpleGrid>
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              {t('common.cancel')}
            </Button>
            <Button type="submit" size="md" loading={a.busy}>
              {t('admit.submit')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Drawer>
  );
}

/** Who the patient is: name, sex, ID card (fills birth date and sex), age in years or an infant's months, where from. */
function PatientFields({ a }: { a: AdmitForm }) {
  const { t } = useI18n();
  const { form, onIdCard } = a;
  return (
    <SimpleGrid cols={2}>
      <TextInput label={t('patient.name')} required data-autofocus {...form.getInputProps('name')} />
      <Stack gap={4}>
        <Text size="sm" fw={500}>
          {t('patient.sex')}
        </Text>
        <SegmentedControl
          data={[
            { value: 'M', label: t('sex.M') },
            { value: 'F', label: t('sex.F') },
          ]}
          {...form.getInputProps('sex')}
        />
      </Stack>
      <TextInput label={t('patient.id_card')} description={t('admit.id_card_hint')} {...form.getInputProps('idCard')} onChange={(e) => onIdCard(e.currentTarget.value)} />
      <TextInput label={t('patient.phone')} {...form.getInputProps('phone')} />
      <TextInput label={t('patient.birth_date')} placeholder="1960-05-01" {...form.getInputProps('birthDate')} />
      <Group gap="xs" align="flex-end" wrap="nowrap">
        <NumberInput
          style={{ flex: 1 }}
          label={form.values.ageUnit === 'months' ? t('patient.age_in_months') : t('patient.age')}
          description={form.values.ageUnit === 'months' ? t('admit.age_months_hint') : t('admit.age_hint')}
          min={0}
          max={form.values.ageUnit === 'months' ? AGE_MONTHS_BELOW - 1 : 130}
          allowDecimal={false}
          data-testid="admit-age"
          {...form.getInputProps('ageYears')}
          error={form.errors.ageYears ?? form.errors.ageMonths}
        />
        <SegmentedControl
          aria-label={t('admit.age_unit')}
          data-testid="admit-age-unit"
          data={[
            { value: 'years', label: t('admit.age_unit.years') },
            { value: 'months', label: t('admit.age_unit.months') },
          ]}
          {...form.getInputProps('ageUnit')}
          onChange={(unit) => {
            form.setFieldValue('ageUnit', unit === 'months' ? 'months' : 'years');
            form.clearFieldError('ageYears');
            form.clearFieldError('ageMonths');
          }}
        />
      </Group>
      <TextInput label={t('patient.community')} {...form.getInputProps('community')} />
      <TextInput label={t('patient.address')} {...form.getInputProps('address')} />
    </SimpleGrid>
  );
}
