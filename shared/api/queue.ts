import { z } from 'zod';
import { command, query, inWardsOf, READS_NETWORK } from './define';
import { Id, Instant, InstantOut, Text, PatientRowShape } from './fields';
import { FACILITY_KINDS } from '../domain/enums';
import { REVIEW_DECISIONS, TIER_CODES } from '../domain/clinical';
import { CLASS_ORDER } from '../clinical/classify';
import { FLAG_CODES } from '../clinical/flags';
import { FlagSchema } from './reviews';
import { TransferSchema } from './transfers';

/** The longest a flag may be snoozed: the panel meets daily, so a week is already generous. */
export const MAX_SNOOZE_HOURS = 7 * 24;

/**
 * Where a page of the queue ends: the last row's place in the queue's order (urgency, most urgent
 * first; then waiting since, longest first; then episode). The next page is the rows after it, so a
 * write between two pages moves only the rows it changed: no other row is shown twice or skipped.
 */
export const QueueCursorSchema = z.strictObject({
  urgency: z.number().int(),
  waitingSince: z.iso.datetime(),
  episodeId: Id,
});
export type QueueCursor = z.infer<typeof QueueCursorSchema>;

export const QueueFilterSchema = z.strictObject({
  facilityId: Id.optional(),
  wardId: Id.optional(),
  flag: z.enum(FLAG_CODES).optional(),
  tier: z.enum(TIER_CODES).optional(),
  /** Rows returned (a page), most urgent first; `total` counts them all. */
  limit: z.number().int().min(1).max(2000).default(100),
  /** The page after this row (the previous page's `nextCursor`); the first page without it. */
  after: QueueCursorSchema.optional(),
});
export type QueueFilter = z.input<typeof QueueFilterSchema>;

export const QueueRowSchema = z.object({
  ...PatientRowShape,
  facility: z.object({ id: Id, name: z.string(), kind: z.enum(FACILITY_KINDS) }),
  ward: z.object({ id: Id, name: z.string() }),
  bedLabel: z.string().nullable(),
  admittedAt: InstantOut,
  dayOfStay: z.number().int(),
  currentClass: z.enum(CLASS_ORDER).nullable(),
  proposedClass: z.enum(CLASS_ORDER).nullable(),
  tier: z.string().nullable(),
  news2Total: z.number().int().nullable(),
  news2Band: z.string().nullable(),
  news2Complete: z.boolean().nullable(),
  /** news2_total of the last rounds, oldest first: the sparkline. */
  news2Trend: z.array(z.number().int()),
  riskFactors: z.array(z.string()),
  flags: z.array(FlagSchema),
  snoozed: z.array(z.object({ flagCode: z.enum(FLAG_CODES), until: InstantOut, reason: z.string(), by: z.string() })),
  urgency: z.number().int(),
  /** Since when the patient has waited for the panel (see queue/list.ts waitingSince). */
  waitingSince: InstantOut,
  reviewDueAt: InstantOut.nullable(),
  lastReview: z.object({ id: Id, at: InstantOut, decision: z.enum(REVIEW_DECISIONS), by: z.string(), note: z.string().nullable() }).nullable(),
  plan: z.object({ version: z.number().int(), goals: z.string().nullable(), changeNote: z.string().nullable(), itemKinds: z.array(z.string()), createdAt: InstantOut }).nullable(),
  openTransfer: TransferSchema.pick({ id: true, status: true, to: true }).nullable(),
});
export type QueueRow = z.infer<typeof QueueRowSchema>;

export const QueueSchema = z.object({
  /** The hospital's time zone, for showing the rows' instants. */
  timeZone: z.string(),
  /** Every flagged patient within the filter, whatever the page. */
  total: z.number().int(),
  rows: z.array(QueueRowSchema),
  /** `after` for the next page; null when this page ends the queue. */
  nextCursor: QueueCursorSchema.nullable(),
});
export type Queue = z.infer<typeof QueueSchema>;

export const ReferInputSchema = z.strictObject({ episodeId: Id, note: Text(500) });

export const SnoozeInputSchema = z.strictObject({
  episodeId: Id,
  flagCode: z.enum(FLAG_CODES),
  until: Instant,
  reason: Text(500),
});
export type SnoozeInput = z.input<typeof SnoozeInputSchema>;

export const queue = {
  /** Every patient with an active severe-risk flag across the network, most urgent first, a page at a time (`after`). */
  list: query({ input: QueueFilterSchema, output: QueueSchema, scope: READS_NETWORK, access: ['expert', 'admin', 'ward_doctor'] }),
  /** A doctor asks the panel to see a patient: raises the doctor_referral flag until the next review. */
  refer: command({ input: ReferInputSchema, output: z.object({ referralId: Id }), scope: inWardsOf({ episodeId: 'episode' }), access: ['ward_doctor', 'expert', 'admin'] }),
  /** The panel hides one flag of one patient until an expiry, with a reason. */
  snooze: command({ input: SnoozeInputSchema, output: z.object({ snoozeId: Id }), scope: inWardsOf({ episodeId: 'episode' }), access: ['expert'] }),
};
