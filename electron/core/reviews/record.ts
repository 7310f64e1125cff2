import { AppError } from '../../../shared/errors';
import { TIER_CODES, type EntryKind, type ReviewDecision, type TierCode } from '../../../shared/domain/clinical';
import { TRANSFER_DECISIONS } from '../../../shared/api/reviews';
import { getRuleSet, type ClinicalClass } from '../../../shared/clinical';
import type { Ctx } from '../context';
import { computeSnapshot, type ClinicalSnapshot } from '../clinical/state';
import { currentRow } from '../clinical/current';
import { openPlacement, type OpenPlacement } from '../beds/moves';
import { cancelTransfer, requestTransfer } from '../transfers/service';

/** The parsed review fields shared by record and amend. */
export interface ReviewFields {
  decision: ReviewDecision;
  note: string | null;
  tier?: TierCode | null | undefined;
  nextReviewDue?: string | null | undefined;
  planChange: string | null;
  planGoals: string | null;
  toFacilityId?: number | null | undefined;
  toWardId?: number | null | undefined;
}

export interface ReviewRow {
  id: number;
  episode_id: number;
  at: string;
  flags: string;
  decision: ReviewDecision;
  note: string | null;
  next_review_due: string | null;
  class_at_review: ClinicalClass | null;
  tier_after: string | null;
  entry_kind: EntryKind;
  supersedes_id: number | null;
}

const tierIndex = (t: string | null): number => (t === null ? -1 : TIER_CODES.indexOf(t as TierCode));

/** Placement of each tier from the tier reference table (current rows): where a tier may be treated. */
function tierPlacements(ctx: Ctx): Map<string, string> {
  return new Map(
    ctx
      .stmt<[], { code: string; placement: string }>('SELECT code, placement FROM tier_def WHERE valid_to IS NULL')
      .all()
      .map((r) => [r.code, r.placement]),
  );
}

const DESIGNATED_PLACEMENTS = new Set(['designated', 'designated_severe', 'icu']);

/** The tier just before a review: the last current assignment not written by the review (or the reviews it amends). */
export function tierBefore(ctx: Ctx, episodeId: number, at: string, chain: readonly number[]): string | null {
  const rows = ctx
    .stmt<[number, string], { tier: string; review_id: number | null }>(
      `SELECT tier, review_id FROM tier_assignment r WHERE r.episode_id = ? AND r.at <= ? AND ${currentRow('tier_assignment', 'r')} ORDER BY r.at DESC, r.id DESC`,
    )
    .all(episodeId, at);
  return rows.find((r) => r.review_id === null || !chain.includes(r.review_id))?.tier ?? null;
}

/** The clinician-confirmed class at `ctx.now`: the last current assessment made by then. */
function classAt(ctx: Ctx, episodeId: number): ClinicalClass | null {
  return (
    ctx
      .stmt<[number, string], { class: ClinicalClass }>(
        `SELECT class FROM class_assessment r WHERE r.episode_id = ? AND r.assessed_at <= ? AND ${currentRow('class_assessment', 'r')} ORDER BY r.assessed_at DESC, r.id DESC LIMIT 1`,
      )
      .get(episodeId, ctx.now)?.class ?? null
  );
}

