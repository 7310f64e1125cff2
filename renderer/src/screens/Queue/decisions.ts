import { REVIEW_DECISIONS, TIER_CODES, type ReviewDecision, type TierCode } from '../../../../shared/domain/clinical';

/**
 * What the review rules of electron/core/reviews/record.ts (checkTier, transferTarget) and the
 * transfer service read about a patient, as the drawer knows it. The form offers only the decisions
 * and tiers these rules accept, so a decision is never refused after it was signed.
 */
export interface DecisionContext {
  /** The tier the decision starts from: the current one, or for an amendment the tier before the review. */
  tier: string | null;
  facilityKind: 'designated' | 'fangcang' | 'isolation';
  /** The kind of the patient's ward ('icu' …), once the facilities have loaded. */
  wardKind: string | null;
  /** A transfer request is open: the core refuses a second one (transfer.already_open). */
  openTransfer: boolean;
  /** The network's designated hospitals, each with whether it has an ICU ward; null until the facilities have loaded. */
  designated: readonly { id: number; hasIcu: boolean }[] | null;
  facilityId: number;
  /** Each tier's placement (tiers:list, reference data); empty until it has loaded. */
  placements: ReadonlyMap<string, string>;
  /** An amendment keeps its own decision whatever has happened since (the core's `moved` case). */
  amending: ReviewDecision | null;
}

/** The placements a transfer to the designated hospital may name (record.ts DESIGNATED_PLACEMENTS). */
const DESIGNATED_PLACEMENTS = new Set(['designated', 'designated_severe', 'icu']);

const indexOf = (tier: string | null) => (tier ? TIER_CODES.indexOf(tier as TierCode) : -1);

/** The tiers a decision may set, in order: higher for escalate, lower for step down, the placement for transfers, the same for the rest. */
export function tierChoices(decision: ReviewDecision, c: DecisionContext): TierCode[] {
  const now = indexOf(c.tier);
  const placed = (ok: (placement: string) => boolean) => TIER_CODES.filter((t) => c.placements.size === 0 || ok(c.placements.get(t) ?? ''));
  switch (decision) {
    case 'escalate_tier':
      return TIER_CODES.filter((_, i) => i > now);
    case 'step_down':
      return now < 0 ? [...TIER_CODES] : TIER_CODES.filter((_, i) => i < now);
    case 'transfer_designated':
      return placed((p) => DESIGNATED_PLACEMENTS.has(p));
    case 'transfer_icu':
      return placed((p) => p === 'icu');
    default:
      return TIER_CODES.filter((t) => t === c.tier);
  }
}

/** Why the core would refuse a decision for this patient (an i18n key), or null when it can apply. */
function refusal(decision: ReviewDecision, c: DecisionContext): string | null {
  if (decision === c.amending) return null;
  const transfer = decision === 'transfer_designated' || decision === 'transfer_icu';
  if (transfer && c.openTransfer && c.amending === null) return 'review.transfer_already_open';
  switch (decision) {
    case 'escalate_tier':
      return tierChoices(decision, c).length === 0 ? 'review.no_higher_tier' : null;
    case 'step_down':
      return tierChoices(decision, c).length === 0 ? 'review.no_lower_tier' : null;
    case 'transfer_designated':
      if (c.facilityKind === 'designated') return 'review.already_designated';
      // The form names no receiving hospital: the core picks the network's only one.
      return c.designated === null || c.designated.length === 1 ? null : 'review.no_designated';
    case 'transfer_icu': {
      if (c.wardKind === 'icu') return 'review.already_icu';
      if (c.designated === null) return null;
      const to = c.facilityKind === 'designated' ? c.designated.find((d) => d.id === c.facilityId) : c.designated.length === 1 ? c.designated[0] : undefined;
      if (!to) return 'review.no_designated';
      if (!to.hasIcu) return 'review.no_icu';
      return tierChoices(decision, c).length === 0 ? 'review.no_icu' : null;
    }
    default:
      return null;
  }
}

/** The decisions offered for this patient, and the ones withheld with the reason. */
export function decisionsFor(c: DecisionContext): { offered: ReviewDecision[]; withheld: { decision: ReviewDecision; why: string }[] } {
  const offered: ReviewDecision[] = [];
  const withheld: { decision: ReviewDecision; why: string }[] = [];
  for (const d of REVIEW_DECISIONS) {
    const why = refusal(d, c);
    if (why) withheld.push({ decision: d, why });
    else offered.push(d);
  }
  return { offered, withheld };
}
