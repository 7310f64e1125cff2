/** Flags that only fire because of something after the last review: they always ask for a new one. */
const POST_REVIEW_FLAGS = new Set(['class_worse_than_last_review', 'doctor_referral', 'review_overdue']);

/**
 * Flags that rank a patient but never make one await the panel: "eligible for an antiviral, not
 * started" (issue 19) prompts the prescriber, and every patient it fires for already carries the
 * risk-factor flag. Leaving it out keeps who-awaits-review (and the reports' history of it) a function
 * of the review records alone.
 */
const RANKING_ONLY_FLAGS = new Set(['antiviral_eligible']);

/**
 * Flagged and awaiting the panel at instant `at`: flagged, and either never reviewed, or the review
 * has fallen due, or a flag was raised by something after the last review (class worse, a referral,
 * overdue). The one rule for the live state and for the reports' as-of figures.
 */
export function awaitingReview(flags: readonly { code: string }[], lastReviewAt: string | null, reviewDueAt: string | null, at: string): boolean {
  if (!flags.some((f) => !RANKING_ONLY_FLAGS.has(f.code))) return false;
  const reviewedAndCurrent = lastReviewAt !== null && (reviewDueAt === null || reviewDueAt > at) && !flags.some((f) => POST_REVIEW_FLAGS.has(f.code));
  return !reviewedAndCurrent;
}
