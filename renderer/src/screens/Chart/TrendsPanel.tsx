import { LineChart } from '@mantine/charts';
import { Paper, SimpleGrid, Text } from '@mantine/core';
import type { Chart } from '../../../../shared/api/chart';
import { RELEASE_CT_MIN } from '../../../../shared/clinical';
import { formatLocal } from '../../../../shared/domain/time';
import { useI18n } from '../../lib/i18n';

const short = (at: string, tz: string) => formatLocal(at, tz).slice(5);

function TrendCard({ title, children, empty }: { title: string; children: React.ReactNode; empty: boolean }) {
  const { t } = useI18n();
  return (
    <Paper withBorder p="xs">
      <Text size="sm" fw={600} mb={4}>
        {title}
      </Text>
      {empty ? (
        <Text size="sm" c="dimmed" h={170}>
          {t('chart.trend_empty')}
        </Text>
      ) : (
        children
      )}
    </Paper>
  );
}

/** Vitals, NEWS2 and the Ct values against the release line of 35 (China protocol v9 §12). */
export function TrendsPanel({ chart }: { chart: Chart }) {
  const { t } = useI18n();
  const tz = chart.timeZone;
  const vitals = chart.trends.vitals.map((p) => ({ ...p, label: short(p.at, tz) }));
  const ct = chart.trends.ct.map((p) => ({
    ...p,
    label: short(p.at, tz),
    ctN: p.ctN ?? (p.qualitative === 'negative' ? 40 : null),
    ctOrf1ab: p.ctOrf1ab ?? (p.qualitative === 'negative' ? 40 : null),
  }));
  const common = { h: 170, dataKey: 'label', connectNulls: true, curveType: 'linear' as const, withDots: true, tickLine: 'y' as const, xAxisProps: { minTickGap: 24 } };
  return (
    <SimpleGrid cols={{ base: 2, xl: 3 }} spacing="sm" data-testid="chart-trends">
      <TrendCard title={t('chart.trend_news2')} empty={vitals.every((p) => p.news2 === null)}>
        <LineChart
          {...common}
          data={vitals}
          series={[{ name: 'news2', label: 'NEWS2', color: 'red.6' }]}
          yAxisProps={{ domain: [0, 'auto'], allowDecimals: false }}
          referenceLines={[
            { y: 5, label: t('chart.news2_line', { n: 5 }), color: 'orange.6' },
            { y: 7, label: t('chart.news2_line', { n: 7 }), color: 'red.6' },
          ]}
        />
      </TrendCard>
      <TrendCard title={t('chart.trend_spo2')} empty={vitals.every((p) => p.spo2 === null)}>
        <LineChart
          {...common}
          data={vitals}
          unit="%"
          series={[{ name: 'spo2', label: 'SpO2', color: 'blue.6' }]}
          yAxisProps={{ domain: [80, 100] }}
          referenceLines={[{ y: 93, label: '93%', color: 'orange.6' }]}
        />
      </TrendCard>
      <TrendCard title={t('chart.trend_rr_pulse')} empty={vitals.every((p) => p.respRate === null && p.pulse === null)}>
        <LineChart
          {...common}
          data={vitals}
          withLegend
          series={[
            { name: 'respRate', label: t('field.respRate'), color: 'teal.6' },
            { name: 'pulse', label: t('field.pulse'), color: 'grape.6' },
          ]}
          yAxisProps={{ domain: [0, 'auto'] }}
        />
      </TrendCard>
      <TrendCard title={t('chart.trend_temperature')} empty={vitals.every((p) => p.temperature === null)}>
        <LineChart
          {...common}
          data={vitals}
          unit="°C"
          series={[{ name: 'temperature', label: t('field.temperature'), color: 'orange.6' }]}
          yAxisProps={{ domain: [35, 41] }}
          referenceLines={[{ y: 37.3, label: '37.3°C', color: 'red.4' }]}
        />
      </TrendCard>
      <TrendCard title={t('chart.trend_bp')} empty={vitals.every((p) => p.systolicBp === null)}>
        <LineChart
          {...common}
          data={vitals}
          withLegend
          series={[
            { name: 'systolicBp', label: t('field.systolicBp'), color: 'indigo.6' },
            { name: 'diastolicBp', label: t('field.diastolicBp'), color: 'cyan.6' },
          ]}
          yAxisProps={{ domain: [40, 'auto'] }}
        />
      </TrendCard>
      <TrendCard title={t('chart.trend_ct')} empty={ct.length === 0}>
        <div data-testid="ct-trend">
          <LineChart
            {...common}
            data={ct}
            withLegend
            series={[
              { name: 'ctN', label: t('field.ctN'), color: 'blue.6' },
              { name: 'ctOrf1ab', label: t('field.ctOrf1ab'), color: 'pink.6' },
            ]}
            yAxisProps={{ domain: [10, 40] }}
            referenceLines={[{ y: RELEASE_CT_MIN, label: t('chart.ct_line', { n: RELEASE_CT_MIN }), color: 'teal.7', strokeDasharray: '6 3' }]}
          />
        </div>
      </TrendCard>
    </SimpleGrid>
  );
}
