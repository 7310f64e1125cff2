import { AppError } from '../../../shared/errors';
import type { Ctx } from '../context';
import { formatLocal } from '../../../shared/domain/time';
import { settingsOf } from '../settings/settings';

/**
 * Signed clinical records (DESIGN.md §3): immutable rows (triggers in migration 2); a correction is a
 * new row that supersedes the old one, with a reason. These helpers are shared by rounds, results and
 * class assessments. Table names below are constants of this module, never user input.
 */
export type SignedTable = 'round' | 'lab_result' | 'imaging' | 'class_assessment' | 'tier_assignment';

export interface SignedMetaRow {
  id: number;
  entered_at: string;
  author_id: number;
  author_name: string;
  entry_kind: 'original' | 'amendment' | 'entered_in_error';
  supersedes_id: number | null;
  reason: string | null;
  status: 'current' | 'superseded' | 'withdrawn' | 'error_marker';
}

/** Select list and joins for a signed table aliased `r`: the row's meta and its place in the correction chain. */
export function signedSelect(table: SignedTable): { columns: string; joins: string } {
  return {
    columns: `r.id, r.entered_at, r.author_id, u.display_name AS author_name, r.entry_kind, r.supersedes_id, r.reason,
      CASE WHEN r.entry_kind = 'entered_in_error' THEN 'error_marker'
           WHEN s.id IS NULL THEN 'current'
           WHEN s.entry_kind = 'entered_in_error' THEN 'withdrawn'
           ELSE 'superseded' END AS status`,
    joins: `JOIN app_user u ON u.id = r.author_id LEFT JOIN ${table} s ON s.supersedes_id = r.id`,
  };
}

export function signedMeta(r: SignedMetaRow) {
  return {
    id: r.id,
    enteredAt: r.entered_at,
    authorId: r.author_id,
    authorName: r.author_name,
    entryKind: r.entry_kind,
    supersedesId: r.supersedes_id,
    reason: r.reason,
    status: r.status,
  };
}

export interface EpisodeForWrite {
  id: number;
  patient_id: number;
  admitted_at: string;
  /** When the episode ended (discharge or death); null while active. */
  ended_at: string | null;
  status: string;
  spo2_scale: 1 | 2;
  ward_id: number | null;
}

function loadEpisode(ctx: Ctx, episodeId: number): EpisodeForWrite {
  const ep = ctx
    .stmt<[number], EpisodeForWrite>(
      `SELECT e.id, e.patient_id, e.admitted_at, e.ended_at, e.status, e.spo2_scale,
              (SELECT pl.ward_id FROM placement pl WHERE pl.episode_id = e.id AND pl.end_at IS NULL) AS ward_id
       FROM episode e WHERE e.id = ?`,
    )
    .get(episodeId);
  if (!ep) throw new AppError('NOT_FOUND', `episode ${episodeId} not found`, { key: 'records.episode_not_found' });
  return ep;
}

/** The episode a new clinical record is for: it must exist, be in the user's wards and still be active. */
export function episodeForWrite(ctx: Ctx, episodeId: number): EpisodeForWrite {
  const ep = loadEpisode(ctx, episodeId);
  if (ep.status !== 'active') throw new AppError('RULE_VIOLATION', `episode ${episodeId} is ${ep.status}`, { key: 'records.episode_closed' });
  return ep;
}

/** The episode of a record being corrected: late corrections after discharge are allowed (and audited). */
export function episodeForCorrection(ctx: Ctx, episodeId: number): EpisodeForWrite {
  return loadEpisode(ctx, episodeId);
}

/**
 * An instant at which something was observed: not in the future, not before admission, and (for a
 * correction after discharge) not after the end of the stay, which the discharge's criteria and the
 * summary describe (issue 12 finding 8).
 */
export function checkObservedAt(ctx: Ctx, field: string, at: string, ep: EpisodeForWrite): void {
  if (at > ctx.now) throw AppError.field(field, 'validation.future');
  if (at < ep.admitted_at) throw AppError.field(field, 'records.before_admission');
  if (ep.ended_at !== null && at > ep.ended_at) throw AppError.field(field, 'records.after_discharge', { endedAt: formatLocal(ep.ended_at, settingsOf(ctx).timeZone) });
}

/** Loads a signed row to correct it: it must exist and be the version currently in force. */
export function loadCurrent<R extends { id: number; episode_id: number; author_id: number; entry_kind: string }>(ctx: Ctx, table: SignedTable, id: number): R {
  const row = ctx
    .stmt<[number], R & { superseded: number }>(`SELECT t.*, EXISTS (SELECT 1 FROM ${table} s WHERE s.supersedes_id = t.id) AS superseded FROM ${table} t WHERE t.id = ?`)
    .get(id);
  if (!row) throw new AppError('NOT_FOUND', `${table} ${id} not found`, { key: 'records.not_found' });
  if (row.entry_kind === 'entered_in_error' || row.superseded) {
    throw new AppError('CONFLICT', `${table} ${id} is not the current version`, { key: 'records.not_current' });
  }
  const { superseded: _s, ...rest } = row;
  return rest as unknown as R;
}

/**
 * The start of every correction (amend, entered in error): the version in force, the author or a
 * doctor correcting it, and the episode it belongs to (late corrections after discharge allowed).
 */
export function beginCorrection<R extends { id: number; episode_id: number; author_id: number; entry_kind: string }>(
  ctx: Ctx,
  table: SignedTable,
  id: number,
): { original: R; ep: EpisodeForWrite } {
  const original = loadCurrent<R>(ctx, table, id);
  assertMayCorrect(ctx, original.author_id);
  return { original, ep: episodeForCorrection(ctx, original.episode_id) };
}

/**
 * The end of every "entered in error": the audit row of the marker (what it withdrew, and why) and
 * the episode's derived state recomputed without the withdrawn row.
 */
export function auditWithdrawal(
  ctx: Ctx,
  ep: EpisodeForWrite,
  w: { action: string; entity: SignedTable; markerId: number; withdrawn: number; before: Record<string, unknown>; reason: string },
): void {
  ctx.audit({ action: w.action, entity: w.entity, entityId: w.markerId, patientId: ep.patient_id, before: w.before, after: { withdrawn: w.withdrawn }, reason: w.reason });
  ctx.touchEpisode(ep.id);
}

/** A correction is signed by its own author; the original's author or a doctor may make it. */
export function assertMayCorrect(ctx: Ctx, authorId: number): void {
  const actor = ctx.actor;
  if (actor.id !== authorId && actor.role !== 'ward_doctor' && actor.role !== 'expert') {
    throw new AppError('FORBIDDEN', 'only the author or a doctor may correct this record', { key: 'records.not_author' });
  }
}
