import { useContext, useEffect, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import { Alert, Button, Group, Modal, SegmentedControl, Select, SimpleGrid, Stack, Text, TextInput } from '@mantine/core';
import { notifications, type NotificationData } from '@mantine/notifications';
import { AmendRoundSchema, RecordRoundSchema, type Round, type RoundPreview, type RoundSaved } from '../../../../shared/api/rounds';
import { validateVitals, type LimitWarning, type VitalField } from '../../../../shared/clinical';
import { OXYGEN_DEVICES } from '../../../../shared/domain/clinical';
import { formatLocal, fromLocal, toLocalInput } from '../../../../shared/domain/time';
import { AppError } from '../../../../shared/errors';
import { DEFAULT_LATE_ENTRY_HOURS } from '../../../../shared/api/settings';
import { SessionContext } from '../../lib/session';
import { api } from '../../lib/api';
import { useI18n } from '../../lib/i18n';
import { fieldErrors, issuesOf, precheck } from '../../lib/formErrors';
import { fmt } from '../../components/clinical';
import { PreviewPanel } from './PreviewPanel';
import { EscalationStep, type EscalationDue } from './EscalationStep';
import { SymptomGrid } from './SymptomGrid';
import { CARRIED_FRAME, CARRIED_INPUT, CarriedMark } from './CarriedMark';
import { carriedTime, focusFirstError, lateEntryHours, typeErrors } from './roundChecks';
import { useRoundShortcuts } from './roundShortcuts';

export interface RoundFormProps {
  episodeId: number;
  spo2Scale: 1 | 2;
  last: Round | null;
  timeZone: string;
  /** Only a doctor may change the SpO2 scale (the core refuses it for anyone else). */
  canChangeScale: boolean;
  /** Amending this round: its values are the starting point and a reason is required. */
  amend?: Round;
  /** After the save, and after the escalation step when the score called for one. */
  onSaved: (saved: RoundSaved) => void;
  /** Where the save message goes: round mode shows one at a time in its own place; elsewhere a toast. */
  announce?: (toast: NotificationData) => void;
  onCancel?: () => void;
  saveLabel?: string;
}

interface Values {
  respRate: string;
  spo2: string;
  spo2Scale: '1' | '2';
  air: '' | 'air' | 'oxygen';
  o2Device: string | null;
  o2Flow: string;
  systolicBp: string;
  diastolicBp: string;
  pulse: string;
  consciousness: string;
  temperature: string;
  symptoms: string[];
  signs: string[];
  note: string;
  measuredAt: string;
  reason: string;
}

const s = (v: number | null | undefined) => (v === null || v === undefined ? '' : String(v));
/** '' is "not measured"; anything else is parsed (NaN, an invalid number, is refused by the contract). */
const num = (v: string): number | null => (v.trim() === '' ? null : Number(v.trim().replace(',', '.')));
const loose = (v: string): number | null => {
  const n = num(v);
  return n === null || Number.isNaN(n) ? null : n;
};

function initial(p: RoundFormProps): Values {
  const src = p.amend ?? null;
  // A new round carries over the oxygen therapy and the symptom list of the last one (to check);
  // measurements always start empty.
  const carry = p.amend ?? p.last;
  return {
    respRate: s(src?.respRate),
    spo2: s(src?.spo2),
    spo2Scale: String(src?.spo2Scale ?? p.spo2Scale) as '1' | '2',
    air: carry?.onOxygen === true ? 'oxygen' : carry?.onOxygen === false ? 'air' : 'air',
    o2Device: carry?.onOxygen ? carry.o2Device : null,
    o2Flow: carry?.onOxygen ? s(carry.o2Flow) : '',
    systolicBp: s(src?.systolicBp),
    diastolicBp: s(src?.diastolicBp),
    pulse: s(src?.pulse),
    consciousness: src?.consciousness ?? '',
    temperature: s(src?.temperature),
    symptoms: [...(carry?.symptoms ?? [])],
    signs: [...(src?.signs ?? [])],
    note: src?.note ?? '',
    measuredAt: toLocalInput(src?.measuredAt ?? new Date(), p.timeZone),
    reason: '',
  };
}

/** What a round records, without when it was measured: equal to the start means nothing was entered. */
function observed(v: Values): string {
  return JSON.stringify([v.respRate, v.spo2, v.air, v.o2Device, v.o2Flow, v.systolicBp, v.diastolicBp, v.pulse, v.consciousness, v.temperature, v.symptoms, v.signs, v.note.trim()]);
}

const NUMERIC_FIELDS = [
  ['respRate', 'respRate'],
  ['spo2', 'spo2'],
  ['o2Flow', 'oxygenFlow'],
  ['systolicBp', 'systolicBp'],
  ['diastolicBp', 'diastolicBp'],
  ['pulse', 'pulse'],
  ['temperature', 'temperature'],
] as const;

/** Fields typed but not a number ("abc"): the preview scores them as missing, never from an older round. */
function unparsedFields(v: Values): VitalField[] {
  return NUMERIC_FIELDS.filter(([k]) => Number.isNaN(num(v[k]) ?? 0)).map(([, field]) => field);
}

/** Paper-chart order: the order of the fields in the form is the tab order. */
export function RoundForm(props: RoundFormProps) {
  const { episodeId, last, timeZone, amend, onSaved, onCancel, canChangeScale } = props;
  const { t, errorText } = useI18n();
  const [v, setV] = useState<Values>(() => initial(props));
  // Enter on a form nobody touched saves nothing (issue 13): the starting observation, to compare with.
  const [untouched] = useState(() => observed(initial(props)));
  const [escalation, setEscalation] = useState<{ due: EscalationDue; saved: RoundSaved } | null>(null);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [confirm, setConfirm] = useState<LimitWarning[] | null>(null);
  const [busy, setBusy] = useState(false);
  const [preview, setPreview] = useState<RoundPreview | null>(null);
  const [previewing, setPreviewing] = useState(false);
  const first = useRef<HTMLInputElement>(null);
  const formRef = useRef<HTMLFormElement>(null);
  const lateHours = useContext(SessionContext)?.settings?.lateEntryHours ?? DEFAULT_LATE_ENTRY_HOURS;
  const [late, setLate] = useState<number | null>(null);
  /** The measured-at the user confirmed as a late entry, and the extremes confirmed before that question. */
  const lateConfirmed = useRef<{ at: string | null; extremes: VitalField[] }>({ at: null, extremes: [] });
  // Values carried over from the last round (oxygen therapy, symptoms) are not measurements: they
  // stay marked until changed or confirmed unchanged (Alt+C), and a save waits for that (issue 13).
  const carriedAt = useMemo(() => (!amend && last ? carriedTime(last.measuredAt, timeZone, new Date()) : null), [amend, last, timeZone]);
  const [carried, setCarried] = useState(() => ({ oxygen: !amend && last !== null && last.onOxygen !== null, symptoms: !amend && last ? [...(last.symptoms ?? [])] : [] }));
  const carriedPending = carried.oxygen || carried.symptoms.length > 0;
  /** Confirmed unchanged: the carried values now count as observed on this round (the form is not "untouched"). */
  const [carriedConfirmed, setCarriedConfirmed] = useState(false);
  const confirmCarried = () => {
    // From the bar's own button (or nowhere), the next Enter should save: the bar is about to go.
    const from = document.activeElement;
    if (!from || from === document.body || from.closest('[data-field="carried"]')) formRef.current?.querySelector<HTMLElement>('[data-testid="round-save"]')?.focus();
    setCarried({ oxygen: false, symptoms: [] });
    setCarriedConfirmed(true);
    setErrors((old) => (old.carried ? { ...old, carried: '' } : old));
  };
  useRoundShortcuts({ confirmCarried }, carriedPending, formRef);
  const set = <K extends keyof Values>(k: K, value: Values[K]) => {
    setV((old) => ({ ...old, [k]: value }));
    setErrors((old) => (old[k] || old._form ? { ...old, [k]: '', _form: '' } : old));
    if (k === 'air' || k === 'o2Device' || k === 'o2Flow') setCarried((c) => (c.oxygen ? { ...c, oxygen: false } : c));
  };
  /** A refused save: show the errors, then focus the first one (paper-chart order) and scroll to it. */
  const refuse = (next: Record<string, string>) => {
    setErrors(next);
    requestAnimationFrame(() => focusFirstError(formRef.current, Object.keys(next).filter((k) => next[k])));
  };

  useEffect(() => first.current?.focus(), []);

  const measuredAt = useMemo(() => {
    try {
      return fromLocal(v.measuredAt, timeZone);
    } catch (err) {
      if (err instanceof RangeError) return v.measuredAt;
      throw err;
    }
  }, [v.measuredAt, timeZone]);

  // Live preview, debounced: the server runs the same rules as on save (rounds:preview) and writes nothing.
  const previewKey = JSON.stringify([v.respRate, v.spo2, v.spo2Scale, v.air, v.o2Flow, v.systolicBp, v.diastolicBp, v.pulse, v.consciousness, v.temperature, v.symptoms, v.signs, measuredAt]);
  useEffect(() => {
    let live = true;
    setPreviewing(true);
    const timer = setTimeout(() => {
      api.rounds
        .preview({
          episodeId,
          ...(amend ? { replacesId: amend.id } : {}),
          ...(measuredAt.endsWith('Z') ? { measuredAt } : {}),
          respRate: loose(v.respRate),
          spo2: loose(v.spo2),
          spo2Scale: Number(v.spo2Scale) as 1 | 2,
          onOxygen: v.air === '' ? null : v.air === 'oxygen',
          o2Flow: loose(v.o2Flow),
          systolicBp: loose(v.systolicBp),
          diastolicBp: loose(v.diastolicBp),
          pulse: loose(v.pulse),
          consciousness: (v.consciousness || null) as 'A' | null,
          temperature: loose(v.temperature),
          symptoms: v.symptoms as never,
          signs: v.signs as never,
          unparsed: unparsedFields(v),
        })
        .then(
          (p) => live && (setPreview(p), setPreviewing(false)),
          (err: unknown) => {
            if (!live) return;
            setPreviewing(false);
            if (!(err instanceof AppError)) throw err;
          },
        );
    }, 200);
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [previewKey, episodeId, amend]);

  const liveErrors = useMemo(() => {
    const out: Record<string, string> = {};
    for (const e of preview?.errors ?? []) out[e.field] = t('validation.out_of_range', { field: t(`field.${e.field === 'o2Flow' ? 'oxygenFlow' : e.field}`), min: e.min, max: e.max });
    return out;
  }, [preview, t]);

  const toInput = (confirmedExtremes: VitalField[]) => ({
    ...(amend ? { roundId: amend.id, reason: v.reason } : { episodeId }),
    measuredAt,
    respRate: num(v.respRate),
    spo2: num(v.spo2),
    spo2Scale: Number(v.spo2Scale) as 1 | 2,
    onOxygen: v.air === '' ? null : v.air === 'oxygen',
    o2Device: v.air === 'oxygen' ? v.o2Device : null,
    o2Flow: v.air === 'oxygen' ? num(v.o2Flow) : null,
    systolicBp: num(v.systolicBp),
    diastolicBp: num(v.diastolicBp),
    pulse: num(v.pulse),
    consciousness: v.consciousness || null,
    temperature: num(v.temperature),
    symptoms: v.symptoms,
    signs: v.signs,
    note: v.note,
    confirmedExtremes,
  });

  const save = async (confirmedExtremes: VitalField[] = []) => {
    setFormError(null);
    if (!amend && observed(v) === untouched && !carriedConfirmed) {
      setFormError(t('rounds.untouched'));
      return;
    }
    const notNumbers = typeErrors(v, t);
    const input = toInput(confirmedExtremes);
    const checked = precheck(amend ? AmendRoundSchema : RecordRoundSchema, input);
    if (!checked.ok || Object.keys(notNumbers).length > 0) {
      // A typed value that is not a number says what is expected, over the contract's generic word.
      refuse({ ...(checked.ok ? {} : fieldErrors(checked.issues, t)), ...notNumbers });
      return;
    }
    if (carriedPending) return refuse({ carried: t('rounds.carried_unconfirmed') });
    const d = checked.data;
    const { warnings } = validateVitals({ respRate: d.respRate, spo2: d.spo2, systolicBp: d.systolicBp, diastolicBp: d.diastolicBp, pulse: d.pulse, temperature: d.temperature, oxygenFlow: d.o2Flow });
    const pending = warnings.filter((w) => !confirmedExtremes.includes(w.field as VitalField));
    if (pending.length > 0) {
      setConfirm(pending);
      return;
    }
    const hoursAgo = lateEntryHours(measuredAt, new Date(), lateHours);
    if (hoursAgo !== null && lateConfirmed.current.at !== measuredAt) {
      lateConfirmed.current = { at: null, extremes: confirmedExtremes };
      setLate(hoursAgo);
      return;
    }
    setBusy(true);
    try {
      const saved = amend ? await api.rounds.amend(input as never) : await api.rounds.record(input as never);
      (props.announce ?? notifications.show)({
        color: 'teal',
        message: saved.news2 ? t(amend ? 'rounds.amended' : 'rounds.saved', { news2: saved.news2.total }) : t('rounds.saved_no_score'),
      });
      // A score that calls for a clinical response stops here until it is answered (RCP 2017 Chart 4).
      if (saved.escalation && saved.news2) setEscalation({ due: { roundId: saved.roundId, level: saved.escalation, total: saved.news2.total }, saved });
      else onSaved(saved);
    } catch (err) {
      const issues = issuesOf(err);
      if (issues.length > 0) refuse(fieldErrors(issues, t));
      else if (err instanceof AppError) (setFormError(errorText(err)), requestAnimationFrame(() => focusFirstError(formRef.current, [])));
      else throw err;
    } finally {
      setBusy(false);
    }
  };

  // Enter saves from anywhere in the form (except a textarea, a button, or an open list that used it).
  const onKeyDown = (e: KeyboardEvent<HTMLFormElement>) => {
    if (e.key !== 'Enter' || e.shiftKey || e.defaultPrevented || confirm || late !== null || escalation) return;
    const target = e.target as HTMLElement;
    if (target.tagName === 'TEXTAREA' || target.tagName === 'BUTTON') return;
    e.preventDefault();
    void save();
  };

  const lastLine = (value: string | null) => (value ? t('rounds.last_value', { value }) : undefined);
  const typed = useMemo(() => typeErrors(v, t), [v, t]);
  const err = (k: string) => errors[k] || typed[k] || liveErrors[k] || undefined;
  const numField = (k: 'respRate' | 'spo2' | 'systolicBp' | 'diastolicBp' | 'pulse' | 'temperature' | 'o2Flow', label: string, unit: string, lastValue: string | null, disabled = false) => (
    <TextInput
      ref={k === 'respRate' ? first : undefined}
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
      styles={k === 'o2Flow' && carried.oxygen ? { input: CARRIED_INPUT } : undefined}
    />
  );
  const lastO2 = last ? (last.onOxygen ? `${t('news2.oxygen')}${last.o2Flow !== null ? ` ${last.o2Flow} L/min` : ''}` : last.onOxygen === false ? t('news2.air') : null) : null;

  return (
    <form ref={formRef} onSubmit={(e) => (e.preventDefault(), void save())} onKeyDown={onKeyDown} noValidate data-testid="round-form">
      <Group align="flex-start" wrap="nowrap" gap="md">
        <Stack gap={8} style={{ flex: 1, minWidth: 0 }}>
          {last && (
            <Text size="xs" c="dimmed">
              {t('rounds.last_round', { at: formatLocal(last.measuredAt, timeZone), by: last.authorName, news2: fmt(last.news2Total) })}
            </Text>
          )}
          {carriedPending && carriedAt && (
            <Group gap="xs" wrap="nowrap" px={6} py={2} style={CARRIED_FRAME} data-field="carried" data-testid="carried-bar">
              <CarriedMark at={carriedAt} />
              <Text size="xs" c={errors.carried ? 'red' : 'dimmed'} role={errors.carried ? 'alert' : undefined} style={{ flex: 1 }}>
                {errors.carried || t('rounds.carried_pending')}
              </Text>
              <Button size="compact-xs" variant="light" onClick={confirmCarried} aria-keyshortcuts="Alt+C" data-testid="confirm-carried">
                {t('rounds.carried_confirm')} · Alt+C
              </Button>
            </Group>
          )}
          <SimpleGrid cols={4} spacing="xs" verticalSpacing={6}>
            {numField('respRate', t('field.respRate'), '/min', last ? s(last.respRate) : null)}
            {numField('spo2', 'SpO2', '%', last ? s(last.spo2) : null)}
            <Stack gap={2}>
              <Text size="sm" fw={500}>
                {t('rounds.scale')}
              </Text>
              <SegmentedControl
                value={v.spo2Scale}
                onChange={(x) => set('spo2Scale', x as '1' | '2')}
                disabled={!canChangeScale}
                fullWidth
                data={[
                  { value: '1', label: t('rounds.scale_1') },
                  { value: '2', label: t('rounds.scale_2') },
                ]}
                aria-label={t('rounds.scale')}
              />
              {errors.spo2Scale && <Text size="xs" c="red">{errors.spo2Scale}</Text>}
            </Stack>
            <Stack gap={2}>
              <Text size="sm" fw={500}>
                {t('rounds.air_or_oxygen')}
              </Text>
              <SegmentedControl
                style={carried.oxygen ? CARRIED_FRAME : undefined}
                data-carried={carried.oxygen ? 'kept' : undefined}
                value={v.air}
                onChange={(x) => set('air', x as Values['air'])}
                fullWidth
                data={[
                  { value: 'air', label: t('news2.air') },
                  { value: 'oxygen', label: t('news2.oxygen') },
                ]}
                aria-label={t('rounds.air_or_oxygen')}
                data-field="air"
              />
              {carried.oxygen && carriedAt ? <CarriedMark at={carriedAt} /> : lastO2 && <Text size="xs" c="dimmed">{lastLine(lastO2)}</Text>}
            </Stack>
            <Select
              label={t('rounds.o2_device')}
              data={OXYGEN_DEVICES.map((d) => ({ value: d, label: t(`rounds.device.${d}`) }))}
              value={v.o2Device}
              onChange={(x) => set('o2Device', x)}
              disabled={v.air !== 'oxygen'}
              error={err('o2Device')}
              allowDeselect={false}
              data-field="o2Device"
              styles={carried.oxygen ? { input: CARRIED_INPUT } : undefined}
              clearable
              comboboxProps={{ withinPortal: true }}
            />
            {numField('o2Flow', t('rounds.o2_flow'), 'L/min', null, v.air !== 'oxygen')}
            {numField('systolicBp', t('field.systolicBp'), 'mmHg', last ? s(last.systolicBp) : null)}
            {numField('diastolicBp', t('field.diastolicBp'), 'mmHg', last ? s(last.diastolicBp) : null)}
            {numField('pulse', t('field.pulse'), '/min', last ? s(last.pulse) : null)}
            <Stack gap={2} style={{ gridColumn: 'span 2' }}>
              <Text size="sm" fw={500}>
                {t('rounds.consciousness')}
              </Text>
              <SegmentedControl
                value={v.consciousness}
                onChange={(x) => set('consciousness', x)}
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
          <SymptomGrid symptoms={v.symptoms} signs={v.signs} carried={carriedAt && carried.symptoms.length > 0 ? { codes: carried.symptoms, at: carriedAt } : null} onChange={(x) => setV((o) => ({ ...o, ...x }))} />
          {amend && (
            <TextInput label={t('records.reason')} description={t('rounds.amend_reason_hint')} value={v.reason} onChange={(e) => set('reason', e.currentTarget.value)} error={err('reason')} data-field="reason" required />
          )}
          <Group align="flex-end" wrap="nowrap" gap="xs">
            <TextInput label={t('rounds.note')} value={v.note} onChange={(e) => set('note', e.currentTarget.value)} error={err('note')} data-field="note" maxLength={1000} style={{ flex: 1 }} />
            <TextInput
              type="datetime-local"
              label={t('rounds.measured_at')}
              value={v.measuredAt}
              max={toLocalInput(new Date(), timeZone)}
              onChange={(e) => set('measuredAt', e.currentTarget.value)}
              error={err('measuredAt')}
              data-field="measuredAt"
              w={210}
            />
            <Button type="submit" loading={busy} data-testid="round-save" title={t('rounds.enter_saves')}>
              {props.saveLabel ?? t(amend ? 'rounds.save_amendment' : 'rounds.save')}
            </Button>
            {onCancel && (
              <Button variant="default" onClick={onCancel}>
                {t('common.cancel')}
              </Button>
            )}
          </Group>
          {(formError || errors._form) && (
            <Alert color="red" role="alert" py={6}>
              {formError || errors._form}
            </Alert>
          )}
        </Stack>
        <div style={{ width: 270, flexShrink: 0 }}>
          <PreviewPanel preview={preview} loading={previewing} timeZone={timeZone} />
        </div>
      </Group>
      <EscalationStep
        due={escalation?.due ?? null}
        onAnswered={() => {
          const saved = escalation?.saved;
          setEscalation(null);
          if (saved) onSaved(saved);
        }}
      />
      <Modal opened={confirm !== null} onClose={() => setConfirm(null)} title={t('rounds.confirm_title')} centered>
        <Stack>
          <Text size="sm">{t('rounds.confirm_intro')}</Text>
          <ul style={{ margin: 0 }}>
            {(confirm ?? []).map((w) => (
              <li key={w.field} data-extreme={w.field}>
                <Text size="sm" fw={700} span>
                  {t(`field.${w.field}`)}
                </Text>{' '}
                <Text size="sm" span>
                  {t('rounds.confirm_value', { value: String(toInput([])[w.field === 'oxygenFlow' ? 'o2Flow' : (w.field as 'spo2')] ?? ''), min: w.plausibleMin, max: w.plausibleMax })}
                </Text>
              </li>
            ))}
          </ul>
          <Group justify="flex-end">
            <Button variant="default" onClick={() => setConfirm(null)}>
              {t('rounds.confirm_back')}
            </Button>
            <Button
              color="orange"
              data-autofocus
              onClick={() => {
                const fields = (confirm ?? []).map((w) => w.field as VitalField);
                setConfirm(null);
                void save(fields);
              }}
            >
              {t('rounds.confirm_save')}
            </Button>
          </Group>
        </Stack>
      </Modal>
      <Modal opened={late !== null} onClose={() => setLate(null)} title={t('rounds.late_title')} centered>
        <Stack>
          <Text size="sm" data-testid="late-entry">
            {t('rounds.late_body', { at: measuredAt.endsWith('Z') ? formatLocal(measuredAt, timeZone) : v.measuredAt, hours: late ?? 0, limit: lateHours })}
          </Text>
          <Group justify="flex-end">
            <Button variant="default" onClick={() => (setLate(null), requestAnimationFrame(() => focusFirstError(formRef.current, ['measuredAt'])))}>
              {t('rounds.late_back')}
            </Button>
            <Button
              color="orange"
              data-autofocus
              onClick={() => {
                lateConfirmed.current = { ...lateConfirmed.current, at: measuredAt };
                setLate(null);
                void save(lateConfirmed.current.extremes);
              }}
            >
              {t('rounds.late_save')}
            </Button>
          </Group>
        </Stack>
      </Modal>
    </form>
  );
}