/** `moved`: the decision's move already happened (an amendment that keeps a carried-out transfer decision). */
function checkTier(ctx: Ctx, f: ReviewFields, before: string | null, place: OpenPlacement, moved: boolean): string | null {
  const after = f.tier ?? before;
  const placements = tierPlacements(ctx);
  switch (f.decision) {
    case 'escalate_tier':
      if (tierIndex(after) <= tierIndex(before)) throw AppError.field('tier', 'review.tier_not_higher', { tier: before ?? '—' });
      break;
    case 'step_down':
      if (before !== null && tierIndex(after) >= tierIndex(before)) throw AppError.field('tier', 'review.tier_not_lower', { tier: before });
      break;
    case 'transfer_designated':
      if (!moved && place.facility_kind === 'designated') throw AppError.field('decision', 'review.already_designated');
      if (!DESIGNATED_PLACEMENTS.has(placements.get(after ?? '') ?? '')) throw AppError.field('tier', 'review.tier_not_designated');
      break;
    case 'transfer_icu':
      if (!moved && place.ward_kind === 'icu') throw AppError.field('decision', 'review.already_icu');
      if (placements.get(after ?? '') !== 'icu') throw AppError.field('tier', 'review.tier_not_icu');
      break;
    case 'continue':
    case 'ready_for_discharge':
      if (after !== before) throw AppError.field('tier', 'review.tier_change_needs_decision');
      break;
  }
  return after;
}

/** Where a transfer decision sends the patient when the panel did not say: the designated hospital, its ICU. */
function transferTarget(ctx: Ctx, f: ReviewFields, place: OpenPlacement): { facilityId: number; wardId: number | null } {
  let facilityId = f.toFacilityId ?? null;
  if (facilityId === null) {
    if (f.decision === 'transfer_icu' && place.facility_kind === 'designated') facilityId = place.facility_id;
    else {
      const designated = ctx.stmt<[], { id: number }>(`SELECT id FROM facility WHERE kind = 'designated' ORDER BY sort, id`).all();
      if (designated.length !== 1) throw AppError.field('toFacilityId', 'review.choose_facility');
      facilityId = designated[0]!.id;
    }
  }
  let wardId = f.toWardId ?? null;
  if (wardId === null && f.decision === 'transfer_icu') {
    const icu = ctx.stmt<[number], { id: number }>(`SELECT id FROM ward WHERE facility_id = ? AND kind = 'icu' ORDER BY sort, id LIMIT 1`).get(facilityId);
    if (!icu) throw AppError.field('toWardId', 'review.no_icu');
    wardId = icu.id;
  }
  return { facilityId, wardId };
}

function savePlanChange(ctx: Ctx, episodeId: number, patientId: number, reviewId: number, f: ReviewFields): number | null {
  if (f.planChange === null && f.planGoals === null) return null;
  const prev = ctx
    .stmt<
      [number],
      { version: number; attending_id: number | null; nurse_id: number | null; expert_id: number | null; goals: string | null; items: string; monitoring: string | null }
    >('SELECT version, attending_id, nurse_id, expert_id, goals, items, monitoring FROM plan_version WHERE episode_id = ? ORDER BY version DESC LIMIT 1')
    .get(episodeId);
  const version = (prev?.version ?? 0) + 1;
  // The plan's items stay as the ward wrote them; the panel's change is recorded as the version's note and goals.
  const row = {
    episode_id: episodeId,
    version,
    created_at: ctx.now,
    author_id: ctx.actor.id,
    attending_id: prev?.attending_id ?? null,
    nurse_id: prev?.nurse_id ?? null,
    expert_id: prev?.expert_id ?? ctx.actor.id,
    goals: f.planGoals ?? prev?.goals ?? null,
    items: prev?.items ?? '[]',
    monitoring: prev?.monitoring ?? null,
    next_review_due: f.nextReviewDue ?? null,
    change_note: f.planChange ?? f.planGoals,
  };
  const id = Number(
    ctx
      .stmt(
        `INSERT INTO plan_version (episode_id, version, created_at, author_id, attending_id, nurse_id, expert_id, goals, items, monitoring, next_review_due, change_note)
         VALUES (@episode_id, @version, @created_at, @author_id, @attending_id, @nurse_id, @expert_id, @goals, @items, @monitoring, @next_review_due, @change_note)`,
      )
      .run(row).lastInsertRowid,
  );
  ctx.audit({
    action: 'plan.version',
    entity: 'plan_version',
    entityId: id,
    patientId,
    after: { version, goals: row.goals, changeNote: row.change_note, reviewId },
    reason: 'review',
  });
  return version;
}

