import { useState } from 'react';
import { Alert, Button, Group, NumberInput, Select, SimpleGrid, Stack, Text } from '@mantine/core';
import { IconSearch, IconShieldCheck, IconShieldX } from '@tabler/icons-react';
import type { AuditRowView } from '../../../../shared/api/audit';
import { useApiQuery } from '../../lib/query';
import { useI18n } from '../../lib/i18n';
import { actionLabel } from './format';
import { AuditDetail, AuditTable } from './AuditTable';
import { useAuditLog } from './useAuditLog';
import { FormError } from '../../components/FormError';
import { DateField } from '../../components/dates/DateFields';

type AuditLog = ReturnType<typeof useAuditLog>;

/** Patient, user, action and the date range; search, or back to everything. */
function AuditFilterForm({ log }: { log: AuditLog }) {
  const { t } = useI18n();
  const users = useApiQuery('users:list', {});
  const actions = useApiQuery('audit:actions', {});
  const { filters, set, errors } = log;
  return (
    <form
      onSubmit={(e) => {
        e.preventDefault();
        log.search();
      }}
    >
      <Group align="flex-end" gap="sm" wrap="nowrap">
        <SimpleGrid cols={5} spacing="sm" style={{ flex: 1 }}>
          <NumberInput label={t('audit.filter.patient')} min={1} allowDecimal={false} value={filters.patientId} onChange={(v) => set('patientId', v)} error={errors.patientId} />
          <Select
            label={t('audit.filter.user')}
            data={(users.data ?? []).map((u) => ({ value: String(u.id), label: t('lists.aside', { text: u.displayName, aside: u.username }) }))}
            value={filters.userId}
            onChange={(v) => set('userId', v)}
            searchable
            clearable
          />
          <Select
            label={t('audit.filter.action')}
            data={(actions.data ?? []).map((a) => ({ value: a, label: actionLabel(a, t) }))}
            value={filters.action}
            onChange={(v) => set('action', v)}
            searchable
            clearable
          />
          <DateField label={t('audit.filter.from')} clearable w="100%" value={filters.from} onChange={(x) => set('from', x)} error={errors.from} />
          <DateField label={t('audit.filter.to')} clearable w="100%" value={filters.to} onChange={(x) => set('to', x)} error={errors.to} />
        </SimpleGrid>
        <Button type="submit" leftSection={<IconSearch size={16} />} style={{ flexShrink: 0 }}>
          {t('audit.search')}
        </Button>
        <Button variant="default" style={{ flexShrink: 0 }} onClick={log.reset}>
          {t('audit.reset')}
        </Button>
      </Group>
    </form>
  );
}

/** The answer of the hash-chain check: intact over n rows, or where it breaks. */
function VerifyResult({ verify, onClose }: { verify: NonNullable<AuditLog['verify']>; onClose: () => void }) {
  const { t } = useI18n();
  return (
    <Alert
      color={verify.ok ? 'teal' : 'red'}
      icon={verify.ok ? <IconShieldCheck /> : <IconShieldX />}
      title={verify.ok ? t('audit.verify_ok_title') : t('audit.verify_broken_title')}
      withCloseButton
      onClose={onClose}
      data-testid="audit-verify-result"
    >
      {verify.ok
        ? t('audit.verify_ok', { rows: verify.rows })
        : verify.problem
          ? t(verify.problem.key, verify.problem.params)
          : t('audit.verify_broken', { id: verify.brokenAt ?? 0, rows: verify.rows })}
    </Alert>
  );
}

/** The audit trail: filter by patient, user, action and dates; newest first; verify the hash chain. */
export function AuditTab({ tz }: { tz: string }) {
  const { t } = useI18n();
  const log = useAuditLog();
  const [shown, setShown] = useState<AuditRowView | null>(null);

  return (
    <Stack gap="sm">
      <AuditFilterForm log={log} />

      <Group justify="space-between">
        <Text size="sm" c="dimmed">
          {t('audit.intro')}
        </Text>
        <Button variant="light" leftSection={<IconShieldCheck size={16} />} onClick={() => void log.runVerify()} loading={log.verifying}>
          {t('audit.verify')}
        </Button>
      </Group>
      {log.verify && <VerifyResult verify={log.verify} onClose={log.closeVerify} />}
      <FormError message={log.failure} />

      <AuditTable rows={log.rows} tz={tz} onShow={setShown} />
      {log.rows.length === 0 && !log.loading && (
        <Text c="dimmed" ta="center" py="md">
          {t('audit.empty')}
        </Text>
      )}
      {log.next !== null && (
        <Group justify="center">
          <Button variant="default" loading={log.loading} onClick={log.more}>
            {t('audit.load_more')}
          </Button>
        </Group>
      )}

      {shown && <AuditDetail row={shown} tz={tz} onClose={() => setShown(null)} />}
    </Stack>
  );
}
