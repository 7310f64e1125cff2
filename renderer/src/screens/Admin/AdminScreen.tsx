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
  return (
    <Stack gap="sm" data-testid="admin-screen">
      <Title order={2}>{t('admin.title')}</Title>
      <Tabs defaultValue="users" keepMounted={false}>
        <Tabs.List>
          <Tabs.Tab value="users" leftSection={<IconUsers size={16} />}>
            {t('admin.tab.users')}
          </Tabs.Tab>
          <Tabs.Tab value="audit" leftSection={<IconListDetails size={16} />}>
            {t('admin.tab.audit')}
          </Tabs.Tab>
          <Tabs.Tab value="backup" leftSection={<IconDatabase size={16} />}>
            {t('admin.tab.backup')}
          </Tabs.Tab>
          <Tabs.Tab value="settings" leftSection={<IconSettings size={16} />}>
            {t('admin.tab.settings')}
          </Tabs.Tab>
        </Tabs.List>
        <Tabs.Panel value="users" pt="md">
          <UsersTab tz={tz} />
        </Tabs.Panel>
        <Tabs.Panel value="audit" pt="md">
          <AuditTab tz={tz} />
        </Tabs.Panel>
        <Tabs.Panel value="backup" pt="md">
          <BackupTab tz={tz} />
        </Tabs.Panel>
        <Tabs.Panel value="settings" pt="md">
          {settings.data && <SettingsTab initial={settings.data} onSaved={() => void settings.refetch()} />}
        </Tabs.Panel>
      </Tabs>
    </Stack>
  );
}
