import { useState } from 'react';
import { Button, Group, Loader, Paper, Skeleton, Stack, Tabs, Text } from '@mantine/core';
import { IconFileSpreadsheet, IconFileTypePdf, IconPrinter } from '@tabler/icons-react';
import { addDays, DEFAULT_TIME_ZONE, localDate } from '../../../../shared/domain/time';
import { AppError } from '../../../../shared/errors';
import { ErrorPanel } from '../../components/ErrorPanel';
import { FacilitySelect } from '../../components/FacilitySelect';
import { api } from '../../lib/api';
import { useI18n } from '../../lib/i18n';
import { useNav } from '../../lib/nav';
import { canSavePdf, downloadText, printPage, savePdf } from '../../lib/print';
import { useApiQuery } from '../../lib/query';
import { DailyReportView } from './DailyReportView';
import { DrillModal, type Drill } from './DrillModal';
import { StatsView } from './StatsView';
import '@mantine/charts/styles.css';
import '../../print.css';
import { DateField } from '../../components/dates/DateFields';

const DATE_RE = /^\d{4}-\d{2}-\d{2}$/;

/** 报表: the daily severity report and the discharge statistics; print, PDF, CSV, drill-down. */
export function ReportsScreen() {
  const { t, locale, errorText, failureText } = useI18n();
  const { route, go } = useNav();
  const tab = route.params.tab === 'stats' ? 'stats' : 'daily';
  const today = localDate(new Date(), DEFAULT_TIME_ZONE);
  const [date, setDate] = useState(typeof route.params.date === 'string' ? route.params.date : today);
  const [from, setFrom] = useState(addDays(today, -13));
  const [to, setTo] = useState(today);
  const [facilityId, setFacilityId] = useState<number | null>(null);
  const [drill, setDrill] = useState<Drill | null>(null);
  const [csvError, setCsvError] = useState<string | null>(null);
  const facilities = useApiQuery('facilities:list', {});
  const scopeName = facilityId === null ? t('report.network') : (facilities.data?.find((f) => f.id === facilityId)?.name ?? '');

  const daily = useApiQuery('reports:daily', tab === 'daily' && DATE_RE.test(date) ? { date, facilityId } : null);
  const stats = useApiQuery('reports:dischargeStats', tab === 'stats' && DATE_RE.test(from) && DATE_RE.test(to) ? { from, to, facilityId } : null);
  const current = tab === 'daily' ? daily : stats;
  const tz = (tab === 'daily' ? daily.data?.timeZone : stats.data?.timeZone) ?? DEFAULT_TIME_ZONE;

  const exportCsv = async () => {
    setCsvError(null);
    try {
      const r = tab === 'daily' ? await api.reports.csv({ report: 'daily', date, facilityId, locale }) : await api.reports.csv({ report: 'stats', from, to, facilityId, locale });
      downloadText(r.filename, r.csv);
    } catch (err) {
      setCsvError(failureText(err));
    }
  };
  /** A report date, up to `max`; a refused query shows its message under the date that bounds it. */
  const dateInput = (label: string, value: string, set: (v: string) => void, max: string, error: AppError | null) => (
    <DateField label={label} value={value} max={max} onChange={set} error={error ? errorText(error) : undefined} />
  );
  const pdfName = tab === 'daily' ? `每日病情分级报告-${date}.pdf` : `出院统计-${from}-${to}.pdf`;

  return (
    <Stack gap="sm">
      <Paper withBorder p="sm" className="no-print">
        <Tabs value={tab} onChange={(v) => go('reports', { tab: v ?? 'daily' })}>
          <Tabs.List mb="sm">
            <Tabs.Tab value="daily">{t('report.tab.daily')}</Tabs.Tab>
            <Tabs.Tab value="stats">{t('report.tab.stats')}</Tabs.Tab>
          </Tabs.List>
        </Tabs>
        <Group align="flex-end" justify="space-between">
          <Group align="flex-end">
            {tab === 'daily' ? (
              dateInput(t('report.date'), date, setDate, today, daily.error)
            ) : (
              <>
                {dateInput(t('report.from'), from, setFrom, to, null)}
                {dateInput(t('report.to'), to, setTo, today, stats.error)}
              </>
            )}
            <FacilitySelect label={t('report.scope')} allLabel={t('report.network')} value={facilityId} onChange={setFacilityId} w={230} />
          </Group>
          <Group>
            {current.isFetching && current.data && <Loader size="sm" aria-label={t('report.loading')} />}
            <Button leftSection={<IconPrinter size={16} />} onClick={() => void printPage()} disabled={!current.data || !!current.error}>
              {t('report.print')}
            </Button>
            {canSavePdf() && (
              <Button variant="light" leftSection={<IconFileTypePdf size={16} />} onClick={() => void savePdf(pdfName)} disabled={!current.data || !!current.error}>
                {t('report.pdf')}
              </Button>
            )}
            <Button variant="light" leftSection={<IconFileSpreadsheet size={16} />} onClick={() => void exportCsv()} disabled={!current.data || !!current.error}>
              {t('report.csv')}
            </Button>
          </Group>
        </Group>
        {csvError && (
          <Text c="red" size="sm" role="alert">
            {csvError}
          </Text>
        )}
        <Text size="xs" c="dimmed" mt={4}>
          {t('report.drill_hint')}
        </Text>
      </Paper>

      {current.error && !current.error.details.issues && <ErrorPanel error={current.error} onRetry={() => void current.refetch()} />}
      {current.isFetching && !current.data && <Skeleton h={420} maw={1000} aria-busy="true" aria-label={t('common.loading')} />}
      {/* A refused or failed report replaces the one shown before: a stale report must not stay on screen, printable, beside the error. */}
      {!current.error && (
        <Paper withBorder p="lg" maw={1000} className="print-plain">
          {tab === 'daily' && daily.data && <DailyReportView r={daily.data} onDrill={setDrill} />}
          {tab === 'stats' && stats.data && <StatsView s={stats.data} scopeName={scopeName} onDrill={setDrill} />}
        </Paper>
      )}
      {drill && <DrillModal drill={drill} tz={tz} onClose={() => setDrill(null)} />}
    </Stack>
  );
}
