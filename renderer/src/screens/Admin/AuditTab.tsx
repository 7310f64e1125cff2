import { useCallback, useEffect, useState } from 'react';
import { ActionIcon, Alert, Button, Code, Group, Modal, NumberInput, Select, SimpleGrid, Stack, Table, Text, TextInput } from '@mantine/core';
import { IconEye, IconSearch, IconShieldCheck, IconShieldX } from '@tabler/icons-react';
import type { AuditRowView } from '../../../../shared/api/audit';
import { AuditFilterSchema } from '../../../../shared/api/audit';
import { formatLocal } from '../../../../shared/domain/time';
import { AppError } from '../../../../shared/errors';
import { api } from '../../lib/api';
import { useCall } from '../../lib/useCall';
import { useI18n } from '../../lib/i18n';
import { fieldErrors, precheck } from '../../lib/formErrors';
import { actionLabel, actorFallback, prettyJson } from './format';

interface Filters {
  patientId: number | string;
  userId: string | null;
  action: string | null;
  from: string;
  to: string;
}
const EMPTY: Filters = { patientId: '', userId: null, action: null, from: '', to: '' };

function toInput(f: Filters) {
  return {
    ...(f.patientId !== '' ? { patientId: Number(f.patientId) } : {}),
    ...(f.userId ? { userId: Number(f.userId) } : {}),
    ...(f.action ? { action: f.action } : {}),
    ...(f.from ? { from: f.from } : {}),
    ...(f.to ? { to: f.to } : {}),
    limit: 50,
  };
}

