import { Tabs, Title, Stack } from '@mantine/core';
import { IconDatabase, IconListDetails, IconSettings, IconUsers } from '@tabler/icons-react';
import { DEFAULT_TIME_ZONE } from '../../../../shared/domain/time';
import { useApiQuery } from '../../lib/query';
import { useI18n } from '../../lib/i18n';
import { UsersTab } from './UsersTab';
import { AuditTab } from './AuditTab';
import { BackupTab } from './BackupTab';
import { SettingsTab } from './SettingsTab';

/** 系统管理: accounts and wards, the audit trail, backups and restore, hospital settings. Administrators only. */
export function AdminScreen() {
  const { t } = useI18n();
  const settings = useApiQuery('settings:get', {});
  const tz = settings.data?.timeZone ?? DEFAULT_TIME_ZONE;
  const tabs = [
    { value: 'users', label: t('admin.tab.users'), Icon: IconUsers, panel: <UsersTab tz={tz} /> },
    { value: 'audit', label: t('admin.tab.audit'), Icon: IconListDetails, panel: <AuditTab tz={tz} /> },
    { value: 'backup', label: t('admin.tab.backup'), Icon: IconDatabase, panel: <BackupTab tz={tz} /> },
    {
      value: 'settings',
      label: t('admin.tab.settings'),
      Icon: IconSettings,
      panel: settings.data && <SettingsTab initial={settings.data} onSaved={() => void settings.refetch()} />,
    },
  ];
  return (
    <Stack gap="sm" data-testid="admin-screen">
      <Title order={2}>{t('admin.title')}</Title>
      <Tabs defaultValue="users" keepMounted={false}>
        <Tabs.List>
          {tabs.map(({ value, label, Icon }) => (
            <Tabs.Tab key={value} value={value} leftSection={<Icon size={16} />}>
              {label}
            </Tabs.Tab>
          ))}
        </Tabs.List>
        {tabs.map(({ value, panel }) => (
          <Tabs.Panel key={value} value={value} pt="md">
            {panel}
          </Tabs.Panel>
        ))}
      </Tabs>
    </Stack>
  );
}
