import { Button, Group, Kbd, Modal, Table, Text } from '@mantine/core';
import { IconKeyboard } from '@tabler/icons-react';
import { useI18n } from '../../lib/i18n';
import { ROUND_SHORTCUTS } from '../../components/rounds/roundShortcuts';

/** The "?" overlay: every key of round mode, from the same table the shortcuts are read from. */
export function ShortcutOverlay({ opened, onClose }: { opened: boolean; onClose: () => void }) {
  const { t } = useI18n();
  return (
    <Modal opened={opened} onClose={onClose} title={t('rounds.shortcuts')} centered size="lg">
      <Table verticalSpacing={6} data-testid="shortcut-overlay">
        <Table.Tbody>
          {ROUND_SHORTCUTS.map((s) => (
            <Table.Tr key={s.label}>
              <Table.Td style={{ whiteSpace: 'nowrap' }}>
                <Group gap={6} wrap="nowrap">
                  {s.keys.map((k) => (
                    <Kbd key={k}>{k}</Kbd>
                  ))}
                </Group>
              </Table.Td>
              <Table.Td>
                <Text size="sm">{t(s.label)}</Text>
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Modal>
  );
}

/** The visible way to the overlay, for those who do not know "?" yet. */
export function ShortcutButton({ onClick }: { onClick: () => void }) {
  const { t } = useI18n();
  return (
    <Button variant="default" leftSection={<IconKeyboard size={16} />} onClick={onClick} aria-keyshortcuts="?" data-testid="shortcut-button">
      {t('rounds.shortcuts_button')}
    </Button>
  );
}
