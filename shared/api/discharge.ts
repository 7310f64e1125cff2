import { z } from 'zod';
import { command, query, inWardsOf, READS_NETWORK } from './define';
import { Id, Instant, InstantOut, OptionalText, Text, PatientRowShape } from './fields';
import { EPISODE_STATUSES, FACILITY_KINDS } from '../domain/enums';
import { DISCHARGE_DISPOSITIONS } from '../domain/clinical';
import { RELEASE_CRITERION_CODES } from '../clinical/release';
import { ImagingRowSchema } from './results';
import { ClassOrUnassessed } from './reports';

/**
 * Who may discharge (or amend a discharge): the ward doctor who signs the order and hospital admin
 * (医务科), who handles releases and the exceptions. Nurses and the expert panel see the check and
 * the ready list but do not sign a discharge: a release against an unmet criterion is a medical
 * decision with a recorded reason (DESIGN.md §4).
 */
export const DISCHARGE_ROLES = ['admin', 'ward_doctor'] as const;

/** 出院情况: the condition at discharge, coded for statistics; free text beside it. */
export const DISCHARGE_CONDITIONS = ['cured', 'improved', 'unchanged', 'deceased', 'other'] as const;
export type DischargeCondition = (typeof DISCHARGE_CONDITIONS)[number];

const CriterionStatus = z.enum(['met', 'not_met', 'unknown']);
const EvidenceValue = z.union([z.number(), z.string(), z.boolean(), z.null()]);

export const ReleaseCheckSchema = z.object({
  ruleSet: z.string(),
  kind: z.enum(['discharge', 'release_from_isolation']),
  eligible: z.boolean(),
  criteria: z.array(z.object({ code: z.enum(RELEASE_CRITERION_CODES), status: CriterionStatus, evidence: z.record(z.string(), EvidenceValue) })),
  followUp: z.object({ homeMonitoringDays: z.number().int() }),
});
export type ReleaseCheckView = z.infer<typeof ReleaseCheckSchema>;

export const EpisodeHeaderSchema = z.object({
  ...PatientRowShape,
  idCardMasked: z.string().nullable(),
  admittedAt: InstantOut,
  /** 住院天数 up to the discharge, or up to now while in hospital (shared/domain/time.ts lengthOfStayDays). */
  lengthOfStayDays: z.number().int(),
  status: z.enum(EPISODE_STATUSES),
  endedAt: InstantOut.nullable(),
  facilityId: Id.nullable(),
  facilityName: z.string().nullable(),
  facilityKind: z.enum(FACILITY_KINDS).nullable(),
  wardName: z.string().nullable(),
  bedLabel: z.string().nullable(),
  currentClass: ClassOrUnassessed,
});
export type EpisodeHeader = z.infer<typeof EpisodeHeaderSchema>;

export const NucleicAcidRowSchema = z.object({
  id: Id,
  collectedAt: InstantOut,
  nCt: z.number().nullable(),
  orf1abCt: z.number().nullable(),
  eCt: z.number().nullable(),
  qualitative: z.enum(['positive', 'negative']).nullable(),
  verdict: z.enum(['qualifies', 'not_qualifying', 'unknown']),
  reason: z.string(),
});
export type NucleicAcidRow = z.infer<typeof NucleicAcidRowSchema>;

export const TemperatureDaySchema = z.object({ date: z.string(), max: z.number(), min: z.number(), readings: z.number().int(), fever: z.boolean() });

export const ReleaseEvidenceSchema = z.object({
  tests: z.array(NucleicAcidRowSchema),
  temperatureDays: z.array(TemperatureDaySchema),
  symptoms: z.object({
    latestAt: InstantOut.nullable(),
    latest: z.array(z.string()),
    latestRespiratory: z.number().int(),
    peakRespiratory: z.number().int(),
    peakAt: InstantOut.nullable(),
  }),
  imaging: z.array(ImagingRowSchema),
});

export const DischargeRecordSchema = z.object({
  id: Id,
  episodeId: Id,
  dischargedAt: InstantOut,
  disposition: z.enum(DISCHARGE_DISPOSITIONS),
  condition: z.enum(DISCHARGE_CONDITIONS),
  conditionNote: z.string().nullable(),
  followUpDays: z.number().int(),
  followUpNote: z.string().nullable(),
  overrideReason: z.string().nullable(),
  summary: z.string().nullable(),
  check: ReleaseCheckSchema,
  /** When the release criteria were met: collection of the second qualifying nucleic-acid sample. */
  criteriaMetAt: InstantOut.nullable(),
  enteredAt: InstantOut,
  authorName: z.string(),
  entryKind: z.enum(['original', 'amendment', 'entered_in_error']),
  reason: z.string().nullable(),
  supersedesId: Id.nullable(),
});
export type DischargeRecord = z.infer<typeof DischargeRecordSchema>;

