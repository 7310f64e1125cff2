import { useContext, useEffect, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import { notifications, type NotificationData } from '@mantine/notifications';
import { AmendRoundSchema, RecordRoundSchema, VITAL_FIELDS, type Round, type RoundSaved } from '../../../../shared/api/rounds';
import { DEFAULT_LATE_ENTRY_HOURS } from '../../../../shared/api/settings';
import { validateVitals, type LimitWarning, type VitalField } from '../../../../shared/clinical';
import type { AppError } from '../../../../shared/errors';
import { fieldErrors, issuesOf, precheck } from '../../lib/formErrors';
import { useI18n } from '../../lib/i18n';
import { useApiMutation } from '../../lib/query';
import { SessionContext } from '../../lib/session';
import { instantOf } from '../localInstant';
import type { EscalationDue } from './EscalationStep';
import { carriedTime, focusFirstError, lateEntryHours, typeErrors } from './roundChecks';
import { useRoundPreview } from './useRoundPreview';
import { useRoundShortcuts } from './roundShortcuts';
import { initialValues, observation, observed, type RoundValues } from './roundValues';

const isVitalField = (f: string): f is VitalField => VITAL_FIELDS.some((x) => x === f);

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

/**
 * Values carried over from the last round (oxygen therapy, symptoms) are not measurements: they stay
 * marked until changed or confirmed unchanged (Alt+C), and a save waits for that (issue 13).
 */
function useCarried(props: RoundFormProps, formRef: React.RefObject<HTMLFormElement | null>, clearError: () => void) {
  const { amend, last, timeZone } = props;
  const at = useMemo(() => (!amend && last ? carriedTime(last.measuredAt, timeZone, new Date()) : null), [amend, last, timeZone]);
  const [carried, setCarried] = useState(() => ({ oxygen: !amend && last !== null && last.onOxygen !== null, symptoms: !amend && last ? [...(last.symptoms ?? [])] : [] }));
  const pending = carried.oxygen || carried.symptoms.length > 0;
  /** Confirmed unchanged: the carried values now count as observed on this round (the form is not "untouched"). */
  const [confirmed, setConfirmed] = useState(false);
  const confirm = () => {
    // From the bar's own button (or nowhere), the next Enter should save: the bar is about to go.
    const from = document.activeElement;
    if (!from || from === document.body || from.closest('[data-field="carried"]')) formRef.current?.querySelector<HTMLElement>('[data-testid="round-save"]')?.focus();
    setCarried({ oxygen: false, symptoms: [] });
    setConfirmed(true);
    clearError();
  };
  useRoundShortcuts({ confirmCarried: confirm }, pending, formRef);
  const oxygenChanged = () => setCarried((c) => (c.oxygen ? { ...c, oxygen: false } : c));
  return { at, carried, pending, confirmed, confirm, oxygenChanged };
}

/**
 * The round form's state and its save: checks in order, the extreme-value and late-entry questions, then the escalation step.
 *
 * Not on useApiForm / @mantine/form (issue 16's one form style), on purpose: the errors shown merge three sources (the
 * refusal, the typed "not a number", the live preview's), a save first asks its questions (untouched, carried, extremes,
 * late entry), and the values feed the live preview on every keystroke. Tried with the values in useForm: every rounds e2e
 * passed alone, but under load the keyboard steps of rounds.spec ("abc" in pulse: focus on the first error, Enter on the
 * late-entry question) failed 2 runs in 28, against 0 in 22 with useState; useForm's dirty, touched and error bookkeeping
 * on each keystroke buys nothing here, as the form uses none of it.
 */
export function useRoundForm(props: RoundFormProps) {
  const { episodeId, timeZone, amend, onSaved } = props;
  const { t, errorText } = useI18n();
  const [v, setV] = useState<RoundValues>(() => initialValues(props));
  // Enter on a form nobody touched saves nothing (issue 13): the starting observation, to compare with.
  const [untouched] = useState(() => observed(initialValues(props)));
  const [escalation, setEscalation] = useState<{ due: EscalationDue; saved: RoundSaved } | null>(null);
  const [formError, setFormError] = useState<string | null>(null);
  const [confirm, setConfirm] = useState<LimitWarning[] | null>(null);
  const first = useRef<HTMLInputElement>(null);
  const formRef = useRef<HTMLFormElement>(null);
  const lateHours = useContext(SessionContext)?.settings?.lateEntryHours ?? DEFAULT_LATE_ENTRY_HOURS;
  const [late, setLate] = useState<number | null>(null);
  /** The measured-at the user confirmed as a late entry, and the extremes confirmed before that question. */
  const lateConfirmed = useRef<{ at: string | null; extremes: VitalField[] }>({ at: null, extremes: [] });

  /** A refused save: focus the first error (paper-chart order) and scroll to it; a message without a field is scrolled to. */
  const onRefused = (err: AppError) => {
    const issues = issuesOf(err);
    if (issues.length === 0) setFormError(errorText(err));
    const fields = issues.length > 0 ? Object.keys(fieldErrors(issues, t)) : [];
    requestAnimationFrame(() => focusFirstError(formRef.current, fields));
  };
  // The save message: round mode shows it in its own place, elsewhere it is a toast.
  const done = (saved: RoundSaved) => {
    (props.announce ?? notifications.show)({
      color: 'teal',
      message: saved.news2 ? t(amend ? 'rounds.amended' : 'rounds.saved', { news2: saved.news2.total }) : t('rounds.saved_no_score'),
    });
    // A score that calls for a clinical response stops here until it is answered (RCP 2017 Chart 4).
    if (saved.escalation && saved.news2) setEscalation({ due: { roundId: saved.roundId, level: saved.escalation, total: saved.news2.total }, saved });
    else onSaved(saved);
  };
  const recordCall = useApiMutation('rounds:record', { onRefused, onDone: done });
  const amendCall = useApiMutation('rounds:amend', { onRefused, onDone: done });
  const { errors, setErrors, busy } = amend ? amendCall : recordCall;
  const carried = useCarried(props, formRef, () => setErrors((old) => (old.carried ? { ...old, carried: '' } : old)));

  const set = <K extends keyof RoundValues>(k: K, value: RoundValues[K]) => {
    setV((old) => ({ ...old, [k]: value }));
    setErrors((old) => (old[k] || old._form ? { ...old, [k]: '', _form: '' } : old));
    if (k === 'air' || k === 'o2Device' || k === 'o2Flow') carried.oxygenChanged();
  };
  const refuse = (next: Record<string, string>) => {
    setErrors(next);
    requestAnimationFrame(() =>
      focusFirstError(
        formRef.current,
        Object.keys(next).filter((k) => next[k]),
      ),
    );
  };

  useEffect(() => first.current?.focus(), []);

  const measuredAt = useMemo(() => instantOf(v.measuredAt, timeZone), [v.measuredAt, timeZone]);
  const { preview, previewing, liveErrors } = useRoundPreview({ episodeId, replacesId: amend?.id ?? null, v, measuredAt, t });

  const save = async (confirmedExtremes: VitalField[] = []) => {
    setFormError(null);
    if (!amend && observed(v) === untouched && !carried.confirmed) {
      setFormError(t('rounds.untouched'));
      return;
    }
    const notNumbers = typeErrors(v, t);
    const values = observation(v, measuredAt, confirmedExtremes);
    const checked = amend ? precheck(AmendRoundSchema, { roundId: amend.id, reason: v.reason, ...values }) : precheck(RecordRoundSchema, { episodeId, ...values });
    if (!checked.ok || Object.keys(notNumbers).length > 0) {
      // A typed value that is not a number says what is expected, over the contract's generic word.
      refuse({ ...(checked.ok ? {} : fieldErrors(checked.issues, t)), ...notNumbers });
      return;
    }
    if (carried.pending) return refuse({ carried: t('rounds.carried_unconfirmed') });
    const d = checked.data;
    const { warnings } = validateVitals({
      respRate: d.respRate,
      spo2: d.spo2,
      systolicBp: d.systolicBp,
      diastolicBp: d.diastolicBp,
      pulse: d.pulse,
      temperature: d.temperature,
      oxygenFlow: d.o2Flow,
    });
    const pending = warnings.filter((w) => !confirmedExtremes.some((c) => c === w.field));
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
    if (amend) await amendCall.submit({ roundId: amend.id, reason: v.reason, ...values });
    else await recordCall.submit({ episodeId, ...values });
  };

  // Enter saves from anywhere in the form (except a textarea, a button, or an open list that used it).
  const onKeyDown = (e: KeyboardEvent<HTMLFormElement>) => {
    if (e.key !== 'Enter' || e.shiftKey || e.defaultPrevented || confirm || late !== null || escalation) return;
    const target = e.target;
    if (target instanceof HTMLElement && (target.tagName === 'TEXTAREA' || target.tagName === 'BUTTON')) return;
    e.preventDefault();
    void save();
  };

  const typed = useMemo(() => typeErrors(v, t), [v, t]);
  const err = (k: string) => errors[k] || typed[k] || liveErrors[k] || undefined;

  /** The extreme values confirmed: save again with them. */
  const confirmExtremes = () => {
    const fields = (confirm ?? []).map((w) => w.field).filter(isVitalField);
    setConfirm(null);
    void save(fields);
  };
  const confirmLate = () => {
    lateConfirmed.current = { ...lateConfirmed.current, at: measuredAt };
    setLate(null);
    void save(lateConfirmed.current.extremes);
  };
  const backFromLate = () => {
    setLate(null);
    requestAnimationFrame(() => focusFirstError(formRef.current, ['measuredAt']));
  };
  const escalationAnswered = () => {
    const saved = escalation?.saved;
    setEscalation(null);
    if (saved) onSaved(saved);
  };

  return {
    t,
    v,
    setV,
    set,
    err,
    errors,
    formError,
    busy,
    first,
    formRef,
    measuredAt,
    carried,
    preview,
    previewing,
    save,
    onKeyDown,
    confirm,
    setConfirm,
    confirmExtremes,
    late,
    setLate,
    lateHours,
    confirmLate,
    backFromLate,
    escalation,
    escalationAnswered,
  };
}

export type RoundFormState = ReturnType<typeof useRoundForm>;
