import { Alert, Button, Group, Modal, SegmentedControl, Select, SimpleGrid, Stack, Text, TextInput } from '@mantine/core';
import type { VitalField } from '../../../../shared/clinical';
import { OXYGEN_DEVICES } from '../../../../shared/domain/clinical';
import { formatLocal, toLocalInput } from '../../../../shared/domain/time';
import { fmt } from '../clinical';
import { CARRIED_FRAME, CARRIED_INPUT, CarriedMark } from './CarriedMark';
import { EscalationStep } from './EscalationStep';
import { PreviewPanel } from './PreviewPanel';
import { SymptomGrid } from './SymptomGrid';
import { asAcvpu, asDevice, isSign, isSymptom, observation, text, type RoundValues } from './roundValues';
import { NewDataNotice } from '../live/NewDataNotice';
import { useRoundForm, type RoundFormProps, type RoundFormState } from './useRoundForm';
import { DateTimeField } from '../dates/DateFields';
import './rounds.css';

export type { RoundFormProps } from './useRoundForm';

type NumberKey = 'respRate' | 'spo2' | 'systolicBp' | 'diastolicBp' | 'pulse' | 'temperature' | 'o2Flow';

/** Paper-chart order: the order of the fields in the form is the tab order. */
export function RoundForm(props: RoundFormProps) {
  const f = useRoundForm(props);
  const { t, v, formRef } = f;
  const { last, amend, onCancel, timeZone } = props;
  return (
    <form ref={formRef} onSubmit={(e) => (e.preventDefault(), void f.save())} onKeyDown={f.onKeyDown} noValidate data-testid="round-form" className="round-form">
      <div className="round-main">
        <Stack gap={8} className="round-fields">
          <NewDataNotice episodeId={props.episodeId} />
          {last && (
            <Text size="xs" c="dimmed">
              {t('rounds.last_round', { at: formatLocal(last.measuredAt, timeZone), by: last.authorName, news2: fmt(last.news2Total) })}
            </Text>
          )}
          <CarriedBar f={f} />
          <VitalsGrid f={f} props={props} />
          <SymptomGrid
            symptoms={v.symptoms}
            signs={v.signs}
            carried={f.carried.at && f.carried.carried.symptoms.length > 0 ? { codes: f.carried.carried.symptoms, at: f.carried.at } : null}
            onChange={(x) => f.setV((o) => ({ ...o, symptoms: x.symptoms.filter(isSymptom), signs: x.signs.filter(isSign) }))}
          />
          {amend && (
            <TextInput
              label={t('records.reason')}
              description={t('rounds.amend_reason_hint')}
              value={v.reason}
              onChange={(e) => f.set('reason', e.currentTarget.value)}
              error={f.err('reason')}
              data-field="reason"
              required
            />
          )}
          <div className="round-submit-row">
            <TextInput
              label={t('rounds.note')}
              value={v.note}
              onChange={(e) => f.set('note', e.currentTarget.value)}
              error={f.err('note')}
              data-field="note"
              maxLength={1000}
              className="round-note"
            />
            <DateTimeField
              label={t('rounds.measured_at')}
              value={v.measuredAt}
              max={toLocalInput(new Date(), timeZone)}
              onChange={(x) => f.set('measuredAt', x)}
              error={f.err('measuredAt')}
              data-field="measuredAt"
            />
            <Button type="submit" loading={f.busy} data-testid="round-save" title={t('rounds.enter_saves')}>
              {props.saveLabel ?? t(amend ? 'rounds.save_amendment' : 'rounds.save')}
            </Button>
            {onCancel && (
              <Button variant="default" onClick={onCancel}>
                {t('common.cancel')}
              </Button>
            )}
          </div>
          {(f.formError || f.errors._form) && (
            <Alert color="red" role="alert" py={6}>
              {f.formError || f.errors._form}
            </Alert>
          )}
        </Stack>
        <div>
          <PreviewPanel preview={f.preview} loading={f.previewing} timeZone={timeZone} />
        </div>
      </div>
      <EscalationStep due={f.escalation?.due ?? null} onAnswered={f.escalationAnswered} />
      <ExtremesModal f={f} />
      <LateEntryModal f={f} timeZone={timeZone} />
    </form>
  );
}

