import { useState } from 'react';
import { Alert, Badge, Button, Group, Modal, Stack, Table, Text } from '@mantine/core';
import { IconAlertTriangle, IconCircleCheck, IconTrash } from '@tabler/icons-react';
import type { PlainLeftover } from '../../../../shared/api/security';
import { formatLocal } from '../../../../shared/domain/time';
import { useApiMutation } from '../../lib/query';
import { useI18n } from '../../lib/i18n';
import { FormError } from '../../components/FormError';
import { TableHead } from '../../components/TableHead';
import { formatBytes } from './format';

/** What was destroyed, kept as keys so that it reads in the language chosen now. */
interface Destroyed {
  file: string;
  note: string;
}

/** Asks before destroying, saying that on an SSD overwriting may not reach every old block. */
function DestroyModal({ leftover, onClose, onDestroyed }: { leftover: PlainLeftover; onClose: () => void; onDestroyed: (done: Destroyed) => void }) {
  const { t } = useI18n();
  const destroy = useApiMutation('security:destroyPlain', {
    onDone: (r) => onDestroyed({ file: r.destroyed, note: r.note }),
  });
  return (
    <Modal opened onClose={onClose} title={t('security.destroy_confirm_title')} size="lg" centered>
      <Stack gap="sm">
        <Text size="sm">{t('security.destroy_confirm', { path: leftover.path })}</Text>
        <Alert color="orange" icon={<IconAlertTriangle />}>
          {t('security.destroy_ssd')}
        </Alert>
        <FormError message={destroy.errors._form ?? destroy.errors.file} />
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose} disabled={destroy.busy}>
            {t('common.cancel')}
          </Button>
          <Button color="red" leftSection={<IconTrash size={16} />} loading={destroy.busy} onClick={() => void destroy.submit({ file: leftover.file })}>
            {t('security.destroy')}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}

/** Plain copies of patient data still on this disk (from before encryption): each listed, each to destroy. */
export function PlainLeftovers({ leftovers, tz, onChanged }: { leftovers: readonly PlainLeftover[]; tz: string; onChanged: () => void }) {
  const { t } = useI18n();
  const [confirming, setConfirming] = useState<PlainLeftover | null>(null);
  const [outcome, setOutcome] = useState<Destroyed | null>(null);
  const done = outcome && (
    <Alert color="teal" icon={<IconCircleCheck />} withCloseButton onClose={() => setOutcome(null)} role="status" data-testid="destroy-outcome">
      <div>{t('security.destroyed', { file: outcome.file })}</div>
      <div>{t(outcome.note)}</div>
    </Alert>
  );
  if (leftovers.length === 0) {
    return (
      <Stack gap="xs">
        {done}
        <Text size="sm" c="dimmed" data-testid="no-leftovers">
          {t('security.no_leftovers')}
        </Text>
      </Stack>
    );
  }
  return (
    <Stack gap="sm" data-testid="plain-leftovers">
      {done}
      <Alert color="red" icon={<IconAlertTriangle />} title={t('security.plain_leftovers')}>
        {t('security.plain_warning')}
      </Alert>
      <Table withTableBorder striped verticalSpacing="xs">
        <TableHead cells={[t('security.col.path'), t('security.col.kind'), { label: t('security.col.size'), ta: 'right' }, t('security.col.modified'), { w: 150 }]} />
        <Table.Tbody>
          {leftovers.map((l) => (
            <Table.Tr key={l.file} data-testid={`leftover-${l.file}`}>
              <Table.Td ff="monospace" fz="sm" style={{ wordBreak: 'break-all' }}>
                {l.path}
              </Table.Td>
              <Table.Td>
                <Badge variant="light" color="red">
                  {t(`security.plain_kind.${l.kind}`)}
                </Badge>
              </Table.Td>
              <Table.Td ta="right">{formatBytes(l.size)}</Table.Td>
              <Table.Td>{formatLocal(l.modifiedAt, tz)}</Table.Td>
              <Table.Td>
                <Button size="xs" color="red" variant="light" leftSection={<IconTrash size={14} />} onClick={() => setConfirming(l)}>
                  {t('security.destroy')}
                </Button>
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      {confirming && (
        <DestroyModal
          leftover={confirming}
          onClose={() => setConfirming(null)}
          onDestroyed={(d) => {
            setConfirming(null);
            setOutcome(d);
            onChanged();
          }}
        />
      )}
    </Stack>
  );
}
