import { z } from 'zod';
import { command, query, inWardsOf, READS_NETWORK } from './define';
import { RowVersion } from './version';
import { Id, InstantOut, Text } from './fields';
import { FACILITY_KINDS, SEXES } from '../domain/enums';
import { TRANSFER_STATUSES } from '../domain/clinical';
import { CLASS_ORDER } from '../clinical/classify';
import { FLAG_CODES } from '../clinical/flags';

/**
 * Reasons the system itself closes a request with (stored in `cancel_reason`, translated as
 * `transfer.cancel_reason.<key>`): the discharge handler closes a still-open request with
 * 'discharged' or 'deceased'; amending the review that opened it to another decision closes it with
 * 'review_amended'. A person cancelling types the reason.
 */
export const SYSTEM_CANCEL_REASONS = ['discharged', 'deceased', 'review_amended'] as const;
export type SystemCancelReason = (typeof SYSTEM_CANCEL_REASONS)[number];

/** The statuses of a request that still holds the episode (one per episode, enforced by a unique index). */
export const OPEN_TRANSFER_STATUSES = ['requested', 'bed_assigned'] as const;

const Place = z.object({ id: Id, name: z.string() });

export const TransferSchema = z.object({
  id: Id,
  episodeId: Id,
  patientId: Id,
  status: z.enum(TRANSFER_STATUSES),
  reason: z.string(),
  reviewId: Id.nullable(),
  requestedAt: InstantOut,
  requestedBy: z.string(),
  from: z.object({ facility: Place.extend({ kind: z.enum(FACILITY_KINDS) }), ward: Place, bedLabel: z.string().nullable() }),
  to: z.object({ facility: Place.extend({ kind: z.enum(FACILITY_KINDS) }), ward: Place.nullable(), bed: Place.nullable() }),
  assignedAt: InstantOut.nullable(),
  assignedBy: z.string().nullable(),
  completedAt: InstantOut.nullable(),
  completedBy: z.string().nullable(),
  cancelledAt: InstantOut.nullable(),
  cancelledBy: z.string().nullable(),
  cancelReason: z.string().nullable(),
  /** Sent back by assignBed, complete and cancel: the request as the user saw it. */
  version: RowVersion,
});
export type Transfer = z.infer<typeof TransferSchema>;

/** What the receiving ward needs to know about an incoming patient. */
export const IncomingSchema = TransferSchema.extend({
  patient: z.object({
    name: z.string(),
    sex: z.enum(SEXES),
    ageYears: z.number().int().nullable(),
    riskFactors: z.array(z.string()),
    allergies: z.string().nullable(),
    chronicMedications: z.string().nullable(),
    admittedAt: InstantOut,
    dayOfStay: z.number().int(),
  }),
  currentClass: z.enum(CLASS_ORDER as [string, ...string[]]).nullable(),
  proposedClass: z.enum(CLASS_ORDER as [string, ...string[]]).nullable(),
  tier: z.string().nullable(),
  news2Total: z.number().int().nullable(),
  news2Band: z.string().nullable(),
  flagCodes: z.array(z.enum(FLAG_CODES)),
  /** The bed tags the patient's condition suggests (oxygen when on oxygen or SpO2-flagged). */
  onOxygen: z.boolean().nullable(),
});
export type Incoming = z.infer<typeof IncomingSchema>;

export const TransferRequestInputSchema = z.strictObject({
  episodeId: Id,
  toFacilityId: Id,
  /** Optional: the receiving facility may choose the ward when it assigns the bed. */
  toWardId: Id.nullable().optional(),
  reason: Text(500),
});
export type TransferRequestInput = z.input<typeof TransferRequestInputSchema>;

export const transfers = {
  /** Opens a request to move the patient to another facility or ward; one open request per episode. */
  request: command({ input: TransferRequestInputSchema, output: TransferSchema, scope: inWardsOf({ episodeId: 'episode' }), access: ['ward_doctor', 'expert', 'admin'] }),
  /** The receiving side reserves a free bed for the request (or swaps the reservation to another bed). */
  assignBed: command({
    input: z.strictObject({ transferId: Id, bedId: Id, version: RowVersion }),
    output: TransferSchema,
    scope: inWardsOf({ transferId: 'transferDestination', bedId: 'bed' }),
    access: ['ward_doctor', 'admin'],
  }),
  /** The patient has arrived: the placement moves to the reserved bed in the same episode. */
  complete: command({
    input: z.strictObject({ transferId: Id, version: RowVersion }),
    output: TransferSchema,
    scope: inWardsOf({ transferId: 'transferDestination' }),
    access: ['ward_doctor', 'admin'],
  }),
  cancel: command({
    input: z.strictObject({ transferId: Id, reason: Text(500), version: RowVersion }),
    output: TransferSchema,
    scope: inWardsOf({ transferId: 'transferEitherSide' }),
    access: ['ward_doctor', 'expert', 'admin'],
  }),
  /** Open requests towards a facility (optionally one ward, plus requests not yet given a ward). */
  listIncoming: query({
    input: z.strictObject({ facilityId: Id, wardId: Id.optional() }),
    output: z.object({ timeZone: z.string(), transfers: z.array(IncomingSchema) }),
    scope: READS_NETWORK,
    access: 'authenticated',
  }),
  /** Every request of an episode, newest first: the chart's transfer history. */
  forEpisode: query({ input: z.strictObject({ episodeId: Id }), output: z.array(TransferSchema), scope: READS_NETWORK, access: 'authenticated' }),
};
