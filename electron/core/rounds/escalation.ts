import { AppError } from '../../../shared/errors';
import { news2Response, type News2Response } from '../../../shared/clinical';
import type { ParsedInputOf } from '../../../shared/api';
import type { AppContract } from '../../../shared/api';
import type { PendingEscalation, RoundWard } from '../../../shared/api/rounds';
import type { Ctx } from '../context';
import { currentRow } from '../clinical/current';
import { episodeForWrite, loadCurrent, type SignedMetaRow } from '../records/signed';

type EscalateInput = ParsedInputOf<AppContract['rounds']['escalate']>;
type NotDoneInput = ParsedInputOf<AppContract['rounds']['recordNotDone']>;

/** The clinical response a stored score calls for: Chart 2's bands map onto Chart 4's responses. */
export function responseOfBand(total: number, band: string | null): News2Response | null {
  if (band === null) return null;
  return news2Response(total, band === 'low_medium' || band === 'medium' || band === 'high');
}

/**
 * Pending escalations of a set of episodes (`episodes`: SQL selecting `id`), in one statement: for
 * each, its last scored round, when that score called for a clinical response (RCP 2017 Chart 4: any
 * band above low) and nobody has acknowledged it since it was measured — no escalation answer of the
 * episode, and no panel review, at or after its measured-at. A later score that calls for nothing ends
 * the alert (the patient was measured again and is better); a later one that calls for a response
 * starts a new one. One statement for a whole ward: the board stays one index probe per bed.
 */
const pendingSql = (episodes: string) => `
WITH last AS (
  SELECT e.id AS episode_id,
    (SELECT r.id FROM round r WHERE r.episode_id = e.id AND r.news2_total IS NOT NULL AND ${currentRow('round', 'r')}
     ORDER BY r.measured_at DESC, r.id DESC LIMIT 1) AS round_id
  FROM (${episodes}) e
)
SELECT l.episode_id, r.id AS round_id, r.measured_at, r.news2_total, r.news2_band
FROM last l JOIN round r ON r.id = l.round_id
WHERE r.news2_band <> 'low'
  AND NOT EXISTS (SELECT 1 FROM round_escalation x WHERE x.episode_id = l.episode_id AND x.at >= r.measured_at)
  AND NOT EXISTS (SELECT 1 FROM review x WHERE x.episode_id = l.episode_id AND x.at >= r.measured_at AND ${currentRow('review', 'x')})`;

interface PendingRow {
  episode_id: number;
  round_id: number;
  measured_at: string;
  news2_total: number;
  news2_band: string;
}

function toPending(r: PendingRow): PendingEscalation | null {
  const level = responseOfBand(r.news2_total, r.news2_band);
  return level ? { roundId: r.round_id, level, news2Total: r.news2_total, measuredAt: r.measured_at } : null;
}

/** The episode's unanswered escalation, if any (see pendingSql). */
export function pendingEscalation(ctx: Ctx, episodeId: number): PendingEscalation | null {
  const row = ctx.stmt<[number], PendingRow>(pendingSql('SELECT ? AS id')).get(episodeId);
  return row ? toPending(row) : null;
}

/** The unanswered escalations of the patients placed in a ward now, by episode (the board, round mode). */
export function pendingEscalationsOfWard(ctx: Ctx, wardId: number): Map<number, PendingEscalation> {
  const out = new Map<number, PendingEscalation>();
  for (const row of ctx.stmt<[number], PendingRow>(pendingSql('SELECT episode_id AS id FROM placement WHERE ward_id = ? AND end_at IS NULL')).all(wardId)) {
    const p = toPending(row);
    if (p) out.set(row.episode_id, p);
  }
  return out;
}

type NotDone = NonNullable<RoundWard['beds'][number]['notDone']>;

/** The latest record of observations not taken since `since`, if any. */
export function notDoneSince(ctx: Ctx, episodeId: number, since: string): NotDone | null {
  const row = ctx
    .stmt<[number, string], { reason: NotDone['reason']; note: string | null; at: string; author_name: string }>(
      `SELECT n.reason, n.note, n.at, u.display_name AS author_name FROM round_not_done n JOIN app_user u ON u.id = n.author_id
       WHERE n.episode_id = ? AND n.at >= ? ORDER BY n.at DESC, n.id DESC LIMIT 1`,
    )
    .get(episodeId, since);
  return row ? { reason: row.reason, note: row.note, at: row.at, authorName: row.author_name } : null;
}

/** Whether a round that measured something was entered since `since` (a bed's observations were taken on this round). */
export function measuredSince(ctx: Ctx, episodeId: number, since: string): boolean {
  const row = ctx
    .stmt<[number, string], { id: number }>(
      `SELECT r.id FROM round r WHERE r.episode_id = ? AND r.entered_at >= ? AND r.news2_total IS NOT NULL AND ${currentRow('round', 'r')} LIMIT 1`,
    )
    .get(episodeId, since);
  return row !== undefined;
}

export function recordNotDone(ctx: Ctx, input: NotDoneInput): { notDoneId: number } {
  const ep = episodeForWrite(ctx, input.episodeId);
  const notDoneId = Number(
    ctx
      .stmt<[number, string, string, string | null, number]>('INSERT INTO round_not_done (episode_id, at, reason, note, author_id) VALUES (?, ?, ?, ?, ?)')
      .run(ep.id, ctx.now, input.reason, input.note, ctx.actor.id).lastInsertRowid,
  );
  ctx.audit({ action: 'round.not_done', entity: 'round_not_done', entityId: notDoneId, patientId: ep.patient_id, after: { reason: input.reason, note: input.note } });
  return { notDoneId };
}

/**
 * Records who was told about a score that called for a clinical response (or that the panel or a
 * clinician already has the patient). One answer per round; it acknowledges the episode's alert.
 */
export function escalate(ctx: Ctx, input: EscalateInput): { escalationId: number } {
  const round = loadCurrent<SignedMetaRow & { episode_id: number; news2_total: number | null; news2_band: string | null }>(ctx, 'round', input.roundId);
  const ep = episodeForWrite(ctx, round.episode_id);
  const level = round.news2_total === null ? null : responseOfBand(round.news2_total, round.news2_band);
  if (round.news2_total === null || !level) {
    throw new AppError('RULE_VIOLATION', `round ${round.id} calls for no clinical response`, {
      key: 'rounds.escalation_not_needed',
      issues: [{ field: 'roundId', key: 'rounds.escalation_not_needed' }],
    });
  }
  const already = ctx.stmt<[number], { id: number }>('SELECT id FROM round_escalation WHERE round_id = ?').get(round.id);
  if (already) throw new AppError('CONFLICT', `round ${round.id} already has an escalation answer`, { key: 'rounds.escalation_answered' });
  const escalationId = Number(
    ctx
      .stmt(
        `INSERT INTO round_escalation (round_id, episode_id, at, level, news2_total, response, informed_who, note, author_id)
         VALUES (@roundId, @episodeId, @now, @level, @total, @response, @informedWho, @note, @authorId)`,
      )
      .run({
        roundId: round.id,
        episodeId: ep.id,
        now: ctx.now,
        level,
        total: round.news2_total,
        response: input.response,
        informedWho: input.informedWho,
        note: input.note,
        authorId: ctx.actor.id,
      }).lastInsertRowid,
  );
  ctx.audit({
    action: 'round.escalate',
    entity: 'round_escalation',
    entityId: escalationId,
    patientId: ep.patient_id,
    after: { roundId: round.id, level, news2: round.news2_total, response: input.response, informedWho: input.informedWho, note: input.note },
  });
  ctx.touchEpisode(ep.id);
  return { escalationId };
}
