import { randomUUID } from 'node:crypto';
import type { Db } from '../db/open';
import { prepared } from '../db/statements';
import { audible, incomingTo, writesOf, type ChangeMessage, type ChangeNotice } from '../../../shared/api/changes';
import type { SessionUser } from '../../../shared/api/auth';
import type { SessionBox } from '../base';

/** A notice before the feed numbers it. */
export type ChangeDraft = Omit<ChangeNotice, 'seq' | 'stream'>;
/** `origin`: the session whose call made the change (absent for changes of no session). */
export type ChangeListener = (notice: ChangeNotice, origin: SessionBox | null) => void;

/**
 * Where the core raises a notice after each committed write (shared/api/changes.ts). The server
 * fans them out over WebSockets; the desktop shell sends them to its windows. Listeners run after the
 * commit, outside any transaction; one that throws is logged and never stops the others or the call.
 */
export interface ChangeFeed {
  /** Names this run of the core: numbering starts again in a new one. */
  readonly stream: string;
  subscribe(listener: ChangeListener): () => void;
  publish(draft: ChangeDraft, origin?: SessionBox | null): ChangeNotice;
}

export function createChangeFeed(log: (err: unknown, what: string) => void = (err) => console.error('[changes]', err)): ChangeFeed {
  const listeners = new Set<ChangeListener>();
  const stream = randomUUID();
  let seq = 0;
  return {
    stream,
    subscribe(listener) {
      listeners.add(listener);
      return () => void listeners.delete(listener);
    },
    publish(draft, origin = null) {
      seq += 1;
      const notice: ChangeNotice = { ...draft, seq, stream };
      for (const l of [...listeners]) {
        try {
          l(notice, origin);
        } catch (err) {
          log(err, 'change listener');
        }
      }
      return notice;
    },
  };
}

export interface CommittedWrite {
  channel: string;
  at: string;
  /** The audit actions the call wrote, in order, each once. */
  actions: readonly string[];
  user: SessionUser | null;
  workstation: string | null;
  /** Wards named by the input, before and after the handler ran (a move names both ends). */
  wards: Iterable<number>;
  /** Episodes whose records the call changed (ctx.touchEpisode). */
  episodes: Iterable<number>;
}

const uniq = (xs: Iterable<number>) => [...new Set(xs)].sort((a, b) => a - b);

/**
 * The wards an episode's change concerns: its current (or last) placement, a placement it left in
 * this same instant, and the receiving ward of a transfer that is open or was closed just now.
 */
function wardsOfEpisode(db: Db, episodeId: number, at: string): number[] {
  const rows = prepared(
    db,
    `SELECT ward_id FROM (SELECT ward_id FROM placement WHERE episode_id = @e ORDER BY end_at IS NULL DESC, start_at DESC, id DESC LIMIT 1)
     UNION SELECT ward_id FROM placement WHERE episode_id = @e AND end_at >= @at
     UNION SELECT coalesce((SELECT b.ward_id FROM bed b WHERE b.id = t.to_bed_id), t.to_ward_id) FROM transfer_request t
       WHERE t.episode_id = @e AND (t.status IN ('requested', 'bed_assigned') OR t.completed_at >= @at OR t.cancelled_at >= @at)`,
  ).all({ e: episodeId, at }) as { ward_id: number | null }[];
  return rows.flatMap((r) => (r.ward_id === null ? [] : [r.ward_id]));
}

/** What a committed write changed, as a notice names it: kinds, wards, facilities, episodes, patients; never patient data. */
export function describeWrite(db: Db, w: CommittedWrite): ChangeDraft {
  const writes = writesOf(w.channel);
  const episodes = uniq(w.episodes);
  const wards = new Set(w.wards);
  for (const e of episodes) for (const ward of wardsOfEpisode(db, e, w.at)) wards.add(ward);
  const wardList = uniq(wards);
  const ofEach = (sql: string, ids: number[]) => uniq(ids.flatMap((id) => (prepared(db, sql).all(id) as { id: number }[]).map((r) => r.id)));
  return {
    at: w.at,
    channel: w.channel,
    actions: [...new Set(w.actions)],
    by: { userId: w.user?.id ?? null, name: w.user?.displayName ?? null, workstation: w.workstation },
    kinds: writes === 'all' ? [] : [...writes],
    all: writes === 'all',
    wards: wardList,
    facilities: ofEach('SELECT facility_id AS id FROM ward WHERE id = ?', wardList),
    episodes,
    patients: ofEach('SELECT patient_id AS id FROM episode WHERE id = ?', episodes),
    incoming: w.actions.some((a) => a === 'transfer.request' || a === 'transfer.assign_bed') ? incomingWards(db, episodes) : [],
  };
}

/** The wards open transfers of these episodes are heading for: the reserved bed's, the chosen ward, or every ward of the facility. */
function incomingWards(db: Db, episodes: number[]): number[] {
  const sql = `SELECT DISTINCT w.id FROM transfer_request t JOIN ward w ON w.facility_id = t.to_facility_id
    WHERE t.episode_id = ? AND t.status IN ('requested', 'bed_assigned')
      AND w.id = coalesce((SELECT b.ward_id FROM bed b WHERE b.id = t.to_bed_id), t.to_ward_id, w.id)`;
  return uniq(episodes.flatMap((e) => (prepared(db, sql).all(e) as { id: number }[]).map((r) => r.id)));
}

/** An operation (backup, restore) names no ward: what changed is its kinds, or everything after a restore. */
export function describeOperation(channel: string, at: string, user: SessionUser | null, workstation: string | null): ChangeDraft {
  const writes = writesOf(channel);
  return {
    at,
    channel,
    actions: [],
    by: { userId: user?.id ?? null, name: user?.displayName ?? null, workstation },
    kinds: writes === 'all' ? [] : [...writes],
    all: writes === 'all',
    wards: [],
    facilities: [],
    episodes: [],
    patients: [],
    incoming: [],
  };
}

/**
 * How one workstation receives a notice, or null when it may not hear it: ward-limited users hear
 * their wards' changes and those of no ward. `wards` is the user's ward scope (wardScopeOf), which a
 * caller holding many listeners reads once per user rather than per notice.
 */
export function deliver(notice: ChangeNotice, origin: SessionBox | null, to: { box: SessionBox; user: SessionUser; wards: 'all' | ReadonlySet<number> }): ChangeMessage | null {
  if (!audible(notice, to.wards)) return null;
  return { type: 'notice', notice, own: origin !== null && origin === to.box, incoming: origin !== to.box && incomingTo(notice, to.user.role, to.wards) };
}

/** Whether a cached ward scope must be read again: after a change of accounts (a ward assignment), or of everything. */
export const scopeMayHaveChanged = (notice: ChangeNotice): boolean => notice.all || notice.kinds.includes('accounts');
