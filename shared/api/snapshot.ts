import { z } from 'zod';
import { CLASS_CRITERION_CODES, CLASS_ORDER, FLAG_CODES, NEWS2_PARAMS, TIER_REASONS, type ClinicalClass } from '../clinical';

/**
 * Output schemas for what the rules engine says about an episode (shared/clinical results), used by
 * the round preview, the chart header and the ward board. Inputs never use these: rules propose,
 * the core computes, the renderer shows.
 */
export const ClinicalClassSchema = z.enum(CLASS_ORDER as unknown as [ClinicalClass, ...ClinicalClass[]]);
export const News2BandSchema = z.enum(['low', 'low_medium', 'medium', 'high']);
export const News2MonitoringSchema = z.enum(['q12h', 'q4to6h', 'hourly', 'continuous']);
export type News2Monitoring = z.infer<typeof News2MonitoringSchema>;

export const News2Schema = z.object({
  total: z.number().int(),
  complete: z.boolean(),
  missing: z.array(z.enum(NEWS2_PARAMS as unknown as [string, ...string[]])),
  parts: z.array(z.object({ param: z.string(), value: z.union([z.number(), z.string()]), score: z.number().int(), measuredAt: z.string() })),
  anySingleThree: z.boolean(),
  band: News2BandSchema,
  monitoring: News2MonitoringSchema,
  caveats: z.array(z.string()),
  spo2Scale: z.union([z.literal(1), z.literal(2)]),
  basedOn: z.string().nullable(),
});
export type News2Out = z.infer<typeof News2Schema>;

const EvidenceValue = z.union([z.number(), z.string(), z.boolean(), z.null()]);

export const ClassProposalSchema = z.object({
  ruleSet: z.string(),
  proposed: ClinicalClassSchema,
  ageGroup: z.enum(['adult', 'child', 'unknown']),
  criteria: z.array(z.object({ code: z.enum(CLASS_CRITERION_CODES), class: ClinicalClassSchema, values: z.record(z.string(), EvidenceValue) })),
  missing: z.array(z.string()),
});
export type ClassProposalOut = z.infer<typeof ClassProposalSchema>;

export const FlagSchema = z.object({
  code: z.enum(FLAG_CODES),
  evidence: z.record(z.string(), EvidenceValue),
  since: z.string().nullable(),
});
export type FlagOut = z.infer<typeof FlagSchema>;

export const TierCodeSchema = z.enum(['T1', 'T2', 'T3', 'T4', 'T5']);

export const TierProposalSchema = z.object({
  tier: TierCodeSchema,
  reasons: z.array(z.enum(TIER_REASONS)),
  transferNeeded: z.boolean(),
});
