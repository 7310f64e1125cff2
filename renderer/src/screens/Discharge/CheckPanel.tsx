import { Alert, Group, Paper, SimpleGrid, Stack, Table, Text, Title } from '@mantine/core';
import type { DischargeCheck } from '../../../../shared/api/discharge';
import { getRuleSet } from '../../../../shared/clinical';
import { formatLocal } from '../../../../shared/domain/time';
import { useI18n } from '../../lib/i18n';
import { ReleaseStatusBadge, criterionDetail, fmtNum } from '../../components/clinical';

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

/** Nucleic-acid tests in order, each with the verdict the rule reads. */
function TestsEvidence({ evidence, tz }: { evidence: Evidence; tz: string }) {
  const { t } = useI18n();
  return (
    <Paper withBorder p="xs">
      <Text fw={600} size="sm" mb={4}>
        {t('discharge.evidence.tests')}
      </Text>
      {evidence.tests.length === 0 ? (
        <Text size="sm" c="dimmed">
          {t('discharge.evidence.none')}
        </Text>
      ) : (
        <Table fz="xs" verticalSpacing={2} data-testid="ct-series">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('discharge.col.collected_at')}</Table.Th>
              <Table.Th className="num">{t('discharge.col.n_ct')}</Table.Th>
              <Table.Th className="num">{t('discharge.col.orf1ab_ct')}</Table.Th>
              <Table.Th>{t('discharge.col.verdict')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {evidence.tests.map((r) => (
              <Table.Tr key={r.id}>
                <Table.Td>{formatLocal(r.collectedAt, tz)}</Table.Td>
                <Table.Td className="num">{fmtNum(r.nCt)}</Table.Td>
                <Table.Td className="num">{fmtNum(r.orf1abCt)}</Table.Td>
                <Table.Td c={r.verdict === 'qualifies' ? 'teal.8' : r.verdict === 'not_qualifying' ? 'red.8' : 'dimmed'} style={{ whiteSpace: 'nowrap' }}>
                  {r.qualitative ? `${t(`discharge.qualitative.${r.qualitative}`)} · ` : ''}
                  {t(`release.test.${r.reason}`)}
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
    </Paper>
  );
}

/** The temperature, day by day: highest, lowest, readings; a feverish day marked. */
function TemperatureEvidence({ evidence }: { evidence: Evidence }) {
  const { t } = useI18n();
  const threshold = getRuleSet().defaultReleaseConfig.feverThresholdC;
  return (
    <Paper withBorder p="xs">
      <Text fw={600} size="sm" mb={4}>
        {t('discharge.evidence.temperature', { threshold })}
      </Text>
      {evidence.temperatureDays.length === 0 ? (
        <Text size="sm" c="dimmed">
          {t('discharge.evidence.none')}
        </Text>
      ) : (
        <Table fz="xs" verticalSpacing={2} data-testid="temperature-days">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('discharge.col.date')}</Table.Th>
              <Table.Th className="num">{t('discharge.col.max')}</Table.Th>
              <Table.Th className="num">{t('discharge.col.min')}</Table.Th>
              <Table.Th className="num">{t('discharge.col.readings')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {evidence.temperatureDays.map((d) => (
              <Table.Tr key={d.date}>
                <Table.Td>{d.date}</Table.Td>
                <Table.Td className="num" fw={d.fever ? 700 : undefined} c={d.fever ? 'red.8' : undefined}>
                  {t('discharge.unit.celsius', { value: d.max.toFixed(1) })}
                  {d.fever ? ' ↑' : ''}
                </Table.Td>
                <Table.Td className="num">{t('discharge.unit.celsius', { value: d.min.toFixed(1) })}</Table.Td>
                <Table.Td className="num">{d.readings}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
    </Paper>
  );
}

/** The latest symptoms, and the worst respiratory count. */
function SymptomsEvidence({ evidence, tz }: { evidence: Evidence; tz: string }) {
  const { t } = useI18n();
  return (
    <Paper withBorder p="xs">
      <Text fw={600} size="sm" mb={4}>
        {t('discharge.evidence.symptoms')}
      </Text>
      {evidence.symptoms.latestAt === null ? (
        <Text size="sm" c="dimmed">
          {t('discharge.symptoms.no_data')}
        </Text>
      ) : (
        <Stack gap={2}>
          <Text size="sm">
            {t('discharge.symptoms.latest', {
              at: formatLocal(evidence.symptoms.latestAt, tz),
              list: evidence.symptoms.latest.length ? evidence.symptoms.latest.map((s) => t(`symptom.${s}`)).join(t('punct.list')) : t('discharge.symptoms.none'),
            })}
          </Text>
          {evidence.symptoms.peakAt && (
            <Text size="xs" c="dimmed">
              {t('discharge.symptoms.peak', { n: evidence.symptoms.peakRespiratory, at: formatLocal(evidence.symptoms.peakAt, tz) })}
            </Text>
          )}
        </Stack>
      )}
    </Paper>
  );
}

/** Chest imaging in order. */
function ImagingEvidence({ evidence, tz }: { evidence: Evidence; tz: string }) {
  const { t } = useI18n();
  return (
    <Paper withBorder p="xs">
      <Text fw={600} size="sm" mb={4}>
        {t('discharge.evidence.imaging')}
      </Text>
      {evidence.imaging.length === 0 ? (
        <Text size="sm" c="dimmed">
          {t('discharge.evidence.none')}
        </Text>
      ) : (
        <Table fz="xs" verticalSpacing={2}>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('discharge.col.performed_at')}</Table.Th>
              <Table.Th>{t('discharge.col.pneumonia')}</Table.Th>
              <Table.Th className="num">{t('discharge.col.progression')}</Table.Th>
              <Table.Th>{t('discharge.col.improved')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
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
      )}
    </Paper>
  );
}
