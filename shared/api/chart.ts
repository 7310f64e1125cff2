import { z } from 'zod';
import { query, READS_NETWORK } from './define';
import { Id, InstantOut, PatientRowShape } from './fields';
import { EPISODE_STATUSES, FACILITY_KINDS } from '../domain/enums';
import { ClassProposalSchema, ClinicalClassSchema, FlagSchema, News2Schema, TierCodeSchema, TierProposalSchema } from './snapshot';
import { PendingEscalationSchema, RoundSchema, Spo2ScaleSchema } from './rounds';
import { ImagingSchema, LabResultSchema } from './results';
import { ClassAssessmentSchema, TierAssignmentSchema } from './classes';
import { PlanVersionSchema } from './plans';

export const ChartHeaderSchema = z.object({
  ...PatientRowShape,
  /** Completed months when known (birth date, or an age stated in months): shown for young children. */
  ageMonths: z.number().int().nullable(),
  idCardMasked: z.string().nullable(),
  status: z.enum(EPISODE_STATUSES),
  admittedAt: InstantOut,
  dayOfStay: z.number().int(),
  facilityName: z.string().nullable(),
  facilityKind: z.enum(FACILITY_KINDS).nullable(),
  wardId: Id.nullable(),
  wardName: z.string().nullable(),
  bedLabel: z.string().nullable(),
  spo2Scale: Spo2ScaleSchema,
  riskFactors: z.array(z.string()),
  allergies: z.string().nullable(),
  chronicMedications: z.string().nullable(),
  currentClass: ClinicalClassSchema.nullable(),
  worstClass: ClinicalClassSchema.nullable(),
  proposal: ClassProposalSchema,
  tier: TierCodeSchema.nullable(),
  tierProposal: TierProposalSchema,
  news2: News2Schema.nullable(),
  /** A score that called for a clinical response nobody has answered yet (issue 13). */
  escalation: PendingEscalationSchema.nullable(),
  flags: z.array(FlagSchema),
  lastRoundAt: InstantOut.nullable(),
  nextObsDueAt: InstantOut.nullable(),
  overdue: z.boolean(),
});
export type ChartHeader = z.infer<typeof ChartHeaderSchema>;

export const VitalsPointSchema = z.object({
  at: InstantOut,
  respRate: z.number().nullable(),
  spo2: z.number().nullable(),
  onOxygen: z.boolean().nullable(),
  pulse: z.number().nullable(),
  systolicBp: z.number().nullable(),
  diastolicBp: z.number().nullable(),
  temperature: z.number().nullable(),
  news2: z.number().nullable(),
});
export const CtPointSchema = z.object({
  at: InstantOut,
  ctN: z.number().nullable(),
  ctOrf1ab: z.number().nullable(),
  ctE: z.number().nullable(),
  qualitative: z.enum(['positive', 'negative']).nullable(),
});

export const ChartSchema = z.object({
  /** The hospital's time zone: every instant is shown in it. */
  timeZone: z.string(),
  header: ChartHeaderSchema,
  trends: z.object({ vitals: z.array(VitalsPointSchema), ct: z.array(CtPointSchema) }),
  /** Every version of every row, corrections included (the chart shows originals struck through). */
  rounds: z.array(RoundSchema),
  labs: z.array(LabResultSchema),
  imaging: z.array(ImagingSchema),
  classHistory: z.array(ClassAssessmentSchema),
  tierHistory: z.array(TierAssignmentSchema),
  /** Newest first. */
  plans: z.array(PlanVersionSchema),
});
export type Chart = z.infer<typeof ChartSchema>;

export const chart = {
  get: query({ input: z.strictObject({ episodeId: Id }), output: ChartSchema, scope: READS_NETWORK, access: 'authenticated' }),
};
