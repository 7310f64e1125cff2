import { z } from 'zod';
import { command, query, inWardsOf, READS_NETWORK } from './define';
import { Id, Instant, InstantOut, OptionalText, Text, UncheckedInstant, orNull } from './fields';
import { ACVPU, SYMPTOM_CODES, VITAL_SIGN_LIMITS, type Acvpu, type Limit, type SymptomCode, type VitalField } from '../clinical';
import { CLINICAL_SIGNS, ENTRY_KINDS, OXYGEN_DEVICES } from '../domain/clinical';
import { NEWS2_PARAMS, type News2Param } from '../clinical/news2';
import { ClassProposalSchema, FlagSchema, News2BandSchema, News2Schema } from './snapshot';
import type { Role } from '../domain/enums';

/** Who records bedside observations. The expert panel and admin read them. */
export const ROUND_ROLES: readonly Role[] = ['ward_doctor', 'nurse'];

export const VITAL_FIELDS = Object.keys(VITAL_SIGN_LIMITS) as [VitalField, ...VitalField[]];
export const AcvpuSchema = z.enum(ACVPU as unknown as [Acvpu, ...Acvpu[]]);
export const SymptomSchema = z.enum(SYMPTOM_CODES as unknown as [SymptomCode, ...SymptomCode[]]);
export const Spo2ScaleSchema = z.union([z.literal(1), z.literal(2)]);

/** A vital sign within the physiological limits of shared/clinical (outside them: impossible, refused). */
function vital(limit: Limit, integer: boolean) {
  const n = integer ? z.number().int() : z.number();
  return orNull(n.min(limit.min).max(limit.max));
}

const L = VITAL_SIGN_LIMITS;

/**
 * The values of one bedside observation, in the order of the paper chart. Every value is optional:
 * partial rounds are allowed (NEWS2 then shows as incomplete). `symptoms: null` means symptoms were
 * not assessed on this round; `[]` means assessed and none present.
 */
export const roundValueShape = {
  respRate: vital(L.respRate, true),
  spo2: vital(L.spo2, true),
  /** Defaults to the episode's scale; only a doctor may change it (RCP 2017: a clinical decision). */
  spo2Scale: Spo2ScaleSchema.optional(),
  onOxygen: orNull(z.boolean()),
  o2Device: orNull(z.enum(OXYGEN_DEVICES)),
  o2Flow: vital(L.oxygenFlow, false),
  systolicBp: vital(L.systolicBp, true),
  diastolicBp: vital(L.diastolicBp, true),
  pulse: vital(L.pulse, true),
  consciousness: orNull(AcvpuSchema),
  temperature: vital(L.temperature, false),
  symptoms: z
    .array(SymptomSchema)
    .max(SYMPTOM_CODES.length)
    .nullable()
    .optional()
    .transform((v) => (v ? [...new Set(v)] : null)),
  signs: z
    .array(z.enum(CLINICAL_SIGNS))
    .max(CLINICAL_SIGNS.length)
    .default([])
    .transform((v) => [...new Set(v)]),
  note: OptionalText(1000),
  /** Plausible-but-extreme values the user explicitly confirmed (shared/clinical validateVitals warnings). */
  confirmedExtremes: z.array(z.enum(VITAL_FIELDS)).max(VITAL_FIELDS.length).default([]),
};

/** The values of a round after parsing: what the cross-field checks see and the core stores. */
export interface RoundValues {
  respRate: number | null;
  spo2: number | null;
  onOxygen: boolean | null;
  o2Device: string | null;
  o2Flow: number | null;
  systolicBp: number | null;
  diastolicBp: number | null;
  pulse: number | null;
  consciousness: Acvpu | null;
  temperature: number | null;
  symptoms: string[] | null;
  signs: string[];
  note: string | null;
}

