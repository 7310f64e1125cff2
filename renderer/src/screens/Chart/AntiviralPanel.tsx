import { useState } from 'react';
import { Alert, Badge, Button, Group, Paper, SimpleGrid, Stack, Text, Title, type MantineColor } from '@mantine/core';
import { IconInfoCircle } from '@tabler/icons-react';
import type { SessionUser } from '../../../../shared/api/auth';
import type { AntiviralView, OptionProposalOut } from '../../../../shared/api/antiviral';
import type { Chart } from '../../../../shared/api/chart';
import { formatLocal } from '../../../../shared/domain/time';
import { can } from '../../lib/can';
import { useApiQuery } from '../../lib/query';
import { useI18n, type T } from '../../lib/i18n';
import { ErrorPanel } from '../../components/ErrorPanel';
import { LoadingSkeleton } from '../../components/LoadingSkeleton';
import { ClashList, SeverityBadge, StatusBadge, bySeverity, criterionDetail, doseText, medicineName } from '../../components/antiviral/parts';
import { MedicationEditor, type MedicationStart } from './MedicationEditor';
import { TreatmentProfileEditor } from './TreatmentProfileEditor';
import { AntiviralDecisionModal } from './AntiviralDecisionModal';

const CRITERION_COLOR: Record<OptionProposalOut['criteria'][number]['status'], MantineColor> = { met: 'green', not_met: 'red', unknown: 'gray' };

/**
 * 抗病毒治疗 (issue 19): the patient's chronic medicines and what the rules need, the protocol's
 * proposal per option, the interactions with nirmatrelvir/ritonavir, the course in the plan and every
 * decision. The rules propose; the doctor decides, in the decision dialog.
 */
export function AntiviralPanel({ chart, user }: { chart: Chart; user: SessionUser }) {
  const { t } = useI18n();
  const episodeId = chart.header.episodeId;
  const q = useApiQuery('antiviral:get', { episodeId });
  const [meds, setMeds] = useState<MedicationStart | null>(null);
  const [profile, setProfile] = useState(false);
  const [deciding, setDeciding] = useState<OptionProposalOut['option'] | null>(null);
  if (q.error) return <ErrorPanel error={q.error} onRetry={() => void q.refetch()} />;
  if (!q.data) return <LoadingSkeleton kind="panel" />;
  const view = q.data;
  const tz = chart.timeZone;
  const active = chart.header.status === 'active';
  const canKeep = can(user, 'antiviral:saveMedications') && active;
  const canProfile = can(user, 'antiviral:saveProfile') && active;
  const canDecide = can(user, 'antiviral:decide') && active;

  return (
    <Stack gap="sm" data-testid="antiviral-panel">
      <Alert color="blue" variant="light" icon={<IconInfoCircle size={18} />} py={6}>
        <Text size="sm">
          {t('antiviral_ui.rules_propose')}{' '}
          <Text span size="xs" c="dimmed">
            {t('antiviral_ui.rule_version', { v: view.proposal.ruleVersion })}
          </Text>
        </Text>
      </Alert>
      <SimpleGrid cols={{ base: 1, lg: 2 }} spacing="md">
        <Stack gap="sm">
          {view.proposal.options.map((o) => (
            <ProposalCard key={o.option} view={view} proposal={o} tz={tz} canDecide={canDecide} onDecide={() => setDeciding(o.option)} />
          ))}
          <InteractionsCard view={view} />
        </Stack>
        <Stack gap="sm">
          <MedicationsCard view={view} tz={tz} canEdit={canKeep} onEdit={setMeds} />
          <ProfileCard view={view} tz={tz} canEdit={canProfile} onEdit={() => setProfile(true)} />
        </Stack>
      </SimpleGrid>
      <CourseAndHistory view={view} tz={tz} />
      {meds && <MedicationEditor view={view} start={meds} timeZone={tz} onClose={() => setMeds(null)} />}
      {profile && <TreatmentProfileEditor view={view} timeZone={tz} onClose={() => setProfile(false)} />}
      {deciding && <AntiviralDecisionModal view={view} option={deciding} timeZone={tz} onClose={() => setDeciding(null)} onReload={() => q.refetch()} />}
    </Stack>
  );
}

