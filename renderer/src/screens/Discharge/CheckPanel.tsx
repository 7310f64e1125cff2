import type { ReactNode } from 'react';
import { Alert, Group, Paper, SimpleGrid, Stack, Table, Text, Title } from '@mantine/core';
import type { DischargeCheck } from '../../../../shared/api/discharge';
import { getRuleSet } from '../../../../shared/clinical';
import { formatLocal } from '../../../../shared/domain/time';
import { useI18n } from '../../lib/i18n';
import { ReleaseStatusBadge, criterionDetail, fmtNum } from '../../components/clinical';
import { TableHead, numHead } from '../../components/TableHead';

type Evidence = DischargeCheck['evidence'];

/** The release/discharge check with every criterion, its status and evidence, and the series behind it. */
export function CheckPanel({ data, tz }: { data: DischargeCheck; tz: string }) {
  const { t } = useI18n();
  const { check, evidence } = data;
  const kind = t(`release.kind.${check.kind}`);
  return (
    <Stack gap="sm">
      <Group justify="space-between">
        <Title order={4}>{t('discharge.check_title', { kind })}</Title>
        <Text size="sm" c="dimmed">
          {t('discharge.evaluated_at', { at: formatLocal(data.at, tz) })}
        </Text>
      </Group>
      <Alert color={check.eligible ? 'teal' : 'orange'} variant="light" data-testid="check-verdict">
        {check.eligible ? t('release.eligible', { kind }) : t('release.not_eligible', { kind })}
      </Alert>
      <Table withTableBorder verticalSpacing={6} data-testid="criteria">
        <Table.Tbody>
          {check.criteria.map((c) => (
            <Table.Tr key={c.code} data-criterion={c.code} data-status={c.status}>
              <Table.Td w={90}>
                <ReleaseStatusBadge status={c.status} t={t} />
              </Table.Td>
              <Table.Td>
                <Text size="sm" fw={500}>
                  {t(`release.${c.code}`)}
                </Text>
                <Text size="xs" c="dimmed">
                  {criterionDetail(c, t, tz)}
                </Text>
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>

      <SimpleGrid cols={{ base: 1, xl: 2 }} spacing="sm">
        <TestsEvidence evidence={evidence} tz={tz} />
        <TemperatureEvidence evidence={evidence} />
        <SymptomsEvidence evidence={evidence} tz={tz} />
        <ImagingEvidence evidence={evidence} tz={tz} />
      </SimpleGrid>
    </Stack>
  );
}

/** One evidence series: its title, then the series, or a dimmed line when there is none. */
function EvidenceBox({ title, empty, emptyText, children }: { title: string; empty: boolean; emptyText: string; children: ReactNode }) {
  return (
    <Paper withBorder p="xs">
      <Text fw={600} size="sm" mb={4}>
        {title}
      </Text>
      {empty ? (
        <Text size="sm" c="dimmed">
          {emptyText}
        </Text>
      ) : (
        children
      )}
    </Paper>
  );
}

/** Nucleic-acid tests in order, each with the verdict the rule reads. */
function TestsEvidence({ evidence, tz }: { evidence: Evidence; tz: string }) {
  const { t } = useI18n();
  return (
    <EvidenceBox title={t('discharge.evidence.tests')} empty={evidence.tests.length === 0} emptyText={t('discharge.evidence.none')}>
      <Table fz="xs" verticalSpacing={2} data-testid="ct-series">
        <TableHead cells={[t('discharge.col.collected_at'), numHead(t('discharge.col.n_ct')), numHead(t('discharge.col.orf1ab_ct')), t('discharge.col.verdict')]} />
        <Table.Tbody>
          {evidence.tests.map((r) => (
            <Table.Tr key={r.id}>
              <Table.Td>{formatLocal(r.collectedAt, tz)}</Table.Td>
              <Table.Td className="num">{fmtNum(r.nCt)}</Table.Td>
              <Table.Td className="num">{fmtNum(r.orf1abCt)}</Table.Td>
              <Table.Td c={r.verdict === 'qualifies' ? 'teal' : r.verdict === 'not_qualifying' ? 'red' : 'dimmed'} style={{ whiteSpace: 'nowrap' }}>
                {r.qualitative ? `${t(`discharge.qualitative.${r.qualitative}`)} · ` : ''}
                {t(`release.test.${r.reason}`)}
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </EvidenceBox>
  );
}

/** The temperature, day by day: highest, lowest, readings; a feverish day marked. */
function TemperatureEvidence({ evidence }: { evidence: Evidence }) {
  const { t } = useI18n();
  const threshold = getRuleSet().defaultReleaseConfig.feverThresholdC;
  return (
    <EvidenceBox title={t('discharge.evidence.temperature', { threshold })} empty={evidence.temperatureDays.length === 0} emptyText={t('discharge.evidence.none')}>
      <Table fz="xs" verticalSpacing={2} data-testid="temperature-days">
        <TableHead cells={[t('discharge.col.date'), numHead(t('discharge.col.max')), numHead(t('discharge.col.min')), numHead(t('discharge.col.readings'))]} />
        <Table.Tbody>
          {evidence.temperatureDays.map((d) => (
            <Table.Tr key={d.date}>
              <Table.Td>{d.date}</Table.Td>
              <Table.Td className="num" fw={d.fever ? 700 : undefined} c={d.fever ? 'red' : undefined}>
                {t('discharge.unit.celsius', { value: d.max.toFixed(1) })}
                {d.fever ? ' ↑' : ''}
              </Table.Td>
              <Table.Td className="num">{t('discharge.unit.celsius', { value: d.min.toFixed(1) })}</Table.Td>
              <Table.Td className="num">{d.readings}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </EvidenceBox>
  );
}

/** The latest symptoms, and the worst respiratory count. */
function SymptomsEvidence({ evidence, tz }: { evidence: Evidence; tz: string }) {
  const { t } = useI18n();
  const { symptoms } = evidence;
  return (
    <EvidenceBox title={t('discharge.evidence.symptoms')} empty={symptoms.latestAt === null} emptyText={t('discharge.symptoms.no_data')}>
      <Stack gap={2}>
        <Text size="sm">
          {t('discharge.symptoms.latest', {
            at: symptoms.latestAt ? formatLocal(symptoms.latestAt, tz) : '',
            list: symptoms.latest.length ? symptoms.latest.map((s) => t(`symptom.${s}`)).join(t('punct.list')) : t('discharge.symptoms.none'),
          })}
        </Text>
        {symptoms.peakAt && (
          <Text size="xs" c="dimmed">
            {t('discharge.symptoms.peak', { n: symptoms.peakRespiratory, at: formatLocal(symptoms.peakAt, tz) })}
          </Text>
        )}
      </Stack>
    </EvidenceBox>
  );
}

/** Chest imaging in order. */
function ImagingEvidence({ evidence, tz }: { evidence: Evidence; tz: string }) {
  const { t } = useI18n();
  return (
    <EvidenceBox title={t('discharge.evidence.imaging')} empty={evidence.imaging.length === 0} emptyText={t('discharge.evidence.none')}>
      <Table fz="xs" verticalSpacing={2}>
        <TableHead cells={[t('discharge.col.performed_at'), t('discharge.col.pneumonia'), numHead(t('discharge.col.progression')), t('discharge.col.improved')]} />
        <Table.Tbody>
          {evidence.imaging.map((i) => (
            <Table.Tr key={i.performedAt}>
              <Table.Td>
                {formatLocal(i.performedAt, tz)} {t(`discharge.modality.${i.modality}`)}
              </Table.Td>
              <Table.Td>{t(i.pneumonia ? 'discharge.evidence.judgement_yes' : 'discharge.evidence.judgement_no')}</Table.Td>
              <Table.Td className="num">{i.progressionPct === null ? '—' : t('discharge.unit.pct', { value: i.progressionPct })}</Table.Td>
              <Table.Td>
                {t(i.improved === null ? 'discharge.evidence.judgement_unknown' : i.improved ? 'discharge.evidence.judgement_yes' : 'discharge.evidence.judgement_no')}
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </EvidenceBox>
  );
}