/** Cross-field checks, identical in the form (precheck) and in dispatch. */
function roundChecks(v: RoundValues, ctx: z.core.$RefinementCtx): void {
  if (v.onOxygen !== true && v.o2Device !== null) ctx.addIssue({ code: 'custom', path: ['o2Device'], message: 'validation.device_needs_oxygen' });
  // Oxygen is a prescription given through a device: "on oxygen" without one is not a record (issue 13).
  if (v.onOxygen === true && v.o2Device === null) ctx.addIssue({ code: 'custom', path: ['o2Device'], message: 'validation.o2_device_required' });
  if (v.onOxygen !== true && v.o2Flow !== null && v.o2Flow > 0) ctx.addIssue({ code: 'custom', path: ['o2Flow'], message: 'validation.flow_needs_oxygen' });
  if (v.systolicBp !== null && v.diastolicBp !== null && v.diastolicBp >= v.systolicBp) {
    ctx.addIssue({ code: 'custom', path: ['diastolicBp'], message: 'validation.diastolic_not_below_systolic' });
  }
  const values = [v.respRate, v.spo2, v.onOxygen, v.systolicBp, v.diastolicBp, v.pulse, v.consciousness, v.temperature, v.symptoms, v.note];
  if (values.every((x) => x === null) && v.signs.length === 0) ctx.addIssue({ code: 'custom', path: [], message: 'validation.round_empty' });
}

export const RecordRoundSchema = z.strictObject({ episodeId: Id, measuredAt: Instant, ...roundValueShape }).superRefine(roundChecks);
export type RecordRoundInput = z.input<typeof RecordRoundSchema>;

export const AmendRoundSchema = z.strictObject({ roundId: Id, reason: Text(500), measuredAt: Instant, ...roundValueShape }).superRefine(roundChecks);
export type AmendRoundInput = z.input<typeof AmendRoundSchema>;

export const EnterInErrorSchema = z.strictObject({ roundId: Id, reason: Text(500) });

/**
 * While typing: values are not range-checked here (an impossible value is reported back in `errors`
 * and left out of the score), so the preview never fails on a half-typed number.
 */
const loose = z
  .number()
  .nullable()
  .optional()
  .transform((v) => (typeof v === 'number' && Number.isFinite(v) ? v : null));
export const PreviewRoundSchema = z.strictObject({
  episodeId: Id,
  /** When previewing an amendment: the round it would replace (left out of the score). */
  replacesId: Id.optional(),
  measuredAt: UncheckedInstant.optional(),
  respRate: loose,
  spo2: loose,
  spo2Scale: Spo2ScaleSchema.optional(),
  onOxygen: orNull(z.boolean()),
  o2Flow: loose,
  systolicBp: loose,
  diastolicBp: loose,
  pulse: loose,
  consciousness: orNull(AcvpuSchema),
  temperature: loose,
  symptoms: orNull(z.array(SymptomSchema).max(SYMPTOM_CODES.length)),
  signs: z.array(z.enum(CLINICAL_SIGNS)).max(CLINICAL_SIGNS.length).default([]),
  /** Fields typed but not a number ("abc"): scored as missing, never borrowed from an older round. */
  unparsed: z.array(z.enum(VITAL_FIELDS)).max(VITAL_FIELDS.length).default([]),
});
export type PreviewRoundInput = z.input<typeof PreviewRoundSchema>;

export const PreviewSchema = z.object({
  /**
   * NEWS2 of this observation at its measured-at, combined with rounds of the previous 30 minutes;
   * null while nothing scorable is typed (a blank form never shows an earlier round's score).
   */
  news2: News2Schema.nullable(),
  /** Parameters of the score taken from another round of the 30-minute window, with when they were measured. */
  borrowed: z.array(z.object({ param: z.enum(NEWS2_PARAMS as unknown as [News2Param, ...News2Param[]]), measuredAt: InstantOut })),
  /** Parameters typed with an impossible value: missing from the score, never replaced by an older value. */
  invalid: z.array(z.enum(NEWS2_PARAMS as unknown as [News2Param, ...News2Param[]])),
  /** The class proposal and flags the episode would have once this round is saved. */
  proposal: ClassProposalSchema,
  currentClass: z.string().nullable(),
  flags: z.array(FlagSchema.extend({ isNew: z.boolean() })),
  errors: z.array(z.object({ field: z.string(), min: z.number(), max: z.number() })),
  warnings: z.array(z.object({ field: z.string(), plausibleMin: z.number(), plausibleMax: z.number() })),
  nextObsDueAt: InstantOut.nullable(),
});
export type RoundPreview = z.infer<typeof PreviewSchema>;

