import { useState } from 'react';
import { Alert, Button, Group, Tabs, Text, Title, Stack } from '@mantine/core';
import { IconAlertTriangle, IconDatabase, IconListDetails, IconLock, IconSettings, IconUsers } from '@tabler/icons-react';
import { DEFAULT_TIME_ZONE } from '../../../../shared/domain/time';
import { useApiQuery } from '../../lib/query';
import { useI18n } from '../../lib/i18n';
import { UsersTab } from './UsersTab';
import { AuditTab } from './AuditTab';
import { BackupTab } from './BackupTab';
import { SettingsTab } from './SettingsTab';
import { SecurityTab } from './SecurityTab';

/** An upgraded record without a recovery passphrase: the administrator is asked here, never in a ward's way. */
function PassphraseBanner({ onSet }: { onSet: () => void }) {
  const { t } = useI18n();
  return (
    <Alert color="orange" icon={<IconAlertTriangle />} title={t('security.banner_title')} data-testid="passphrase-banner">
      <Group justify="space-between" wrap="nowrap">
        <Text size="sm">{t('security.recovery_explain')}</Text>
        <Button color="orange" onClick={onSet} style={{ flexShrink: 0 }}>
          {t('security.banner_action')}
        </Button>
      </Group>
    </Alert>
  );
}

/** 系统管理: accounts and wards, the audit trail, backups and restore, encryption, hospital settings. Administrators only. */
export function AdminScreen() {
  const { t } = useI18n();
  const [tab, setTab] = useState<string | null>('users');
  const settings = useApiQuery('settings:get', {});
  const security = useApiQuery('security:status', {});
  const tz = settings.data?.timeZone ?? DEFAULT_TIME_ZONE;
  const tabs = [
    { value: 'users', label: t('admin.tab.users'), Icon: IconUsers, panel: <UsersTab tz={tz} /> },
    { value: 'audit', label: t('admin.tab.audit'), Icon: IconListDetails, panel: <AuditTab tz={tz} /> },
    { value: 'backup', label: t('admin.tab.backup'), Icon: IconDatabase, panel: <BackupTab tz={tz} /> },
    { value: 'security', label: t('security.title'), Icon: IconLock, panel: <SecurityTab tz={tz} /> },
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
      {security.data && !security.data.recoveryPassphraseSet && tab !== 'security' && <PassphraseBanner onSet={() => setTab('security')} />}
      <Tabs value={tab} onChange={setTab} keepMounted={false}>
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
