import { AppError } from '../../../shared/errors';
import type { PlanVersion } from '../../../shared/api/plans';
import type { Role } from '../../../shared/domain/enums';
import type { Ctx, DomainHandlers } from '../context';
import { episodeForWrite } from '../records/signed';
import { changeParams } from '../records/versions';
import { checkPlanAntiviral } from '../antiviral/guard';

interface StoredPlan {
  id: number;
  version: number;
  created_at: string;
  author_name: string;
  attending_id: number | null;
  attending_name: string | null;
  nurse_id: number | null;
  nurse_name: string | null;
  expert_id: number | null;
  expert_name: string | null;
  goals: string | null;
  items: string;
  monitoring: PlanVersion['monitoring'];
  next_review_due: string | null;
  change_note: string | null;
}

/** Every version of an episode's plan, newest first (plan_version UNIQUE (episode_id, version)). */
export function planVersions(ctx: Ctx, episodeId: number): PlanVersion[] {
  return ctx
    .stmt<[number], StoredPlan>(
      `SELECT v.id, v.version, v.created_at, au.display_name AS author_name,
              v.attending_id, a.display_name AS attending_name, v.nurse_id, n.display_name AS nurse_name,
              v.expert_id, x.display_name AS expert_name, v.goals, v.items, v.monitoring, v.next_review_due, v.change_note
       FROM plan_version v
       JOIN app_user au ON au.id = v.author_id
       LEFT JOIN app_user a ON a.id = v.attending_id
       LEFT JOIN app_user n ON n.id = v.nurse_id
       LEFT JOIN app_user x ON x.id = v.expert_id
       WHERE v.episode_id = ? ORDER BY v.version DESC`,
    )
    .all(episodeId)
    .map((r) => ({
      id: r.id,
      version: r.version,
      createdAt: r.created_at,
      authorName: r.author_name,
      attending: r.attending_id !== null ? { id: r.attending_id, name: r.attending_name ?? '' } : null,
      nurse: r.nurse_id !== null ? { id: r.nurse_id, name: r.nurse_name ?? '' } : null,
      expert: r.expert_id !== null ? { id: r.expert_id, name: r.expert_name ?? '' } : null,
      goals: r.goals,
      items: JSON.parse(r.items) as PlanVersion['items'],
      monitoring: r.monitoring,
      nextReviewDue: r.next_review_due,
      changeNote: r.change_note,
    }));
}

/** A team member must be an active user of the role the slot is for. */
function checkMember(ctx: Ctx, field: string, userId: number | null, roles: readonly Role[]): void {
  if (userId === null) return;
  const u = ctx.stmt<[number], { role: Role; active: number }>('SELECT role, active FROM app_user WHERE id = ?').get(userId);
  if (!u || u.active !== 1 || !roles.includes(u.role)) throw AppError.field(field, 'plans.team_role');
}

export const planHandlers: DomainHandlers<'plans'> = {
  /** 一人一策: each save is a new immutable version; the chart shows what changed from the previous one. */
  save(ctx, input) {
    const ep = episodeForWrite(ctx, input.episodeId);
    const head = ctx
      .stmt<[number], { version: number; by: string; at: string }>(
        `SELECT v.version, u.display_name AS by, v.created_at AS at FROM plan_version v JOIN app_user u ON u.id = v.author_id
         WHERE v.episode_id = ? ORDER BY v.version DESC LIMIT 1`,
      )
      .get(ep.id);
    const latest = head?.version ?? 0;
    if (latest !== input.baseVersion) {
      // Who saved the version in force and when; with no plan at all (a base that never existed) only the version.
      throw new AppError('CONFLICT', 'the plan was changed meanwhile', {
        key: head ? 'plans.version_conflict' : 'plans.version_conflict_none',
        params: { version: latest, ...(head ? changeParams(ctx, head) : {}) },
      });
    }
    checkMember(ctx, 'attendingId', input.attendingId, ['ward_doctor', 'expert']);
    checkMember(ctx, 'nurseId', input.nurseId, ['nurse']);
    checkMember(ctx, 'expertId', input.expertId, ['expert']);
    if (input.nextReviewDue !== null && input.nextReviewDue <= ctx.now) throw AppError.field('nextReviewDue', 'plans.review_in_past');
    checkPlanAntiviral(ctx, ep.id, input.items);
    const version = latest + 1;
    const row = {
      attendingId: input.attendingId,
      nurseId: input.nurseId,
      expertId: input.expertId,
      goals: input.goals,
      items: input.items,
      monitoring: input.monitoring,
      nextReviewDue: input.nextReviewDue,
      changeNote: input.changeNote,
    };
    const planId = Number(
      ctx
        .stmt(
          `INSERT INTO plan_version (episode_id, version, created_at, author_id, attending_id, nurse_id, expert_id, goals, items, monitoring, next_review_due, change_note)
           VALUES (@episodeId, @version, @now, @authorId, @attendingId, @nurseId, @expertId, @goals, @items, @monitoring, @nextReviewDue, @changeNote)`,
        )
        .run({ ...row, items: JSON.stringify(row.items), episodeId: ep.id, version, now: ctx.now, authorId: ctx.actor.id }).lastInsertRowid,
    );
    const previous = latest > 0 ? planVersions(ctx, ep.id).find((v) => v.version === latest) : undefined;
    ctx.audit({
      action: 'plan.save',
      entity: 'plan_version',
      entityId: planId,
      patientId: ep.patient_id,
      before: previous ? { version: previous.version, goals: previous.goals, items: previous.items, monitoring: previous.monitoring, nextReviewDue: previous.nextReviewDue } : null,
      after: { version, ...row },
      reason: input.changeNote,
    });
    ctx.touchEpisode(ep.id);
    return { planId, version };
  },

  team(ctx) {
    return ctx
      .stmt<[], { id: number; displayName: string; role: Role }>(
        `SELECT id, display_name AS displayName, role FROM app_user WHERE active = 1 AND role IN ('ward_doctor', 'nurse', 'expert') ORDER BY role, display_name`,
      )
      .all();
  },
};
