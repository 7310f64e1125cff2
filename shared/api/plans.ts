import { z } from 'zod';
import { command, query, inWardsOf, NOT_WARD_DATA } from './define';
import { Id, Instant, InstantOut, LocalDate, OptionalText, orNull } from './fields';
import { PLAN_ITEM_KINDS, type PlanItemKind } from '../domain/clinical';
import { ROLES, type Role } from '../domain/enums';
import { News2MonitoringSchema } from './snapshot';

export const PLAN_ROLES: readonly Role[] = ['ward_doctor', 'expert'];

export const PlanItemSchema = z.strictObject({
  kind: z.enum(PLAN_ITEM_KINDS),
  detail: OptionalText(300),
  /** Antiviral course: first day, and its length in days (e.g. nirmatrelvir/ritonavir, 5 days). */
  startDate: orNull(LocalDate),
  courseDays: orNull(z.number().int().min(1).max(60)),
});
export type PlanItem = z.output<typeof PlanItemSchema>;

/** 一人一策: the whole plan as the doctor saves it; each save is a new immutable version. */
export const SavePlanSchema = z
  .strictObject({
    episodeId: Id,
    /** The version the editor started from (0 = no plan yet); a newer one in between is a conflict. */
    baseVersion: z.number().int().min(0),
    attendingId: orNull(Id),
    nurseId: orNull(Id),
    expertId: orNull(Id),
    goals: OptionalText(1000),
    items: z.array(PlanItemSchema).max(PLAN_ITEM_KINDS.length).default([]),
    monitoring: orNull(News2MonitoringSchema),
    nextReviewDue: orNull(Instant),
    changeNote: OptionalText(300),
  })
  .superRefine((v, ctx) => {
    const seen = new Set<string>();
    v.items.forEach((item, i) => {
      if (seen.has(item.kind)) ctx.addIssue({ code: 'custom', path: ['items', i, 'kind'], message: 'validation.duplicate_item' });
      seen.add(item.kind);
      if (item.kind === 'antiviral' && item.startDate === null) ctx.addIssue({ code: 'custom', path: ['items', i, 'startDate'], message: 'validation.antiviral_start' });
    });
  });
export type SavePlanInput = z.input<typeof SavePlanSchema>;

const Member = z.object({ id: Id, name: z.string() }).nullable();

export const PlanVersionSchema = z.object({
  id: Id,
  version: z.number().int(),
  createdAt: InstantOut,
  authorName: z.string(),
  attending: Member,
  nurse: Member,
  expert: Member,
  goals: z.string().nullable(),
  items: z.array(z.object({ kind: z.enum(PLAN_ITEM_KINDS), detail: z.string().nullable(), startDate: z.string().nullable(), courseDays: z.number().int().nullable() })),
  monitoring: News2MonitoringSchema.nullable(),
  nextReviewDue: InstantOut.nullable(),
  changeNote: z.string().nullable(),
});
export type PlanVersion = z.infer<typeof PlanVersionSchema>;

export const TeamMemberSchema = z.object({ id: Id, displayName: z.string(), role: z.enum(ROLES) });

export const plans = {
  save: command({ input: SavePlanSchema, output: z.object({ planId: Id, version: z.number().int() }), scope: inWardsOf({ episodeId: 'episode' }), access: PLAN_ROLES }),
  /** Active doctors, nurses and experts to pick the plan's team from. */
  team: query({ input: z.strictObject({}), output: z.array(TeamMemberSchema), scope: NOT_WARD_DATA, access: 'authenticated' }),
};

export type PlanField = 'attending' | 'nurse' | 'expert' | 'goals' | 'monitoring' | 'nextReviewDue';
export type PlanChange =
  | { field: PlanField; before: string | null; after: string | null }
  | { field: 'item'; kind: PlanItemKind; change: 'added' | 'removed' | 'changed'; before: PlanVersion['items'][number] | null; after: PlanVersion['items'][number] | null };

/** What changed from one plan version to the next (the chart shows it beside each version). */
export function diffPlanVersions(prev: PlanVersion | null, next: PlanVersion): PlanChange[] {
  const out: PlanChange[] = [];
  const scalar = (field: PlanField, a: string | null, b: string | null) => {
    if (a !== b) out.push({ field, before: a, after: b });
  };
  scalar('attending', prev?.attending?.name ?? null, next.attending?.name ?? null);
  scalar('nurse', prev?.nurse?.name ?? null, next.nurse?.name ?? null);
  scalar('expert', prev?.expert?.name ?? null, next.expert?.name ?? null);
  scalar('goals', prev?.goals ?? null, next.goals);
  scalar('monitoring', prev?.monitoring ?? null, next.monitoring);
  scalar('nextReviewDue', prev?.nextReviewDue ?? null, next.nextReviewDue);
  const before = new Map((prev?.items ?? []).map((i) => [i.kind, i]));
  const after = new Map(next.items.map((i) => [i.kind, i]));
  for (const kind of PLAN_ITEM_KINDS) {
    const a = before.get(kind) ?? null;
    const b = after.get(kind) ?? null;
    if (!a && b) out.push({ field: 'item', kind, change: 'added', before: null, after: b });
    else if (a && !b) out.push({ field: 'item', kind, change: 'removed', before: a, after: null });
    else if (a && b && (a.detail !== b.detail || a.startDate !== b.startDate || a.courseDays !== b.courseDays)) {
      out.push({ field: 'item', kind, change: 'changed', before: a, after: b });
    }
  }
  return out;
}
