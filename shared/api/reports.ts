import { z } from 'zod';
import { query, READS_NETWORK } from './define';
import { Id, InstantOut, LocalDate, PatientRowShape } from './fields';
import { FACILITY_KINDS } from '../domain/enums';
import { DISCHARGE_DISPOSITIONS } from '../domain/clinical';

/**
 * Who sees the reports: hospital admin (医务科), who reports up the chain, and the expert panel,
 * who follow the severe/critical figures; both may open the patient lists behind a number. Ward
 * staff work from the board and the queue instead.
 */
export const REPORT_ROLES = ['admin', 'expert'] as const;

/** Classes in report order, then patients without a class assessment yet. */
export const REPORT_CLASSES = ['asymptomatic', 'mild', 'moderate', 'severe', 'critical', 'unassessed'] as const;
export type ReportClass = (typeof REPORT_CLASSES)[number];
export const ClassOrUnassessed = z.enum(REPORT_CLASSES);

/** The daily severity report's numbers (DESIGN.md §5); each opens to its patient list through reports:drill. */
export const DAILY_METRICS = [
  'census_prev',
  'admissions',
  'transfers_in',
  'discharges',
  'deaths',
  'transfers_out',
  'census',
  'became_severe',
  'became_critical',
  'improved',
  'awaiting_review',
  'reviews_done',
  'antiviral_started',
  'beds_occupied',
  'cum_admissions',
  'cum_discharges',
  'cum_deaths',
] as const;
export type DailyMetric = (typeof DAILY_METRICS)[number];

export const STATS_METRICS = ['stats_all', 'stats_day', 'stats_class_admission', 'stats_worst_class', 'stats_disposition'] as const;
export type StatsMetric = (typeof STATS_METRICS)[number];

export const FiguresSchema = z.object({
  census_prev: z.number().int(),
  admissions: z.number().int(),
  transfers_in: z.number().int(),
  discharges: z.number().int(),
  deaths: z.number().int(),
  transfers_out: z.number().int(),
  census: z.number().int(),
  censusByClass: z.record(z.enum(REPORT_CLASSES), z.number().int()),
  became_severe: z.number().int(),
  became_critical: z.number().int(),
  improved: z.number().int(),
  awaiting_review: z.number().int(),
  reviews_done: z.number().int(),
  /** Patients started on an antiviral that day (issue 19): start decisions recorded, per facility the patient was in then. */
  antiviral_started: z.number().int(),
  beds_occupied: z.number().int(),
  beds_total: z.number().int(),
  cum_admissions: z.number().int(),
  cum_discharges: z.number().int(),
  cum_deaths: z.number().int(),
});
export type Figures = z.infer<typeof FiguresSchema>;

export const TrendPointSchema = z.object({
  date: z.string(),
  census: z.number().int(),
  severeCritical: z.number().int(),
  admissions: z.number().int(),
  discharges: z.number().int(),
  deaths: z.number().int(),
  transfersIn: z.number().int(),
  transfersOut: z.number().int(),
  becameSevere: z.number().int(),
  becameCritical: z.number().int(),
});
export type TrendPoint = z.infer<typeof TrendPointSchema>;

const Scope = { facilityId: Id.nullable().default(null) };

export const DailyReportSchema = z.object({
  date: z.string(),
  timeZone: z.string(),
  facilityId: Id.nullable(),
  /** The local day as instants: [start, end). */
  start: InstantOut,
  end: InstantOut,
  generatedAt: InstantOut,
  generatedBy: z.string(),
  /** One row per facility in scope, then (for the network) the network total with facilityId null. */
  rows: z.array(z.object({ facilityId: Id.nullable(), name: z.string().nullable(), kind: z.enum(FACILITY_KINDS).nullable(), figures: FiguresSchema })),
  trend: z.array(TrendPointSchema),
});
export type DailyReport = z.infer<typeof DailyReportSchema>;

const Quantiles = z.object({
  n: z.number().int(),
  median: z.number().nullable(),
  q1: z.number().nullable(),
  q3: z.number().nullable(),
  mean: z.number().nullable(),
  min: z.number().nullable(),
  max: z.number().nullable(),
});
export type QuantileSummary = z.infer<typeof Quantiles>;

