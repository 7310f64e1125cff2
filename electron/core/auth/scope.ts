import { AppError } from '../../../shared/errors';
import { WARD_SCOPED_ROLES } from '../../../shared/api/users';
import type { Scope, ScopeEntity } from '../../../shared/api/define';
import type { SessionUser } from '../../../shared/api/auth';
import type { Db } from '../db/open';
import { prepared } from '../db/statements';

/**
 * The wards a user may act in: `'all'` for administrators and experts (network-wide by role), and
 * for a ward doctor or nurse with no ward assigned. That last rule is deliberate: a small hospital,
 * or the demo, works without any assignment, and an administrator narrows a user's scope by
 * assigning wards (Admin → Users).
 */
export function wardScopeOf(db: Db, user: SessionUser): 'all' | ReadonlySet<number> {
  if (!WARD_SCOPED_ROLES.includes(user.role)) return 'all';
  const rows = prepared(db, 'SELECT ward_id FROM user_ward WHERE user_id = ?').all(user.id) as { ward_id: number }[];
  return rows.length === 0 ? 'all' : new Set(rows.map((r) => r.ward_id));
}

function forbidden(field: string, wardId: number | null): AppError {
  return new AppError('FORBIDDEN', `${field}${wardId === null ? '' : ` (ward ${wardId})`} is outside the user's wards`, {
    key: 'scope.ward_forbidden',
    issues: [{ field, key: 'scope.ward_forbidden' }],
  });
}

/** The wards a record belongs to, and whether the user needs every one of them or any one (a transfer's two ends). */
interface Resolved {
  wards: number[];
  match: 'every' | 'any';
}

const one = (row: unknown): number[] => {
  const w = (row as { ward_id?: unknown } | undefined)?.ward_id;
  return typeof w === 'number' ? [w] : [];
};

/** An episode belongs to the ward of its open placement, or of its last one once it has ended. */
const EPISODE_WARD = `SELECT ward_id FROM placement WHERE episode_id = ? ORDER BY end_at IS NULL DESC, start_at DESC, id DESC LIMIT 1`;

function episodeWards(db: Db, episodeId: unknown): number[] {
  return typeof episodeId === 'number' ? one(prepared(db, EPISODE_WARD).get(episodeId)) : [];
}

function viaEpisode(table: string): (db: Db, id: number) => Resolved {
  // Table names are constants of this module, never input.
  const sql = `SELECT episode_id FROM ${table} WHERE id = ?`;
  return (db, id) => ({ wards: episodeWards(db, (prepared(db, sql).get(id) as { episode_id?: number } | undefined)?.episode_id), match: 'every' });
}

const RESOLVERS: Record<ScopeEntity, (db: Db, id: number, input: Record<string, unknown>) => Resolved> = {
  ward: (db, id) => ({ wards: one(prepared(db, 'SELECT id AS ward_id FROM ward WHERE id = ?').get(id)), match: 'every' }),
  bed: (db, id) => ({ wards: one(prepared(db, 'SELECT ward_id FROM bed WHERE id = ?').get(id)), match: 'every' }),
  episode: (db, id) => ({ wards: episodeWards(db, id), match: 'every' }),
  patient: (db, id) => {
    const ep = prepared(db, 'SELECT id FROM episode WHERE patient_id = ? ORDER BY admitted_at DESC, id DESC LIMIT 1').get(id) as { id: number } | undefined;
    return { wards: episodeWards(db, ep?.id), match: 'every' };
  },
  round: viaEpisode('round'),
  labResult: viaEpisode('lab_result'),
  imaging: viaEpisode('imaging'),
  resultByKind: (db, id, input) => (input.kind === 'imaging' ? viaEpisode('imaging') : viaEpisode('lab_result'))(db, id),
  assessment: viaEpisode('class_assessment'),
  discharge: viaEpisode('discharge'),
  review: viaEpisode('review'),
  transferDestination: (db, id) => ({
    wards: one(prepared(db, 'SELECT coalesce((SELECT b.ward_id FROM bed b WHERE b.id = t.to_bed_id), t.to_ward_id) AS ward_id FROM transfer_request t WHERE t.id = ?').get(id)),
    match: 'every',
  }),
  transferEitherSide: (db, id) => {
    const row = prepared(
      db,
      `SELECT p.ward_id AS from_ward, coalesce((SELECT b.ward_id FROM bed b WHERE b.id = t.to_bed_id), t.to_ward_id) AS to_ward
       FROM transfer_request t JOIN placement p ON p.id = t.from_placement_id WHERE t.id = ?`,
    ).get(id) as { from_ward: number; to_ward: number | null } | undefined;
    return { wards: row ? [row.from_ward, ...(row.to_ward === null ? [] : [row.to_ward])] : [], match: 'any' };
  },
};

