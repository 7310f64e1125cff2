import { useEffect, useRef } from 'react';
import { ActionIcon, Tooltip, useMantineColorScheme } from '@mantine/core';
import { IconMoon, IconSun } from '@tabler/icons-react';
import { useI18n } from '../lib/i18n';

type Scheme = 'light' | 'dark';
const keyOf = (username: string) => `echelon.scheme.${username}`;

/** The colour scheme this user chose on this workstation (light until they choose). */
export function savedScheme(username: string): Scheme {
  return globalThis.localStorage?.getItem(keyOf(username)) === 'dark' ? 'dark' : 'light';
}

/**
 * Print output stays light whatever the screen shows: the scheme attribute Mantine's styles key on is
 * set to light for the print and put back afterwards (Ctrl+P as well as the app's print and PDF buttons).
 */
function keepPrintLight(): () => void {
  const root = document.documentElement;
  let shown: string | null = null;
  const before = () => {
    shown = root.getAttribute('data-mantine-color-scheme');
    root.setAttribute('data-mantine-color-scheme', 'light');
  };
  const after = () => {
    if (shown) root.setAttribute('data-mantine-color-scheme', shown);
    shown = null;
  };
  window.addEventListener('beforeprint', before);
  window.addEventListener('afterprint', after);
  return () => {
    window.removeEventListener('beforeprint', before);
    window.removeEventListener('afterprint', after);
  };
}

/**
 * Night mode for dim wards (issue 18): a dark colour scheme chosen per user and remembered on this
 * workstation, applied when the user logs in; the next user gets their own choice, not the last one's.
 */
export function SchemeSwitch({ username }: { username: string }) {
  const { t } = useI18n();
  const { colorScheme, setColorScheme } = useMantineColorScheme();
  // Once per user, and only when it changes anything: setColorScheme re-renders the whole app, which
  // at login would race the round form's first keystrokes.
  const applied = useRef<string | null>(null);
  useEffect(() => {
    if (applied.current === username) return;
    applied.current = username;
    if (savedScheme(username) !== colorScheme) setColorScheme(savedScheme(username));
  }, [username, colorScheme, setColorScheme]);
  useEffect(keepPrintLight, []);
  const dark = colorScheme === 'dark';
  const toggle = () => {
    const next: Scheme = dark ? 'light' : 'dark';
    globalThis.localStorage?.setItem(keyOf(username), next);
    setColorScheme(next);
  };
  const label = t(dark ? 'shell.scheme_light' : 'shell.scheme_dark');
  return (
    <Tooltip label={label}>
      <ActionIcon variant="subtle" size="lg" onClick={toggle} aria-label={label} aria-pressed={dark} data-testid="scheme-switch">
        {dark ? <IconSun size={20} /> : <IconMoon size={20} />}
      </ActionIcon>
    </Tooltip>
  );
}