export interface ReviewOutcome {
  reviewId: number;
  tierAssignmentId: number | null;
  transferId: number | null;
  planVersion: number | null;
}

/**
 * Signs a review (or an amendment of one) and carries out its decision in the caller's transaction:
 * a tier change writes a tier assignment, a transfer decision opens a transfer request, a plan change
 * saves a new plan version; then the episode is touched, and dispatch stores its derived state.
 */
/**
 * `batch` is for a generator that writes a whole history in one transaction (the demo): it passes the
 * snapshot it already computed at `ctx.now` and refreshes every episode's derived state once at the end.
 */
export interface Batch {
  snapshot: ClinicalSnapshot;
  refresh: false;
}

export function signReview(ctx: Ctx, episodeId: number, f: ReviewFields, amend?: { of: ReviewRow; reason: string; chain: number[] }, batch?: Batch): ReviewOutcome {
  const place = openPlacement(ctx, episodeId);
  if (f.nextReviewDue && f.nextReviewDue <= ctx.now) throw AppError.field('nextReviewDue', 'review.due_not_future');
  const snapshot = batch?.snapshot ?? computeSnapshot(ctx, episodeId);
  const at = amend ? amend.of.at : ctx.now;
  const sameDecision = amend !== undefined && amend.of.decision === f.decision;
  const earlier = amend ? transferOfChain(ctx, episodeId, amend.chain) : null;
  if (earlier?.status === 'completed' && !sameDecision) {
    // The patient has already been moved on this decision: a different decision is a new review, not a correction.
    throw new AppError('RULE_VIOLATION', `the transfer of review ${amend?.of.id} is complete`, { key: 'review.amend_after_transfer' });
  }
  // Tier and class as of the review's time (the same as the latest rows in live use; a replayed
  // history, such as the demo's, must not see later assignments).
  const tierNow = tierBefore(ctx, episodeId, ctx.now, []);
  const classNow = classAt(ctx, episodeId) ?? snapshot.proposal.proposed;
  const before = amend ? tierBefore(ctx, episodeId, at, amend.chain) : tierNow;
  const after = checkTier(ctx, f, before, place, sameDecision && earlier?.status === 'completed');

  // An amendment keeps what the review was opened for; it corrects what was decided.
  const flagsJson = amend ? amend.of.flags : JSON.stringify(snapshot.flags);
  const classAtReview = amend ? amend.of.class_at_review : classNow;
  const reviewId = Number(
    ctx
      .stmt(
        `INSERT INTO review (episode_id, at, flags, decision, note, next_review_due, class_at_review, tier_after, entered_at, author_id, entry_kind, supersedes_id, reason)
         VALUES (@episode_id, @at, @flags, @decision, @note, @next_review_due, @class_at_review, @tier_after, @entered_at, @author_id, @entry_kind, @supersedes_id, @reason)`,
      )
      .run({
        episode_id: episodeId,
        at,
        flags: flagsJson,
        decision: f.decision,
        note: f.note,
        next_review_due: f.nextReviewDue ?? null,
        class_at_review: classAtReview,
        tier_after: after,
        entered_at: ctx.now,
        author_id: ctx.actor.id,
        entry_kind: amend ? 'amendment' : 'original',
        supersedes_id: amend?.of.id ?? null,
        reason: amend?.reason ?? null,
      }).lastInsertRowid,
  );
  ctx.audit({
    action: amend ? 'review.amend' : 'review.record',
    entity: 'review',
    entityId: reviewId,
    patientId: place.patient_id,
    before: amend ? { reviewId: amend.of.id, decision: amend.of.decision, note: amend.of.note, nextReviewDue: amend.of.next_review_due, tierAfter: amend.of.tier_after } : null,
    after: {
      decision: f.decision,
      note: f.note,
      nextReviewDue: f.nextReviewDue ?? null,
      classAtReview,
      tierBefore: before,
      tierAfter: after,
      flags: (JSON.parse(flagsJson) as { code: string }[]).map((x) => x.code),
    },
    reason: amend?.reason ?? null,
  });

  let tierAssignmentId: number | null = null;
  if (after !== null && after !== tierNow) {
    const proposal = getRuleSet().proposeTier({
      clinicalClass: classNow,
      hasRiskFactors: snapshot.riskFactors.length > 0,
      facilityKind: place.facility_kind,
    });
    tierAssignmentId = Number(
      ctx
        .stmt(`INSERT INTO tier_assignment (episode_id, at, tier, proposed_tier, source, review_id, entered_at, author_id) VALUES (?, ?, ?, ?, 'review', ?, ?, ?)`)
        .run(episodeId, ctx.now, after, proposal.tier, reviewId, ctx.now, ctx.actor.id).lastInsertRowid,
    );
    ctx.audit({
      action: 'tier.assign',
      entity: 'tier_assignment',
      entityId: tierAssignmentId,
      patientId: place.patient_id,
      before: { tier: tierNow },
      after: { tier: after, proposedTier: proposal.tier, source: 'review', reviewId },
      reason: f.note,
    });
  }

  let transferId: number | null = null;
  if (earlier && earlier.status !== 'completed' && earlier.status !== 'cancelled' && !sameDecision) {
    // The decision that asked for this transfer was corrected: the request goes with it.
    cancelTransfer(ctx, earlier.id, 'review_amended');
  }
  if (TRANSFER_DECISIONS.includes(f.decision)) {
    if (sameDecision && earlier && earlier.status !== 'cancelled') transferId = earlier.id;
    else {
      const target = transferTarget(ctx, f, place);
      transferId = requestTransfer(ctx, { episodeId, toFacilityId: target.facilityId, toWardId: target.wardId, reason: f.note ?? '', reviewId });
    }
  }

  const planVersion = savePlanChange(ctx, episodeId, place.patient_id, reviewId, f);
  if (!batch) ctx.touchEpisode(episodeId);
  return { reviewId, tierAssignmentId, transferId, planVersion };
}