/** Values carried from the last round and not yet confirmed: the mark, and Alt+C to confirm them. */
function CarriedBar({ f }: { f: RoundFormState }) {
  const { t, carried, errors } = f;
  if (!carried.pending || !carried.at) return null;
  return (
    <Group gap="xs" wrap="nowrap" px={6} py={2} style={CARRIED_FRAME} data-field="carried" data-testid="carried-bar">
      <CarriedMark at={carried.at} />
      <Text size="xs" c={errors.carried ? 'red' : 'dimmed'} role={errors.carried ? 'alert' : undefined} style={{ flex: 1, minWidth: 0 }}>
        {errors.carried || t('rounds.carried_pending')}
      </Text>
      <Button size="compact-xs" variant="light" onClick={carried.confirm} aria-keyshortcuts="Alt+C" data-testid="confirm-carried" style={{ flexShrink: 0 }}>
        {t('rounds.carried_confirm')} · Alt+C
      </Button>
    </Group>
  );
}

/** The vital signs in paper-chart order, each with the last round's value under it. */
function VitalsGrid({ f, props }: { f: RoundFormState; props: RoundFormProps }) {
  const { t, v, set, err, carried } = f;
  const { last, canChangeScale } = props;
  const lastLine = (value: string | null) => (value ? t('rounds.last_value', { value }) : undefined);
  const numField = (k: NumberKey, label: string, unit: string, lastValue: string | null, disabled = false) => (
    <TextInput
      ref={k === 'respRate' ? f.first : undefined}
      label={t('rounds.field_unit', { label, unit })}
      description={lastLine(lastValue)}
      value={v[k]}
      onChange={(e) => set(k, e.currentTarget.value)}
      error={err(k)}
      inputMode="decimal"
      autoComplete="off"
      classNames={{ input: 'num' }}
      data-field={k}
      disabled={disabled}
      styles={k === 'o2Flow' && carried.carried.oxygen ? { input: CARRIED_INPUT } : undefined}
    />
  );
  const lastO2 = last ? (last.onOxygen ? `${t('news2.oxygen')}${last.o2Flow !== null ? ` ${last.o2Flow} L/min` : ''}` : last.onOxygen === false ? t('news2.air') : null) : null;
  return (
    <SimpleGrid cols={4} spacing="xs" verticalSpacing={6} className="vitals-grid">
      {numField('respRate', t('field.respRate'), '/min', last ? text(last.respRate) : null)}
      {numField('spo2', 'SpO2', '%', last ? text(last.spo2) : null)}
      <Stack gap={2}>
        <Text size="sm" fw={500}>
          {t('rounds.scale')}
        </Text>
        <SegmentedControl
          value={v.spo2Scale}
          onChange={(x) => set('spo2Scale', x === '2' ? '2' : '1')}
          disabled={!canChangeScale}
          fullWidth
          data={[
            { value: '1', label: t('rounds.scale_1') },
            { value: '2', label: t('rounds.scale_2') },
          ]}
          aria-label={t('rounds.scale')}
        />
        {f.errors.spo2Scale && (
          <Text size="xs" c="red">
            {f.errors.spo2Scale}
          </Text>
        )}
      </Stack>
      <Stack gap={2}>
        <Text size="sm" fw={500}>
          {t('rounds.air_or_oxygen')}
        </Text>
        <SegmentedControl
          style={carried.carried.oxygen ? CARRIED_FRAME : undefined}
          data-carried={carried.carried.oxygen ? 'kept' : undefined}
          value={v.air}
          onChange={(x) => set('air', x === 'oxygen' ? 'oxygen' : 'air')}
          fullWidth
          data={[
            { value: 'air', label: t('news2.air') },
            { value: 'oxygen', label: t('news2.oxygen') },
          ]}
          aria-label={t('rounds.air_or_oxygen')}
          data-field="air"
        />
        {carried.carried.oxygen && carried.at ? (
          <CarriedMark at={carried.at} />
        ) : (
          lastO2 && (
            <Text size="xs" c="dimmed">
              {lastLine(lastO2)}
            </Text>
          )
        )}
      </Stack>
      <Select
        label={t('rounds.o2_device')}
        data={OXYGEN_DEVICES.map((d) => ({ value: d, label: t(`rounds.device.${d}`) }))}
        value={v.o2Device}
        onChange={(x) => set('o2Device', asDevice(x))}
        disabled={v.air !== 'oxygen'}
        error={err('o2Device')}
        allowDeselect={false}
        data-field="o2Device"
        styles={carried.carried.oxygen ? { input: CARRIED_INPUT } : undefined}
        clearable
        comboboxProps={{ withinPortal: true }}
      />
      {numField('o2Flow', t('rounds.o2_flow'), 'L/min', null, v.air !== 'oxygen')}
      {numField('systolicBp', t('field.systolicBp'), 'mmHg', last ? text(last.systolicBp) : null)}
      {numField('diastolicBp', t('field.diastolicBp'), 'mmHg', last ? text(last.diastolicBp) : null)}
      {numField('pulse', t('field.pulse'), '/min', last ? text(last.pulse) : null)}
      <Stack gap={2} style={{ gridColumn: 'span 2' }}>
        <Text size="sm" fw={500}>
          {t('rounds.consciousness')}
        </Text>
        <SegmentedControl
          value={v.consciousness}
          onChange={(x) => set('consciousness', asAcvpu(x))}
          data={['A', 'C', 'V', 'P', 'U'].map((x) => ({ value: x, label: x }))}
          aria-label={t('rounds.consciousness')}
          data-field="consciousness"
          fullWidth
        />
        <Text size="xs" c="dimmed" truncate>
          {v.consciousness ? t(`news2.acvpu.${v.consciousness}`) : t('rounds.acvpu_hint')}
        </Text>
      </Stack>
      {numField('temperature', t('field.temperature'), '°C', last ? fmt(last.temperature, 1) : null)}
    </SimpleGrid>
  );
}

