import { useRef, type KeyboardEvent } from 'react';
import { Checkbox, Group, SimpleGrid, Text } from '@mantine/core';
import { SYMPTOM_CODES } from '../../../../shared/clinical';
import { CLINICAL_SIGNS } from '../../../../shared/domain/clinical';
import { useI18n } from '../../lib/i18n';
import { CARRIED_FRAME, CarriedMark } from './CarriedMark';

interface Props {
  symptoms: readonly string[];
  signs: readonly string[];
  onChange: (next: { symptoms: string[]; signs: string[] }) => void;
  /** Symptoms carried over from the last round and not yet confirmed, with that round's time (HH:MM). */
  carried: { codes: readonly string[]; at: string } | null;
}

type Item = { kind: 'symptom' | 'sign'; code: string };
const ITEMS: Item[] = [...SYMPTOM_CODES.map((code) => ({ kind: 'symptom' as const, code })), ...CLINICAL_SIGNS.map((code) => ({ kind: 'sign' as const, code }))];
const COLUMNS = 5;

/**
 * The symptom checklist and the clinical signs as ONE tab stop (roving tabindex, WAI-ARIA grid
 * pattern): Tab enters and leaves it, arrow keys move, Space ticks. A practised user passes an
 * unchanged list with a single Tab instead of 26.
 */
export function SymptomGrid({ symptoms, signs, onChange, carried }: Props) {
  const { t } = useI18n();
  const refs = useRef<(HTMLInputElement | null)[]>([]);
  const active = useRef(0);

  const checked = (it: Item) => (it.kind === 'symptom' ? symptoms.includes(it.code) : signs.includes(it.code));
  const toggle = (it: Item) => {
    const list = it.kind === 'symptom' ? symptoms : signs;
    const next = list.includes(it.code) ? list.filter((c) => c !== it.code) : [...list, it.code];
    onChange(it.kind === 'symptom' ? { symptoms: next, signs: [...signs] } : { symptoms: [...symptoms], signs: next });
  };
  const move = (e: KeyboardEvent<HTMLInputElement>, i: number) => {
    // Up and down move by the columns shown, which narrow with the form (rounds.css).
    const grid = e.currentTarget.closest('.symptom-grid');
    const cols = grid ? getComputedStyle(grid).gridTemplateColumns.split(' ').length : COLUMNS;
    const delta = { ArrowRight: 1, ArrowLeft: -1, ArrowDown: cols, ArrowUp: -cols, Home: -i, End: ITEMS.length - 1 - i }[e.key];
    if (delta === undefined) return;
    e.preventDefault();
    const next = Math.min(ITEMS.length - 1, Math.max(0, i + delta));
    active.current = next;
    for (const [j, el] of refs.current.entries()) if (el) el.tabIndex = j === next ? 0 : -1;
    refs.current[next]?.focus();
  };

  /** A carried symptom still ticked is framed; one unticked since the last round is struck through. */
  const carriedState = (it: Item) => (it.kind === 'symptom' && carried?.codes.includes(it.code) ? (checked(it) ? 'kept' : 'removed') : undefined);
  const box = (it: Item, i: number) => (
    <Checkbox
      key={`${it.kind}.${it.code}`}
      ref={(el) => {
        refs.current[i] = el;
      }}
      size="xs"
      tabIndex={i === active.current ? 0 : -1}
      label={t(it.kind === 'symptom' ? `symptom.${it.code}` : `rounds.sign.${it.code}`)}
      checked={checked(it)}
      onChange={() => toggle(it)}
      onKeyDown={(e) => move(e, i)}
      onFocus={() => {
        active.current = i;
      }}
      data-symptom={it.code}
      data-carried={carriedState(it)}
      title={carriedState(it) ? t(`rounds.carried_${carriedState(it)}`, { at: carried?.at ?? '' }) : undefined}
      styles={{
        root: carriedState(it) ? CARRIED_FRAME : undefined,
        label: {
          paddingInlineStart: 5,
          fontSize: 'var(--mantine-font-size-sm)',
          ...(carriedState(it) === 'kept' ? { color: 'var(--mantine-color-dimmed)', fontStyle: 'italic' } : {}),
          ...(carriedState(it) === 'removed' ? { textDecoration: 'line-through', color: 'var(--mantine-color-orange-8)' } : {}),
        },
      }}
    />
  );

  return (
    <div role="group" aria-label={t('rounds.symptoms')}>
      <Group gap="xs" mb={2}>
        <Text size="sm" fw={500}>
          {t('rounds.symptoms')}
        </Text>
        {carried && <CarriedMark at={carried.at} />}
        <Text size="xs" c="dimmed">
          {carried ? t('rounds.symptoms_carried') : t('rounds.symptoms_hint')}
        </Text>
      </Group>
      <SimpleGrid cols={COLUMNS} spacing={4} verticalSpacing={2} className="symptom-grid">
        {ITEMS.slice(0, SYMPTOM_CODES.length).map((it, i) => box(it, i))}
      </SimpleGrid>
      <Text size="sm" fw={500} mt={4} mb={2}>
        {t('rounds.signs')}
      </Text>
      <SimpleGrid cols={COLUMNS} spacing={4} verticalSpacing={2} className="symptom-grid">
        {ITEMS.slice(SYMPTOM_CODES.length).map((it, i) => box(it, i + SYMPTOM_CODES.length))}
      </SimpleGrid>
    </div>
  );
}
