import type { Queue, QueueFilter, QueueRow } from '../../../shared/api/queue';
import type { Flag } from '../../../shared/api/reviews';
import { effectiveRiskFactors, type ClinicalClass, type FlagCode, type RiskFactor } from '../../../shared/clinical';
import { HOUR_MS } from '../../../shared/clinical/time';
import type { ReviewDecision } from '../../../shared/domain/clinical';
import { dayOfStay } from '../../../shared/domain/time';
import type { Ctx } from '../context';
import { computeSnapshot } from '../clinical/state';
import { currentRow } from '../clinical/current';
import { currentAge } from '../patients/repo';
import { settingsOf } from '../settings/settings';
import { openTransfersByEpisode } from '../transfers/repo';

interface Candidate {
  episode_id: number;
  computed_at: string;
  flags: string;
  urgency: number;
  review_due_at: string | null;
  last_review_at: string | null;
  current_class: ClinicalClass | null;
  proposed_class: ClinicalClass | null;
  current_tier: string | null;
  news2_total: number | null;
  news2_band: string | null;
  news2_complete: 0 | 1 | null;
  stale: 0 | 1;
  admitted_at: string;
  patient_id: number;
  name: string;
  sex: 'M' | 'F';
  birth_date: string | null;
  age_years: number | null;
  risk_factors: string;
  ward_id: number;
  ward_name: string;
  facility_id: number;
  facility_name: string;
  facility_kind: QueueRow['facility']['kind'];
  bed_label: string | null;
}

/**
 * Candidates: episodes whose stored state is flagged, plus those whose stored state went stale
 * because time passed without a write: a review fell due, or a snooze expired, after the state was
 * computed. Stale rows are recomputed (read-only) at `now`, so the queue never waits for a round.
 */
const CANDIDATES = `
SELECT s.episode_id, s.computed_at, s.flags, s.urgency, s.review_due_at, s.last_review_at, s.current_class, s.proposed_class, s.current_tier,
       s.news2_total, s.news2_band, s.news2_complete,
       ((s.review_due_at > s.computed_at AND s.review_due_at <= @now)
        OR EXISTS (SELECT 1 FROM flag_snooze z WHERE z.episode_id = s.episode_id AND z.until > s.computed_at AND z.until <= @now)) AS stale,
       e.admitted_at, p.id AS patient_id, p.name, p.sex, p.birth_date, p.age_years, p.risk_factors,
       w.id AS ward_id, w.name AS ward_name, f.id AS facility_id, f.name AS facility_name, f.kind AS facility_kind, b.label AS bed_label
FROM episode_state s
JOIN episode e ON e.id = s.episode_id AND e.status = 'active'
JOIN placement pl ON pl.episode_id = e.id AND pl.end_at IS NULL
JOIN ward w ON w.id = pl.ward_id
JOIN facility f ON f.id = w.facility_id
JOIN patient p ON p.id = e.patient_id
LEFT JOIN bed b ON b.id = pl.bed_id
WHERE (s.flag_count > 0 OR (s.review_due_at > s.computed_at AND s.review_due_at <= @now)
       OR EXISTS (SELECT 1 FROM flag_snooze z WHERE z.episode_id = s.episode_id AND z.until > s.computed_at AND z.until <= @now))
  AND (@facilityId IS NULL OR f.id = @facilityId)
  AND (@wardId IS NULL OR w.id = @wardId)
  AND (@tier IS NULL OR s.current_tier = @tier)`;

/**
 * How long the patient has waited for the panel: since the later of (the last review, or admission
 * when never reviewed) and the start of the earliest active flag. A flag older than the last review
 * was already seen then; a newer one starts the wait.
 */
export function waitingSince(base: string, flags: readonly Flag[]): string {
  const starts = flags.map((f) => f.since).filter((s): s is string => s !== null).sort();
  const earliest = starts[0];
  return earliest !== undefined && earliest > base ? earliest : base;
}

interface Ranked {
  c: Candidate;
  flags: Flag[];
  urgency: number;
  currentClass: ClinicalClass | null;
  proposedClass: ClinicalClass | null;
  waitingSince: string;
}

/**
 * The expert panel's queue. Order: episode urgency (urgencyOf in electron/core/clinical/state.ts is
 * the one definition), then longest waiting first.
 */