const isId = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v) && v > 0;

/** The records a call's input names: each target field of the call's scope that holds an id (own properties only). */
function targetsOf(scope: Scope, input: unknown): { field: string; entity: ScopeEntity; id: number; fields: Record<string, unknown> }[] {
  if (!('targets' in scope) || typeof input !== 'object' || input === null || Array.isArray(input)) return [];
  const fields = input as Record<string, unknown>;
  return Object.entries(scope.targets).flatMap(([field, entity]) => {
    const id = Object.prototype.hasOwnProperty.call(fields, field) ? fields[field] : undefined;
    return isId(id) ? [{ field, entity, id, fields }] : [];
  });
}

/**
 * Holds a ward-limited user to their wards for every record the call's input names, as the
 * contract declares (shared/api/define.ts `Scope`). Dispatch runs it twice: on the raw input right
 * after the role check, so a refused caller learns nothing about the rest of its input, and on the
 * validated input, so nothing a schema transforms can slip past. A record that does not exist is
 * left to the handler, which answers NOT_FOUND.
 */
export function enforceScope(db: Db, scope: Scope, input: unknown, user: SessionUser): void {
  const targets = targetsOf(scope, input);
  if (targets.length === 0) return;
  const wards = wardScopeOf(db, user);
  if (wards === 'all') return;
  for (const { field, entity, id, fields } of targets) {
    const { wards: of, match } = RESOLVERS[entity](db, id, fields);
    if (of.length === 0) continue;
    const ok = match === 'any' ? of.some((w) => wards.has(w)) : of.every((w) => wards.has(w));
    if (!ok) throw forbidden(field, of.find((w) => !wards.has(w)) ?? null);
  }
}

/**
 * Every ward the records named by the call's input belong to, whoever the caller is: what a change
 * notice names (electron/core/changes). Read before the handler runs and again after, so a move
 * names the ward it left and the one it entered.
 */
export function wardsOfInput(db: Db, scope: Scope, input: unknown): number[] {
  return targetsOf(scope, input).flatMap(({ entity, id, fields }) => RESOLVERS[entity](db, id, fields).wards);
}

const EPISODE_OF: Partial<Record<ScopeEntity, string>> = {
  episode: 'SELECT id AS e FROM episode WHERE id = ?',
  patient: 'SELECT id AS e FROM episode WHERE patient_id = ? ORDER BY admitted_at DESC, id DESC LIMIT 1',
  round: 'SELECT episode_id AS e FROM round WHERE id = ?',
  labResult: 'SELECT episode_id AS e FROM lab_result WHERE id = ?',
  imaging: 'SELECT episode_id AS e FROM imaging WHERE id = ?',
  assessment: 'SELECT episode_id AS e FROM class_assessment WHERE id = ?',
  discharge: 'SELECT episode_id AS e FROM discharge WHERE id = ?',
  review: 'SELECT episode_id AS e FROM review WHERE id = ?',
  transferDestination: 'SELECT episode_id AS e FROM transfer_request WHERE id = ?',
  transferEitherSide: 'SELECT episode_id AS e FROM transfer_request WHERE id = ?',
};

/** The episodes the records named by the call's input belong to: what a change notice names besides the episodes a handler touched. */
export function episodesOfInput(db: Db, scope: Scope, input: unknown): number[] {
  const out: number[] = [];
  for (const { entity, id, fields } of targetsOf(scope, input)) {
    const sql = entity === 'resultByKind' ? EPISODE_OF[fields.kind === 'imaging' ? 'imaging' : 'labResult'] : EPISODE_OF[entity];
    if (!sql) continue;
    const row = prepared(db, sql).get(id) as { e: number } | undefined;
    if (row) out.push(row.e);
  }
  return out;
}