/** One option: its status, the onset window, each criterion with its evidence, what is missing, the dose and the cautions. */
function ProposalCard({ view, proposal: o, tz, canDecide, onDecide }: { view: AntiviralView; proposal: OptionProposalOut; tz: string; canDecide: boolean; onDecide: () => void }) {
  const { t } = useI18n();
  const p = view.proposal;
  const last = view.decisions.find((d) => d.option === o.option);
  return (
    <Paper withBorder p="sm" data-testid={`proposal-${o.option}`} data-status={o.status}>
      <Stack gap={6}>
        <Group justify="space-between" wrap="wrap" gap="xs">
          <Group gap="xs" wrap="wrap" style={{ minWidth: 0 }}>
            <Title order={5}>{t(`antiviral.option.${o.option}`)}</Title>
            <StatusBadge status={o.status} t={t} />
          </Group>
          {canDecide && (
            <Button size="sm" onClick={onDecide} data-testid={`decide-${o.option}`}>
              {t('antiviral_ui.record_decision')}
            </Button>
          )}
        </Group>
        <Text size="sm" c="dimmed">
          {p.daysSinceOnset === null ? t('antiviral_ui.proposal.days_unknown') : t('antiviral_ui.proposal.days', { n: p.daysSinceOnset })}
          {p.windowEndsAt ? ` · ${t('antiviral_ui.proposal.window_ends', { at: formatLocal(p.windowEndsAt, tz) })}` : ''}
        </Text>
        {last && (
          <Text size="sm" fw={600} data-testid={`decided-${o.option}`}>
            {last.decision === 'start' ? t('antiviral_ui.started', { date: last.startDate ?? '—' }) : t('antiviral_ui.decided_not_start', { at: formatLocal(last.createdAt, tz) })}
          </Text>
        )}
        <Stack gap={4} component="ul" style={{ margin: 0, paddingInlineStart: 0, listStyle: 'none' }} aria-label={t('antiviral_ui.proposal.criteria')}>
          {o.criteria.map((c) => (
            <Group key={c.code} component="li" gap={6} wrap="nowrap" align="flex-start" data-criterion={c.code} data-criterion-status={c.status}>
              <Badge
                size="sm"
                tt="none"
                variant="light"
                color={CRITERION_COLOR[c.status]}
                w="5.5em"
                style={{ flexShrink: 0 }}
                title={t(`antiviral_ui.criterion_status.${c.status}`)}
              >
                {t(`antiviral_ui.criterion_status.${c.status}`)}
              </Badge>
              <Text size="sm" style={{ minWidth: 0 }}>
                {t(`antiviral.criterion.${c.code}`)}
                <Text span size="xs" c="dimmed">
                  {criterionDetail(c, t, tz) ? ` · ${criterionDetail(c, t, tz)}` : ''}
                </Text>
              </Text>
            </Group>
          ))}
        </Stack>
        {o.missing.length > 0 && (
          <Text size="sm" c="orange" data-testid={`missing-${o.option}`}>
            {t('antiviral_ui.proposal.missing', { items: o.missing.map((m) => t(`antiviral.missing.${m}`)).join(t('lists.sep')) })}
          </Text>
        )}
        {o.dose && (
          <Text size="sm" data-testid={`dose-${o.option}`}>
            <Text span fw={600} size="sm">
              {t('antiviral_ui.proposal.dose')}
              {t('punct.colon')}
            </Text>
            {doseText(o.dose, t)}
          </Text>
        )}
        {o.cautions.length > 0 && (
          <Alert color="yellow" variant="light" py={4} px="xs" title={t('antiviral_ui.proposal.cautions')}>
            <Stack gap={2}>
              {o.cautions.map((c) => (
                <Text key={c} size="sm">
                  {t(`antiviral.caution.${c}`)}
                </Text>
              ))}
            </Stack>
          </Alert>
        )}
      </Stack>
    </Paper>
  );
}

