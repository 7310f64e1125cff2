import type { Ctx, DomainHandlers } from '../context';
import { daysBetween, localDate } from '../../../shared/domain/time';
import { AppError } from '../../../shared/errors';
import { translate } from '../../../shared/i18n';
import { settingsOf } from '../settings/settings';
import { dailyCsv, drillCsv, statsCsv } from './csv';
import { dailyReport } from './daily';
import { drillRows, type DrillArgs } from './drill';
import { dischargeStats } from './stats';

/** A report covers at most a year (the statistics loop over its days). */
const MAX_RANGE_DAYS = 366;

function checkFacility(ctx: Ctx, facilityId: number | null): void {
  if (facilityId === null) return;
  if (!ctx.stmt<[number], { id: number }>('SELECT id FROM facility WHERE id = ?').get(facilityId)) throw AppError.field('facilityId', 'error.facility_not_found');
}

function checkDate(ctx: Ctx, field: string, date: string, tz: string): void {
  if (date > localDate(ctx.now, tz)) throw AppError.field(field, 'validation.future');
}

function checkRange(ctx: Ctx, from: string, to: string, tz: string): void {
  checkDate(ctx, 'to', to, tz);
  if (daysBetween(from, to) > MAX_RANGE_DAYS) throw AppError.field('to', 'validation.range_too_long', { max: MAX_RANGE_DAYS });
}

function checkDrill(ctx: Ctx, d: DrillArgs, tz: string): void {
  checkFacility(ctx, d.facilityId);
  if (d.date) checkDate(ctx, 'date', d.date, tz);
  if (d.from && d.to) {
    if (d.from > d.to) throw AppError.field('to', 'validation.range_order');
    checkRange(ctx, d.from, d.to, tz);
  }
}

const facilityLabel = (ctx: Ctx, facilityId: number | null, locale: 'zh-CN' | 'en') =>
  facilityId === null ? translate(locale, 'report.network') : (ctx.stmt<[number], { name: string }>('SELECT name FROM facility WHERE id = ?').get(facilityId)?.name ?? '');
const fileScope = (facilityId: number | null) => (facilityId === null ? 'network' : `facility-${facilityId}`);

export const reportHandlers: DomainHandlers<'reports'> = {
  daily(ctx, { date, facilityId }) {
    const tz = settingsOf(ctx).timeZone;
    checkFacility(ctx, facilityId);
    checkDate(ctx, 'date', date, tz);
    return dailyReport(ctx, date, facilityId, tz);
  },

  dischargeStats(ctx, { from, to, facilityId }) {
    const tz = settingsOf(ctx).timeZone;
    checkFacility(ctx, facilityId);
    checkRange(ctx, from, to, tz);
    return dischargeStats(ctx, from, to, facilityId, tz);
  },

  drill(ctx, input) {
    const tz = settingsOf(ctx).timeZone;
    checkDrill(ctx, input, tz);
    return { metric: input.metric, rows: drillRows(ctx, input, tz) };
  },

  csv(ctx, input) {
    const tz = settingsOf(ctx).timeZone;
    if (input.report === 'daily') {
      checkFacility(ctx, input.facilityId);
      checkDate(ctx, 'date', input.date, tz);
      const r = dailyReport(ctx, input.date, input.facilityId, tz);
      return { filename: `daily-report-${input.date}-${fileScope(input.facilityId)}.csv`, csv: dailyCsv(r, input.locale) };
    }
    if (input.report === 'stats') {
      checkFacility(ctx, input.facilityId);
      if (input.from > input.to) throw AppError.field('to', 'validation.range_order');
      checkRange(ctx, input.from, input.to, tz);
      const s = dischargeStats(ctx, input.from, input.to, input.facilityId, tz);
      return {
        filename: `discharge-stats-${input.from}-${input.to}-${fileScope(input.facilityId)}.csv`,
        csv: statsCsv(s, facilityLabel(ctx, input.facilityId, input.locale), input.locale),
      };
    }
    const d = input.drill;
    checkDrill(ctx, d, tz);
    const rows = drillRows(ctx, d, tz);
    const when = d.date ?? `${d.from ?? ''}-${d.to ?? ''}`;
    const title = `${translate(input.locale, `report.metric.${d.metric}`)} · ${facilityLabel(ctx, d.facilityId, input.locale)} · ${when}`;
    return { filename: `${d.metric}-${when}-${fileScope(d.facilityId)}.csv`, csv: drillCsv(rows, title, tz, input.locale) };
  },
};
