import type { CSSProperties } from 'react';
import { Badge } from '@mantine/core';
import { IconHistory } from '@tabler/icons-react';
import { useI18n } from '../../lib/i18n';

/**
 * A value carried over from the last round is not a measurement: it is framed with a dashed line
 * (never colour alone) and marked with the time of the round it came from, until the nurse changes
 * it or confirms it unchanged (issue 13).
 */
export const CARRIED_FRAME: CSSProperties = {
  outline: '2px dashed var(--mantine-color-gray-5)',
  outlineOffset: 2,
  borderRadius: 'var(--mantine-radius-sm)',
};

export function CarriedMark({ at }: { at: string }) {
  const { t } = useI18n();
  return (
    <Badge
      size="xs"
      variant="outline"
      color="gray"
      leftSection={<IconHistory size={10} />}
      styles={{ root: { borderStyle: 'dashed', textTransform: 'none', fontWeight: 500, flexShrink: 0 }, label: { overflow: 'visible' } }}
      data-carried-mark
    >
      {t('rounds.carried_from', { at })}
    </Badge>
  );
}

/** The same mark on a text field or a select: a dashed border. */
export const CARRIED_INPUT: CSSProperties = { borderStyle: 'dashed', borderColor: 'var(--mantine-color-gray-6)' };
