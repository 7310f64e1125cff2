import { z } from 'zod';
import { command, query, inWardsOf, READS_NETWORK } from './define';
import { Id, Instant, InstantOut, LocalDate, OptionalText, Text } from './fields';
import { ENTRY_KINDS, REVIEW_DECISIONS, TIER_CODES, type ReviewDecision } from '../domain/clinical';
import { FACILITY_KINDS, SEXES } from '../domain/enums';
import { CLASS_ORDER } from '../clinical/classify';
import { FLAG_CODES } from '../clinical/flags';

/** Decisions that ask for a move; they open a transfer request in the same transaction. */
export const TRANSFER_DECISIONS: readonly ReviewDecision[] = ['transfer_designated', 'transfer_icu'];
/** Decisions that must name the tier the patient moves to. */
export const TIER_DECISIONS: readonly ReviewDecision[] = ['escalate_tier', 'step_down', 'transfer_designated', 'transfer_icu'];

export const FlagSchema = z.object({
  code: z.enum(FLAG_CODES),
  evidence: z.record(z.string(), z.union([z.number(), z.string(), z.boolean(), z.null()])),
  since: z.string().nullable(),
});
export type Flag = z.infer<typeof FlagSchema>;

/**
 * What the panel decides for one patient. The flags the review was opened for and the class at
 * review are taken by the core from the patient's state at the moment of signing, not from the form.
 */
const ReviewFields = {
  decision: z.enum(REVIEW_DECISIONS),
  note: OptionalText(2000),
  /** Tier after the review; required for tier-changing and transfer decisions. */
  tier: z.enum(TIER_CODES).nullable().optional(),
  nextReviewDue: Instant.nullable().optional(),
  /** A change to the plan (一人一策) agreed at the review: saved as a new plan version. */
  planChange: OptionalText(1000),
  planGoals: OptionalText(1000),
  /** Where a transfer decision sends the patient; defaults to the designated hospital / its ICU. */
  toFacilityId: Id.nullable().optional(),
  toWardId: Id.nullable().optional(),
};

function decisionRules<T extends { decision: ReviewDecision; note: string | null; tier?: string | null | undefined }>(v: T, ctx: z.core.$RefinementCtx<T>) {
  if (TRANSFER_DECISIONS.includes(v.decision) && v.note === null) {
    ctx.addIssue({ code: 'custom', path: ['note'], message: 'validation.review_note_for_transfer' });
  }
  if (TIER_DECISIONS.includes(v.decision) && !v.tier) {
    ctx.addIssue({ code: 'custom', path: ['tier'], message: 'validation.review_tier_required' });
  }
}

export const ReviewInputSchema = z.strictObject({ episodeId: Id, ...ReviewFields }).superRefine(decisionRules);
export type ReviewInput = z.input<typeof ReviewInputSchema>;

export const ReviewAmendSchema = z.strictObject({ reviewId: Id, reason: Text(500), ...ReviewFields }).superRefine(decisionRules);
export type ReviewAmendInput = z.input<typeof ReviewAmendSchema>;

export const ReviewResultSchema = z.object({
  reviewId: Id,
  tierAssignmentId: Id.nullable(),
  transferId: Id.nullable(),
  planVersion: z.number().int().nullable(),
});

export const ReviewSchema = z.object({
  id: Id,
  episodeId: Id,
  at: InstantOut,
  decision: z.enum(REVIEW_DECISIONS),
  note: z.string().nullable(),
  nextReviewDue: InstantOut.nullable(),
  classAtReview: z.enum(CLASS_ORDER).nullable(),
  tierBefore: z.string().nullable(),
  tierAfter: z.string().nullable(),
  flags: z.array(FlagSchema),
  author: z.string(),
  entryKind: z.enum(ENTRY_KINDS),
  supersedesId: Id.nullable(),
  reason: z.string().nullable(),
  /** Replaced by a later amendment: shown struck through. */
  superseded: z.boolean(),
  transferId: Id.nullable(),
});
export type Review = z.infer<typeof ReviewSchema>;

/** A review of the day with the patient it concerns: the meeting record. */
export const DayReviewSchema = ReviewSchema.extend({
  patient: z.object({ id: Id, name: z.string(), sex: z.enum(SEXES), ageYears: z.number().int().nullable() }),
  place: z.object({ facilityName: z.string(), facilityKind: z.enum(FACILITY_KINDS), wardName: z.string(), bedLabel: z.string().nullable() }),
});
export type DayReview = z.infer<typeof DayReviewSchema>;

export const reviews = {
  /** The expert panel signs a review; tier, transfer and plan changes land in the same transaction. */
  record: command({ input: ReviewInputSchema, output: ReviewResultSchema, scope: inWardsOf({ episodeId: 'episode' }), access: ['expert'] }),
  /** A signed review is never edited: an amendment with a reason supersedes it. */
  amend: command({ input: ReviewAmendSchema, output: ReviewResultSchema, scope: inWardsOf({ reviewId: 'review' }), access: ['expert'] }),
  /** An episode's reviews, newest first, amendments and superseded rows included. */
  list: query({ input: z.strictObject({ episodeId: Id }), output: z.array(ReviewSchema), scope: READS_NETWORK, access: 'authenticated' }),
  /** Current reviews signed on a local day (hospital time zone), in the order they were made. */
  day: query({ input: z.strictObject({ date: LocalDate }), output: z.array(DayReviewSchema), scope: READS_NETWORK, access: ['expert', 'admin', 'ward_doctor'] }),
};
