import { z } from 'zod';
import { command, query, inWardsOf, READS_NETWORK } from './define';
import { RowVersion } from './version';
import { Id, InstantOut, OptionalText, PatientRowShape } from './fields';
import { BED_STATES, BED_TAGS, FACILITY_KINDS, WARD_KINDS } from '../domain/enums';
import { AdmitInputSchema } from './patients';

/**
 * States a person may set. `occupied` is never set by hand: it follows the placements (admission,
 * transfer, move), so the board can never show an occupied bed without a patient or the reverse.
 */
export const SETTABLE_BED_STATES = ['free', 'reserved', 'cleaning', 'out_of_service'] as const;

export const BedStateInputSchema = z
  .strictObject({
    bedId: Id,
    state: z.enum(SETTABLE_BED_STATES),
    reason: OptionalText(300),
    /** The bed's version on the board the user acted from. */
    version: RowVersion,
  })
  .refine((v) => v.state !== 'out_of_service' || v.reason !== null, { path: ['reason'], error: 'validation.beds_reason_required' });
export type BedStateInput = z.input<typeof BedStateInputSchema>;

export const BedStateResultSchema = z.object({ bedId: Id, label: z.string(), before: z.enum(BED_STATES), state: z.enum(BED_STATES) });

/** Admission when the ward has no free bed: the patient is admitted to the ward's waiting list. */
export const AdmitWaitingInputSchema = AdmitInputSchema.omit({ bedId: true });
export type AdmitWaitingInput = z.input<typeof AdmitWaitingInputSchema>;

export const WaitingPatientSchema = z.object({
  placementId: Id,
  ...PatientRowShape,
  wardId: Id,
  wardName: z.string(),
  waitingSince: InstantOut,
  admittedAt: InstantOut,
  currentClass: z.string().nullable(),
  proposedClass: z.string().nullable(),
  flagCount: z.number().int(),
});
export type WaitingPatient = z.infer<typeof WaitingPatientSchema>;

const StateCounts = z.object({
  total: z.number().int(),
  free: z.number().int(),
  reserved: z.number().int(),
  occupied: z.number().int(),
  cleaning: z.number().int(),
  out_of_service: z.number().int(),
  /** Patients on the ward's waiting list (an open placement without a bed). */
  waiting: z.number().int(),
  /** Free beds per tag, e.g. `{ oxygen: 12 }`; tags with no free bed are absent. */
  freeByTag: z.partialRecord(z.enum(BED_TAGS), z.number().int()),
});

export const AvailabilitySchema = z.array(
  z.object({
    id: Id,
    name: z.string(),
    kind: z.enum(FACILITY_KINDS),
    totals: StateCounts,
    wards: z.array(StateCounts.extend({ id: Id, name: z.string(), kind: z.enum(WARD_KINDS) })),
  }),
);
export type Availability = z.infer<typeof AvailabilitySchema>;

export const FreeBedSchema = z.object({
  id: Id,
  label: z.string(),
  wardId: Id,
  wardName: z.string(),
  wardKind: z.enum(WARD_KINDS),
  tags: z.array(z.enum(BED_TAGS)),
  version: RowVersion,
});
export type FreeBed = z.infer<typeof FreeBedSchema>;

export const MoveResultSchema = z.object({ episodeId: Id, placementId: Id, bedId: Id });

export const beds = {
  setState: command({ input: BedStateInputSchema, output: BedStateResultSchema, scope: inWardsOf({ bedId: 'bed' }), access: ['ward_doctor', 'nurse', 'admin'] }),
  /** Two patients exchange beds in one transaction (same facility). */
  swap: command({
    input: z.strictObject({ bedA: Id, bedB: Id }),
    output: z.object({ ok: z.literal(true) }),
    scope: inWardsOf({ bedA: 'bed', bedB: 'bed' }),
    access: ['ward_doctor', 'nurse', 'admin'],
  }),
  /** Puts a patient into a free bed of the same facility: from the waiting list, or from another bed (which then needs cleaning). */
  place: command({
    input: z.strictObject({ episodeId: Id, bedId: Id }),
    output: MoveResultSchema,
    scope: inWardsOf({ episodeId: 'episode', bedId: 'bed' }),
    access: ['ward_doctor', 'nurse', 'admin'],
  }),
  admitWaiting: command({
    input: AdmitWaitingInputSchema,
    output: z.object({ patientId: Id, episodeId: Id, placementId: Id }),
    scope: inWardsOf({ wardId: 'ward' }),
    access: ['admin', 'ward_doctor'],
  }),
  /** A facility's waiting list, per ward, longest waiting first. */
  waiting: query({ input: z.strictObject({ facilityId: Id }), output: z.array(WaitingPatientSchema), scope: READS_NETWORK, access: 'authenticated' }),
  /** The free beds of a facility (optionally one ward), for choosing one: ward by ward, in bed order. */
  freeBeds: query({ input: z.strictObject({ facilityId: Id, wardId: Id.optional() }), output: z.array(FreeBedSchema), scope: READS_NETWORK, access: 'authenticated' }),
  /** Free beds per facility and ward, with counts by tag (oxygen, monitor…). */
  availability: query({ input: z.strictObject({ facilityId: Id.optional() }), output: AvailabilitySchema, scope: READS_NETWORK, access: 'authenticated' }),
};
