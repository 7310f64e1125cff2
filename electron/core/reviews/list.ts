import type { DayReview, Flag, Review } from '../../../shared/api/reviews';
import { addDays, startOfLocalDay } from '../../../shared/domain/time';
import type { Ctx } from '../context';
import { currentRow } from '../clinical/current';
import { currentAge } from '../patients/repo';
import { settingsOf } from '../settings/settings';
import { tierBefore, type ReviewRow } from './record';

interface Row extends ReviewRow {
  author: string;
  reason: string | null;
  superseded: 0 | 1;
  transfer_id: number | null;
}

const COLUMNS = `r.id, r.episode_id, r.at, r.flags, r.decision, r.note, r.next_review_due, r.class_at_review, r.tier_after, u.display_name AS author,
  r.entry_kind, r.supersedes_id, r.reason,
  EXISTS (SELECT 1 FROM review s WHERE s.supersedes_id = r.id) AS superseded,
  (SELECT t.id FROM transfer_request t WHERE t.review_id = r.id) AS transfer_id`;

/** Tier before each review: the last assignment up to its time that the review's own chain did not write. */
function withTierBefore(ctx: Ctx, episodeId: number, rows: Row[]): Review[] {
  const tiers = ctx
    .stmt<[number], { at: string; tier: string; review_id: number | null }>(
      `SELECT at, tier, review_id FROM tier_assignment r WHERE r.episode_id = ? AND ${currentRow('tier_assignment', 'r')} ORDER BY r.at, r.id`,
    )
    .all(episodeId);
  const byId = new Map(rows.map((r) => [r.id, r]));
  return rows.map((r) => {
    const chain = new Set<number>();
    for (let c: Row | undefined = r; c; c = c.supersedes_id === null ? undefined : byId.get(c.supersedes_id)) chain.add(c.id);
    for (const other of rows) if (other.supersedes_id !== null && chain.has(other.supersedes_id)) chain.add(other.id);
    const before = tiers.filter((t) => t.at <= r.at && (t.review_id === null || !chain.has(t.review_id))).pop()?.tier ?? null;
    return toReview(r, before);
  });
}

function toReview(r: Row, tierBefore: string | null): Review {
  return {
    id: r.id,
    episodeId: r.episode_id,
    at: r.at,
    decision: r.decision,
    note: r.note,
    nextReviewDue: r.next_review_due,
    classAtReview: r.class_at_review,
    tierBefore,
    tierAfter: r.tier_after,
    flags: JSON.parse(r.flags) as Flag[],
    author: r.author,
    entryKind: r.entry_kind,
    supersedesId: r.supersedes_id,
    reason: r.reason,
    superseded: r.superseded === 1,
    transferId: r.transfer_id,
  };
}

/** Every review of an episode, newest first, including amended and withdrawn versions. */
export function reviewsOfEpisode(ctx: Ctx, episodeId: number): Review[] {
  const rows = ctx.stmt<[number], Row>(`SELECT ${COLUMNS} FROM review r JOIN app_user u ON u.id = r.author_id WHERE r.episode_id = ? ORDER BY r.at DESC, r.id DESC`).all(episodeId);
  return withTierBefore(ctx, episodeId, rows);
}

/** The current reviews signed on one local day, in meeting order, with the patient and where they were then. */
export function reviewsOfDay(ctx: Ctx, date: string): DayReview[] {
  const tz = settingsOf(ctx).timeZone;
  const from = startOfLocalDay(date, tz);
  const to = startOfLocalDay(addDays(date, 1), tz);
  const rows = ctx
    .stmt<
      [string, string],
      Row & {
        patient_id: number;
        name: string;
        sex: 'M' | 'F';
        birth_date: string | null;
        age_years: number | null;
        facility_name: string;
        facility_kind: DayReview['place']['facilityKind'];
        ward_name: string;
        bed_label: string | null;
      }
    >(
      `SELECT ${COLUMNS}, p.id AS patient_id, p.name, p.sex, p.birth_date, p.age_years,
              f.name AS facility_name, f.kind AS facility_kind, w.name AS ward_name, b.label AS bed_label
       FROM review r JOIN app_user u ON u.id = r.author_id
       JOIN episode e ON e.id = r.episode_id JOIN patient p ON p.id = e.patient_id
       JOIN placement pl ON pl.id = (SELECT x.id FROM placement x WHERE x.episode_id = r.episode_id AND x.start_at <= r.at ORDER BY x.start_at DESC, x.id DESC LIMIT 1)
       JOIN ward w ON w.id = pl.ward_id JOIN facility f ON f.id = w.facility_id LEFT JOIN bed b ON b.id = pl.bed_id
       WHERE r.at >= ? AND r.at < ? AND ${currentRow('review', 'r')}
       ORDER BY r.at, r.id`,
    )
    .all(from, to);
  const out: DayReview[] = [];
  for (const r of rows) {
    const chain = [r.id];
    for (
      let prev = r.supersedes_id;
      prev !== null;
      prev = ctx.stmt<[number], { supersedes_id: number | null }>('SELECT supersedes_id FROM review WHERE id = ?').get(prev)?.supersedes_id ?? null
    )
      chain.push(prev);
    out.push({
      ...toReview(r, tierBefore(ctx, r.episode_id, r.at, chain)),
      patient: { id: r.patient_id, name: r.name, sex: r.sex, ageYears: currentAge(r, ctx.now, tz) },
      place: { facilityName: r.facility_name, facilityKind: r.facility_kind, wardName: r.ward_name, bedLabel: r.bed_label },
    });
  }
  return out;
}
