import { useState } from 'react';
import { Alert, Badge, Button, Grid, Group, Paper, ScrollArea, SegmentedControl, Stack, Table, Text, Title } from '@mantine/core';
import { IconArrowLeft, IconFileTypePdf, IconPrinter } from '@tabler/icons-react';
import type { SessionUser } from '../../../../shared/api/auth';
import { formatLocal } from '../../../../shared/domain/time';
import { ErrorPanel } from '../../components/ErrorPanel';
import { FacilitySelect } from '../../components/FacilitySelect';
import { TableHead, numHead } from '../../components/TableHead';
import { can } from '../../lib/can';
import { useI18n } from '../../lib/i18n';
import { useNav } from '../../lib/nav';
import { canSavePdf, printPage, savePdf } from '../../lib/print';
import { useApiQuery } from '../../lib/query';
import { CheckPanel } from './CheckPanel';
import { DischargedPanel } from './DischargedPanel';
import { DischargeForm } from './DischargeForm';
import { ReportClassBadge, fmtNum } from '../../components/clinical';
import { SummaryDocument } from './SummaryDocument';
import '../../print.css';
import { LoadingSkeleton } from '../../components/LoadingSkeleton';

/** 出院: the ready list per facility; for a chosen patient the check with evidence, the discharge form, the summary. */
export function DischargeScreen({ user }: { user: SessionUser }) {
  const { t } = useI18n();
  const { route, go } = useNav();
  const episodeId = typeof route.params.episodeId === 'number' ? route.params.episodeId : null;
  const view = route.params.view === 'summary' ? 'summary' : 'check';
  if (episodeId !== null && view === 'summary') return <SummaryView episodeId={episodeId} onBack={() => go('discharge', { episodeId })} />;
  return (
    <Grid gap="md">
      <Grid.Col span={{ base: 12, lg: 6 }} className="no-print">
        <ReadyList selected={episodeId} onSelect={(id) => go('discharge', { episodeId: id })} />
      </Grid.Col>
      <Grid.Col span={{ base: 12, lg: 6 }}>
        {episodeId === null ? (
          <Paper withBorder p="lg">
            <Text c="dimmed">{t('discharge.select_patient')}</Text>
          </Paper>
        ) : (
          <PatientPanel key={episodeId} episodeId={episodeId} user={user} onSummary={() => go('discharge', { episodeId, view: 'summary' })} />
        )}
      </Grid.Col>
    </Grid>
  );
}

function ReadyList({ selected, onSelect }: { selected: number | null; onSelect: (episodeId: number) => void }) {
  const { t } = useI18n();
  const [facilityId, setFacilityId] = useState<number | null>(null);
  const [scope, setScope] = useState<'ready' | 'all'>('ready');
  const list = useApiQuery('discharge:readyList', { facilityId, scope });
  const tz = list.data?.timeZone ?? 'Asia/Shanghai';
  return (
    // Stays in view while the panel beside it scrolls through the evidence and the form.
    <Stack gap="sm" style={{ position: 'sticky', top: 72 }}>
      <Title order={3}>{t('discharge.ready_title')}</Title>
      <Group align="flex-end">
        <FacilitySelect label={t('report.facility')} allLabel={t('discharge.facility_all')} value={facilityId} onChange={setFacilityId} w={220} />
        <SegmentedControl
          value={scope}
          onChange={(v) => setScope(v === 'all' ? 'all' : 'ready')}
          data={[
            { value: 'ready', label: t('discharge.scope.ready') },
            { value: 'all', label: t('discharge.scope.all') },
          ]}
        />
      </Group>
      {list.error && <ErrorPanel error={list.error} onRetry={() => void list.refetch()} />}
      {list.isFetching && !list.data && <LoadingSkeleton kind="rows" />}
      <ScrollArea.Autosize mah="calc(100vh - 230px)" type="auto">
        <Stack gap="sm">
          {list.data?.facilities.map((f) => (
            <Paper key={f.facilityId} withBorder p="xs" data-testid={`ready-${f.facilityId}`}>
              <Group justify="space-between" mb={4}>
                <Text fw={600}>
                  {f.name} · {t(`facility.kind.${f.kind}`)}
                </Text>
                <Text size="sm" c="dimmed">
                  {t('discharge.facility_summary', { active: f.active, ready: f.ready })}
                </Text>
              </Group>
              {f.patients.length === 0 ? (
                <Text size="sm" c="dimmed">
                  {t('discharge.none_ready')}
                </Text>
              ) : (
                <Table highlightOnHover fz="sm" verticalSpacing={4}>
                  <TableHead
                    cells={[
                      t('discharge.col.patient'),
                      numHead(t('discharge.col.day')),
                      t('discharge.col.class'),
                      numHead(t('discharge.col.last_test')),
                      t('discharge.col.criteria'),
                    ]}
                  />
                  <Table.Tbody>
                    {f.patients.map((p) => (
                      <Table.Tr
                        key={p.episodeId}
                        onClick={() => onSelect(p.episodeId)}
                        style={{ cursor: 'pointer' }}
                        bg={selected === p.episodeId ? 'var(--mantine-primary-color-light)' : undefined}
                        data-testid={`ready-row-${p.episodeId}`}
                      >
                        {/* A long name wraps inside its column instead of pushing the others out of view (issue 18). */}
                        <Table.Td style={{ maxWidth: '14rem' }}>
                          <Button
                            variant="subtle"
                            size="compact-sm"
                            px={0}
                            h="auto"
                            maw="100%"
                            onClick={() => onSelect(p.episodeId)}
                            styles={{ label: { whiteSpace: 'normal', textAlign: 'left', overflowWrap: 'anywhere', overflow: 'visible', height: 'auto' } }}
                          >
                            {p.name}
                          </Button>
                          <Text span size="xs" c="dimmed">
                            {' '}
                            {t(`sex.${p.sex}`)} {p.ageYears ?? ''}
                          </Text>
                          <Text size="xs" c="dimmed">
                            {p.wardName} {p.bedLabel ?? ''}
                          </Text>
                        </Table.Td>
                        <Table.Td className="num">{p.lengthOfStayDays}</Table.Td>
                        <Table.Td>
                          <ReportClassBadge cls={p.currentClass} t={t} />
                        </Table.Td>
                        <Table.Td className="num" title={p.lastTestAt ? formatLocal(p.lastTestAt, tz) : ''}>
                          {fmtNum(p.lastNCt)} / {fmtNum(p.lastOrf1abCt)}
                        </Table.Td>
                        <Table.Td>
                          {p.eligible ? (
                            <Badge color="teal" style={{ minWidth: 'max-content' }}>
                              {t('discharge.ready_badge')}
                            </Badge>
                          ) : (
                            <Badge color="gray" variant="light">
                              {t('discharge.criteria_count', { met: p.met, total: p.criteria })}
                            </Badge>
                          )}
                        </Table.Td>
                      </Table.Tr>
                    ))}
                  </Table.Tbody>
                </Table>
              )}
            </Paper>
          ))}
        </Stack>
      </ScrollArea.Autosize>
    </Stack>
  );
}

