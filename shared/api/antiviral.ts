import { z } from 'zod';
import { command, query, inWardsOf, READS_NETWORK } from './define';
import { Id, Instant, InstantOut, LocalDate, OptionalText, Text, orNull } from './fields';
import { ANTIVIRAL_OPTIONS, INTERACTION_SEVERITIES } from '../clinical';
import type { Role } from '../domain/enums';

/**
 * Antiviral treatment support (issue 19): the patient's chronic medicines as a list, what the rules
 * need that a round does not record (onset, weight, pregnancy, kidney and liver function), the
 * protocol's proposal per option, the interaction check against ritonavir-boosted nirmatrelvir, and
 * the doctor's decision, recorded in the plan with its reason. The rules propose; clinicians decide.
 */

/** Who prescribes and decides (as for the plan and the class). */
export const ANTIVIRAL_ROLES: readonly Role[] = ['ward_doctor', 'expert'];
/** Who may keep the medicine list and the profile: nurses take the drug history at admission too. */
export const MEDICATION_ROLES: readonly Role[] = ['ward_doctor', 'expert', 'nurse'];

export const PREGNANCY_STATUSES = ['none', 'pregnant', 'breastfeeding'] as const;
export const ANTIVIRAL_DECISIONS = ['start', 'not_start'] as const;
export type AntiviralDecision = (typeof ANTIVIRAL_DECISIONS)[number];

/** One chronic medicine: a lexicon code (shared/clinical/medicines.ts) or free text only (code null). */
export const MedicationItemSchema = z.strictObject({
  code: orNull(z.string().min(1).max(60)),
  text: Text(200),
  dose: OptionalText(100),
});
export type MedicationItem = z.output<typeof MedicationItemSchema>;

/** The whole list as the clinician saves it; each save is a new version of the patient's list. */
export const SaveMedicationsSchema = z.strictObject({
  episodeId: Id,
  /** The version the editor started from (0 = none yet); a newer one in between is a conflict. */
  baseVersion: z.number().int().min(0),
  items: z.array(MedicationItemSchema).max(60),
  /** Why the list changed; required once a list exists (a correction of a signed list). */
  changeNote: OptionalText(300),
});
export type SaveMedicationsInput = z.input<typeof SaveMedicationsSchema>;

export const CreatinineSchema = z.strictObject({
  /** Serum creatinine, µmol/L. */
  valueUmolL: z.number().min(5).max(3000),
  collectedAt: Instant,
});

/** What the antiviral rules need beyond rounds and labs; each save is a new version for the episode. */
export const SaveProfileSchema = z.strictObject({
  episodeId: Id,
  baseVersion: z.number().int().min(0),
  /** Symptom onset (local date); for an asymptomatic infection, the date of the first positive test. */
  onsetDate: orNull(LocalDate),
  weightKg: orNull(z.number().min(0.5).max(400)),
  pregnancy: orNull(z.enum(PREGNANCY_STATUSES)),
  /** Child–Pugh C. */
  severeLiverImpairment: orNull(z.boolean()),
  /** The latest serum creatinine: the eGFR is computed from it (CKD-EPI 2021). */
  creatinine: orNull(CreatinineSchema),
  /** A clinician's eGFR (mL/min/1.73 m²), when measured elsewhere; used instead of the computed one. */
  egfrManual: orNull(z.number().min(0).max(200)),
  changeNote: OptionalText(300),
});
export type SaveProfileInput = z.input<typeof SaveProfileSchema>;

export const DecideAntiviralSchema = z
  .strictObject({
    episodeId: Id,
    option: z.enum(ANTIVIRAL_OPTIONS),
    decision: z.enum(ANTIVIRAL_DECISIONS),
    /** The proposal status the doctor was shown; a different one now means the data changed meanwhile. */
    shownStatus: z.enum(['eligible', 'not_eligible', 'unknown']),
    /** The interaction table version the doctor was shown. */
    tableVersion: z.string().min(1).max(60),
    /** The plan version the doctor started from (a start writes the next one). */
    basePlanVersion: z.number().int().min(0),
    /** First day of the course (start only). */
    startDate: orNull(LocalDate),
    /** Why; required when the decision goes against the proposal (core checks). */
    reason: OptionalText(500),
    /** Required to start nirmatrelvir/ritonavir against a contraindicated clash (core checks). */
    clashReason: OptionalText(500),
  })
  .superRefine((v, ctx) => {
    if (v.decision === 'start' && v.startDate === null) ctx.addIssue({ code: 'custom', path: ['startDate'], message: 'validation.antiviral_start' });
  });
export type DecideAntiviralInput = z.input<typeof DecideAntiviralSchema>;

const Evidence = z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null()]));