/** Every clash of the patient's medicines with ritonavir-boosted nirmatrelvir: severity, what to do, and where it comes from. */
function InteractionsCard({ view }: { view: AntiviralView }) {
  const { t, locale } = useI18n();
  const clashes = bySeverity(view.interactions.clashes);
  return (
    <Paper withBorder p="sm" data-testid="interactions">
      <Stack gap={6}>
        <Title order={5}>{t('antiviral_ui.interactions.title')}</Title>
        {clashes.length === 0 && (
          <Text size="sm" c="dimmed">
            {view.medications || view.legacyMedications ? t('antiviral_ui.interactions.none') : t('antiviral_ui.interactions.no_list')}
          </Text>
        )}
        {clashes.map((c) => {
          const name = medicineName(c.medicine, c.entered, locale);
          return (
            <Stack
              key={`${c.medicine}-${c.entered}`}
              gap={2}
              data-clash={c.medicine}
              data-severity={c.severity}
              pb={4}
              style={{ borderBottom: '1px solid var(--mantine-color-default-border)' }}
            >
              <Group gap={6} wrap="wrap">
                <SeverityBadge severity={c.severity} t={t} />
                <Text size="sm" fw={700}>
                  {name}
                </Text>
                {c.entered !== name && (
                  <Text size="xs" c="dimmed">
                    {t('antiviral_ui.interactions.entered_as', { text: c.entered })}
                  </Text>
                )}
              </Group>
              <Text size="sm">{locale === 'en' ? c.advice.en : c.advice.zh}</Text>
              <Text size="xs" c="dimmed">
                {t('antiviral_ui.interactions.source')}
                {t('punct.colon')}
                {t('antiviral_ui.interactions.source_line', c.source)}
              </Text>
            </Stack>
          );
        })}
        <Text size="xs" c="dimmed" data-testid="table-version">
          {t('antiviral_ui.interactions.table_version', { v: view.interactions.tableVersion })}
        </Text>
      </Stack>
    </Paper>
  );
}

/** The medicine list (or the admission's free text, with the offer to convert it). */
function MedicationsCard({ view, tz, canEdit, onEdit }: { view: AntiviralView; tz: string; canEdit: boolean; onEdit: (start: MedicationStart) => void }) {
  const { t, locale } = useI18n();
  const list = view.medications;
  const legacy = view.legacyMedications;
  return (
    <Paper withBorder p="sm" data-testid="medications">
      <Stack gap={6}>
        <Group justify="space-between" wrap="wrap" gap="xs">
          <Title order={5}>{t('antiviral_ui.meds.title')}</Title>
          {canEdit && (
            <Group gap="xs">
              {!list && legacy && (
                <Button size="sm" onClick={() => onEdit({ from: 'legacy', text: legacy })} data-testid="convert-medications">
                  {t('antiviral_ui.meds.convert')}
                </Button>
              )}
              <Button size="sm" variant={!list && legacy ? 'default' : 'filled'} onClick={() => onEdit({ from: 'list' })} data-testid="edit-medications">
                {list ? t('antiviral_ui.meds.edit') : t('antiviral_ui.meds.create')}
              </Button>
            </Group>
          )}
        </Group>
        {list ? (
          <>
            {list.items.length === 0 && (
              <Text size="sm" c="dimmed">
                {t('antiviral_ui.summary.none')}
              </Text>
            )}
            <Stack gap={2} component="ul" style={{ margin: 0, paddingInlineStart: 0, listStyle: 'none' }}>
              {list.items.map((i, k) => (
                <Group key={k} component="li" gap={6} wrap="wrap" data-medicine={i.code ?? i.text}>
                  <Text size="sm" fw={600}>
                    {medicineName(i.code, i.text, locale)}
                  </Text>
                  {i.dose && <Text size="sm">{i.dose}</Text>}
                  {i.code === null && (
                    <Badge size="sm" tt="none" variant="light" color="gray" title={t('antiviral_ui.meds.free_text_hint')}>
                      {t('antiviral_ui.meds.free_text')}
                    </Badge>
                  )}
                </Group>
              ))}
            </Stack>
            <Text size="xs" c="dimmed">
              {t('antiviral_ui.meds.version', { n: list.version, who: list.authorName, at: formatLocal(list.createdAt, tz) })}
              {list.changeNote ? ` · ${t('antiviral_ui.meds.change_note_shown', { note: list.changeNote })}` : ''}
            </Text>
          </>
        ) : (
          !legacy && (
            <Text size="sm" c="dimmed">
              {t('antiviral_ui.meds.none')}
            </Text>
          )
        )}
        {legacy && (
          <Stack gap={2} data-testid="legacy-medications">
            <Text size="xs" fw={600}>
              {t('antiviral_ui.meds.legacy_title')}
            </Text>
            <Text size="sm" c={list ? 'dimmed' : undefined}>
              {legacy}
            </Text>
            {!list && (
              <Text size="xs" c="orange">
                {t('antiviral_ui.meds.legacy_hint')}
              </Text>
            )}
          </Stack>
        )}
      </Stack>
    </Paper>
  );
}