function PatientPanel({ episodeId, user, onSummary }: { episodeId: number; user: SessionUser; onSummary: () => void }) {
  const { t } = useI18n();
  const [at, setAt] = useState<string | undefined>(undefined);
  const check = useApiQuery('discharge:check', { episodeId, ...(at ? { at } : {}) });
  const canDischarge = can(user, 'discharge:record');
  if (check.error) return <ErrorPanel error={check.error} onRetry={() => void check.refetch()} />;
  if (!check.data) return <LoadingSkeleton />;
  const d = check.data;
  const e = d.episode;
  return (
    <Stack gap="sm" data-testid="discharge-panel">
      <Paper withBorder p="sm">
        <Group justify="space-between">
          <Group gap="sm">
            <Title order={3}>{e.name}</Title>
            <Text>
              {t(`sex.${e.sex}`)} · {e.ageYears === null ? '—' : t('patient.age_years', { n: e.ageYears })}
            </Text>
            <ReportClassBadge cls={e.currentClass} t={t} />
          </Group>
          <Button variant="light" leftSection={<IconPrinter size={16} />} onClick={onSummary}>
            {t('discharge.open_summary')}
          </Button>
        </Group>
        <Text size="sm" c="dimmed">
          {e.facilityName} · {e.wardName} {e.bedLabel ?? ''} · {t('summary.los')} {t('summary.los_days', { n: e.lengthOfStayDays })} · {t('summary.admitted_at')}{' '}
          {formatLocal(e.admittedAt, d.timeZone)}
        </Text>
      </Paper>
      <CheckPanel data={d} tz={d.timeZone} />
      {d.discharge ? (
        <DischargedPanel data={d} canAmend={canDischarge} onSummary={onSummary} onReload={() => check.refetch()} />
      ) : e.status === 'active' && canDischarge ? (
        <DischargeForm data={d} onAt={setAt} onRecheck={() => void check.refetch()} />
      ) : (
        e.status === 'active' && (
          <Alert color="gray" className="no-print">
            {t('discharge.form.no_permission')}
          </Alert>
        )
      )}
    </Stack>
  );
}

function SummaryView({ episodeId, onBack }: { episodeId: number; onBack: () => void }) {
  const { t } = useI18n();
  const summary = useApiQuery('summary:get', { episodeId });
  if (summary.error) return <ErrorPanel error={summary.error} onRetry={() => void summary.refetch()} />;
  if (!summary.data) return <LoadingSkeleton kind="page" />;
  const s = summary.data;
  return (
    <Stack gap="sm">
      <Group className="no-print">
        <Button variant="default" leftSection={<IconArrowLeft size={16} />} onClick={onBack}>
          {t('discharge.back')}
        </Button>
        <Button leftSection={<IconPrinter size={16} />} onClick={() => void printPage()}>
          {t('discharge.print_summary')}
        </Button>
        {canSavePdf() && (
          <Button variant="light" leftSection={<IconFileTypePdf size={16} />} onClick={() => void savePdf(`出院小结-${s.patient.name}.pdf`)}>
            {t('report.pdf')}
          </Button>
        )}
      </Group>
      <Paper withBorder p="lg" maw={960} className="print-plain">
        <SummaryDocument s={s} />
      </Paper>
    </Stack>
  );
}
