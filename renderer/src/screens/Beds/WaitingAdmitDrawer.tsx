import { useState } from 'react';
import { Alert, Button, Checkbox, Drawer, Group, NumberInput, SegmentedControl, Select, SimpleGrid, Stack, Text, TextInput } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { AdmitWaitingInputSchema } from '../../../../shared/api/beds';
import { RECORDED_RISK_FACTORS } from '../../../../shared/api/patients';
import type { Facility } from '../../../../shared/api/facilities';
import { ADMISSION_SOURCES } from '../../../../shared/domain/enums';
import { birthDateFromIdCard, isValidIdCard } from '../../../../shared/domain/idcard';
import { DEFAULT_TIME_ZONE, fromLocal, toLocalInput } from '../../../../shared/domain/time';
import { AppError } from '../../../../shared/errors';
import { api } from '../../lib/api';
import { useI18n } from '../../lib/i18n';
import { fieldErrors, issuesOf, precheck } from '../../lib/formErrors';
import { DateTimeField } from '../../components/dates/DateFields';

/**
 * Admission when the ward has no free bed: the patient goes on the ward's waiting list and is placed
 * from the waiting-list tab when a bed frees up. The same identity rules as a bedded admission.
 */
export function WaitingAdmitDrawer({ facility, onClose, onAdmitted }: { facility: Facility; onClose: () => void; onAdmitted: () => void }) {
  const { t, errorText } = useI18n();
  const tz = DEFAULT_TIME_ZONE;
  const [v, setV] = useState({
    name: '',
    sex: 'M' as 'M' | 'F',
    idCard: '',
    birthDate: '',
    ageYears: '' as number | string,
    phone: '',
    riskFactors: [] as string[],
    wardId: facility.wards[0] ? String(facility.wards[0].id) : null,
    admittedAt: toLocalInput(Date.now(), tz),
    source: 'community_screening' as string,
  });
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [busy, setBusy] = useState(false);
  const set = (k: keyof typeof v, value: unknown) => setV((x) => ({ ...x, [k]: value }));

  const submit = async () => {
    setErrors({});
    let admittedAt = v.admittedAt;
    try {
      admittedAt = fromLocal(v.admittedAt, tz);
    } catch (err) {
      if (!(err instanceof RangeError)) throw err;
    }
    const input = {
      patient: {
        name: v.name,
        sex: v.sex,
        idCard: v.idCard,
        birthDate: v.birthDate.trim() === '' ? null : v.birthDate.trim(),
        ageYears: v.ageYears === '' ? null : Number(v.ageYears),
        phone: v.phone,
        riskFactors: v.riskFactors,
      },
      wardId: v.wardId ? Number(v.wardId) : 0,
      admittedAt,
      source: v.source,
    };
    const checked = precheck(AdmitWaitingInputSchema, input);
    if (!checked.ok) return setErrors(fieldErrors(checked.issues, t, ['patient.']));
    setBusy(true);
    try {
      await api.beds.admitWaiting(input as Parameters<typeof api.beds.admitWaiting>[0]);
      notifications.show({ color: 'teal', message: t('beds.admitted_waiting', { name: v.name }) });
      onAdmitted();
    } catch (err) {
      const issues = issuesOf(err);
      setErrors(issues.length > 0 ? fieldErrors(issues, t, ['patient.']) : { _form: err instanceof AppError ? errorText(err) : String(err) });
    } finally {
      setBusy(false);
    }
  };

  const onIdCard = (value: string) => {
    set('idCard', value);
    const id = value.trim().toUpperCase();
    if (isValidIdCard(id)) {
      set('birthDate', birthDateFromIdCard(id) ?? '');
      set('sex', Number(id.charAt(16)) % 2 === 1 ? 'M' : 'F');
    }
  };

  return (
    <Drawer opened onClose={onClose} position="right" size={640} title={<Text fw={700}>{t('beds.admit_waiting_title', { facility: facility.name })}</Text>}>
      <Stack>
        {errors._form && (
          <Alert color="red" role="alert">
            {errors._form}
          </Alert>
        )}
        <SimpleGrid cols={2}>
          <TextInput label={t('patient.name')} required data-autofocus value={v.name} onChange={(e) => set('name', e.currentTarget.value)} error={errors.name} />
          <Stack gap={4}>
            <Text size="sm" fw={500}>
              {t('patient.sex')}
            </Text>
            <SegmentedControl
              data={[
                { value: 'M', label: t('sex.M') },
                { value: 'F', label: t('sex.F') },
              ]}
              value={v.sex}
              onChange={(x) => set('sex', x)}
            />
          </Stack>
          <TextInput label={t('patient.id_card')} value={v.idCard} onChange={(e) => onIdCard(e.currentTarget.value)} error={errors.idCard} />
          <TextInput label={t('patient.phone')} value={v.phone} onChange={(e) => set('phone', e.currentTarget.value)} error={errors.phone} />
          <TextInput
            label={t('patient.birth_date')}
            placeholder="1960-05-01"
            value={v.birthDate}
            onChange={(e) => set('birthDate', e.currentTarget.value)}
            error={errors.birthDate}
          />
          <NumberInput label={t('patient.age')} min={0} max={130} allowDecimal={false} value={v.ageYears} onChange={(x) => set('ageYears', x)} error={errors.ageYears} />
        </SimpleGrid>
        <Checkbox.Group label={t('patient.risk_factors')} value={v.riskFactors} onChange={(x) => set('riskFactors', x)}>
          <SimpleGrid cols={3} mt="xs" spacing="xs">
            {RECORDED_RISK_FACTORS.map((f) => (
              <Checkbox key={f} value={f} label={t(`risk.${f}`)} />
            ))}
          </SimpleGrid>
        </Checkbox.Group>
        <SimpleGrid cols={3}>
          <Select
            label={t('board.ward')}
            required
            searchable
            data={facility.wards.map((w) => ({ value: String(w.id), label: w.name }))}
            value={v.wardId}
            onChange={(x) => set('wardId', x)}
            error={errors.wardId}
          />
          <DateTimeField label={t('admit.admitted_at')} required value={v.admittedAt} onChange={(x) => set('admittedAt', x)} error={errors.admittedAt} />
          <Select
            label={t('admit.source')}
            allowDeselect={false}
            data={ADMISSION_SOURCES.map((s) => ({ value: s, label: t(`source.${s}`) }))}
            value={v.source}
            onChange={(x) => set('source', x ?? 'other')}
          />
        </SimpleGrid>
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            {t('common.cancel')}
          </Button>
          <Button size="md" loading={busy} onClick={() => void submit()}>
            {t('beds.admit_waiting_submit')}
          </Button>
        </Group>
      </Stack>
    </Drawer>
  );
}
