import type { ReactNode } from 'react';
import { Group, SimpleGrid, Stack, Table, Text, Title } from '@mantine/core';
import type { DischargeStats, QuantileSummary, StatsMetric } from '../../../../shared/api/reports';
import { useI18n } from '../../lib/i18n';
import { ReportClassBadge } from '../../components/clinical';
import type { Drill } from './DrillModal';
import { DayChart, DayTable, DrillNumber, ReportFooter, ReportHeading } from './ReportParts';
import { TableHead, numHead } from '../../components/TableHead';

const pct = (n: number, total: number) => (total === 0 ? '—' : `${((100 * n) / total).toFixed(1)}%`);
const fmt = (v: number | null) => (v === null ? '—' : v.toFixed(1));

interface CountRow {
  key: string;
  label: ReactNode;
  n: number;
  open: () => void;
}

/** Discharges counted by one attribute, each count opening its patients, with its share of all. */
function CountsTable({ title, rows, total, testId }: { title: string; rows: CountRow[]; total: number; testId: string }) {
  const { t } = useI18n();
  return (
    <Stack gap={4}>
      <Title order={5}>{title}</Title>
      <Table withTableBorder verticalSpacing={2} fz="sm" data-testid={testId}>
        <TableHead cells={[{}, numHead(t('report.stats.count')), numHead(t('report.stats.share'))]} />
        <Table.Tbody>
          {rows.map((r) => (
            <Table.Tr key={r.key}>
              <Table.Td>{r.label}</Table.Td>
              <Table.Td className="num">
                <DrillNumber value={r.n} onOpen={r.open} testId={`${testId}-${r.key}`} />
              </Table.Td>
              <Table.Td className="num">{pct(r.n, total)}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Stack>
  );
}

function QuantRow({ label, q }: { label: string; q: QuantileSummary }) {
  return (
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
}

/** Length of stay and days to the release criteria: median, quartiles, mean and range. */
function DurationsTable({ s }: { s: DischargeStats }) {
  const { t } = useI18n();
  return (
    <Table withTableBorder verticalSpacing={2} fz="sm" data-testid="stats-durations">
      <TableHead
        cells={[
          {},
          numHead('n'),
          numHead(t('report.stats.median')),
          numHead(t('report.stats.iqr')),
          numHead(t('report.stats.mean')),
          numHead(`${t('report.stats.min')} – ${t('report.stats.max')}`),
        ]}
      />
      <Table.Tbody>
        <QuantRow label={t('report.stats.los_days')} q={s.lengthOfStay} />
        <QuantRow label={t('report.stats.to_criteria_days')} q={s.daysToCriteria} />
        <Table.Tr>
          <Table.Td>{t('report.stats.criteria_not_met')}</Table.Td>
          <Table.Td className="num">{s.daysToCriteria.notMet}</Table.Td>
          <Table.Td colSpan={4} />
        </Table.Tr>
      </Table.Tbody>
    </Table>
  );
}

/** 出院统计 for a date range: per day and cumulative, by facility, class and disposition, length of stay and days to criteria. */
export function StatsView({ s, scopeName, onDrill }: { s: DischargeStats; scopeName: string; onDrill: (d: Drill) => void }) {
  const { t } = useI18n();
  const tz = s.timeZone;
  const range = `${s.from} ~ ${s.to}`;
  const drill = (metric: StatsMetric, label: string, value?: string, facilityId: number | null = s.facilityId) =>
    onDrill({ input: { metric, from: s.from, to: s.to, facilityId, ...(value ? { value } : {}) }, title: `${label} · ${scopeName} · ${range}` });
  const byClass = (list: DischargeStats['byWorstClass'], metric: 'stats_class_admission' | 'stats_worst_class'): CountRow[] =>
    list.map((c) => ({
      key: c.class,
      label: <ReportClassBadge cls={c.class} t={t} />,
      n: c.n,
      open: () => drill(metric, `${t(`report.metric.${metric}`)} ${t(`report.class.${c.class}`)}`, c.class),
    }));
  const counts = [
    {
      title: t('report.stats.by_facility'),
      testId: 'stats-facility',
      rows: s.byFacility.map((f) => ({
        key: String(f.facilityId),
        label: f.name,
        n: f.n,
        open: () => drill('stats_all', `${t('report.metric.stats_all')} · ${f.name}`, undefined, f.facilityId),
      })),
    },
    {
      title: t('report.stats.by_disposition'),
      testId: 'stats-disposition',
      rows: s.byDisposition.map((d) => ({
        key: d.disposition,
        label: t(`discharge.disposition.${d.disposition}`),
        n: d.n,
        open: () => drill('stats_disposition', t(`discharge.disposition.${d.disposition}`), d.disposition),
      })),
    },
    { title: t('report.stats.by_class_admission'), testId: 'stats-class-admission', rows: byClass(s.byClassAtAdmission, 'stats_class_admission') },
    { title: t('report.stats.by_worst_class'), testId: 'stats-worst-class', rows: byClass(s.byWorstClass, 'stats_worst_class') },
  ];
  return (
    <Stack gap="sm" className="print-doc" data-testid="discharge-stats">
      <ReportHeading title={t('report.stats.title')} covers={`${range} · ${scopeName}`} generatedAt={s.generatedAt} generatedBy={s.generatedBy} tz={tz} />
      <Group gap="xl">
        <Text>
          {t('report.stats.total')}
          {t('punct.colon')}
          <DrillNumber value={s.total} onOpen={() => drill('stats_all', t('report.metric.stats_all'))} testId="stats-total" />
        </Text>
        <Text>
          {t('report.stats.discharged')}
          {t('punct.colon')}
          {s.discharged}
        </Text>
        <Text>
          {t('report.metric.deaths')}
          {t('punct.colon')}
          {s.deaths}
        </Text>
      </Group>

      <Title order={4}>{t('report.stats.per_day')}</Title>
      <DayChart
        points={s.perDay}
        series={[
          { name: 'discharged', label: t('report.stats.discharged'), color: 'teal.6', type: 'bar' },
          { name: 'deaths', label: t('report.metric.deaths'), color: 'dark.4', type: 'bar' },
          { name: 'cumulative', label: t('report.stats.cumulative'), color: 'blue.7', type: 'line', yAxisId: 'right' },
        ]}
      />
      <DayTable
        points={s.perDay}
        testId="stats-per-day"
        columns={[
          {
            label: t('report.stats.discharged'),
            cell: (d) => <DrillNumber value={d.discharged} onOpen={() => drill('stats_day', `${t('report.metric.stats_day')} ${d.date}`, d.date)} testId={`stats-day-${d.date}`} />,
          },
          { label: t('report.metric.deaths'), cell: (d) => d.deaths },
          { label: t('report.stats.cumulative'), cell: (d) => d.cumulative },
        ]}
      />

      <SimpleGrid cols={2} spacing="sm">
        {counts.map((c) => (
          <CountsTable key={c.testId} title={c.title} rows={c.rows} total={s.total} testId={c.testId} />
        ))}
      </SimpleGrid>

      <Title order={4}>{t('report.stats.durations')}</Title>
      <DurationsTable s={s} />
      <ReportFooter definitions={t('report.stats.definitions', { tz })} />
    </Stack>
  );
}
