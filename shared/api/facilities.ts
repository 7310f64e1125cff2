import { z } from 'zod';
import { query, NOT_WARD_DATA, READS_NETWORK } from './define';
import { RowVersion } from './version';
import { Id, InstantOut, NoInput, PatientRowShape } from './fields';
import { BED_STATES, BED_TAGS, FACILITY_KINDS, WARD_KINDS } from '../domain/enums';
import { ClinicalClassSchema, FlagSchema, News2BandSchema, TierCodeSchema } from './snapshot';
import { PendingEscalationSchema } from './rounds';

export const WardSummarySchema = z.object({
  id: Id,
  code: z.string(),
  name: z.string(),
  kind: z.enum(WARD_KINDS),
  beds: z.number().int(),
  occupied: z.number().int(),
  free: z.number().int(),
});

export const FacilitySchema = z.object({
  id: Id,
  code: z.string(),
  name: z.string(),
  kind: z.enum(FACILITY_KINDS),
  wards: z.array(WardSummarySchema),
});
export type Facility = z.infer<typeof FacilitySchema>;

export const OccupantSchema = z.object({
  ...PatientRowShape,
  admittedAt: InstantOut,
  dayOfStay: z.number().int(),
  /** From episode_state (recomputed with every clinical write): what the board shows about severity. */
  currentClass: ClinicalClassSchema.nullable(),
  proposedClass: ClinicalClassSchema.nullable(),
  tier: TierCodeSchema.nullable(),
  news2Total: z.number().int().nullable(),
  news2Band: News2BandSchema.nullable(),
  news2Complete: z.boolean().nullable(),
  flags: z.array(FlagSchema.shape.code),
  /** Next observation due by the NEWS2 monitoring frequency; overdue when it has passed. */
  nextObsDueAt: InstantOut.nullable(),
  overdue: z.boolean(),
  /** Queue urgency (electron/core/clinical/state.ts urgencyOf): the "sickest first" order. */
  urgency: z.number().int(),
  /** A score that called for a clinical response nobody has answered yet (issue 13): the bed's alert. */
  escalation: PendingEscalationSchema.nullable(),
});

export const BedSchema = z.object({
  id: Id,
  label: z.string(),
  state: z.enum(BED_STATES),
  tags: z.array(z.enum(BED_TAGS)),
  occupant: OccupantSchema.nullable(),
  /** Sent back by beds:setState: the bed as the board showed it. */
  version: RowVersion,
});
export type Bed = z.infer<typeof BedSchema>;

export const WardBoardSchema = z.object({
  ward: z.object({ id: Id, name: z.string(), kind: z.enum(WARD_KINDS), facilityId: Id, facilityName: z.string(), facilityKind: z.enum(FACILITY_KINDS) }),
  beds: z.array(BedSchema),
});
export type WardBoard = z.infer<typeof WardBoardSchema>;

export const facilities = {
  list: query({ input: NoInput, output: z.array(FacilitySchema), scope: NOT_WARD_DATA, access: 'authenticated' }),
};

export const wards = {
  board: query({ input: z.strictObject({ wardId: Id }), output: WardBoardSchema, scope: READS_NETWORK, access: 'authenticated' }),
};