export const OptionProposalSchema = z.object({
  option: z.enum(ANTIVIRAL_OPTIONS),
  status: z.enum(['eligible', 'not_eligible', 'unknown']),
  criteria: z.array(z.object({ code: z.string(), status: z.enum(['met', 'not_met', 'unknown']), evidence: Evidence })),
  missing: z.array(z.string()),
  dose: z
    .object({ code: z.string(), nirmatrelvirMg: z.number().optional(), ritonavirMg: z.number().optional(), everyHours: z.number().optional(), days: z.number().optional() })
    .nullable(),
  cautions: z.array(z.string()),
});
export type OptionProposalOut = z.infer<typeof OptionProposalSchema>;

export const AntiviralProposalSchema = z.object({
  ruleVersion: z.string(),
  daysSinceOnset: z.number().int().nullable(),
  windowEndsAt: InstantOut.nullable(),
  options: z.array(OptionProposalSchema),
});

export const ClashSchema = z.object({
  medicine: z.string(),
  entered: z.string(),
  severity: z.enum(INTERACTION_SEVERITIES),
  advice: z.object({ zh: z.string(), en: z.string() }),
  source: z.object({ document: z.string(), edition: z.string(), section: z.string() }),
});
export type ClashOut = z.infer<typeof ClashSchema>;

export const InteractionCheckSchema = z.object({ tableVersion: z.string(), clashes: z.array(ClashSchema) });

const Version = { version: z.number().int(), createdAt: InstantOut, authorName: z.string(), changeNote: z.string().nullable() };

export const MedicationListSchema = z.object({
  ...Version,
  items: z.array(z.object({ code: z.string().nullable(), text: z.string(), dose: z.string().nullable() })),
});
export type MedicationList = z.infer<typeof MedicationListSchema>;

export const ProfileVersionSchema = z.object({
  ...Version,
  onsetDate: z.string().nullable(),
  weightKg: z.number().nullable(),
  pregnancy: z.enum(PREGNANCY_STATUSES).nullable(),
  severeLiverImpairment: z.boolean().nullable(),
  creatinine: z.object({ valueUmolL: z.number(), collectedAt: InstantOut }).nullable(),
  egfrManual: z.number().nullable(),
});
export type ProfileVersion = z.infer<typeof ProfileVersionSchema>;

export const DecisionRecordSchema = z.object({
  id: Id,
  createdAt: InstantOut,
  authorName: z.string(),
  option: z.enum(ANTIVIRAL_OPTIONS),
  decision: z.enum(ANTIVIRAL_DECISIONS),
  /** The proposal status when decided, and the rule version that made it. */
  status: z.enum(['eligible', 'not_eligible', 'unknown']),
  ruleVersion: z.string(),
  startDate: z.string().nullable(),
  /** The dose line as prescribed (e.g. the halved nirmatrelvir dose). */
  doseCode: z.string().nullable(),
  reason: z.string().nullable(),
  clashReason: z.string().nullable(),
  /** The interaction check when decided: the clashes handled, and the table version they came from. */
  tableVersion: z.string(),
  clashes: z.array(ClashSchema),
  planVersion: z.number().int().nullable(),
});
export type DecisionRecord = z.infer<typeof DecisionRecordSchema>;

export const AntiviralViewSchema = z.object({
  episodeId: Id,
  /** Medicines: the current list (null before the first), and the free text recorded before lists existed. */
  medications: MedicationListSchema.nullable(),
  legacyMedications: z.string().nullable(),
  medicationHistory: z.array(MedicationListSchema),
  profile: ProfileVersionSchema.nullable(),
  profileHistory: z.array(ProfileVersionSchema),
  /** The eGFR the rules used: the clinician's, else computed from the latest creatinine. */
  egfr: z.object({ value: z.number(), source: z.enum(['creatinine', 'manual']), at: InstantOut }).nullable(),
  proposal: AntiviralProposalSchema,
  interactions: InteractionCheckSchema,
  /** The antiviral course of the current plan, when there is one. */
  course: z.object({ detail: z.string().nullable(), startDate: z.string().nullable(), courseDays: z.number().int().nullable() }).nullable(),
  /** The plan version a decision would start from. */
  planVersion: z.number().int(),
  /** Newest first. */
  decisions: z.array(DecisionRecordSchema),
});
export type AntiviralView = z.infer<typeof AntiviralViewSchema>;

export const antiviral = {
  get: query({ input: z.strictObject({ episodeId: Id }), output: AntiviralViewSchema, scope: READS_NETWORK, access: 'authenticated' }),
  saveMedications: command({
    input: SaveMedicationsSchema,
    output: z.object({ version: z.number().int() }),
    scope: inWardsOf({ episodeId: 'episode' }),
    access: MEDICATION_ROLES,
  }),
  saveProfile: command({ input: SaveProfileSchema, output: z.object({ version: z.number().int() }), scope: inWardsOf({ episodeId: 'episode' }), access: MEDICATION_ROLES }),
  /** Records the doctor's decision on one option; a start writes the course into the next plan version. */
  decide: command({
    input: DecideAntiviralSchema,
    output: z.object({ decisionId: Id, planVersion: z.number().int().nullable() }),
    scope: inWardsOf({ episodeId: 'episode' }),
    access: ANTIVIRAL_ROLES,
  }),
};
