import type { Queue, QueueFilter, QueueRow } from '../../../shared/api/queue';
import { effectiveRiskFactors, type ClinicalClass, type FlagCode, type RiskFactor } from '../../../shared/clinical';
import type { ReviewDecision } from '../../../shared/domain/clinical';
import { dayOfStay } from '../../../shared/domain/time';
import type { Ctx } from '../context';
import { currentRow } from '../clinical/current';
import { currentAge } from '../patients/repo';
import { settingsOf } from '../settings/settings';
import { openTransfersByEpisode } from '../transfers/repo';
import { rankQueue } from './rank';

interface Detail {
  episode_id: number;
  current_class: ClinicalClass | null;
  proposed_class: ClinicalClass | null;
  current_tier: string | null;
  news2_total: number | null;
  news2_band: string | null;
  news2_complete: 0 | 1 | null;
  review_due_at: string | null;
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

/** Everything a queue row shows, for one episode: read only for the rows returned, never for the whole queue. */
const DETAIL_SQL = `
SELECT s.episode_id, s.current_class, s.proposed_class, s.current_tier, s.news2_total, s.news2_band, s.news2_complete, s.review_due_at,
       e.admitted_at, p.id AS patient_id, p.name, p.sex, p.birth_date, p.age_years, p.risk_factors,
       w.id AS ward_id, w.name AS ward_name, f.id AS facility_id, f.name AS facility_name, f.kind AS facility_kind, b.label AS bed_label
FROM episode_state s
JOIN episode e ON e.id = s.episode_id
JOIN placement pl ON pl.episode_id = e.id AND pl.end_at IS NULL
JOIN ward w ON w.id = pl.ward_id
JOIN facility f ON f.id = w.facility_id
JOIN patient p ON p.id = e.patient_id
LEFT JOIN bed b ON b.id = pl.bed_id
WHERE s.episode_id = ?`;

/**
 * The expert panel's queue (rank.ts orders it: urgencyOf in electron/core/clinical/state.ts, then
 * longest waiting), a page after `after`, with each returned row's detail: trend, snoozes, last
 * review, plan, open transfer; and the cursor of the next page.
 */
export function listQueue(ctx: Ctx, filter: Required<Pick<QueueFilter, 'limit'>> & Omit<QueueFilter, 'limit'>): Queue {
  const tz = settingsOf(ctx).timeZone;
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
  const snoozedOverdue = new Set([...snoozes].filter(([, list]) => list.some((z) => z.flagCode === 'review_overdue')).map(([id]) => id));
  const ranked = rankQueue(ctx, filter, snoozedOverdue);

  const detail = ctx.stmt<[number], Detail>(DETAIL_SQL);
  const trend = ctx.stmt<[number, string], { news2_total: number }>(
    `SELECT news2_total FROM round r WHERE r.episode_id = ? AND r.news2_total IS NOT NULL AND r.measured_at <= ? AND ${currentRow('round', 'r')}
     ORDER BY r.measured_at DESC LIMIT 10`,
  );
  const openTransfers = openTransfersByEpisode(ctx);
  const lastReview = ctx.stmt<[number], { id: number; at: string; decision: ReviewDecision; by: string; note: string | null }>(
    `SELECT r.id, r.at, r.decision, u.display_name AS by, r.note FROM review r JOIN app_user u ON u.id = r.author_id
     WHERE r.episode_id = ? AND ${currentRow('review', 'r')} ORDER BY r.at DESC, r.id DESC LIMIT 1`,
  );
  const plan = ctx.stmt<[number], { version: number; goals: string | null; change_note: string | null; items: string; created_at: string }>(
    'SELECT version, goals, change_note, items, created_at FROM plan_version WHERE episode_id = ? ORDER BY version DESC LIMIT 1',
  );

  const rows: QueueRow[] = [];
  for (const r of ranked.rows) {
    const c = detail.get(r.episodeId);
    if (!c) continue;
    const ageYears = currentAge(c, ctx.now, tz);
    const p = plan.get(c.episode_id);
    const open = openTransfers.get(c.episode_id);
    rows.push({
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
      currentClass: r.recomputed ? r.recomputed.currentClass : c.current_class,
      proposedClass: r.recomputed ? r.recomputed.proposedClass : c.proposed_class,
      tier: c.current_tier,
      news2Total: c.news2_total,
      news2Band: c.news2_band,
      news2Complete: c.news2_complete === null ? null : c.news2_complete === 1,
      news2Trend: trend
        .all(c.episode_id, ctx.now)
        .map((x) => x.news2_total)
        .reverse(),
      riskFactors: effectiveRiskFactors(ageYears, JSON.parse(c.risk_factors) as RiskFactor[]),
      flags: r.flags,
      snoozed: snoozes.get(c.episode_id) ?? [],
      urgency: r.urgency,
      waitingSince: r.waitingSince,
      reviewDueAt: c.review_due_at,
      lastReview: lastReview.get(c.episode_id) ?? null,
      plan: p ? { version: p.version, goals: p.goals, changeNote: p.change_note, itemKinds: planItemKinds(p.items), createdAt: p.created_at } : null,
      openTransfer: open ? { id: open.id, status: open.status, to: open.to } : null,
    });
  }
  const last = ranked.rows.at(-1);
  const nextCursor = ranked.more && last ? { urgency: last.urgency, waitingSince: last.waitingSince, episodeId: last.episodeId } : null;
  return { timeZone: tz, total: ranked.total, rows, nextCursor };
}

/** The kinds of the plan's items (一人一策), whatever else each item carries. */
function planItemKinds(items: string): string[] {
  const parsed = JSON.parse(items) as unknown;
  if (!Array.isArray(parsed)) return [];
  const kinds = parsed.map((i) => (typeof i === 'object' && i !== null && typeof (i as { kind?: unknown }).kind === 'string' ? (i as { kind: string }).kind : null));
  return [...new Set(kinds.filter((k): k is string => k !== null))];
}
