import type { ReactNode } from 'react';
import { Badge, Button, Group, Table, Text } from '@mantine/core';
import { useI18n } from '../../lib/i18n';

/** The row under a withdrawn entry: the "entered in error" mark, the reason, and who withdrew it when. */
export function WithdrawnRow({ colSpan, reason, who, marker }: { colSpan: number; reason: string | null; who: string; marker?: number }) {
  const { t } = useI18n();
  return (
    <Table.Tr data-marker={marker}>
      <Table.Td colSpan={colSpan}>
        <Badge color="red" variant="light" size="sm" mr={6}>
          {t('chart.entered_in_error')}
        </Badge>
        <Text span size="sm">
          {t('chart.withdrawn_by', { reason: reason ?? '', who })}
        </Text>
      </Table.Td>
    </Table.Tr>
  );
}

/** Amend / entered in error, for a current entry its author or a ward doctor may correct. */
export function CorrectionButtons({ onAmend, onWithdraw }: { onAmend: () => void; onWithdraw: () => void }) {
  const { t } = useI18n();
  return (
    <Group gap={4} wrap="nowrap">
      <Button size="compact-xs" variant="light" onClick={onAmend}>
        {t('chart.amend')}
      </Button>
      <Button size="compact-xs" variant="subtle" color="red" onClick={onWithdraw}>
        {t('chart.entered_in_error')}
      </Button>
    </Group>
  );
}

/** An older version under the current one: struck through, its own cells, who entered it, no actions. */
export function SupersededRow({ attr, entry, who, children }: { attr: 'data-round' | 'data-result'; entry: { id: number; status: string }; who: string; children: ReactNode }) {
  return (
    <Table.Tr {...{ [attr]: entry.id }} data-status={entry.status} style={{ textDecoration: 'line-through', opacity: 0.55 }}>
      {children}
      <Table.Td>
        <Text size="xs">{who}</Text>
      </Table.Td>
      <Table.Td />
    </Table.Tr>
  );
}