export const DischargeCheckSchema = z.object({
  episode: EpisodeHeaderSchema,
  /** The hospital's time zone, for showing the instants. */
  timeZone: z.string(),
  at: InstantOut,
  check: ReleaseCheckSchema,
  evidence: ReleaseEvidenceSchema,
  discharge: DischargeRecordSchema.nullable(),
  /** Every version of the discharge, newest first (amendments supersede). */
  history: z.array(DischargeRecordSchema),
});
export type DischargeCheck = z.infer<typeof DischargeCheckSchema>;

const Shown = z.array(z.strictObject({ code: z.enum(RELEASE_CRITERION_CODES), status: CriterionStatus })).max(RELEASE_CRITERION_CODES.length);

const DischargeFields = {
  disposition: z.enum(DISCHARGE_DISPOSITIONS),
  condition: z.enum(DISCHARGE_CONDITIONS),
  conditionNote: OptionalText(1000),
  followUpNote: OptionalText(1000),
  overrideReason: OptionalText(500),
  summary: OptionalText(4000),
};

const deceasedMatches = (v: { disposition: string; condition: string }) => (v.disposition === 'deceased') === (v.condition === 'deceased');

export const DischargeInputSchema = z
  .strictObject({
    episodeId: Id,
    dischargedAt: Instant,
    ...DischargeFields,
    /** The criteria statuses the user saw; the core refuses with CONFLICT when they have changed since. */
    shown: Shown,
  })
  .refine(deceasedMatches, { path: ['condition'], error: 'validation.discharge_condition_deceased' });
export type DischargeInput = z.input<typeof DischargeInputSchema>;

export const DischargeAmendSchema = z
  .strictObject({
    dischargeId: Id,
    reason: Text(500),
    ...DischargeFields,
  })
  .refine(deceasedMatches, { path: ['condition'], error: 'validation.discharge_condition_deceased' });
export type DischargeAmendInput = z.input<typeof DischargeAmendSchema>;

export const ReadyPatientSchema = z.object({
  ...PatientRowShape,
  wardName: z.string(),
  bedLabel: z.string().nullable(),
  admittedAt: InstantOut,
  /** 住院天数 if discharged now (shared/domain/time.ts lengthOfStayDays): the figure the summary will show. */
  lengthOfStayDays: z.number().int(),
  currentClass: ClassOrUnassessed,
  kind: z.enum(['discharge', 'release_from_isolation']),
  eligible: z.boolean(),
  met: z.number().int(),
  criteria: z.number().int(),
  lastTestAt: InstantOut.nullable(),
  lastNCt: z.number().nullable(),
  lastOrf1abCt: z.number().nullable(),
});
export type ReadyPatient = z.infer<typeof ReadyPatientSchema>;

export const ReadyListSchema = z.object({
  at: InstantOut,
  timeZone: z.string(),
  facilities: z.array(
    z.object({
      facilityId: Id,
      name: z.string(),
      kind: z.enum(FACILITY_KINDS),
      active: z.number().int(),
      ready: z.number().int(),
      patients: z.array(ReadyPatientSchema),
    }),
  ),
});
export type ReadyList = z.infer<typeof ReadyListSchema>;

export const DischargeResultSchema = z.object({ dischargeId: Id, episodeId: Id, status: z.enum(['discharged', 'deceased']), bedId: Id.nullable() });

export const discharge = {
  /** The release/discharge check for one episode now (or at its discharge, once discharged), with the evidence. */
  check: query({
    input: z.strictObject({ episodeId: Id, /** Check at this instant (the discharge time being entered); default now. */ at: Instant.optional() }),
    output: DischargeCheckSchema,
    scope: READS_NETWORK,
    access: 'authenticated',
  }),
  /** Per facility, every active patient who meets the criteria now; `scope: 'all'` lists every active patient with the count met. */
  readyList: query({
    input: z.strictObject({ facilityId: Id.nullable().optional(), scope: z.enum(['ready', 'all']).default('ready') }),
    output: ReadyListSchema,
    scope: READS_NETWORK,
    access: 'authenticated',
  }),
  record: command({ input: DischargeInputSchema, output: DischargeResultSchema, scope: inWardsOf({ episodeId: 'episode' }), access: DISCHARGE_ROLES }),
  amend: command({ input: DischargeAmendSchema, output: DischargeResultSchema, scope: inWardsOf({ dischargeId: 'discharge' }), access: DISCHARGE_ROLES }),
};
