import { z } from 'zod';
import { command, inWardsOf } from './define';
import { Id, Instant, InstantOut, OptionalText, Text, orNull } from './fields';
import { LAB_LIMITS, type LabField, type Limit } from '../clinical';
import type { LabAnalyte } from '../domain/clinical';
import type { Role } from '../domain/enums';
import { SignedMetaShape } from './rounds';

export const RESULT_ROLES: readonly Role[] = ['ward_doctor', 'nurse'];

/** Laboratory analytes other than the nucleic-acid test, with the limits field of shared/clinical. */
export const LAB_PANEL = [
  { analyte: 'lymphocytes', field: 'lymphocytes' },
  { analyte: 'crp', field: 'crp' },
  { analyte: 'il6', field: 'il6' },
  { analyte: 'ferritin', field: 'ferritin' },
  { analyte: 'ddimer', field: 'ddimer' },
  { analyte: 'lactate', field: 'lactate' },
  { analyte: 'pao2_fio2', field: 'pao2Fio2' },
] as const satisfies readonly { analyte: LabAnalyte; field: LabField }[];
export type PanelField = (typeof LAB_PANEL)[number]['field'];
export const PANEL_FIELDS = LAB_PANEL.map((p) => p.field) as [PanelField, ...PanelField[]];
export const CT_FIELDS = ['ctN', 'ctOrf1ab', 'ctE'] as const;
export const LAB_CONFIRMABLE = [...CT_FIELDS, ...PANEL_FIELDS] as [LabField, ...LabField[]];

function measure(limit: Limit) {
  return orNull(z.number().min(limit.min).max(limit.max));
}

export const NucleicAcidShape = {
  ctN: measure(LAB_LIMITS.ctN),
  ctOrf1ab: measure(LAB_LIMITS.ctOrf1ab),
  ctE: measure(LAB_LIMITS.ctE),
  qualitative: orNull(z.enum(['positive', 'negative'])),
};
const NucleicAcidSchema = z.strictObject(NucleicAcidShape).superRefine((v, ctx) => {
  // Quantitative PCR reports N and ORF1ab together; a qualitative assay reports positive/negative.
  const anyCt = v.ctN !== null || v.ctOrf1ab !== null || v.ctE !== null;
  if (!anyCt && v.qualitative === null) ctx.addIssue({ code: 'custom', path: ['ctN'], message: 'validation.ct_or_qualitative' });
  if (anyCt && (v.ctN === null || v.ctOrf1ab === null)) {
    ctx.addIssue({ code: 'custom', path: [v.ctN === null ? 'ctN' : 'ctOrf1ab'], message: 'validation.ct_pair' });
  }
});

const PanelSchema = z.strictObject(Object.fromEntries(LAB_PANEL.map((p) => [p.field, measure(LAB_LIMITS[p.field])])) as Record<PanelField, ReturnType<typeof measure>>);

/** One collection: a nucleic-acid test and/or a laboratory panel, each value its own signed row. */
export const RecordLabsSchema = z
  .strictObject({
    episodeId: Id,
    collectedAt: Instant,
    nucleicAcid: orNull(NucleicAcidSchema),
    labs: PanelSchema.optional().transform((v) => v ?? ({} as Record<PanelField, number | null>)),
    note: OptionalText(500),
    confirmedExtremes: z.array(z.enum(LAB_CONFIRMABLE)).max(LAB_CONFIRMABLE.length).default([]),
  })
  .superRefine((v, ctx) => {
    if (v.nucleicAcid === null && Object.values(v.labs).every((x) => x === null || x === undefined)) {
      ctx.addIssue({ code: 'custom', path: [], message: 'validation.results_empty' });
    }
  });
export type RecordLabsInput = z.input<typeof RecordLabsSchema>;

/** Amends one result row: a nucleic-acid test (Ct / qualitative) or one analyte's value. */
export const AmendLabSchema = z.strictObject({
  resultId: Id,
  reason: Text(500),
  collectedAt: Instant,
  value: orNull(z.number()),
  ...NucleicAcidShape,
  note: OptionalText(500),
  confirmedExtremes: z.array(z.enum(LAB_CONFIRMABLE)).max(LAB_CONFIRMABLE.length).default([]),
});

export const ImagingShape = {
  performedAt: Instant,
  modality: z.enum(['ct', 'xray']),
  pneumonia: z.boolean(),
  progressionPct: measure(LAB_LIMITS.progressionPct),
  improved: orNull(z.boolean()),
  finding: OptionalText(1000),
};
export const RecordImagingSchema = z.strictObject({ episodeId: Id, ...ImagingShape });
export const AmendImagingSchema = z.strictObject({ imagingId: Id, reason: Text(500), ...ImagingShape });

export const ResultErrorSchema = z.strictObject({ kind: z.enum(['lab', 'imaging']), id: Id, reason: Text(500) });

export const LabResultSchema = z.object({
  ...SignedMetaShape,
  collectedAt: InstantOut,
  analyte: z.string(),
  value: z.number().nullable(),
  ctN: z.number().nullable(),
  ctOrf1ab: z.number().nullable(),
  ctE: z.number().nullable(),
  qualitative: z.enum(['positive', 'negative']).nullable(),
  note: z.string().nullable(),
});
export type LabResult = z.infer<typeof LabResultSchema>;

/** An imaging study as read back: what the chart and the release evidence show of it. */
export const ImagingRowSchema = z.object({
  performedAt: InstantOut,
  modality: z.enum(['ct', 'xray']),
  pneumonia: z.boolean(),
  progressionPct: z.number().nullable(),
  improved: z.boolean().nullable(),
  finding: z.string().nullable(),
});

export const ImagingSchema = z.object({ ...SignedMetaShape, ...ImagingRowSchema.shape });
export type Imaging = z.infer<typeof ImagingSchema>;

export const results = {
  /** Records a collection: nucleic acid and/or a panel of laboratory values. */
  record: command({ input: RecordLabsSchema, output: z.object({ resultIds: z.array(Id) }), scope: inWardsOf({ episodeId: 'episode' }), access: RESULT_ROLES }),
  recordImaging: command({ input: RecordImagingSchema, output: z.object({ imagingId: Id }), scope: inWardsOf({ episodeId: 'episode' }), access: RESULT_ROLES }),
  amend: command({ input: AmendLabSchema, output: z.object({ resultId: Id }), scope: inWardsOf({ resultId: 'labResult' }), access: RESULT_ROLES }),
  amendImaging: command({ input: AmendImagingSchema, output: z.object({ imagingId: Id }), scope: inWardsOf({ imagingId: 'imaging' }), access: RESULT_ROLES }),
  enterInError: command({ input: ResultErrorSchema, output: z.object({ id: Id }), scope: inWardsOf({ id: 'resultByKind' }), access: RESULT_ROLES }),
};
