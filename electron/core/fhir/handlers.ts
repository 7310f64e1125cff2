import { AppError } from '../../../shared/errors';
import type { DomainHandlers } from '../context';
import { FHIR_MAX_RANGE_DAYS, FHIR_PAGE_PATIENTS } from '../../../shared/api/fhir';
import { addDays, daysBetween, localDate, startOfLocalDay } from '../../../shared/domain/time';
import type { BundleEntry } from '../../../shared/fhir/bundle';
import { settingsOf } from '../settings/settings';
import { patientEntries, urnOf } from './build';

/** Locations shared by several patients appear once per bundle. */
function unique(entries: BundleEntry[]): BundleEntry[] {
  const seen = new Set<string>();
  return entries.filter((e) => (seen.has(e.fullUrl) ? false : (seen.add(e.fullUrl), true)));
}

export const fhirHandlers: DomainHandlers<'fhir'> = {
  patient(ctx, { patientId }) {
    const entries = patientEntries(ctx, patientId);
    if (entries.length === 0) throw new AppError('NOT_FOUND', `patient ${patientId} not found`, { key: 'error.patient_not_found' });
    const day = localDate(ctx.now, settingsOf(ctx).timeZone);
    ctx.audit({ action: 'export.fhir_patient', entity: 'patient', entityId: patientId, patientId, after: { format: 'FHIR R4', resources: entries.length } });
    return {
      fileName: `echelon-fhir-patient-${patientId}-${day}.json`,
      bundle: {
        resourceType: 'Bundle',
        id: urnOf('bundle', `${patientId}/${ctx.now}`).slice(9),
        meta: { lastUpdated: ctx.now },
        type: 'collection',
        timestamp: ctx.now,
        entry: unique(entries),
      },
    };
  },

  range(ctx, { from, to, offset }) {
    if (daysBetween(from, to) >= FHIR_MAX_RANGE_DAYS) throw AppError.field('to', 'fhir.range_too_long', { max: FHIR_MAX_RANGE_DAYS });
    const tz = settingsOf(ctx).timeZone;
    const start = startOfLocalDay(from, tz);
    const end = startOfLocalDay(addDays(to, 1), tz);
    // Episodes that overlap the range: admitted before its end and not ended before its start.
    const where = `FROM episode WHERE admitted_at < @end AND (ended_at IS NULL OR ended_at >= @start)`;
    const patients = ctx.stmt<{ start: string; end: string }, { n: number }>(`SELECT count(DISTINCT patient_id) AS n ${where}`).get({ start, end })?.n ?? 0;
    const ids = ctx
      .stmt<{ start: string; end: string; offset: number }, { patient_id: number }>(
        `SELECT DISTINCT patient_id ${where} ORDER BY patient_id LIMIT ${FHIR_PAGE_PATIENTS} OFFSET @offset`,
      )
      .all({ start, end, offset });
    const entries = unique(ids.flatMap((r) => patientEntries(ctx, r.patient_id)));
    const nextOffset = offset + ids.length < patients ? offset + ids.length : null;
    ctx.audit({ action: 'export.fhir_range', entity: 'patient', after: { format: 'FHIR R4', from, to, offset, patientIds: ids.map((r) => r.patient_id) } });
    return { patients, offset, nextOffset, bundleId: urnOf('bundle', `${from}/${to}/${ctx.now}`).slice(9), timestamp: ctx.now, entries };
  },
};
