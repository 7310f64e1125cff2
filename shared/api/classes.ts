import { z } from 'zod';
import { command, query, inWardsOf, NOT_WARD_DATA } from './define';
import { Id, InstantOut, OptionalText, Text, orNull } from './fields';
import type { Role } from '../domain/enums';
import { ClinicalClassSchema, TierCodeSchema } from './snapshot';
import { SignedMetaShape } from './rounds';

/** Doctors decide the class and the tier; the expert panel may too. Rules only propose. */
export const DECIDING_ROLES: readonly Role[] = ['ward_doctor', 'expert'];

export const AssessClassSchema = z
  .strictObject({
    episodeId: Id,
    /** The proposal the doctor was shown; a different proposal now means the data changed meanwhile. */
    proposedClass: ClinicalClassSchema,
    decision: z.enum(['confirmed', 'overridden']),
    class: orNull(ClinicalClassSchema),
    overrideReason: OptionalText(500),
  })
  .superRefine((v, ctx) => {
    if (v.decision !== 'overridden') return;
    if (v.class === null) ctx.addIssue({ code: 'custom', path: ['class'], message: 'validation.required' });
    else if (v.class === v.proposedClass) ctx.addIssue({ code: 'custom', path: ['class'], message: 'validation.override_same' });
    if (v.overrideReason === null) ctx.addIssue({ code: 'custom', path: ['overrideReason'], message: 'validation.override_reason' });
  });
export type AssessClassInput = z.input<typeof AssessClassSchema>;

export const ClassAssessmentSchema = z.object({
  ...SignedMetaShape,
  assessedAt: InstantOut,
  class: ClinicalClassSchema,
  proposedClass: ClinicalClassSchema.nullable(),
  ruleSet: z.string(),
  criteria: z.array(z.string()),
  decision: z.enum(['confirmed', 'overridden']),
  overrideReason: z.string().nullable(),
});
export type ClassAssessment = z.infer<typeof ClassAssessmentSchema>;

export const classes = {
  /** Confirms the rule proposal, or overrides it with a class and a reason; stored with the proposal. */
  assess: command({ input: AssessClassSchema, output: z.object({ assessmentId: Id }), scope: inWardsOf({ episodeId: 'episode' }), access: DECIDING_ROLES }),
  enterInError: command({
    input: z.strictObject({ assessmentId: Id, reason: Text(500) }),
    output: z.object({ id: Id }),
    scope: inWardsOf({ assessmentId: 'assessment' }),
    access: DECIDING_ROLES,
  }),
};

export const TierDefSchema = z.object({
  code: TierCodeSchema,
  nameZh: z.string(),
  nameEn: z.string(),
  descriptionZh: z.string(),
  descriptionEn: z.string(),
  placement: z.string(),
});

export const TierAssignmentSchema = z.object({
  ...SignedMetaShape,
  at: InstantOut,
  tier: TierCodeSchema,
  proposedTier: TierCodeSchema.nullable(),
  source: z.enum(['admission', 'manual', 'review']),
});
export type TierAssignment = z.infer<typeof TierAssignmentSchema>;

export const tiers = {
  list: query({ input: z.strictObject({}), output: z.array(TierDefSchema), scope: NOT_WARD_DATA, access: 'authenticated' }),
  /** A tier change always carries a reason. */
  assign: command({
    input: z.strictObject({ episodeId: Id, tier: TierCodeSchema, reason: Text(500) }),
    output: z.object({ assignmentId: Id }),
    scope: inWardsOf({ episodeId: 'episode' }),
    access: DECIDING_ROLES,
  }),
};