export function listQueue(ctx: Ctx, filter: Required<Pick<QueueFilter, 'limit'>> & Omit<QueueFilter, 'limit'>): Queue {
  const tz = settingsOf(ctx).timeZone;
  const candidates = ctx
    .stmt<[Record<string, unknown>], Candidate>(CANDIDATES)
    .all({ now: ctx.now, facilityId: filter.facilityId ?? null, wardId: filter.wardId ?? null, tier: filter.tier ?? null });

  const ranked: Ranked[] = [];
  for (const c of candidates) {
    let flags: Flag[];
    let urgency = c.urgency;
    let currentClass = c.current_class;
    let proposedClass = c.proposed_class;
    if (c.stale === 1) {
      const s = computeSnapshot(ctx, c.episode_id);
      flags = s.flags;
      urgency = s.urgency;
      currentClass = s.currentClass;
      proposedClass = s.proposal.proposed;
    } else {
      flags = (JSON.parse(c.flags) as Flag[]).map((f) =>
        f.code === 'review_overdue' && c.review_due_at
          ? { ...f, evidence: { ...f.evidence, hoursOverdue: Math.round(((Date.parse(ctx.now) - Date.parse(c.review_due_at)) / HOUR_MS) * 10) / 10 } }
          : f,
      );
    }
    if (flags.length === 0) continue;
    if (filter.flag && !flags.some((f) => f.code === filter.flag)) continue;
    ranked.push({ c, flags, urgency, currentClass, proposedClass, waitingSince: waitingSince(c.last_review_at ?? c.admitted_at, flags) });
  }
  ranked.sort((a, b) => b.urgency - a.urgency || a.waitingSince.localeCompare(b.waitingSince) || a.c.episode_id - b.c.episode_id);

  const trend = ctx.stmt<[number, string], { news2_total: number }>(
    `SELECT news2_total FROM round r WHERE r.episode_id = ? AND r.news2_total IS NOT NULL AND r.measured_at <= ? AND ${currentRow('round', 'r')}
     ORDER BY r.measured_at DESC LIMIT 10`,
  );
  const snoozes = new Map<number, QueueRow['snoozed']>();
  for (const z of ctx
    .stmt<[string], { episode_id: number; flag_code: FlagCode; until: string; reason: string; by: string }>(
      `SELECT z.episode_id, z.flag_code, z.until, z.reason, u.display_name AS by FROM flag_snooze z JOIN app_user u ON u.id = z.author_id
       WHERE z.until > ? ORDER BY z.until`,
    )
    .all(ctx.now)) {
    const list = snoozes.get(z.episode_id) ?? [];
    list.push({ flagCode: z.flag_code, until: z.until, reason: z.reason, by: z.by });
    snoozes.set(z.episode_id, list);
  }
  const openTransfers = openTransfersByEpisode(ctx);
  const lastReview = ctx.stmt<[number], { id: number; at: string; decision: ReviewDecision; by: string; note: string | null }>(
    `SELECT r.id, r.at, r.decision, u.display_name AS by, r.note FROM review r JOIN app_user u ON u.id = r.author_id
     WHERE r.episode_id = ? AND ${currentRow('review', 'r')} ORDER BY r.at DESC, r.id DESC LIMIT 1`,
  );
  const plan = ctx.stmt<[number], { version: number; goals: string | null; change_note: string | null; items: string; created_at: string }>(
    'SELECT version, goals, change_note, items, created_at FROM plan_version WHERE episode_id = ? ORDER BY version DESC LIMIT 1',
  );

  const rows = ranked.slice(0, filter.limit).map(({ c, flags, urgency, currentClass, proposedClass, waitingSince: since }): QueueRow => {
    const ageYears = currentAge(c, ctx.now, tz);
    const p = plan.get(c.episode_id);
    const open = openTransfers.get(c.episode_id);
    return {
      episodeId: c.episode_id,
      patientId: c.patient_id,
      name: c.name,
      sex: c.sex,
      ageYears,
      facility: { id: c.facility_id, name: c.facility_name, kind: c.facility_kind },
      ward: { id: c.ward_id, name: c.ward_name },
      bedLabel: c.bed_label,
      admittedAt: c.admitted_at,
      dayOfStay: dayOfStay(c.admitted_at, ctx.now, tz),
      currentClass,
      proposedClass,
      tier: c.current_tier,
      news2Total: c.news2_total,
      news2Band: c.news2_band,
      news2Complete: c.news2_complete === null ? null : c.news2_complete === 1,
      news2Trend: trend
        .all(c.episode_id, ctx.now)
        .map((r) => r.news2_total)
        .reverse(),
      riskFactors: effectiveRiskFactors(ageYears, JSON.parse(c.risk_factors) as RiskFactor[]),
      flags,
      snoozed: snoozes.get(c.episode_id) ?? [],
      urgency,
      waitingSince: since,
      reviewDueAt: c.review_due_at,
      lastReview: lastReview.get(c.episode_id) ?? null,
      plan: p ? { version: p.version, goals: p.goals, changeNote: p.change_note, itemKinds: planItemKinds(p.items), createdAt: p.created_at } : null,
      openTransfer: open ? { id: open.id, status: open.status, to: open.to } : null,
    };
  });
  return { timeZone: tz, total: ranked.length, rows };
}

/** The kinds of the plan's items (一人一策), whatever else each item carries. */
function planItemKinds(items: string): string[] {
  const parsed = JSON.parse(items) as unknown;
  if (!Array.isArray(parsed)) return [];
  const kinds = parsed.map((i) => (typeof i === 'object' && i !== null && typeof (i as { kind?: unknown }).kind === 'string' ? (i as { kind: string }).kind : null));
  return [...new Set(kinds.filter((k): k is string => k !== null))];
}
