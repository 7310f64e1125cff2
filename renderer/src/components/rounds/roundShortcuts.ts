import { useEffect, useRef, type RefObject } from 'react';

/** What a round-mode shortcut does; the screen and the form each handle their own. */
export type RoundAction = 'previous' | 'next' | 'skip' | 'confirmCarried' | 'help';

interface Shortcut {
  /** Keys as shown in the overlay (not translated: they are printed on the keyboard). */
  keys: readonly string[];
  /** i18n key of what it does. */
  label: string;
  action?: RoundAction;
}

/**
 * Every key of round mode, in the order a nurse meets them. The "?" overlay lists exactly this
 * table, and `roundAction` below reads the Alt shortcuts from it, so the two cannot disagree.
 * Alt + a key types nothing in a text field, so the shortcuts work from any field without
 * clashing with typing (`event.code`, so the layout or macOS Option characters do not matter).
 */
export const ROUND_SHORTCUTS: readonly Shortcut[] = [
  { keys: ['Enter'], label: 'rounds.key.save' },
  { keys: ['Tab', 'Shift+Tab'], label: 'rounds.key.fields' },
  { keys: ['← → ↑ ↓', 'Space'], label: 'rounds.key.choices' },
  { keys: ['Alt+C'], label: 'rounds.key.confirm_carried', action: 'confirmCarried' },
  { keys: ['Alt+←'], label: 'rounds.key.previous', action: 'previous' },
  { keys: ['Alt+→'], label: 'rounds.key.next', action: 'next' },
  { keys: ['Alt+S'], label: 'rounds.key.skip', action: 'skip' },
  { keys: ['?'], label: 'rounds.key.help', action: 'help' },
  { keys: ['Esc'], label: 'rounds.key.close' },
];

const ALT_CODES: Record<string, RoundAction> = { KeyC: 'confirmCarried', ArrowLeft: 'previous', ArrowRight: 'next', KeyS: 'skip' };

/** A field that takes typed text, where "?" is a character and not a shortcut. */
export function isTextEntry(el: Element | null): boolean {
  if (!(el instanceof HTMLElement)) return false;
  if (el.isContentEditable || el.tagName === 'TEXTAREA') return true;
  return el.tagName === 'INPUT' && !['checkbox', 'radio', 'button', 'submit', 'reset', 'range', 'color', 'file'].includes((el as HTMLInputElement).type);
}

/** The round-mode action of a key press, or null. */
export function roundAction(e: Pick<KeyboardEvent, 'key' | 'code' | 'altKey' | 'ctrlKey' | 'metaKey' | 'shiftKey'>, focused: Element | null): RoundAction | null {
  if (e.ctrlKey || e.metaKey) return null;
  if (e.altKey) return e.shiftKey ? null : (ALT_CODES[e.code] ?? null);
  if (e.key === '?' && !isTextEntry(focused)) return 'help';
  return null;
}

/**
 * Listens on the window (focus may be anywhere: a field, a button, the bed list) and runs the
 * handler for the actions it knows. A dialog that is open (a confirmation, a drawer) keeps the keys,
 * unless it holds `scope` (the round form in the chart's drawer still takes Alt+C).
 */
export function useRoundShortcuts(handlers: Partial<Record<RoundAction, () => void>>, enabled = true, scope?: RefObject<HTMLElement | null>): void {
  const latest = useRef(handlers);
  latest.current = handlers;
  useEffect(() => {
    if (!enabled) return;
    const onKey = (e: KeyboardEvent) => {
      if (e.defaultPrevented || e.isComposing) return;
      const action = roundAction(e, document.activeElement);
      const run = action ? latest.current[action] : undefined;
      if (!action || !run) return;
      const within = scope?.current ?? null;
      const dialogs = [...document.querySelectorAll('[role="dialog"][aria-modal="true"]')];
      if (dialogs.some((d) => !within || !d.contains(within))) return;
      e.preventDefault();
      run();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [enabled, scope]);
}
