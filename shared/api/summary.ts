import { z } from 'zod';
import { query, READS_NETWORK } from './define';
import { Id, InstantOut, PersonShape } from './fields';
import { EPISODE_STATUSES, FACILITY_KINDS } from '../domain/enums';
import { PLAN_ITEM_KINDS } from '../domain/clinical';
import { CLASS_ORDER } from '../clinical/classify';
import { DischargeRecordSchema, NucleicAcidRowSchema } from './discharge';
import { DecisionRecordSchema, MedicationListSchema } from './antiviral';

/** 出院小结: everything the printed discharge summary of one episode shows. */
export const DischargeSummarySchema = z.object({
  episodeId: Id,
  timeZone: z.string(),
  generatedAt: InstantOut,
  generatedBy: z.string(),
  patient: z.object({
    ...PersonShape,
    idCardMasked: z.string().nullable(),
    phone: z.string().nullable(),
    community: z.string().nullable(),
    riskFactors: z.array(z.string()),
    allergies: z.string().nullable(),
    chronicMedications: z.string().nullable(),
  }),
  admittedAt: InstantOut,
  endedAt: InstantOut.nullable(),
  status: z.enum(EPISODE_STATUSES),
  /** 住院天数: discharge date − admission date in the hospital's time zone; a same-day stay counts 1. */
  lengthOfStayDays: z.number().int(),
  placements: z.array(
    z.object({
      facilityName: z.string(),
      facilityKind: z.enum(FACILITY_KINDS),
      wardName: z.string(),
      bedLabel: z.string().nullable(),
      startAt: InstantOut,
      endAt: InstantOut.nullable(),
      beganBy: z.string(),
    }),
  ),
  classes: z.array(z.object({ at: InstantOut, class: z.enum(CLASS_ORDER as [string, ...string[]]), decision: z.string() })),
  tiers: z.array(z.object({ at: InstantOut, tier: z.string() })),
  tests: z.array(NucleicAcidRowSchema),
  treatment: z.array(
    z.object({
      kind: z.enum(PLAN_ITEM_KINDS),
      detail: z.string().nullable(),
      startDate: z.string().nullable(),
      courseDays: z.number().int().nullable(),
      firstVersion: z.number().int(),
      lastVersion: z.number().int(),
      since: InstantOut,
    }),
  ),
  /** The chronic medicines as last listed (issue 19); null when only free text was ever recorded. */
  medications: MedicationListSchema.nullable(),
  /** Antiviral decisions, oldest first: each with its reason and the interactions handled (issue 19). */
  antivirals: z.array(DecisionRecordSchema),
  discharge: DischargeRecordSchema.nullable(),
});
export type DischargeSummary = z.infer<typeof DischargeSummarySchema>;

export const summary = {
  get: query({ input: z.strictObject({ episodeId: Id }), output: DischargeSummarySchema, scope: READS_NETWORK, access: 'authenticated' }),
};
