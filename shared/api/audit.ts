import { z } from 'zod';
import { query, READS_NETWORK, ADMIN_ONLY } from './define';
import { Id, InstantOut, LocalDate, NoInput } from './fields';

export const AuditRowSchema = z.object({
  id: Id,
  at: InstantOut,
  userId: Id.nullable(),
  userName: z.string().nullable(),
  action: z.string(),
  entity: z.string(),
  entityId: z.number().int().nullable(),
  patientId: Id.nullable(),
  patientName: z.string().nullable(),
  /** JSON text as recorded. */
  before: z.string().nullable(),
  after: z.string().nullable(),
  reason: z.string().nullable(),
  /** Where a networked change was made (client address and workstation name); null standalone. */
  workstation: z.string().nullable(),
});
export type AuditRowView = z.infer<typeof AuditRowSchema>;

export const AuditFilterSchema = z
  .strictObject({
    patientId: Id.optional(),
    userId: Id.optional(),
    /** Exact action, e.g. `patient.create` (the list of actions comes from `audit:actions`). */
    action: z.string().trim().min(1).max(64).optional(),
    /** Hospital-local dates, inclusive. */
    from: LocalDate.optional(),
    to: LocalDate.optional(),
    /** Keyset paging: rows older than this id. */
    beforeId: Id.optional(),
    limit: z.number().int().min(1).max(200).default(50),
  })
  .refine((f) => !f.from || !f.to || f.from <= f.to, { path: ['to'], error: 'validation.range_order' });
export type AuditFilter = z.input<typeof AuditFilterSchema>;

/** The head of the audit chain: how many rows, and the last one's id and hash (the genesis hash when empty). */
export const AuditHeadSchema = z.object({
  rows: z.number().int().min(0),
  lastId: Id.nullable(),
  lastHash: z.string().regex(/^[0-9a-f]{64}$/),
});
export type AuditHead = z.infer<typeof AuditHeadSchema>;

/**
 * A head kept outside the database (electron/core/audit/anchor.ts): written at a clean shutdown, with
 * each verified backup and at a restore. The chain must still hold that row, with that hash, as the
 * anchor's `rows`-th row.
 */
export const AuditAnchorSchema = AuditHeadSchema.extend({
  source: z.enum(['clean_shutdown', 'backup', 'restore']),
  /** The backup file, for `backup` and `restore`. */
  backup: z.string().nullable(),
});
export type AuditAnchor = z.infer<typeof AuditAnchorSchema>;

export const AuditVerifySchema = z.object({
  ok: z.boolean(),
  rows: z.number().int(),
  /** The first row whose hash or link does not match, or the anchored row that is gone or differs. */
  brokenAt: Id.nullable(),
  head: AuditHeadSchema,
  /** The anchor the chain was checked against; null when none was ever written. */
  anchor: AuditAnchorSchema.nullable(),
  /** Why the chain does not match its anchor (an i18n key), when it does not. */
  problem: z.object({ key: z.string(), params: z.record(z.string(), z.union([z.string(), z.number()])).optional() }).nullable(),
});

export const audit = {
  /** Walks the whole hash chain and checks it against the latest anchor kept outside the database. */
  verify: query({ input: NoInput, output: AuditVerifySchema, scope: ADMIN_ONLY, access: ['admin'] }),
  /** Newest first, filtered, paged by id. */
  list: query({ input: AuditFilterSchema, output: z.object({ rows: z.array(AuditRowSchema), nextBeforeId: Id.nullable() }), scope: ADMIN_ONLY, access: ['admin'] }),
  actions: query({ input: NoInput, output: z.array(z.string()), scope: ADMIN_ONLY, access: ['admin'] }),
  /** Everything recorded about one patient, newest first: who changed what, when, and why. */
  patientHistory: query({
    input: z.strictObject({ patientId: Id, beforeId: Id.optional(), limit: z.number().int().min(1).max(500).default(200) }),
    output: z.object({ rows: z.array(AuditRowSchema), nextBeforeId: Id.nullable() }),
    scope: READS_NETWORK,
    access: 'authenticated',
  }),
};
