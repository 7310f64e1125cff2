import { useState } from 'react';
import { Alert, Badge, Button, Group, Paper, Select, SimpleGrid, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import type { SessionUser } from '../../../../shared/api/auth';
import type { Chart } from '../../../../shared/api/chart';
import { AssessClassSchema, DECIDING_ROLES } from '../../../../shared/api/classes';
import { CLASS_ORDER } from '../../../../shared/clinical';
import { formatLocal } from '../../../../shared/domain/time';
import { AppError } from '../../../../shared/errors';
import { api } from '../../lib/api';
import { useCall } from '../../lib/useCall';
import { useI18n } from '../../lib/i18n';
import { fieldErrors, issuesOf, precheck } from '../../lib/formErrors';
import { ErrorReasonModal } from './ErrorReasonModal';
import { ClassBadge, TierBadge, versionGroups } from './parts';

/** Rules propose, the doctor decides: confirm the proposal or override it with a reason; tier changes carry a reason. */
export function ClassTierPanel({ chart, user, reload }: { chart: Chart; user: SessionUser; reload: () => void }) {
  const { t, locale, errorText } = useI18n();
  const h = chart.header;
  const tz = chart.timeZone;
  const canDecide = DECIDING_ROLES.includes(user.role) && h.status === 'active';
  const tiers = useCall(() => api.tiers.list({}), []);
  const [override, setOverride] = useState(false);
  const [cls, setCls] = useState<string | null>(null);
  const [reason, setReason] = useState('');
  const [tier, setTier] = useState<string | null>(null);
  const [tierReason, setTierReason] = useState('');
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [withdraw, setWithdraw] = useState<number | null>(null);
  const proposed = h.proposal.proposed;

  const call = async (fn: () => Promise<unknown>, done: () => void) => {
    setBusy(true);
    setFormError(null);
    try {
      await fn();
      done();
      reload();
    } catch (err) {
      const issues = issuesOf(err);
      if (issues.length > 0) setErrors(fieldErrors(issues, t));
      else if (err instanceof AppError) setFormError(errorText(err));
      else throw err;
    } finally {
      setBusy(false);
    }
  };
  const assess = (decision: 'confirmed' | 'overridden') => {
    const input = { episodeId: h.episodeId, proposedClass: proposed, decision, class: decision === 'overridden' ? cls : null, overrideReason: decision === 'overridden' ? reason : null };
    const pre = precheck(AssessClassSchema, input);
    if (!pre.ok) return setErrors(fieldErrors(pre.issues, t));
    void call(
      () => api.classes.assess(input as never),
      () => {
        notifications.show({ color: 'teal', message: t('classes.saved') });
        setOverride(false);
        setReason('');
        setCls(null);
      },
    );
  };
  const assignTier = () =>
    void call(
      () => api.tiers.assign({ episodeId: h.episodeId, tier: (tier ?? '') as 'T1', reason: tierReason }),
      () => {
        notifications.show({ color: 'teal', message: t('tiers.saved') });
        setTier(null);
        setTierReason('');
      },
    );

  return (
    <SimpleGrid cols={{ base: 1, lg: 2 }} spacing="md">
      <Stack gap="sm">
        <Paper withBorder p="sm" data-testid="class-decision">
          <Stack gap="xs">
            <Group justify="space-between">
              <Title order={5}>{t('classes.title')}</Title>
              <Group gap={6}>
                <Text size="sm">{t('class.confirmed')}</Text>
                <ClassBadge cls={h.currentClass} t={t} />
              </Group>
            </Group>
            <Group gap={6}>
              <Text size="sm">{t('class.proposal')}</Text>
              <ClassBadge cls={null} proposed={proposed} t={t} />
              <Text size="xs" c="dimmed">
                {t(`class.age_group.${h.proposal.ageGroup}`)} · {h.proposal.ruleSet}
              </Text>
            </Group>
            <ul style={{ margin: 0, paddingInlineStart: 18 }}>
              {h.proposal.criteria.map((c) => (
                <li key={c.code}>
                  <Text size="sm" fw={c.class === 'severe' || c.class === 'critical' ? 700 : 400}>
                    {t(`criterion.${c.code}`)}
                  </Text>
                </li>
              ))}
            </ul>
            {h.proposal.missing.length > 0 && (
              <Text size="xs" c="dimmed">
                {t('missing.title', { items: h.proposal.missing.map((m) => t(`missing.${m}`)).join(t('chart.list_sep')) })}
              </Text>
            )}
            {canDecide && !override && (
              <Group>
                <Button onClick={() => assess('confirmed')} loading={busy} data-testid="confirm-class">
                  {t('classes.confirm', { cls: t(`class.${proposed}`) })}
                </Button>
                <Button variant="default" onClick={() => setOverride(true)}>
                  {t('classes.override')}
                </Button>
              </Group>
            )}
            {canDecide && override && (
              <Stack gap="xs">
                <Select
                  label={t('classes.override_class')}
                  data={CLASS_ORDER.filter((c) => c !== proposed).map((c) => ({ value: c, label: t(`class.${c}`) }))}
                  value={cls}
                  onChange={setCls}
                  error={errors.class}
                  comboboxProps={{ withinPortal: true }}
                />
                <TextInput label={t('classes.override_reason')} value={reason} onChange={(e) => setReason(e.currentTarget.value)} error={errors.overrideReason} />
                <Group>
                  <Button onClick={() => assess('overridden')} loading={busy} color="orange">
                    {t('classes.save_override')}
                  </Button>
                  <Button variant="default" onClick={() => (setOverride(false), setErrors({}))}>
                    {t('common.cancel')}
                  </Button>
                </Group>
              </Stack>
            )}
            {formError && <Alert color="red">{formError}</Alert>}
          </Stack>
        </Paper>
        <Table verticalSpacing={3} fz="sm" data-testid="class-history">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('classes.assessed_at')}</Table.Th>
              <Table.Th>{t('classes.class')}</Table.Th>
              <Table.Th>{t('class.proposal')}</Table.Th>
              <Table.Th>{t('classes.decision')}</Table.Th>
              <Table.Th>{t('chart.author')}</Table.Th>
              <Table.Th />
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {versionGroups(chart.classHistory).map(({ head, withdrawal }) => (
              <Table.Tr key={head.id} style={withdrawal ? { textDecoration: 'line-through', opacity: 0.6 } : undefined}>
                <Table.Td style={{ whiteSpace: 'nowrap' }}>{formatLocal(head.assessedAt, tz)}</Table.Td>
                <Table.Td>
                  <ClassBadge cls={head.class} t={t} size="sm" />
                </Table.Td>
                <Table.Td>{head.proposedClass ? t(`class.${head.proposedClass}`) : '—'}</Table.Td>
                <Table.Td>
                  <Badge size="sm" variant="light" color={head.decision === 'overridden' ? 'orange' : 'teal'}>
                    {t(`classes.decision.${head.decision}`)}
                  </Badge>
                  {head.overrideReason && <Text size="xs">{head.overrideReason}</Text>}
                  {withdrawal && <Text size="xs" c="red.8">{t('chart.withdrawn_by', { reason: withdrawal.reason ?? '', who: withdrawal.authorName })}</Text>}
                </Table.Td>
                <Table.Td style={{ whiteSpace: 'nowrap' }}>
                  <Text size="xs">{head.authorName}</Text>
                </Table.Td>
                <Table.Td>
                  {head.status === 'current' && canDecide && (
                    <Button size="compact-xs" variant="subtle" color="red" onClick={() => setWithdraw(head.id)}>
                      {t('chart.entered_in_error')}
                    </Button>
                  )}
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Stack>
      <Stack gap="sm">
        <Paper withBorder p="sm" data-testid="tier-decision">
          <Stack gap="xs">
            <Group justify="space-between">
              <Title order={5}>{t('tiers.title')}</Title>
              <TierBadge tier={h.tier} t={t} />
            </Group>
            <Group gap={6}>
              <Text size="sm">{t('tiers.proposal')}</Text>
              <TierBadge tier={h.tierProposal.tier} t={t} size="sm" />
              <Text size="xs" c="dimmed">
                {h.tierProposal.reasons.map((r) => t(`tier.reason.${r}`)).join(t('chart.list_sep'))}
              </Text>
            </Group>
            {canDecide && (
              <Group align="flex-end" grow>
                <Select
                  label={t('tiers.new_tier')}
                  data={(tiers.data ?? []).map((d) => ({ value: d.code, label: `${d.code} ${locale === 'en' ? d.nameEn : d.nameZh}` }))}
                  value={tier}
                  onChange={setTier}
                  error={errors.tier}
                  comboboxProps={{ withinPortal: true }}
                />
                <TextInput label={t('tiers.reason')} value={tierReason} onChange={(e) => setTierReason(e.currentTarget.value)} error={errors.reason} />
                <Button onClick={assignTier} loading={busy} disabled={!tier} maw={140}>
                  {t('tiers.assign')}
                </Button>
              </Group>
            )}
          </Stack>
        </Paper>
        <Table verticalSpacing={3} fz="sm" data-testid="tier-history">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('tiers.at')}</Table.Th>
              <Table.Th>{t('tiers.tier')}</Table.Th>
              <Table.Th>{t('tiers.proposal')}</Table.Th>
              <Table.Th>{t('tiers.reason')}</Table.Th>
              <Table.Th>{t('chart.author')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {chart.tierHistory.map((a) => (
              <Table.Tr key={a.id}>
                <Table.Td style={{ whiteSpace: 'nowrap' }}>{formatLocal(a.at, tz)}</Table.Td>
                <Table.Td>
                  <TierBadge tier={a.tier} t={t} size="sm" />
                </Table.Td>
                <Table.Td>{a.proposedTier ?? '—'}</Table.Td>
                <Table.Td>
                  <Text size="xs">
                    {a.reason ?? ''} · {t(`tiers.source.${a.source}`)}
                  </Text>
                </Table.Td>
                <Table.Td>
                  <Text size="xs">{a.authorName}</Text>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Stack>
      <ErrorReasonModal
        opened={withdraw !== null}
        onClose={() => setWithdraw(null)}
        onConfirm={async (r) => {
          if (withdraw === null) return;
          await api.classes.enterInError({ assessmentId: withdraw, reason: r });
          setWithdraw(null);
          reload();
        }}
      />
    </SimpleGrid>
  );
}