/** The latest transfer request opened by a review of this chain (a review and the ones it amends). */
function transferOfChain(ctx: Ctx, episodeId: number, chain: readonly number[]): { id: number; status: string } | null {
  return (
    ctx
      .stmt<[number], { id: number; status: string; review_id: number }>(
        `SELECT id, status, review_id FROM transfer_request WHERE episode_id = ? AND review_id IS NOT NULL ORDER BY id DESC`,
      )
      .all(episodeId)
      .find((t) => chain.includes(t.review_id)) ?? null
  );
}

/** The review being amended, which must be the current version; and the ids of the reviews it replaces. */
export function amendable(ctx: Ctx, reviewId: number): { row: ReviewRow; chain: number[] } {
  const row = ctx
    .stmt<[number], ReviewRow>(`SELECT id, episode_id, at, flags, decision, note, next_review_due, class_at_review, tier_after, entry_kind, supersedes_id FROM review WHERE id = ?`)
    .get(reviewId);
  if (!row) throw new AppError('NOT_FOUND', `review ${reviewId} not found`, { key: 'review.not_found' });
  const superseded = ctx.stmt<[number], { id: number }>('SELECT id FROM review WHERE supersedes_id = ?').get(reviewId);
  if (superseded || row.entry_kind === 'entered_in_error') throw new AppError('RULE_VIOLATION', `review ${reviewId} is not the current version`, { key: 'review.not_current' });
  const chain = [row.id];
  for (let prev = row.supersedes_id; prev !== null;) {
    chain.push(prev);
    prev = ctx.stmt<[number], { supersedes_id: number | null }>('SELECT supersedes_id FROM review WHERE id = ?').get(prev)?.supersedes_id ?? null;
  }
  return { row, chain };
}
