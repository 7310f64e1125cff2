import type { ReactNode } from 'react';
import { CompositeChart } from '@mantine/charts';
import { Group, SimpleGrid, Stack, Table, Text, Title } from '@mantine/core';
import type { DischargeStats, QuantileSummary, StatsMetric } from '../../../../shared/api/reports';
import { formatLocal } from '../../../../shared/domain/time';
import { useI18n } from '../../lib/i18n';
import { ReportClassBadge } from '../../components/clinical';
import { DrillNumber } from './DailyReportView';
import type { Drill } from './DrillModal';

const pct = (n: number, total: number) => (total === 0 ? '—' : `${((100 * n) / total).toFixed(1)}%`);
const fmt = (v: number | null) => (v === null ? '—' : v.toFixed(1));

/** 出院统计 for a date range: per day and cumulative, by facility, class and disposition, length of stay and days to criteria. */
export function StatsView({ s, scopeName, onDrill }: { s: DischargeStats; scopeName: string; onDrill: (d: Drill) => void }) {
  const { t } = useI18n();
  const tz = s.timeZone;
  const range = `${s.from} ~ ${s.to}`;
  const drill = (metric: StatsMetric, label: string, value?: string, facilityId: number | null = s.facilityId) =>
    onDrill({ input: { metric, from: s.from, to: s.to, facilityId, ...(value ? { value } : {}) }, title: `${label} · ${scopeName} · ${range}` });
  const counts = (title: string, rows: { key: string; label: ReactNode; n: number; open: () => void }[], testId: string) => (
    <Stack gap={4}>
      <Title order={5}>{title}</Title>
      <Table withTableBorder verticalSpacing={2} fz="sm" data-testid={testId}>
        <Table.Thead>
          <Table.Tr>
            <Table.Th />
            <Table.Th className="num">{t('report.stats.count')}</Table.Th>
            <Table.Th className="num">{t('report.stats.share')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {rows.map((r) => (
            <Table.Tr key={r.key}>
              <Table.Td>{r.label}</Table.Td>
              <Table.Td className="num">
                <DrillNumber value={r.n} onOpen={r.open} testId={`${testId}-${r.key}`} />
              </Table.Td>
              <Table.Td className="num">{pct(r.n, s.total)}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Stack>
  );
  const quantRow = (label: string, q: QuantileSummary) => (
    <Table.Tr>
      <Table.Td>{label}</Table.Td>
      <Table.Td className="num">{q.n}</Table.Td>
      <Table.Td className="num">{fmt(q.median)}</Table.Td>
      <Table.Td className="num">
        {fmt(q.q1)} – {fmt(q.q3)}
      </Table.Td>
      <Table.Td className="num">{fmt(q.mean)}</Table.Td>
      <Table.Td className="num">
        {fmt(q.min)} – {fmt(q.max)}
      </Table.Td>
    </Table.Tr>
  );
  return (
    <Stack gap="sm" className="print-doc" data-testid="discharge-stats">
      <Stack gap={0} align="center">
        <Title order={2}>{t('report.stats.title')}</Title>
        <Text fw={600}>
          {range} · {scopeName}
        </Text>
        <Text size="xs" c="dimmed">
          {t('report.generated_line', { at: formatLocal(s.generatedAt, tz), by: s.generatedBy, tz })}
        </Text>
      </Stack>
      <Group gap="xl">
        <Text>
          {t('report.stats.total')}{t('punct.colon')}<DrillNumber value={s.total} onOpen={() => drill('stats_all', t('report.metric.stats_all'))} testId="stats-total" />
        </Text>
        <Text>
          {t('report.stats.discharged')}{t('punct.colon')}{s.discharged}
        </Text>
        <Text>
          {t('report.metric.deaths')}{t('punct.colon')}{s.deaths}
        </Text>
      </Group>

      <Title order={4}>{t('report.stats.per_day')}</Title>
      <div className="print-chart">
        <CompositeChart
          h={220}
          data={s.perDay.map((d) => ({ ...d, date: d.date.slice(5) }))}
          dataKey="date"
          withLegend
          withRightYAxis
          withDots={false}
          barProps={{ isAnimationActive: false }}
          lineProps={{ isAnimationActive: false }}
          series={[
            { name: 'discharged', label: t('report.stats.discharged'), color: 'teal.6', type: 'bar' },
            { name: 'deaths', label: t('report.metric.deaths'), color: 'dark.4', type: 'bar' },
            { name: 'cumulative', label: t('report.stats.cumulative'), color: 'blue.7', type: 'line', yAxisId: 'right' },
          ]}
        />
      </div>
      <Table withTableBorder verticalSpacing={1} fz="xs" data-testid="stats-per-day">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t('report.date')}</Table.Th>
            <Table.Th className="num">{t('report.stats.discharged')}</Table.Th>
            <Table.Th className="num">{t('report.metric.deaths')}</Table.Th>
            <Table.Th className="num">{t('report.stats.cumulative')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {s.perDay.map((d) => (
            <Table.Tr key={d.date}>
              <Table.Td>{d.date}</Table.Td>
              <Table.Td className="num">
                <DrillNumber value={d.discharged} onOpen={() => drill('stats_day', `${t('report.metric.stats_day')} ${d.date}`, d.date)} testId={`stats-day-${d.date}`} />
              </Table.Td>
              <Table.Td className="num">{d.deaths}</Table.Td>
              <Table.Td className="num">{d.cumulative}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>

      <SimpleGrid cols={2} spacing="sm">
        {counts(
          t('report.stats.by_facility'),
          s.byFacility.map((f) => ({ key: String(f.facilityId), label: f.name, n: f.n, open: () => drill('stats_all', `${t('report.metric.stats_all')} · ${f.name}`, undefined, f.facilityId) })),
          'stats-facility',
        )}
        {counts(
          t('report.stats.by_disposition'),
          s.byDisposition.map((d) => ({ key: d.disposition, label: t(`discharge.disposition.${d.disposition}`), n: d.n, open: () => drill('stats_disposition', t(`discharge.disposition.${d.disposition}`), d.disposition) })),
          'stats-disposition',
        )}
        {counts(
          t('report.stats.by_class_admission'),
          s.byClassAtAdmission.map((c) => ({ key: c.class, label: <ReportClassBadge cls={c.class} t={t} />, n: c.n, open: () => drill('stats_class_admission', `${t('report.metric.stats_class_admission')} ${t(`report.class.${c.class}`)}`, c.class) })),
          'stats-class-admission',
        )}
        {counts(
          t('report.stats.by_worst_class'),
          s.byWorstClass.map((c) => ({ key: c.class, label: <ReportClassBadge cls={c.class} t={t} />, n: c.n, open: () => drill('stats_worst_class', `${t('report.metric.stats_worst_class')} ${t(`report.class.${c.class}`)}`, c.class) })),
          'stats-worst-class',
        )}
      </SimpleGrid>

      <Title order={4}>{t('report.stats.durations')}</Title>
      <Table withTableBorder verticalSpacing={2} fz="sm" data-testid="stats-durations">
        <Table.Thead>
          <Table.Tr>
            <Table.Th />
            <Table.Th className="num">n</Table.Th>
            <Table.Th className="num">{t('report.stats.median')}</Table.Th>
            <Table.Th className="num">{t('report.stats.iqr')}</Table.Th>
            <Table.Th className="num">{t('report.stats.mean')}</Table.Th>
            <Table.Th className="num">
              {t('report.stats.min')} – {t('report.stats.max')}
            </Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {quantRow(t('report.stats.los_days'), s.lengthOfStay)}
          {quantRow(t('report.stats.to_criteria_days'), s.daysToCriteria)}
          <Table.Tr>
            <Table.Td>{t('report.stats.criteria_not_met')}</Table.Td>
            <Table.Td className="num">{s.daysToCriteria.notMet}</Table.Td>
            <Table.Td colSpan={4} />
          </Table.Tr>
        </Table.Tbody>
      </Table>
      <Text size="xs" c="dimmed">
        {t('report.stats.definitions', { tz })}
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
