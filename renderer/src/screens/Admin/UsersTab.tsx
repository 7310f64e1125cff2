import { useMemo, useState } from 'react';
import { Badge, Button, Group, Menu, Table, Text, ActionIcon } from '@mantine/core';
import { IconDots, IconKey, IconMapPin, IconPencil, IconUserPlus } from '@tabler/icons-react';
import type { User } from '../../../../shared/api/users';
import { WARD_SCOPED_ROLES } from '../../../../shared/api/users';
import { formatLocal } from '../../../../shared/domain/time';
import { useApiQuery } from '../../lib/query';
import { useI18n } from '../../lib/i18n';
import { ErrorPanel } from '../../components/ErrorPanel';
import { PasswordDialog, UserDialog, WardsDialog, type WardOption } from './UserDialogs';

type Dialog = { kind: 'create' } | { kind: 'edit'; user: User } | { kind: 'password'; user: User } | { kind: 'wards'; user: User } | null;

export function UsersTab({ tz }: { tz: string }) {
  const { t } = useI18n();
  const users = useApiQuery('users:list', {});
  const facilities = useApiQuery('facilities:list', {});
  const [dialog, setDialog] = useState<Dialog>(null);

  const wards = useMemo<WardOption[]>(() => (facilities.data ?? []).flatMap((f) => f.wards.map((w) => ({ id: w.id, name: w.name, facility: f.name }))), [facilities.data]);
  const wardName = (id: number) => wards.find((w) => w.id === id)?.name ?? `#${id}`;

  if (users.error) return <ErrorPanel error={users.error} onRetry={() => void users.refetch()} />;
  const close = () => setDialog(null);
  const saved = () => {
    setDialog(null);
    void users.refetch();
  };

  return (
    <>
      <Group justify="space-between" mb="sm">
        <Text size="sm" c="dimmed" maw={820}>
          {t('users.intro')}
        </Text>
        <Button leftSection={<IconUserPlus size={18} />} onClick={() => setDialog({ kind: 'create' })}>
          {t('users.new')}
        </Button>
      </Group>
      <Table striped highlightOnHover withTableBorder verticalSpacing="xs" data-testid="users-table">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t('user.username')}</Table.Th>
            <Table.Th>{t('user.display_name')}</Table.Th>
            <Table.Th>{t('users.role')}</Table.Th>
            <Table.Th>{t('users.wards')}</Table.Th>
            <Table.Th>{t('users.status')}</Table.Th>
            <Table.Th>{t('users.last_login')}</Table.Th>
            <Table.Th w={60} />
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {(users.data ?? []).map((u) => (
            <Table.Tr key={u.id} data-testid={`user-${u.username}`} c={u.active ? undefined : 'dimmed'}>
              <Table.Td ff="monospace">{u.username}</Table.Td>
              <Table.Td>{u.displayName}</Table.Td>
              <Table.Td>{t(`role.${u.role}`)}</Table.Td>
              <Table.Td>
                {!WARD_SCOPED_ROLES.includes(u.role) ? (
                  <Text size="sm" c="dimmed">
                    {t('users.wards_by_role')}
                  </Text>
                ) : u.wardIds.length === 0 ? (
                  <Text size="sm">{t('users.wards_all')}</Text>
                ) : (
                  <Text size="sm" lineClamp={2}>
                    {u.wardIds.map(wardName).join(t('lists.sep'))}
                  </Text>
                )}
              </Table.Td>
              <Table.Td>
                {!u.active ? (
                  <Badge color="gray" variant="light" style={{ flexShrink: 0, maxWidth: 'none' }} styles={{ label: { overflow: 'visible' } }}>
                    {t('users.inactive')}
                  </Badge>
                ) : u.lockedUntil ? (
                  <Badge color="orange" variant="light" style={{ flexShrink: 0, maxWidth: 'none' }} styles={{ label: { overflow: 'visible' } }}>
                    {t('users.locked_until', { until: formatLocal(u.lockedUntil, tz) })}
                  </Badge>
                ) : (
                  <Badge color="teal" variant="light" style={{ flexShrink: 0, maxWidth: 'none' }} styles={{ label: { overflow: 'visible' } }}>
                    {t('users.active')}
                  </Badge>
                )}
              </Table.Td>
              <Table.Td>{u.lastLoginAt ? formatLocal(u.lastLoginAt, tz) : t('users.never')}</Table.Td>
              <Table.Td>
                <Menu position="bottom-end" withinPortal>
                  <Menu.Target>
                    <ActionIcon variant="subtle" aria-label={t('users.actions', { name: u.displayName })}>
                      <IconDots size={18} />
                    </ActionIcon>
                  </Menu.Target>
                  <Menu.Dropdown>
                    <Menu.Item leftSection={<IconPencil size={16} />} onClick={() => setDialog({ kind: 'edit', user: u })}>
                      {t('users.edit')}
                    </Menu.Item>
                    <Menu.Item leftSection={<IconKey size={16} />} onClick={() => setDialog({ kind: 'password', user: u })}>
                      {t('users.reset_password')}
                    </Menu.Item>
                    <Menu.Item leftSection={<IconMapPin size={16} />} disabled={!WARD_SCOPED_ROLES.includes(u.role)} onClick={() => setDialog({ kind: 'wards', user: u })}>
                      {t('users.set_wards')}
                    </Menu.Item>
                  </Menu.Dropdown>
                </Menu>
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      {dialog?.kind === 'create' && <UserDialog wards={wards} onClose={close} onSaved={saved} />}
      {dialog?.kind === 'edit' && <UserDialog user={dialog.user} wards={wards} onClose={close} onSaved={saved} />}
      {dialog?.kind === 'password' && <PasswordDialog user={dialog.user} onClose={close} onSaved={saved} />}
      {dialog?.kind === 'wards' && <WardsDialog user={dialog.user} wards={wards} onClose={close} onSaved={saved} />}
    </>
  );
}
