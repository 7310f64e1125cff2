import { useEffect, useState } from 'react';
import { Switch, Tooltip } from '@mantine/core';
import { useI18n } from '../lib/i18n';

const STORAGE_KEY = 'echelon.ppe';
/**
 * Mantine sizes every font, spacing, radius and control height as `rem × var(--mantine-scale)`:
 * raising the scale enlarges type and touch targets everywhere at once for gloved hands and fogged
 * goggles. 1.25 keeps a 1366×768 screen usable.
 */
const PPE_SCALE = '1.25';

export function applyPpe(on: boolean): void {
  const root = document.documentElement;
  if (on) root.style.setProperty('--mantine-scale', PPE_SCALE);
  else root.style.removeProperty('--mantine-scale');
  root.dataset.ppe = on ? 'on' : 'off';
}

/** 防护服模式: large type and large touch targets, remembered on this workstation. */
export function PpeSwitch() {
  const { t } = useI18n();
  const [on, setOn] = useState(() => globalThis.localStorage?.getItem(STORAGE_KEY) === 'on');
  useEffect(() => {
    applyPpe(on);
    globalThis.localStorage?.setItem(STORAGE_KEY, on ? 'on' : 'off');
  }, [on]);
  return (
    <Tooltip label={t('ppe.hint')}>
      <Switch
        checked={on}
        onChange={(e) => setOn(e.currentTarget.checked)}
        label={t('ppe.label')}
        size="md"
        data-testid="ppe-switch"
        className="ppe-switch"
        styles={{ label: { whiteSpace: 'nowrap' } }}
      />
    </Tooltip>
  );
}
