import { CompositeChart } from '@mantine/charts';
import { Anchor, Group, Stack, Table, Text, Title } from '@mantine/core';
import type { DailyMetric, DailyReport, Figures } from '../../../../shared/api/reports';
import { REPORT_CLASSES } from '../../../../shared/api/reports';
import { formatLocal } from '../../../../shared/domain/time';
import { useI18n } from '../../lib/i18n';
import { ReportClassBadge } from '../../components/clinical';
import type { Drill } from './DrillModal';

const MOVEMENTS: DailyMetric[] = ['census_prev', 'admissions', 'transfers_in', 'discharges', 'deaths', 'transfers_out', 'census'];
const SEVERITY: DailyMetric[] = ['became_severe', 'became_critical', 'improved', 'awaiting_review', 'reviews_done'];
const CUMULATIVE: DailyMetric[] = ['cum_admissions', 'cum_discharges', 'cum_deaths'];

/** A number that opens the list of patients behind it. */
export function DrillNumber({ value, onOpen, testId }: { value: number | string; onOpen: () => void; testId: string }) {
  return (
    <Anchor component="button" type="button" onClick={onOpen} data-testid={testId} className="num" fz="inherit" style={{ fontVariantNumeric: "tabular-nums" }} c="inherit" underline="hover">
      {value}
    </Anchor>
  );
}

