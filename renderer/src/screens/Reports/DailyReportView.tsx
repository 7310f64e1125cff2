import type { ReactNode } from 'react';
import { Stack, Table, Text, Title } from '@mantine/core';
import type { DailyMetric, DailyReport, Figures } from '../../../../shared/api/reports';
import { REPORT_CLASSES } from '../../../../shared/api/reports';
import { useI18n } from '../../lib/i18n';
import { ReportClassBadge } from '../../components/clinical';
import type { Drill } from './DrillModal';
import { DayChart, DayTable, DrillNumber, ReportFooter, ReportHeading } from './ReportParts';

const MOVEMENTS: DailyMetric[] = ['census_prev', 'admissions', 'transfers_in', 'discharges', 'deaths', 'transfers_out', 'census'];
const SEVERITY: DailyMetric[] = ['became_severe', 'became_critical', 'improved', 'awaiting_review', 'reviews_done', 'antiviral_started'];
const CUMULATIVE: DailyMetric[] = ['cum_admissions', 'cum_discharges', 'cum_deaths'];

type FacilityRow = DailyReport['rows'][number];
const columnKey = (x: FacilityRow) => x.facilityId ?? 'network';

/** A table of the report with a column per facility (the network total last). */
function FacilityTable({ r, testId, children }: { r: DailyReport; testId?: string; children: ReactNode }) {
  const { t } = useI18n();
  return (
    <Table withTableBorder withColumnBorders verticalSpacing={3} fz="sm" data-testid={testId}>
      <Table.Thead>
        <Table.Tr>
          <Table.Th>{t('report.metric')}</Table.Th>
          {r.rows.map((x) => (
            <Table.Th key={columnKey(x)} className="num">
              {x.name ?? t('report.network_total')}
            </Table.Th>
          ))}
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>{children}</Table.Tbody>
    </Table>
  );
}

/** 每日病情分级报告, laid out for A4: figures per facility, the reconciliation, classes, severity, beds, the 14-day trend. */
export function DailyReportView({ r, onDrill }: { r: DailyReport; onDrill: (d: Drill) => void }) {
  const { t } = useI18n();
  const tz = r.timeZone;
  const scopeName = r.facilityId === null ? t('report.network') : (r.rows[0]?.name ?? '');
  const drill = (metric: DailyMetric, facilityId: number | null, value?: string) =>
    onDrill({
      input: { metric, date: r.date, facilityId, ...(value ? { value } : {}) },
      title: `${value ? t('report.census_class', { cls: t(`report.class.${value}`) }) : t(`report.metric.${metric}`)} · ${facilityId === null ? t('report.network') : (r.rows.find((x) => x.facilityId === facilityId)?.name ?? '')} · ${r.date}`,
    });
  const metricRows = (metrics: DailyMetric[]) =>
    metrics.map((m) => (
      <Table.Tr key={m}>
        <Table.Td fw={m === 'census' ? 700 : undefined}>{t(`report.metric.${m}`)}</Table.Td>
        {r.rows.map((x) => (
          <Table.Td key={columnKey(x)} className="num" fw={m === 'census' ? 700 : undefined}>
            <DrillNumber value={x.figures[m as keyof Figures] as number} onOpen={() => drill(m, x.facilityId)} testId={`${m}-${columnKey(x)}`} />
          </Table.Td>
        ))}
      </Table.Tr>
    ));
  const total = r.rows[r.rows.length - 1]?.figures;
  return (
    <Stack gap="sm" className="print-doc" data-testid="daily-report">
      <ReportHeading title={t('report.daily.title')} covers={`${r.date} · ${scopeName}`} generatedAt={r.generatedAt} generatedBy={r.generatedBy} tz={tz} />

      <Title order={4}>{t('report.movements')}</Title>
      <FacilityTable r={r} testId="movements">
        {metricRows(MOVEMENTS)}
      </FacilityTable>
      {total && (
        <Text size="xs" data-testid="reconcile">
          {t('report.reconcile', {
            prev: total.census_prev,
            adm: total.admissions,
            tin: total.transfers_in,
            dis: total.discharges,
            dea: total.deaths,
            tout: total.transfers_out,
            census: total.census,
          })}
        </Text>
      )}

      <Title order={4}>{t('report.census_by_class')}</Title>
      <FacilityTable r={r} testId="census-by-class">
        {REPORT_CLASSES.map((c) => (
          <Table.Tr key={c}>
            <Table.Td>
              <ReportClassBadge cls={c} t={t} />
            </Table.Td>
            {r.rows.map((x) => (
              <Table.Td key={columnKey(x)} className="num">
                <DrillNumber value={x.figures.censusByClass[c]} onOpen={() => drill('census', x.facilityId, c)} testId={`class-${c}-${columnKey(x)}`} />
              </Table.Td>
            ))}
          </Table.Tr>
        ))}
      </FacilityTable>

      <Title order={4}>{t('report.severity')}</Title>
      <FacilityTable r={r}>
        {metricRows(SEVERITY)}
        <Table.Tr>
          <Table.Td>{t('report.beds')}</Table.Td>
          {r.rows.map((x) => (
            <Table.Td key={columnKey(x)} className="num">
              <DrillNumber value={x.figures.beds_occupied} onOpen={() => drill('beds_occupied', x.facilityId)} testId={`beds-${columnKey(x)}`} /> / {x.figures.beds_total}
            </Table.Td>
          ))}
        </Table.Tr>
        {metricRows(CUMULATIVE)}
      </FacilityTable>

      <Title order={4}>{t('report.trend.title')}</Title>
      <DayChart
        points={r.trend}
        series={[
          { name: 'admissions', label: t('report.metric.admissions'), color: 'blue.5', type: 'bar' },
          { name: 'discharges', label: t('report.metric.discharges'), color: 'teal.6', type: 'bar' },
          { name: 'census', label: t('report.metric.census'), color: 'gray.7', type: 'line', yAxisId: 'right' },
          { name: 'severeCritical', label: t('report.trend.severe_critical'), color: 'orange.7', type: 'line' },
        ]}
      />
      <DayTable
        points={r.trend}
        testId="trend-table"
        columns={[
          { label: t('report.metric.census'), cell: (p) => p.census },
          { label: t('report.trend.severe_critical'), cell: (p) => p.severeCritical },
          { label: t('report.metric.admissions'), cell: (p) => p.admissions },
          { label: t('report.metric.discharges'), cell: (p) => p.discharges },
          { label: t('report.metric.deaths'), cell: (p) => p.deaths },
          { label: t('report.metric.transfers_in'), cell: (p) => p.transfersIn },
          { label: t('report.metric.became_severe'), cell: (p) => p.becameSevere },
        ]}
      />
      <ReportFooter definitions={t('report.definitions', { tz })} />
    </Stack>
  );
}
