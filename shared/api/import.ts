import { z } from 'zod';
import { command, query, inWardsOf, ADMIN_ONLY } from './define';
import { Id, Instant, InstantOut, NoInput, Ok, Text } from './fields';
import { EPISODE_STATUSES } from '../domain/enums';
import { CASE_FIELDS, type CaseField } from '../import/cases';
import { CSV_ENCODINGS, MAX_COLUMNS, MAX_FIELD_CHARS, MAX_IMPORT_ROWS } from '../import/csv';

/** Rows per preview call: the renderer sends a large file in chunks and shows the progress. */
export const PREVIEW_CHUNK_ROWS = 5000;

const Column = z
  .number()
  .int()
  .min(0)
  .max(MAX_COLUMNS - 1)
  .nullable();
const mappingShape = Object.fromEntries(CASE_FIELDS.map((f) => [f, Column])) as Record<CaseField, typeof Column>;

export const CaseMappingSchema = z
  .strictObject(mappingShape)
  .refine((m) => m.name !== null, { path: ['name'], error: 'validation.name_unmapped' })
  .refine(
    (m) => {
      const cols = Object.values(m).filter((c) => c !== null);
      return new Set(cols).size === cols.length;
    },
    { path: [], error: 'validation.column_twice' },
  );

export const CsvRowSchema = z.strictObject({
  line: z.number().int().positive(),
  cells: z.array(z.string().max(MAX_FIELD_CHARS)).max(MAX_COLUMNS),
  oversized: z.array(z.number().int().min(0).max(MAX_COLUMNS)).max(MAX_COLUMNS),
});

export const FieldIssueSchema = z.object({
  field: z.string(),
  key: z.string(),
  params: z.record(z.string(), z.union([z.string(), z.number()])).optional(),
});

const Keys = z.object({ idCard: z.string().nullable(), nbp: z.string().nullable() });

export const DuplicateSchema = z.object({
  /** Which identity matched: the ID-card number, or name + birth date + phone. */
  by: z.enum(['idCard', 'nbp']),
  patientId: Id,
  name: z.string(),
  episodeId: Id.nullable(),
  status: z.enum(EPISODE_STATUSES).nullable(),
});

export const PreviewRowSchema = z.object({
  line: z.number().int(),
  status: z.enum(['ok', 'error', 'duplicate']),
  issues: z.array(FieldIssueSchema),
  /** Set when the person is already in the database. Duplicates within the file are found from `keys` (fileDuplicates). */
  duplicate: DuplicateSchema.nullable(),
  keys: Keys,
});
export type PreviewRow = z.infer<typeof PreviewRowSchema>;

export const SKIP_REASONS = ['error', 'duplicate_database', 'duplicate_file', 'not_selected'] as const;
export type SkipReason = (typeof SKIP_REASONS)[number];

export const SkippedRowSchema = z.object({
  line: z.number().int(),
  reason: z.enum(SKIP_REASONS),
  issues: z.array(FieldIssueSchema),
  duplicateOfLine: z.number().int().nullable(),
  duplicatePatientId: Id.nullable(),
});
export type SkippedRow = z.infer<typeof SkippedRowSchema>;

export const ImportReportSchema = z.object({
  batchId: Id,
  fileName: z.string(),
  importedAt: InstantOut,
  wardId: Id,
  rowsInFile: z.number().int(),
  imported: z.number().int(),
  skipped: z.array(SkippedRowSchema),
});
export type ImportReport = z.infer<typeof ImportReportSchema>;

export const CommitInputSchema = z.strictObject({
  fileName: Text(255),
  encoding: z.enum(CSV_ENCODINGS),
  header: z.array(z.string().max(MAX_FIELD_CHARS)).max(MAX_COLUMNS),
  mapping: CaseMappingSchema,
  /** Every data row of the file: the core re-validates them all and writes the report of what it skipped. */
  rows: z.array(CsvRowSchema).min(1).max(MAX_IMPORT_ROWS),
  /** Lines the admin chose; each must still be valid and new, or nothing is imported. */
  selected: z.array(z.number().int().positive()).min(1).max(MAX_IMPORT_ROWS),
  /** Imported cases wait in this ward's waiting list (a placement without a bed) until a bed is assigned. */
  wardId: Id,
  admittedAt: Instant,
});
export type CommitInput = z.input<typeof CommitInputSchema>;

const PresetColumns = z.strictObject(
  Object.fromEntries(CASE_FIELDS.map((f) => [f, z.string().trim().min(1).max(200).optional()])) as Record<CaseField, z.ZodOptional<z.ZodString>>,
);

export const PresetSchema = z.object({ name: z.string(), columns: z.record(z.string(), z.string()), updatedAt: InstantOut });

export const BatchSummarySchema = z.object({
  id: Id,
  fileName: z.string(),
  importedAt: InstantOut,
  importedBy: z.string(),
  wardName: z.string(),
  rowsInFile: z.number().int(),
  imported: z.number().int(),
  skipped: z.number().int(),
});

export const importCases = {
  /** Validates a chunk of rows and looks each person up in the database; writes nothing. */
  preview: query({
    input: z.strictObject({ mapping: CaseMappingSchema, rows: z.array(CsvRowSchema).min(1).max(PREVIEW_CHUNK_ROWS), admittedAt: Instant }),
    output: z.object({ rows: z.array(PreviewRowSchema) }),
    scope: ADMIN_ONLY,
    access: ['admin'],
  }),
  /** Imports the chosen rows as one transaction: all of them, or none. */
  commit: command({ input: CommitInputSchema, output: ImportReportSchema, scope: inWardsOf({ wardId: 'ward' }), access: ['admin'] }),
  presets: query({ input: NoInput, output: z.array(PresetSchema), scope: ADMIN_ONLY, access: ['admin'] }),
  savePreset: command({ input: z.strictObject({ name: Text(60), columns: PresetColumns }), output: Ok, scope: ADMIN_ONLY, access: ['admin'] }),
  deletePreset: command({ input: z.strictObject({ name: Text(60) }), output: Ok, scope: ADMIN_ONLY, access: ['admin'] }),
  history: query({ input: NoInput, output: z.array(BatchSummarySchema), scope: ADMIN_ONLY, access: ['admin'] }),
  report: query({ input: z.strictObject({ batchId: Id }), output: ImportReportSchema, scope: ADMIN_ONLY, access: ['admin'] }),
};
