import { z } from 'zod';
import { command, operation, query, ADMIN_ONLY } from './define';
import { InstantOut, NoInput } from './fields';
import { AuditHeadSchema } from './audit';

/**
 * A file in the backups folder, by name only: the renderer never sends a path, so no call can read or
 * write outside the data folder. Files from elsewhere come in through the host's open dialog (`import`).
 */
export const BackupName = z.string().regex(/^(?:echelon|imported)-\d{8}-\d{6}(?:-\d{1,3})?\.db$/, { error: 'validation.backup_name' });

export const BackupFileSchema = z.object({
  name: z.string(),
  kind: z.enum(['backup', 'imported']),
  size: z.number().int(),
  createdAt: InstantOut,
});
export type BackupFile = z.infer<typeof BackupFileSchema>;

export const ProblemSchema = z.object({ key: z.string(), params: z.record(z.string(), z.union([z.string(), z.number()])).optional() });

/** What checking a copy found: every check that ran, and the problems (i18n keys) that make it unusable. */
export const VerificationSchema = z.object({
  ok: z.boolean(),
  problems: z.array(ProblemSchema),
  schemaVersion: z.number().int().nullable(),
  integrity: z.string().nullable(),
  foreignKeyErrors: z.number().int().nullable(),
  auditRows: z.number().int().nullable(),
  auditChainOk: z.boolean().nullable(),
  /** The copy's audit head when its chain verifies: the anchor a backup leaves (audit/anchor.ts). */
  auditHead: AuditHeadSchema.nullable(),
  patients: z.number().int().nullable(),
  users: z.number().int().nullable(),
});
export type Verification = z.infer<typeof VerificationSchema>;

export const BackupListSchema = z.object({
  folder: z.string(),
  files: z.array(BackupFileSchema),
  keep: z.number().int(),
  /** True when the host can show a save/open dialog (the Electron app; not a plain browser). */
  canChooseFile: z.boolean(),
});

export const backup = {
  list: query({ input: NoInput, output: BackupListSchema, scope: ADMIN_ONLY, access: ['admin'] }),
  /** `folder`: a dated copy in the backups folder; `file`: to a file the user picks in a save dialog. */
  create: operation({
    input: z.strictObject({ target: z.enum(['folder', 'file']).default('folder') }),
    output: z.object({ cancelled: z.boolean(), file: BackupFileSchema.nullable(), verification: VerificationSchema.nullable(), pruned: z.array(z.string()) }),
    scope: ADMIN_ONLY,
    access: ['admin'],
  }),
  /** Verifies one backup without touching it. */
  inspect: query({
    input: z.strictObject({ name: BackupName }),
    output: z.object({ file: BackupFileSchema, verification: VerificationSchema }),
    scope: ADMIN_ONLY,
    access: ['admin'],
  }),
  /** Copies a backup file the user picks in an open dialog into the backups folder, after verifying it. */
  import: operation({
    input: NoInput,
    output: z.object({ cancelled: z.boolean(), file: BackupFileSchema.nullable(), verification: VerificationSchema.nullable() }),
    scope: ADMIN_ONLY,
    access: ['admin'],
  }),
  /** Replaces the database with a verified backup; `confirm` must repeat the backup's name. Everyone is logged out. */
  restore: operation({
    input: z.strictObject({ name: BackupName, confirm: z.string().max(100) }),
    output: z.object({ restoredFrom: z.string(), replacedAs: z.string(), verification: VerificationSchema }),
    scope: ADMIN_ONLY,
    access: ['admin'],
  }),
};

export const ExportResultSchema = z.object({
  folder: z.string(),
  tables: z.array(z.object({ table: z.string(), rows: z.number().int(), file: z.string() })),
});

/** All data as CSV, one file per table, for the hospital's own records. */
export const exportData = {
  csv: command({ input: NoInput, output: ExportResultSchema, scope: ADMIN_ONLY, access: ['admin'] }),
};