/**
 * A signed record's place in its correction chain: `current` is in force; `superseded` was replaced
 * by an amendment; `withdrawn` was marked entered in error; `error_marker` is the row that did so.
 */
export const RECORD_STATUSES = ['current', 'superseded', 'withdrawn', 'error_marker'] as const;
export const SignedMetaShape = {
  id: Id,
  enteredAt: InstantOut,
  authorId: Id,
  authorName: z.string(),
  entryKind: z.enum(ENTRY_KINDS),
  supersedesId: Id.nullable(),
  reason: z.string().nullable(),
  status: z.enum(RECORD_STATUSES),
};

export const RoundSchema = z.object({
  ...SignedMetaShape,
  episodeId: Id,
  measuredAt: InstantOut,
  respRate: z.number().nullable(),
  spo2: z.number().nullable(),
  spo2Scale: Spo2ScaleSchema,
  onOxygen: z.boolean().nullable(),
  o2Device: z.string().nullable(),
  o2Flow: z.number().nullable(),
  systolicBp: z.number().nullable(),
  diastolicBp: z.number().nullable(),
  pulse: z.number().nullable(),
  consciousness: AcvpuSchema.nullable(),
  temperature: z.number().nullable(),
  symptoms: z.array(z.string()).nullable(),
  signs: z.array(z.string()),
  note: z.string().nullable(),
  confirmedExtremes: z.array(z.string()),
  news2Total: z.number().int().nullable(),
  news2Complete: z.boolean().nullable(),
  news2Band: News2BandSchema.nullable(),
});
export type Round = z.infer<typeof RoundSchema>;

/** RCP 2017 Chart 4 clinical response a saved score calls for (shared/clinical news2Response). */
export const News2ResponseSchema = z.enum(['urgent', 'emergency']);

/**
 * `news2` is null when the round measured no parameter. `escalation` is set when the score calls for
 * a clinical response (≥ 5 or a single 3): round mode then stops until rounds:escalate is answered.
 */
export const RoundSavedSchema = z.object({ roundId: Id, news2: News2Schema.nullable(), escalation: News2ResponseSchema.nullable(), nextObsDueAt: InstantOut.nullable() });
export type RoundSaved = z.infer<typeof RoundSavedSchema>;

/** Why a bed's observations were not taken on this round (the bed then counts as done). */
export const NOT_DONE_REASONS = ['off_ward', 'refused', 'asleep_by_plan'] as const;
export const RecordNotDoneSchema = z.strictObject({ episodeId: Id, reason: z.enum(NOT_DONE_REASONS), note: OptionalText(500) });

/** The answer to an escalation: who was told, or that the panel or a clinician already has the patient. */
export const ESCALATION_RESPONSES = ['doctor_informed', 'referred', 'under_review'] as const;
export const EscalateSchema = z
  .strictObject({ roundId: Id, response: z.enum(ESCALATION_RESPONSES), informedWho: OptionalText(200), note: OptionalText(500) })
  .superRefine((v, ctx) => {
    if (v.response === 'doctor_informed' && v.informedWho === null) ctx.addIssue({ code: 'custom', path: ['informedWho'], message: 'validation.informed_who_required' });
  });
export type EscalateInput = z.input<typeof EscalateSchema>;

