import { z } from 'zod';
import { command, inWardsOf, ADMIN_ONLY } from './define';
import { Id, LocalDate } from './fields';

/** Patients per page of a range export: the renderer joins the pages into one file (BundleWriter). */
export const FHIR_PAGE_PATIENTS = 100;
/** A range export covers at most this many days. */
export const FHIR_MAX_RANGE_DAYS = 366;

const Entry = z.object({ fullUrl: z.string(), resource: z.object({ resourceType: z.string(), id: z.string() }).loose() });

export const FhirBundleSchema = z.object({
  resourceType: z.literal('Bundle'),
  id: z.string(),
  meta: z.object({ lastUpdated: z.string() }),
  type: z.literal('collection'),
  timestamp: z.string(),
  entry: z.array(Entry),
});

export const FhirRangeInputSchema = z
  .strictObject({ from: LocalDate, to: LocalDate, offset: z.number().int().min(0).default(0) })
  .refine((r) => r.from <= r.to, { path: ['to'], error: 'validation.range_order' });

export const fhir = {
  /**
   * Everything about one patient as a FHIR R4 Bundle (type collection), identifiers in full: a
   * command, because every export is audited (who, which patient, when). A ward-limited doctor
   * exports only the patients of their wards.
   */
  patient: command({
    input: z.strictObject({ patientId: Id }),
    output: z.object({ fileName: z.string(), bundle: FhirBundleSchema }),
    scope: inWardsOf({ patientId: 'patient' }),
    access: ['admin', 'ward_doctor', 'expert'],
  }),
  /** One page of the patients with an episode in the date range (hospital time zone), as bundle entries; each page is audited with its patients. */
  range: command({
    input: FhirRangeInputSchema,
    output: z.object({
      patients: z.number().int(),
      offset: z.number().int(),
      nextOffset: z.number().int().nullable(),
      bundleId: z.string(),
      timestamp: z.string(),
      entries: z.array(Entry),
    }),
    scope: ADMIN_ONLY,
    access: ['admin'],
  }),
};