/** 每日病情分级报告, laid out for A4: figures per facility, the reconciliation, classes, severity, beds, the 14-day trend. */
export function DailyReportView({ r, onDrill }: { r: DailyReport; onDrill: (d: Drill) => void }) {
  const { t } = useI18n();
  const tz = r.timeZone;
  const colName = (x: DailyReport['rows'][number]) => x.name ?? t('report.network_total');
  const scopeName = r.facilityId === null ? t('report.network') : (r.rows[0]?.name ?? '');
  const drill = (metric: DailyMetric, facilityId: number | null, value?: string) =>
    onDrill({
      input: { metric, date: r.date, facilityId, ...(value ? { value } : {}) },
      title: `${value ? t('report.census_class', { cls: t(`report.class.${value}`) }) : t(`report.metric.${metric}`)} · ${facilityId === null ? t('report.network') : (r.rows.find((x) => x.facilityId === facilityId)?.name ?? '')} · ${r.date}`,
    });
  const head = (
    <Table.Thead>
      <Table.Tr>
        <Table.Th>{t('report.metric')}</Table.Th>
        {r.rows.map((x) => (
          <Table.Th key={x.facilityId ?? 'network'} className="num">
            {colName(x)}
          </Table.Th>
        ))}
      </Table.Tr>
    </Table.Thead>
  );
  const metricRows = (metrics: DailyMetric[]) =>
    metrics.map((m) => (
      <Table.Tr key={m}>
        <Table.Td fw={m === 'census' ? 700 : undefined}>{t(`report.metric.${m}`)}</Table.Td>
        {r.rows.map((x) => (
          <Table.Td key={x.facilityId ?? 'network'} className="num" fw={m === 'census' ? 700 : undefined}>
            <DrillNumber value={x.figures[m as keyof Figures] as number} onOpen={() => drill(m, x.facilityId)} testId={`${m}-${x.facilityId ?? 'network'}`} />
          </Table.Td>
        ))}
      </Table.Tr>
    ));
  const total = r.rows[r.rows.length - 1]?.figures;
  return (
    <Stack gap="sm" className="print-doc" data-testid="daily-report">
      <Stack gap={0} align="center">
        <Title order={2}>{t('report.daily.title')}</Title>
        <Text fw={600}>
          {r.date} · {scopeName}
        </Text>
        <Text size="xs" c="dimmed">
          {t('report.generated_line', { at: formatLocal(r.generatedAt, tz), by: r.generatedBy, tz })}
        </Text>
      </Stack>

      <Title order={4}>{t('report.movements')}</Title>
      <Table withTableBorder withColumnBorders verticalSpacing={3} fz="sm" data-testid="movements">
        {head}
        <Table.Tbody>{metricRows(MOVEMENTS)}</Table.Tbody>
      </Table>
      {total && (
        <Text size="xs" data-testid="reconcile">
          {t('report.reconcile', { prev: total.census_prev, adm: total.admissions, tin: total.transfers_in, dis: total.discharges, dea: total.deaths, tout: total.transfers_out, census: total.census })}
        </Text>
      )}

      <Title order={4}>{t('report.census_by_class')}</Title>
      <Table withTableBorder withColumnBorders verticalSpacing={3} fz="sm" data-testid="census-by-class">
        {head}
        <Table.Tbody>
          {REPORT_CLASSES.map((c) => (
            <Table.Tr key={c}>
              <Table.Td>
                <ReportClassBadge cls={c} t={t} />
              </Table.Td>
              {r.rows.map((x) => (
                <Table.Td key={x.facilityId ?? 'network'} className="num">
                  <DrillNumber value={x.figures.censusByClass[c]} onOpen={() => drill('census', x.facilityId, c)} testId={`class-${c}-${x.facilityId ?? 'network'}`} />
                </Table.Td>
              ))}
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>

      <Title order={4}>{t('report.severity')}</Title>
      <Table withTableBorder withColumnBorders verticalSpacing={3} fz="sm">
        {head}
        <Table.Tbody>
          {metricRows(SEVERITY)}
          <Table.Tr>
            <Table.Td>{t('report.beds')}</Table.Td>
            {r.rows.map((x) => (
              <Table.Td key={x.facilityId ?? 'network'} className="num">
                <DrillNumber value={x.figures.beds_occupied} onOpen={() => drill('beds_occupied', x.facilityId)} testId={`beds-${x.facilityId ?? 'network'}`} /> / {x.figures.beds_total}
              </Table.Td>
            ))}
          </Table.Tr>
          {metricRows(CUMULATIVE)}
        </Table.Tbody>
      </Table>

      <Title order={4}>{t('report.trend.title')}</Title>
      <div className="print-chart">
        <CompositeChart
          h={220}
          data={r.trend.map((p) => ({ ...p, date: p.date.slice(5) }))}
          dataKey="date"
          withLegend
          withRightYAxis
          withDots={false}
          barProps={{ isAnimationActive: false }}
          lineProps={{ isAnimationActive: false }}
          series={[
            { name: 'admissions', label: t('report.metric.admissions'), color: 'blue.5', type: 'bar' },
            { name: 'discharges', label: t('report.metric.discharges'), color: 'teal.6', type: 'bar' },
            { name: 'census', label: t('report.metric.census'), color: 'gray.7', type: 'line', yAxisId: 'right' },
            { name: 'severeCritical', label: t('report.trend.severe_critical'), color: 'orange.7', type: 'line' },
          ]}
        />
      </div>
      <Table withTableBorder verticalSpacing={1} fz="xs" data-testid="trend-table">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t('report.date')}</Table.Th>
            <Table.Th className="num">{t('report.metric.census')}</Table.Th>
            <Table.Th className="num">{t('report.trend.severe_critical')}</Table.Th>
            <Table.Th className="num">{t('report.metric.admissions')}</Table.Th>
            <Table.Th className="num">{t('report.metric.discharges')}</Table.Th>
            <Table.Th className="num">{t('report.metric.deaths')}</Table.Th>
            <Table.Th className="num">{t('report.metric.transfers_in')}</Table.Th>
            <Table.Th className="num">{t('report.metric.became_severe')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {r.trend.map((p) => (
            <Table.Tr key={p.date}>
              <Table.Td>{p.date}</Table.Td>
              <Table.Td className="num">{p.census}</Table.Td>
              <Table.Td className="num">{p.severeCritical}</Table.Td>
              <Table.Td className="num">{p.admissions}</Table.Td>
              <Table.Td className="num">{p.discharges}</Table.Td>
              <Table.Td className="num">{p.deaths}</Table.Td>
              <Table.Td className="num">{p.transfersIn}</Table.Td>
              <Table.Td className="num">{p.becameSevere}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      <Text size="xs" c="dimmed">
        {t('report.definitions', { tz })}
      </Text>
      <Group className="signature-line">
        <Text size="sm">
          {t('report.signature')}
          <span />
        </Text>
        <Text size="sm">
          {t('report.sign_date')}
          <span />
        </Text>
      </Group>
    </Stack>
  );
}