/** The audit trail: filter by patient, user, action and dates; newest first; verify the hash chain. */
export function AuditTab({ tz }: { tz: string }) {
  const { t, errorText } = useI18n();
  const users = useCall(() => api.users.list({}), []);
  const actions = useCall(() => api.audit.actions({}), []);
  const [filters, setFilters] = useState<Filters>(EMPTY);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [rows, setRows] = useState<AuditRowView[]>([]);
  const [next, setNext] = useState<number | null>(null);
  const [loading, setLoading] = useState(false);
  const [failure, setFailure] = useState<string | null>(null);
  const [shown, setShown] = useState<AuditRowView | null>(null);
  const [verify, setVerify] = useState<{ ok: boolean; rows: number; brokenAt: number | null; problem: { key: string; params?: Record<string, string | number> } | null } | null>(null);
  const [verifying, setVerifying] = useState(false);

  const load = useCallback(
    async (f: Filters, beforeId?: number) => {
      const input = { ...toInput(f), ...(beforeId ? { beforeId } : {}) };
      const checked = precheck(AuditFilterSchema, input);
      if (!checked.ok) return setErrors(fieldErrors(checked.issues, t));
      setErrors({});
      setLoading(true);
      setFailure(null);
      try {
        const page = await api.audit.list(input);
        setRows((prev) => (beforeId ? [...prev, ...page.rows] : page.rows));
        setNext(page.nextBeforeId);
      } catch (err) {
        setFailure(err instanceof AppError ? errorText(err) : String(err));
      } finally {
        setLoading(false);
      }
    },
    [t, errorText],
  );

  useEffect(() => {
    void load(EMPTY);
  }, [load]);

  const runVerify = async () => {
    setVerifying(true);
    try {
      setVerify(await api.audit.verify({}));
    } catch (err) {
      setFailure(err instanceof AppError ? errorText(err) : String(err));
    } finally {
      setVerifying(false);
    }
  };

  const set = <K extends keyof Filters>(k: K, v: Filters[K]) => setFilters((f) => ({ ...f, [k]: v }));

  return (
    <Stack gap="sm">
      <form
        onSubmit={(e) => {
          e.preventDefault();
          void load(filters);
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
            <TextInput type="date" label={t('audit.filter.from')} value={filters.from} onChange={(e) => set('from', e.currentTarget.value)} error={errors.from} />
            <TextInput type="date" label={t('audit.filter.to')} value={filters.to} onChange={(e) => set('to', e.currentTarget.value)} error={errors.to} />
          </SimpleGrid>
          <Button type="submit" leftSection={<IconSearch size={16} />} style={{ flexShrink: 0 }}>
            {t('audit.search')}
          </Button>
          <Button
            variant="default"
            style={{ flexShrink: 0 }}
            onClick={() => {
              setFilters(EMPTY);
              void load(EMPTY);
            }}
          >
            {t('audit.reset')}
          </Button>
        </Group>
      </form>

      <Group justify="space-between">
        <Text size="sm" c="dimmed">
          {t('audit.intro')}
        </Text>
        <Button variant="light" leftSection={<IconShieldCheck size={16} />} onClick={() => void runVerify()} loading={verifying}>
          {t('audit.verify')}
        </Button>
      </Group>
      {verify && (
        <Alert
          color={verify.ok ? 'teal' : 'red'}
          icon={verify.ok ? <IconShieldCheck /> : <IconShieldX />}
          title={verify.ok ? t('audit.verify_ok_title') : t('audit.verify_broken_title')}
          withCloseButton
          onClose={() => setVerify(null)}
          data-testid="audit-verify-result"
        >
          {verify.ok
            ? t('audit.verify_ok', { rows: verify.rows })
            : verify.problem
              ? t(verify.problem.key, verify.problem.params)
              : t('audit.verify_broken', { id: verify.brokenAt ?? 0, rows: verify.rows })}
        </Alert>
      )}
      {failure && (
        <Alert color="red" role="alert">
          {failure}
        </Alert>
      )}

      <Table striped highlightOnHover withTableBorder verticalSpacing={6} data-testid="audit-table">
        <Table.Thead>
          <Table.Tr>
            <Table.Th w={150}>{t('audit.col.time')}</Table.Th>
            <Table.Th w={150}>{t('audit.col.user')}</Table.Th>
            <Table.Th w={170}>{t('audit.col.action')}</Table.Th>
            <Table.Th w={110}>{t('audit.col.entity')}</Table.Th>
            <Table.Th w={140}>{t('audit.col.patient')}</Table.Th>
            <Table.Th>{t('audit.col.details')}</Table.Th>
            <Table.Th w={44} />
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {rows.map((r) => (
            <Table.Tr key={r.id}>
              <Table.Td style={{ whiteSpace: 'nowrap' }}>{formatLocal(r.at, tz)}</Table.Td>
              <Table.Td>
                {r.userName ?? actorFallback(r.action, t)}
                {r.workstation && (
                  <Text size="xs" c="dimmed">
                    {r.workstation}
                  </Text>
                )}
              </Table.Td>
              <Table.Td>{actionLabel(r.action, t)}</Table.Td>
              <Table.Td ff="monospace" fz="xs">
                {r.entity}
                {r.entityId !== null ? ` #${r.entityId}` : ''}
              </Table.Td>
              <Table.Td>{r.patientId !== null ? `${r.patientName ?? ''} #${r.patientId}` : ''}</Table.Td>
              <Table.Td>
                <Text ff="monospace" fz="xs" lineClamp={1} style={{ wordBreak: 'break-all' }}>
                  {r.reason ? `${t('audit.reason')}：${r.reason} ` : ''}
                  {r.after ?? r.before ?? ''}
                </Text>
              </Table.Td>
              <Table.Td>
                <ActionIcon variant="subtle" aria-label={t('audit.show', { id: r.id })} onClick={() => setShown(r)}>
                  <IconEye size={16} />
                </ActionIcon>
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      {rows.length === 0 && !loading && (
        <Text c="dimmed" ta="center" py="md">
          {t('audit.empty')}
        </Text>
      )}
      {next !== null && (
        <Group justify="center">
          <Button variant="default" loading={loading} onClick={() => void load(filters, next)}>
            {t('audit.load_more')}
          </Button>
        </Group>
      )}

      {shown && (
        <Modal opened onClose={() => setShown(null)} size="xl" title={<Text fw={700}>{t('audit.detail_title', { id: shown.id })}</Text>}>
          <Stack gap="xs">
            <Text size="sm">
              {formatLocal(shown.at, tz)} · {shown.userName ?? actorFallback(shown.action, t)}
              {shown.workstation ? ` (${shown.workstation})` : ''} · {actionLabel(shown.action, t)} · {shown.entity}
              {shown.entityId !== null ? ` #${shown.entityId}` : ''}
            </Text>
            {shown.reason && (
              <Text size="sm">
                {t('lists.label', { label: t('audit.reason'), value: shown.reason })}
              </Text>
            )}
            <SimpleGrid cols={2}>
              <Stack gap={4}>
                <Text size="sm" fw={500}>
                  {t('audit.before')}
                </Text>
                <Code block>{prettyJson(shown.before) || '—'}</Code>
              </Stack>
              <Stack gap={4}>
                <Text size="sm" fw={500}>
                  {t('audit.after')}
                </Text>
                <Code block>{prettyJson(shown.after) || '—'}</Code>
              </Stack>
            </SimpleGrid>
          </Stack>
        </Modal>
      )}
    </Stack>
  );
}
