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