function yesNo(v: boolean | null, t: T): string {
  return v === null ? t('antiviral_ui.profile.not_recorded') : t(v ? 'antiviral_ui.profile.yes' : 'antiviral_ui.profile.no');
}

/** What the rules need beyond rounds, and the eGFR they used with its source. */
function ProfileCard({ view, tz, canEdit, onEdit }: { view: AntiviralView; tz: string; canEdit: boolean; onEdit: () => void }) {
  const { t } = useI18n();
  const p = view.profile;
  const kv = (label: string, value: string, testId?: string) => (
    <Text size="sm" data-testid={testId}>
      {t('chart.kv', { label, value })}
    </Text>
  );
  return (
    <Paper withBorder p="sm" data-testid="treatment-profile">
      <Stack gap={6}>
        <Group justify="space-between" wrap="wrap" gap="xs">
          <Title order={5}>{t('antiviral_ui.profile.title')}</Title>
          {canEdit && (
            <Button size="sm" variant={p ? 'default' : 'filled'} onClick={onEdit} data-testid="edit-profile">
              {p ? t('antiviral_ui.profile.edit') : t('antiviral_ui.profile.create')}
            </Button>
          )}
        </Group>
        {!p && (
          <Text size="sm" c="dimmed">
            {t('antiviral_ui.profile.none')}
          </Text>
        )}
        {p && (
          <SimpleGrid cols={{ base: 1, sm: 2 }} spacing={4}>
            {kv(t('antiviral_ui.profile.onset'), p.onsetDate ?? t('antiviral_ui.profile.not_recorded'))}
            {kv(
              t('antiviral_ui.profile.weight_label'),
              p.weightKg === null ? t('antiviral_ui.profile.not_recorded') : t('antiviral_ui.profile.weight_value', { value: p.weightKg }),
            )}
            {kv(t('antiviral_ui.profile.pregnancy'), p.pregnancy ? t(`antiviral_ui.profile.pregnancy.${p.pregnancy}`) : t('antiviral_ui.profile.not_recorded'))}
            {kv(t('antiviral_ui.profile.liver_label'), yesNo(p.severeLiverImpairment, t))}
            {kv(
              t('antiviral_ui.profile.creatinine_label'),
              p.creatinine
                ? t('antiviral_ui.profile.creatinine_value', { value: p.creatinine.valueUmolL, at: formatLocal(p.creatinine.collectedAt, tz) })
                : t('antiviral_ui.profile.not_recorded'),
            )}
            {p.egfrManual !== null && kv(t('antiviral_ui.profile.egfr_manual_label'), t('antiviral_ui.egfr.value', { value: p.egfrManual }))}
          </SimpleGrid>
        )}
        <Paper bg="var(--mantine-color-default-hover)" p={6} radius="sm" data-testid="egfr-used">
          <Text size="sm" fw={600}>
            {t('antiviral_ui.egfr.title')}
            {t('punct.colon')}
            {view.egfr ? t('antiviral_ui.egfr.value', { value: view.egfr.value }) : t('antiviral_ui.egfr.none')}
          </Text>
          {view.egfr && (
            <Text size="xs" c="dimmed">
              {t(`antiviral_ui.egfr.source.${view.egfr.source}`, { at: formatLocal(view.egfr.at, tz) })}
            </Text>
          )}
        </Paper>
        {p && (
          <Text size="xs" c="dimmed">
            {t('antiviral_ui.profile.version', { n: p.version, who: p.authorName, at: formatLocal(p.createdAt, tz) })}
            {p.changeNote ? ` · ${t('antiviral_ui.meds.change_note_shown', { note: p.changeNote })}` : ''}
          </Text>
        )}
      </Stack>
    </Paper>
  );
}