/** Where each vital's typed value sits in the observation sent. */
const OBSERVATION_KEY: Record<VitalField, keyof ReturnType<typeof observation> & keyof RoundValues> = {
  respRate: 'respRate',
  spo2: 'spo2',
  systolicBp: 'systolicBp',
  diastolicBp: 'diastolicBp',
  pulse: 'pulse',
  temperature: 'temperature',
  oxygenFlow: 'o2Flow',
};

/** Plausible-but-extreme values: saved only when confirmed. */
function ExtremesModal({ f }: { f: RoundFormState }) {
  const { t, confirm } = f;
  const shown = (field: string) => {
    const key = Object.entries(OBSERVATION_KEY).find(([k]) => k === field)?.[1];
    return key ? String(observation(f.v, f.measuredAt, [])[key] ?? '') : '';
  };
  return (
    <Modal opened={confirm !== null} onClose={() => f.setConfirm(null)} title={t('rounds.confirm_title')} centered>
      <Stack>
        <Text size="sm">{t('rounds.confirm_intro')}</Text>
        <ul style={{ margin: 0 }}>
          {(confirm ?? []).map((w) => (
            <li key={w.field} data-extreme={w.field}>
              <Text size="sm" fw={700} span>
                {t(`field.${w.field}`)}
              </Text>{' '}
              <Text size="sm" span>
                {t('rounds.confirm_value', { value: shown(w.field), min: w.plausibleMin, max: w.plausibleMax })}
              </Text>
            </li>
          ))}
        </ul>
        <Group justify="flex-end">
          <Button variant="default" onClick={() => f.setConfirm(null)}>
            {t('rounds.confirm_back')}
          </Button>
          <Button color="orange" data-autofocus onClick={f.confirmExtremes}>
            {t('rounds.confirm_save')}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}

/** A measurement taken longer ago than the hospital's late-entry setting: saved only when confirmed. */
function LateEntryModal({ f, timeZone }: { f: RoundFormState; timeZone: string }) {
  const { t, late, measuredAt } = f;
  return (
    <Modal opened={late !== null} onClose={() => f.setLate(null)} title={t('rounds.late_title')} centered>
      <Stack>
        <Text size="sm" data-testid="late-entry">
          {t('rounds.late_body', { at: measuredAt.endsWith('Z') ? formatLocal(measuredAt, timeZone) : f.v.measuredAt, hours: late ?? 0, limit: f.lateHours })}
        </Text>
        <Group justify="flex-end">
          <Button variant="default" onClick={f.backFromLate}>
            {t('rounds.late_back')}
          </Button>
          <Button color="orange" data-autofocus onClick={f.confirmLate}>
            {t('rounds.late_save')}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