/** A score that called for a response and has no answer yet: shown on the bed until someone answers. */
export const PendingEscalationSchema = z.object({
  roundId: Id,
  level: News2ResponseSchema,
  news2Total: z.number().int(),
  measuredAt: InstantOut,
});
export type PendingEscalation = z.infer<typeof PendingEscalationSchema>;

/** `since`: when this round began (default: the last 12 hours, the longest NEWS2 monitoring interval). */
export const RoundWardInputSchema = z.strictObject({ wardId: Id, since: Instant.optional() });

/** Round mode: the occupied beds of a ward in bed order, each with its last values and monitoring state. */
export const RoundWardSchema = z.object({
  timeZone: z.string(),
  ward: z.object({ id: Id, name: z.string(), facilityName: z.string() }),
  beds: z.array(
    z.object({
      /** Null for a patient of the ward without a bed yet (waiting list): listed after the beds. */
      bedId: Id.nullable(),
      bedLabel: z.string().nullable(),
      episodeId: Id,
      patientId: Id,
      name: z.string(),
      sex: z.enum(['M', 'F']),
      ageYears: z.number().int().nullable(),
      dayOfStay: z.number().int(),
      spo2Scale: Spo2ScaleSchema,
      currentClass: z.string().nullable(),
      proposedClass: z.string().nullable(),
      news2Total: z.number().int().nullable(),
      news2Band: News2BandSchema.nullable(),
      news2Complete: z.boolean().nullable(),
      nextObsDueAt: InstantOut.nullable(),
      overdue: z.boolean(),
      flagCodes: z.array(z.string()),
      last: RoundSchema.nullable(),
      /** The last score called for a response nobody has answered yet. */
      escalation: PendingEscalationSchema.nullable(),
      /** Observations recorded as not taken on this round, and why (the latest since `since`). */
      notDone: z.object({ reason: z.enum(NOT_DONE_REASONS), note: z.string().nullable(), at: InstantOut, authorName: z.string() }).nullable(),
      /**
       * Done on this round (since `since`): a round with vital signs, or a record of why the observations
       * were not taken; and in either case no escalation left unanswered.
       */
      done: z.boolean(),
    }),
  ),
});
export type RoundWard = z.infer<typeof RoundWardSchema>;

export const rounds = {
  record: command({ input: RecordRoundSchema, output: RoundSavedSchema, scope: inWardsOf({ episodeId: 'episode' }), access: ROUND_ROLES }),
  /** A correction: a new signed round that supersedes the original, which stays visible. */
  amend: command({ input: AmendRoundSchema, output: RoundSavedSchema, scope: inWardsOf({ roundId: 'round' }), access: ROUND_ROLES }),
  /** Withdraws a round recorded for the wrong patient or by mistake; nothing is deleted. */
  enterInError: command({ input: EnterInErrorSchema, output: z.object({ roundId: Id }), scope: inWardsOf({ roundId: 'round' }), access: ROUND_ROLES }),
  listForEpisode: query({ input: z.strictObject({ episodeId: Id }), output: z.array(RoundSchema), scope: READS_NETWORK, access: 'authenticated' }),
  preview: query({ input: PreviewRoundSchema, output: PreviewSchema, scope: inWardsOf({ episodeId: 'episode', replacesId: 'round' }), access: ROUND_ROLES }),
  /** The beds of a ward for round mode, in bed order. */
  ward: query({ input: RoundWardInputSchema, output: RoundWardSchema, scope: READS_NETWORK, access: ROUND_ROLES }),
  /** Observations not taken on this round, and why: append-only, the bed then counts as done. */
  recordNotDone: command({ input: RecordNotDoneSchema, output: z.object({ notDoneId: Id }), scope: inWardsOf({ episodeId: 'episode' }), access: ROUND_ROLES }),
  /** The answer to a score that called for a clinical response (RCP Chart 4): append-only, acknowledges the alert. */
  escalate: command({ input: EscalateSchema, output: z.object({ escalationId: Id }), scope: inWardsOf({ roundId: 'round' }), access: ROUND_ROLES }),
};
