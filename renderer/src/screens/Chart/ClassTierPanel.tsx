import { useState } from 'react';
import { Alert, Badge, Button, Group, Paper, Select, SimpleGrid, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import type { SessionUser } from '../../../../shared/api/auth';
import type { Chart, ChartHeader } from '../../../../shared/api/chart';
import { AssessClassSchema } from '../../../../shared/api/classes';
import { CLASS_ORDER, type ClinicalClass } from '../../../../shared/clinical';
import { TIER_CODES, type TierCode } from '../../../../shared/domain/clinical';
import { formatLocal } from '../../../../shared/domain/time';
import { can } from '../../lib/can';
import { useApiForm } from '../../lib/apiForm';
import { useApiQuery } from '../../lib/query';
import { useI18n } from '../../lib/i18n';
import { ClassBadge, TierBadge, versionGroups } from '../../components/clinical';
import { ErrorReasonModal } from './ErrorReasonModal';
import { TableHead } from '../../components/TableHead';

const asClass = (v: string | null): ClinicalClass | null => CLASS_ORDER.find((c) => c === v) ?? null;
const asTier = (v: string | null): TierCode | null => TIER_CODES.find((c) => c === v) ?? null;

/** Rules propose, the doctor decides: confirm the proposal or override it with a reason; tier changes carry a reason. */
export function ClassTierPanel({ chart, user }: { chart: Chart; user: SessionUser }) {
  const h = chart.header;
  const canDecide = can(user, 'classes:assess') && h.status === 'active';
  return (
    <SimpleGrid cols={{ base: 1, lg: 2 }} spacing="md">
      <Stack gap="sm">
        <ClassDecision h={h} canDecide={canDecide} />
        <ClassHistory chart={chart} canDecide={canDecide} />
      </Stack>
      <Stack gap="sm">
        <TierDecision h={h} canDecide={can(user, 'tiers:assign') && h.status === 'active'} />
        <TierHistory chart={chart} />
      </Stack>
    </SimpleGrid>
  );
}

/** The class in force, the rule's proposal with its criteria, and the doctor's confirm / override. */
function ClassDecision({ h, canDecide }: { h: ChartHeader; canDecide: boolean }) {
  const { t } = useI18n();
  const [override, setOverride] = useState(false);
  const proposed = h.proposal.proposed;
  const assess = useApiForm('classes:assess', {
    initialValues: { decision: 'confirmed' as 'confirmed' | 'overridden', class: null as ClinicalClass | null, overrideReason: '' },
    toInput: (v) => ({
      episodeId: h.episodeId,
      proposedClass: proposed,
      decision: v.decision,
      class: v.decision === 'overridden' ? v.class : null,
      overrideReason: v.decision === 'overridden' ? v.overrideReason : null,
    }),
    schema: AssessClassSchema,
    success: () => t('classes.saved'),
    onDone: () => {
      setOverride(false);
      assess.form.reset();
    },
  });
  const submit = (decision: 'confirmed' | 'overridden') => void assess.save({ ...assess.form.getValues(), decision });

  return (
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
            <Button onClick={() => submit('confirmed')} loading={assess.busy} data-testid="confirm-class">
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
              {...assess.form.getInputProps('class')}
              onChange={(x) => assess.form.setFieldValue('class', asClass(x))}
              comboboxProps={{ withinPortal: true }}
            />
            <TextInput label={t('classes.override_reason')} {...assess.form.getInputProps('overrideReason')} />
            <Group>
              <Button onClick={() => submit('overridden')} loading={assess.busy} color="orange">
                {t('classes.save_override')}
              </Button>
              <Button variant="default" onClick={() => (setOverride(false), assess.clear())}>
                {t('common.cancel')}
              </Button>
            </Group>
          </Stack>
        )}
        {assess.formError && <Alert color="red">{assess.formError}</Alert>}
      </Stack>
    </Paper>
  );
}

/** Every class decision, a withdrawn one struck through with the reason; a current one may be withdrawn. */
function ClassHistory({ chart, canDecide }: { chart: Chart; canDecide: boolean }) {
  const { t } = useI18n();
  const [withdraw, setWithdraw] = useState<number | null>(null);
  const tz = chart.timeZone;
  return (
    <>
      <Table verticalSpacing={3} fz="sm" data-testid="class-history">
        <TableHead cells={[t('classes.assessed_at'), t('classes.class'), t('class.proposal'), t('classes.decision'), t('chart.author'), {}]} />
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
                {withdrawal && (
                  <Text size="xs" c="red">
                    {t('chart.withdrawn_by', { reason: withdrawal.reason ?? '', who: withdrawal.authorName })}
                  </Text>
                )}
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
      <ErrorReasonModal
        opened={withdraw !== null}
        onClose={() => setWithdraw(null)}
        channel="classes:enterInError"
        toInput={(reason) => ({ assessmentId: withdraw ?? 0, reason })}
      />
    </>
  );
}

/** The tier in force, the rule's proposal with its reasons, and a change with a reason. */
function TierDecision({ h, canDecide }: { h: ChartHeader; canDecide: boolean }) {
  const { t, locale } = useI18n();
  const tiers = useApiQuery('tiers:list', {});
  const assign = useApiForm('tiers:assign', {
    initialValues: { tier: null as TierCode | null, reason: '' },
    // Assign is disabled until a tier is chosen.
    toInput: (v) => ({ episodeId: h.episodeId, tier: v.tier!, reason: v.reason }),
    success: () => t('tiers.saved'),
    onDone: () => assign.form.reset(),
  });
  const tier = assign.form.values.tier;
  return (
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
              {...assign.form.getInputProps('tier')}
              onChange={(x) => assign.form.setFieldValue('tier', asTier(x))}
              comboboxProps={{ withinPortal: true }}
            />
            <TextInput label={t('tiers.reason')} {...assign.form.getInputProps('reason')} />
            <Button onClick={() => void assign.save()} loading={assign.busy} disabled={!tier} maw={140}>
              {t('tiers.assign')}
            </Button>
          </Group>
        )}
        {assign.formError && <Alert color="red">{assign.formError}</Alert>}
      </Stack>
    </Paper>
  );
}

function TierHistory({ chart }: { chart: Chart }) {
  const { t } = useI18n();
  return (
    <Table verticalSpacing={3} fz="sm" data-testid="tier-history">
      <TableHead cells={[t('tiers.at'), t('tiers.tier'), t('tiers.proposal'), t('tiers.reason'), t('chart.author')]} />
      <Table.Tbody>
        {chart.tierHistory.map((a) => (
          <Table.Tr key={a.id}>
            <Table.Td style={{ whiteSpace: 'nowrap' }}>{formatLocal(a.at, chart.timeZone)}</Table.Td>
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
  );
}
