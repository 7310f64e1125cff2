import { AppError } from '../../../shared/errors';
import { getRuleSet } from '../../../shared/clinical';
import type { DomainHandlers } from '../context';
import { computeSnapshot } from '../clinical/state';
import { episodeForCorrection, episodeForWrite, loadCurrent, auditWithdrawal } from '../records/signed';

interface StoredAssessment {
  id: number;
  episode_id: number;
  author_id: number;
  entry_kind: string;
  assessed_at: string;
  class: string;
  proposed_class: string | null;
  rule_set: string;
  proposal: string | null;
  decision: 'confirmed' | 'overridden';
  override_reason: string | null;
}

const INSERT_ASSESSMENT = `INSERT INTO class_assessment (episode_id, assessed_at, class, proposed_class, rule_set, proposal, decision, override_reason,
    entered_at, author_id, entry_kind, supersedes_id, reason)
  VALUES (@episodeId, @assessedAt, @class, @proposedClass, @ruleSet, @proposal, @decision, @overrideReason, @now, @authorId, @entryKind, @supersedesId, @reason)`;

export const classHandlers: DomainHandlers<'classes'> = {
  /**
   * Rules propose, clinicians decide (DESIGN.md §3): the doctor confirms the proposal or overrides it
   * with a class and a reason. The proposal is recomputed here and stored with its rule set, so the
   * record shows what the rules said at that moment; if it changed since the doctor saw it, the
   * decision is refused rather than silently attached to a different proposal.
   */
  assess(ctx, input) {
    const ep = episodeForWrite(ctx, input.episodeId);
    const { proposal } = computeSnapshot(ctx, ep.id);
    if (proposal.proposed !== input.proposedClass) {
      throw new AppError('CONFLICT', 'the class proposal changed', { key: 'classes.proposal_changed', params: { proposed: proposal.proposed } });
    }
    const cls = input.decision === 'confirmed' ? proposal.proposed : input.class;
    if (cls === null) throw AppError.field('class', 'validation.required');
    const row = {
      episodeId: ep.id,
      assessedAt: ctx.now,
      class: cls,
      proposedClass: proposal.proposed,
      ruleSet: proposal.ruleSet,
      proposal: JSON.stringify(proposal),
      decision: input.decision,
      overrideReason: input.decision === 'overridden' ? input.overrideReason : null,
    };
    const assessmentId = Number(
      ctx.stmt(INSERT_ASSESSMENT).run({ ...row, now: ctx.now, authorId: ctx.actor.id, entryKind: 'original', supersedesId: null, reason: null }).lastInsertRowid,
    );
    const before = ctx
      .stmt<[number, number], { class: string }>(
        `SELECT class FROM class_assessment r WHERE r.episode_id = ? AND r.id <> ? AND r.entry_kind <> 'entered_in_error'
           AND NOT EXISTS (SELECT 1 FROM class_assessment s WHERE s.supersedes_id = r.id) ORDER BY r.assessed_at DESC, r.id DESC LIMIT 1`,
      )
      .get(ep.id, assessmentId);
    ctx.audit({
      action: 'class.assess',
      entity: 'class_assessment',
      entityId: assessmentId,
      patientId: ep.patient_id,
      before: { class: before?.class ?? null },
      after: { class: cls, proposedClass: proposal.proposed, decision: input.decision, ruleSet: proposal.ruleSet },
      reason: row.overrideReason,
    });
    ctx.touchEpisode(ep.id);
    return { assessmentId };
  },

  enterInError(ctx, input) {
    const original = loadCurrent<StoredAssessment>(ctx, 'class_assessment', input.assessmentId);
    const ep = episodeForCorrection(ctx, original.episode_id);
    const id = Number(
      ctx.stmt(INSERT_ASSESSMENT).run({
        episodeId: ep.id,
        assessedAt: original.assessed_at,
        class: original.class,
        proposedClass: original.proposed_class,
        ruleSet: original.rule_set,
        proposal: null,
        decision: original.decision,
        overrideReason: original.override_reason,
        now: ctx.now,
        authorId: ctx.actor.id,
        entryKind: 'entered_in_error',
        supersedesId: original.id,
        reason: input.reason,
      }).lastInsertRowid,
    );
    auditWithdrawal(ctx, ep, {
      action: 'class.entered_in_error',
      entity: 'class_assessment',
      markerId: id,
      withdrawn: original.id,
      before: { assessmentId: original.id, class: original.class },
      reason: input.reason,
    });
    return { id };
  },
};

export const tierHandlers: DomainHandlers<'tiers'> = {
  list(ctx) {
    return ctx
      .stmt<[], { code: 'T1' | 'T2' | 'T3' | 'T4' | 'T5'; nameZh: string; nameEn: string; descriptionZh: string; descriptionEn: string; placement: string }>(
        `SELECT code, name_zh AS nameZh, name_en AS nameEn, description_zh AS descriptionZh, description_en AS descriptionEn, placement
         FROM tier_def WHERE valid_to IS NULL ORDER BY sort`,
      )
      .all();
  },

  /** A tier change with its reason; the rule's tier proposal at that moment is stored beside it. */
  assign(ctx, input) {
    const ep = episodeForWrite(ctx, input.episodeId);
    const known = ctx.stmt<[string], { code: string }>('SELECT code FROM tier_def WHERE code = ? AND valid_to IS NULL').get(input.tier);
    if (!known) throw AppError.field('tier', 'validation.invalid_option');
    const snap = computeSnapshot(ctx, ep.id);
    if (snap.currentTier === input.tier) throw AppError.field('tier', 'tiers.unchanged');
    const proposed = getRuleSet().proposeTier({
      clinicalClass: snap.currentClass ?? snap.proposal.proposed,
      hasRiskFactors: snap.riskFactors.length > 0,
      facilityKind: snap.facilityKind,
    });
    const assignmentId = Number(
      ctx
        .stmt(
          `INSERT INTO tier_assignment (episode_id, at, tier, proposed_tier, source, entered_at, author_id, entry_kind, reason)
           VALUES (?, ?, ?, ?, 'manual', ?, ?, 'original', ?)`,
        )
        .run(ep.id, ctx.now, input.tier, proposed.tier, ctx.now, ctx.actor.id, input.reason).lastInsertRowid,
    );
    ctx.audit({
      action: 'tier.assign',
      entity: 'tier_assignment',
      entityId: assignmentId,
      patientId: ep.patient_id,
      before: { tier: snap.currentTier },
      after: { tier: input.tier, proposedTier: proposed.tier },
      reason: input.reason,
    });
    ctx.touchEpisode(ep.id);
    return { assignmentId };
  },
};