/** The antiviral course in the plan in force, and every decision, newest first. */
function CourseAndHistory({ view, tz }: { view: AntiviralView; tz: string }) {
  const { t, locale } = useI18n();
  const c = view.course;
  return (
    <SimpleGrid cols={{ base: 1, lg: 2 }} spacing="md">
      <Paper withBorder p="sm" data-testid="antiviral-course">
        <Title order={5} mb={4}>
          {t('antiviral_ui.course.title')}
        </Title>
        {c ? (
          <Text size="sm">
            {[c.detail, c.startDate ? t('plans.from', { date: c.startDate }) : null, c.courseDays ? t('plans.course', { n: c.courseDays }) : null]
              .filter((x): x is string => !!x)
              .map((x, i) => (
                <span key={i} style={i > 0 ? { whiteSpace: 'nowrap' } : undefined}>
                  {i > 0 ? ' · ' : ''}
                  {x}
                </span>
              ))}
          </Text>
        ) : (
          <Text size="sm" c="dimmed">
            {t('antiviral_ui.course.none')}
          </Text>
        )}
      </Paper>
      <Paper withBorder p="sm" data-testid="antiviral-history">
        <Title order={5} mb={4}>
          {t('antiviral_ui.history.title')}
        </Title>
        {view.decisions.length === 0 && (
          <Text size="sm" c="dimmed">
            {t('antiviral_ui.history.none')}
          </Text>
        )}
        <Stack gap="xs">
          {view.decisions.map((d) => (
            <Stack key={d.id} gap={2} data-decision={d.id} pb={4} style={{ borderBottom: '1px solid var(--mantine-color-default-border)' }}>
              <Group gap={6} wrap="wrap">
                <Text size="sm" fw={600}>
                  {t(`antiviral.option.${d.option}`)}
                </Text>
                <Badge size="sm" tt="none" variant="light" color={d.decision === 'start' ? 'teal' : 'gray'}>
                  {t(`antiviral_ui.decision.${d.decision}`)}
                </Badge>
                <Text size="xs" c="dimmed">
                  {formatLocal(d.createdAt, tz)} · {d.authorName}
                </Text>
              </Group>
              <Group gap={6} wrap="wrap">
                <Text size="xs">{t('antiviral_ui.history.status_then')}</Text>
                <StatusBadge status={d.status} t={t} size="xs" />
                {d.startDate && <Text size="xs">{t('antiviral_ui.summary.start_date', { date: d.startDate })}</Text>}
                {d.doseCode && <Text size="xs">{t('antiviral_ui.summary.dose', { dose: doseText({ code: d.doseCode }, t) })}</Text>}
              </Group>
              {d.reason && <Text size="sm">{t('antiviral_ui.summary.reason', { reason: d.reason })}</Text>}
              {d.clashReason && (
                <Text size="sm" fw={600}>
                  {t('antiviral_ui.summary.clash_reason', { reason: d.clashReason })}
                </Text>
              )}
              {d.clashes.length > 0 && (
                <Stack gap={2}>
                  <Text size="xs" fw={600}>
                    {t('antiviral_ui.history.clashes')}
                  </Text>
                  <ClashList clashes={d.clashes} t={t} locale={locale} limit={3} />
                </Stack>
              )}
              <Text size="xs" c="dimmed">
                {t('antiviral_ui.interactions.table_version', { v: d.tableVersion })} · {t('antiviral_ui.rule_version', { v: d.ruleVersion })}
              </Text>
            </Stack>
          ))}
        </Stack>
      </Paper>
    </SimpleGrid>
  );
}