export const DischargeStatsSchema = z.object({
  from: z.string(),
  to: z.string(),
  timeZone: z.string(),
  facilityId: Id.nullable(),
  generatedAt: InstantOut,
  generatedBy: z.string(),
  total: z.number().int(),
  discharged: z.number().int(),
  deaths: z.number().int(),
  perDay: z.array(z.object({ date: z.string(), discharged: z.number().int(), deaths: z.number().int(), cumulative: z.number().int() })),
  byFacility: z.array(z.object({ facilityId: Id, name: z.string(), n: z.number().int() })),
  byClassAtAdmission: z.array(z.object({ class: z.enum(REPORT_CLASSES), n: z.number().int() })),
  byWorstClass: z.array(z.object({ class: z.enum(REPORT_CLASSES), n: z.number().int() })),
  byDisposition: z.array(z.object({ disposition: z.enum(DISCHARGE_DISPOSITIONS), n: z.number().int() })),
  /** Length of stay in days (discharged − admitted), over discharges other than deaths. */
  lengthOfStay: Quantiles,
  /** Days from admission to the release criteria met (second qualifying nucleic-acid sample). */
  daysToCriteria: Quantiles.extend({ notMet: z.number().int() }),
});
export type DischargeStats = z.infer<typeof DischargeStatsSchema>;

const DailyInput = z.strictObject({ date: LocalDate, ...Scope });
const StatsInput = z.strictObject({ from: LocalDate, to: LocalDate, ...Scope }).refine((v) => v.from <= v.to, { path: ['to'], error: 'validation.range_order' });

export const DrillInputSchema = z.strictObject({
  metric: z.enum([...DAILY_METRICS, ...STATS_METRICS] as [string, ...string[]]),
  date: LocalDate.optional(),
  from: LocalDate.optional(),
  to: LocalDate.optional(),
  ...Scope,
  /** Class for census/class metrics, disposition for stats_disposition, date for stats_day. */
  value: z.string().max(40).optional(),
});
export type DrillInput = z.input<typeof DrillInputSchema>;

export const DrillRowSchema = z.object({
  ...PatientRowShape,
  facilityName: z.string().nullable(),
  wardName: z.string().nullable(),
  bedLabel: z.string().nullable(),
  admittedAt: InstantOut,
  at: InstantOut.nullable(),
  cls: ClassOrUnassessed.nullable(),
  fromClass: ClassOrUnassessed.nullable(),
  otherFacility: z.string().nullable(),
  disposition: z.enum(DISCHARGE_DISPOSITIONS).nullable(),
  days: z.number().nullable(),
});
export type DrillRow = z.infer<typeof DrillRowSchema>;

/** CSV headers are written in the user's language. */
const Locale = z.enum(['zh-CN', 'en']).default('zh-CN');

export const CsvInputSchema = z.discriminatedUnion('report', [
  z.strictObject({ report: z.literal('daily'), date: LocalDate, ...Scope, locale: Locale }),
  z.strictObject({ report: z.literal('stats'), from: LocalDate, to: LocalDate, ...Scope, locale: Locale }),
  z.strictObject({ report: z.literal('drill'), drill: DrillInputSchema, locale: Locale }),
]);

export const reports = {
  daily: query({ input: DailyInput, output: DailyReportSchema, scope: READS_NETWORK, access: REPORT_ROLES }),
  dischargeStats: query({ input: StatsInput, output: DischargeStatsSchema, scope: READS_NETWORK, access: REPORT_ROLES }),
  drill: query({ input: DrillInputSchema, output: z.object({ metric: z.string(), rows: z.array(DrillRowSchema) }), scope: READS_NETWORK, access: REPORT_ROLES }),
  /** CSV text (UTF-8 with BOM, RFC 4180 quoting) of a report; the renderer saves it. */
  csv: query({ input: CsvInputSchema, output: z.object({ filename: z.string(), csv: z.string() }), scope: READS_NETWORK, access: REPORT_ROLES }),
};
