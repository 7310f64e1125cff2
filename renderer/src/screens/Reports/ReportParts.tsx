import type { ReactNode } from 'react';
import { CompositeChart, type CompositeChartSeries } from '@mantine/charts';
import { Anchor, Stack, Table, Text, Title } from '@mantine/core';
import { formatLocal } from '../../../../shared/domain/time';
import { useI18n } from '../../lib/i18n';
import { SignatureLine } from '../../components/SignatureLine';

/** A number that opens the list of patients behind it. */
export function DrillNumber({ value, onOpen, testId }: { value: number | string; onOpen: () => void; testId: string }) {
  return (
    <Anchor
      component="button"
      type="button"
      onClick={onOpen}
      data-testid={testId}
      className="num"
      fz="inherit"
      style={{ fontVariantNumeric: 'tabular-nums' }}
      c="inherit"
      underline="hover"
    >
      {value}
    </Anchor>
  );
}

/** The head of a printed report: its title, what it covers, and who generated it when (in the hospital's zone). */
export function ReportHeading({ title, covers, generatedAt, generatedBy, tz }: { title: string; covers: string; generatedAt: string; generatedBy: string; tz: string }) {
  const { t } = useI18n();
  return (
    <Stack gap={0} align="center">
      <Title order={2}>{title}</Title>
      <Text fw={600}>{covers}</Text>
      <Text size="xs" c="dimmed">
        {t('report.generated_line', { at: formatLocal(generatedAt, tz), by: generatedBy, tz })}
      </Text>
    </Stack>
  );
}

/** Bars and lines per day on two axes, still (no animation) so the printed page shows them whole. */
export function DayChart<P extends { date: string }>({ points, series }: { points: readonly P[]; series: CompositeChartSeries[] }) {
  return (
    <div className="print-chart">
      <CompositeChart
        h={220}
        data={points.map((p) => ({ ...p, date: p.date.slice(5) }))}
        dataKey="date"
        withLegend
        withRightYAxis
        withDots={false}
        barProps={{ isAnimationActive: false }}
        lineProps={{ isAnimationActive: false }}
        series={series}
      />
    </div>
  );
}

export interface DayColumn<P> {
  label: string;
  cell: (p: P) => ReactNode;
}

/** The figures behind a day chart, one row a day: the date, then a number per column. */
export function DayTable<P extends { date: string }>({ points, columns, testId }: { points: readonly P[]; columns: DayColumn<P>[]; testId: string }) {
  const { t } = useI18n();
  return (
    <Table withTableBorder verticalSpacing={1} fz="xs" data-testid={testId}>
      <Table.Thead>
        <Table.Tr>
          <Table.Th>{t('report.date')}</Table.Th>
          {columns.map((c) => (
            <Table.Th key={c.label} className="num">
              {c.label}
            </Table.Th>
          ))}
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {points.map((p) => (
          <Table.Tr key={p.date}>
            <Table.Td>{p.date}</Table.Td>
            {columns.map((c) => (
              <Table.Td key={c.label} className="num">
                {c.cell(p)}
              </Table.Td>
            ))}
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  );
}

/** The foot of a printed report: how its figures are defined, and the lines to sign and date. */
export function ReportFooter({ definitions }: { definitions: string }) {
  const { t } = useI18n();
  return (
    <>
      <Text size="xs" c="dimmed">
        {definitions}
      </Text>
      <SignatureLine labels={[t('report.signature'), t('report.sign_date')]} />
    </>
  );
}
