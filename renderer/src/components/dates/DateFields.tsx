import '@mantine/dates/styles.css';
import { useEffect, useState, type ReactNode } from 'react';
import { Group, Input } from '@mantine/core';
import { DateInput, TimePicker } from '@mantine/dates';
import { useI18n } from '../../lib/i18n';
import { displayFormat, parseTypedDate, dayjsLocale } from './parse';

interface Common {
  label: ReactNode;
  description?: ReactNode;
  error?: ReactNode;
  required?: boolean;
  disabled?: boolean;
  /** Lets the field be emptied (optional dates). */
  clearable?: boolean;
  w?: number | string;
  'data-field'?: string;
  'data-testid'?: string;
  'aria-label'?: string;
}

export interface DateFieldProps extends Common {
  /** `YYYY-MM-DD`, or '' (or undefined) for none. */
  value?: string;
  onChange: (value: string) => void;
  /** Earliest and latest selectable days, `YYYY-MM-DD`. */
  min?: string;
  max?: string;
}

/**
 * A calendar date as the reader writes it (issue 18): `2026-12-02` in Chinese, `2 Dec 2026` in English,
 * never the browser's locale (a native date input shows `12/02/2026` whatever the UI's language). Typing
 * is accepted in either form and as `2026/12/2`, `20261202` or `2026年12月2日`; what cannot be read as a
 * date is said so under the field instead of being silently put back.
 */
export function DateField(props: DateFieldProps) {
  const { locale, t } = useI18n();
  const [unreadable, setUnreadable] = useState<string | null>(null);
  const outOfRange = (d: string) => (props.min !== undefined && d < props.min) || (props.max !== undefined && d > props.max);
  return (
    <DateInput
      label={props.label}
      description={props.description}
      required={props.required}
      disabled={props.disabled}
      clearable={props.clearable}
      clearButtonProps={{ 'aria-label': t('dates.clear') }}
      w={props.w ?? 170}
      data-field={props['data-field']}
      data-testid={props['data-testid']}
      aria-label={props['aria-label']}
      locale={dayjsLocale(locale)}
      firstDayOfWeek={1}
      valueFormat={displayFormat(locale, false)}
      dateParser={(text) => parseTypedDate(text)}
      value={props.value ? props.value : null}
      minDate={props.min}
      maxDate={props.max}
      onChange={(v) => {
        setUnreadable(null);
        props.onChange(v ?? '');
      }}
      onBlur={(e) => {
        const text = e.currentTarget.value.trim();
        const parsed = text === '' ? null : parseTypedDate(text);
        if (text !== '' && (parsed === null || outOfRange(parsed)))
          setUnreadable(
            parsed === null
              ? t('dates.unreadable', { text, example: displayFormat(locale, false) })
              : t('dates.out_of_range', { text, min: props.min ?? '—', max: props.max ?? '—' }),
          );
      }}
      error={unreadable ?? props.error}
      popoverProps={{ withinPortal: true }}
    />
  );
}

export interface DateTimeFieldProps extends Common {
  /** A wall-clock time in the hospital's zone, `YYYY-MM-DDTHH:mm`, or '' (or undefined) for none. */
  value?: string;
  onChange: (value: string) => void;
  /** The latest selectable day (`YYYY-MM-DD…`); the core refuses a future instant with its own message. */
  max?: string;
  /** Focus left the field (both its parts). */
  onBlur?: () => void;
}

const split = (v = '') => ({ date: v.slice(0, 10), time: v.length >= 16 ? v.slice(11, 16) : '' });

/**
 * A date and a 24-hour time side by side (DateField and Mantine's TimePicker), one label for both. The
 * value stays the `YYYY-MM-DDTHH:mm` wall-clock string the forms already send through instantOf. A date
 * without its time (or the reverse) is passed on incomplete, so the contract refuses it on its field.
 */
export function DateTimeField(props: DateTimeFieldProps) {
  const { t } = useI18n();
  const [parts, setParts] = useState(() => split(props.value));
  useEffect(() => {
    // An incomplete entry (a date, its time still to come) is kept while the form holds what was sent.
    setParts((p) => (p.date !== '' && p.time !== '' ? split(props.value) : !props.value ? p : split(props.value)));
  }, [props.value]);
  const update = (next: { date: string; time: string }) => {
    setParts(next);
    props.onChange(next.date === '' && next.time === '' ? '' : `${next.date}T${next.time}`);
  };
  return (
    <Input.Wrapper
      label={props.label}
      description={props.description}
      error={props.error}
      required={props.required}
      w={props.w}
      data-field={props['data-field']}
      data-testid={props['data-testid']}
    >
      <Group
        gap={6}
        wrap="nowrap"
        align="flex-start"
        onBlur={(e) => {
          if (!e.currentTarget.contains(e.relatedTarget as Node | null)) props.onBlur?.();
        }}
      >
        <DateField
          label={null}
          value={parts.date}
          max={props.max?.slice(0, 10)}
          clearable={props.clearable}
          disabled={props.disabled}
          onChange={(date) => update({ date, time: parts.time })}
          w={props.w === undefined ? 140 : '60%'}
          aria-label={t('dates.date')}
        />
        <TimePicker
          value={parts.time}
          onChange={(time) => update({ date: parts.date, time: time.slice(0, 5) })}
          format="24h"
          disabled={props.disabled}
          hoursInputLabel={t('dates.hours')}
          minutesInputLabel={t('dates.minutes')}
          aria-label={t('dates.time')}
          w={84}
        />
      </Group>
    </Input.Wrapper>
  );
}
