import type { DailyReport, DischargeStats, DrillRow } from '../../../shared/api/reports';
import { DAILY_METRICS, REPORT_CLASSES } from '../../../shared/api/reports';
import { formatLocal } from '../../../shared/domain/time';
import { translate, type Locale } from '../../../shared/i18n';
import { CSV_BOM, csvText, type CsvCell } from '../../../shared/csv';

export type Cell = CsvCell;

/** A report as a CSV file: UTF-8 with a byte-order mark, CRLF line ends, through the one writer (shared/csv). */
export function toCsv(rows: readonly (readonly Cell[])[]): string {
  return CSV_BOM + csvText(rows);
}

const scopeName = (t: (k: string) => string, name: string | null) => name ?? t('report.network');

export function dailyCsv(r: DailyReport, locale: Locale): string {
  const t = (k: string, p?: Record<string, string | number>) => translate(locale, k, p);
  const scope = r.facilityId === null ? t('report.network') : (r.rows[0]?.name ?? '');
  const out: Cell[][] = [
    [t('report.daily.title')],
    [t('report.date'), r.date, t('report.scope'), scope],
    [t('report.generated_at'), formatLocal(r.generatedAt, r.timeZone), t('report.generated_by'), r.generatedBy],
    [],
    [t('report.metric'), ...r.rows.map((x) => scopeName(t, x.name))],
  ];
  for (const m of DAILY_METRICS) {
    out.push([t(`report.metric.${m}`), ...r.rows.map((x) => x.figures[m])]);
    if (m === 'census')
      for (const c of REPORT_CLASSES) out.push([`  ${t('report.census_class', { cls: t(`report.class.${c}`) })}`, ...r.rows.map((x) => x.figures.censusByClass[c])]);
  }
  out.push([t('report.beds_total'), ...r.rows.map((x) => x.figures.beds_total)]);
  out.push([]);
  out.push([t('report.trend.title')]);
  out.push([
    t('report.date'),
    t('report.metric.census'),
    t('report.trend.severe_critical'),
    t('report.metric.admissions'),
    t('report.metric.discharges'),
    t('report.metric.deaths'),
    t('report.metric.transfers_in'),
    t('report.metric.transfers_out'),
    t('report.metric.became_severe'),
    t('report.metric.became_critical'),
  ]);
  for (const p of r.trend) out.push([p.date, p.census, p.severeCritical, p.admissions, p.discharges, p.deaths, p.transfersIn, p.transfersOut, p.becameSevere, p.becameCritical]);
  return toCsv(out);
}

export function statsCsv(s: DischargeStats, scope: string, locale: Locale): string {
  const t = (k: string, p?: Record<string, string | number>) => translate(locale, k, p);
  const q = (x: DischargeStats['lengthOfStay']) => [x.n, x.median, x.q1, x.q3, x.mean, x.min, x.max];
  const out: Cell[][] = [
    [t('report.stats.title')],
    [t('report.range'), `${s.from} ~ ${s.to}`, t('report.scope'), scope],
    [t('report.generated_at'), formatLocal(s.generatedAt, s.timeZone), t('report.generated_by'), s.generatedBy],
    [],
    [t('report.stats.total'), s.total],
    [t('report.stats.discharged'), s.discharged],
    [t('report.metric.deaths'), s.deaths],
    [],
    [t('report.date'), t('report.stats.discharged'), t('report.metric.deaths'), t('report.stats.cumulative')],
    ...s.perDay.map((d) => [d.date, d.discharged, d.deaths, d.cumulative]),
    [],
    [t('report.stats.by_facility'), t('report.stats.count')],
    ...s.byFacility.map((f) => [f.name, f.n]),
    [],
    [t('report.stats.by_class_admission'), t('report.stats.count')],
    ...s.byClassAtAdmission.map((c) => [t(`report.class.${c.class}`), c.n]),
    [],
    [t('report.stats.by_worst_class'), t('report.stats.count')],
    ...s.byWorstClass.map((c) => [t(`report.class.${c.class}`), c.n]),
    [],
    [t('report.stats.by_disposition'), t('report.stats.count')],
    ...s.byDisposition.map((d) => [t(`discharge.disposition.${d.disposition}`), d.n]),
    [],
    ['', 'n', t('report.stats.median'), 'Q1', 'Q3', t('report.stats.mean'), t('report.stats.min'), t('report.stats.max')],
    [t('report.stats.los_days'), ...q(s.lengthOfStay)],
    [t('report.stats.to_criteria_days'), ...q(s.daysToCriteria)],
    [t('report.stats.criteria_not_met'), s.daysToCriteria.notMet],
  ];
  return toCsv(out);
}

export function drillCsv(rows: readonly DrillRow[], title: string, tz: string, locale: Locale): string {
  const t = (k: string) => translate(locale, k);
  const out: Cell[][] = [
    [title],
    [
      t('patient.name'),
      t('patient.sex'),
      t('patient.age'),
      t('report.col.facility'),
      t('report.col.ward'),
      t('report.col.bed'),
      t('report.col.admitted_at'),
      t('report.col.at'),
      t('report.col.class'),
      t('report.col.from_class'),
      t('report.col.other_facility'),
      t('report.col.disposition'),
      t('report.col.days'),
    ],
  ];
  for (const r of rows) {
    out.push([
      r.name,
      t(`sex.${r.sex}`),
      r.ageYears,
      r.facilityName,
      r.wardName,
      r.bedLabel,
      formatLocal(r.admittedAt, tz),
      r.at ? formatLocal(r.at, tz) : null,
      r.cls ? t(`report.class.${r.cls}`) : null,
      r.fromClass ? t(`report.class.${r.fromClass}`) : null,
      r.otherFacility,
      r.disposition ? t(`discharge.disposition.${r.disposition}`) : null,
      r.days,
    ]);
  }
  return toCsv(out);
}
