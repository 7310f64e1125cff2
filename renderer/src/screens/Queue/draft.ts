/**
 * An unsigned review kept for this browser session (sessionStorage), per user and episode: closing the
 * drawer with the note half typed and opening the same patient again brings it back. Signing clears it;
 * another user of the shared workstation never sees it (the key names the user).
 */
export interface ReviewDraft {
  decision: string;
  tier: string | null;
  note: string;
  nextReviewDue: string;
  planChange: string;
  planGoals: string;
}

export const draftKey = (username: string, episodeId: number) => `echelon.reviewDraft.${username}.${episodeId}`;

/** Whether a draft holds anything typed: a note or a plan change is what closing would lose. */
export const typedIn = (d: Pick<ReviewDraft, 'note' | 'planChange' | 'planGoals'>) => d.note.trim() !== '' || d.planChange.trim() !== '' || d.planGoals.trim() !== '';

export function loadDraft(key: string): ReviewDraft | null {
  const text = globalThis.sessionStorage?.getItem(key);
  if (!text) return null;
  try {
    const d = JSON.parse(text) as Partial<ReviewDraft>;
    return typeof d.note === 'string' && typeof d.decision === 'string'
      ? {
          decision: d.decision,
          tier: typeof d.tier === 'string' ? d.tier : null,
          note: d.note,
          nextReviewDue: typeof d.nextReviewDue === 'string' ? d.nextReviewDue : '',
          planChange: typeof d.planChange === 'string' ? d.planChange : '',
          planGoals: typeof d.planGoals === 'string' ? d.planGoals : '',
        }
      : null;
  } catch (err) {
    // A draft this version cannot read (another build wrote it) is dropped rather than half restored.
    if (!(err instanceof SyntaxError)) throw err;
    globalThis.sessionStorage?.removeItem(key);
    return null;
  }
}

export function saveDraft(key: string, d: ReviewDraft): void {
  if (typedIn(d)) globalThis.sessionStorage?.setItem(key, JSON.stringify(d));
  else globalThis.sessionStorage?.removeItem(key);
}

export function clearDraft(key: string): void {
  globalThis.sessionStorage?.removeItem(key);
}
