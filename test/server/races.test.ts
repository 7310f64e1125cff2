import { afterEach, describe, expect, it } from 'vitest';
import type { EchelonClient } from '../../electron/server/client';
import type { Result } from '../../shared/errors';
import { addUser, admission, makeNetwork, TEST_PASSWORD } from '../support/core';
import { loginAs, startServer, type Running } from './support';

/**
 * Races over the network (issue 15, no lost updates): 20 workstations send the same write at the same
 * moment, over HTTPS on 127.0.0.1. Each race has exactly one winner; every loser is told, with who
 * won; nothing is half-written; and the audit shows every attempt's outcome: the winner's change and
 * each loser's refusal (call.conflict).
 */

const CLIENTS = 20;
const running: Running[] = [];
afterEach(async () => {
  for (const r of running.splice(0)) await r.stop();
});

async function twentyWorkstations(role: 'admin' | 'ward_doctor') {
  const c = makeNetwork();
  const admitted = c.ok<{ episodeId: number }>('patients:admit', admission({ bedId: c.beds[0]!, wardId: c.wardId }));
  const run = await startServer(c);
  running.push(run);
  const users = Array.from({ length: CLIENTS }, () => addUser(c, role));
  const clients = await Promise.all(users.map((u, i) => loginAs(run, u.username, TEST_PASSWORD, `station-${i + 1}`)));
  return { c, run, users, clients, ...admitted };
}

/** Sends every client's call at once and waits for all the answers. */
const all = <T>(clients: EchelonClient[], make: (i: number) => [channel: string, input: unknown]): Promise<Result<T>[]> =>
  Promise.all(clients.map((client, i) => client.call<T>(...make(i))));

function outcomes(results: Result<unknown>[]) {
  const won = results.filter((r) => r.ok);
  const lost = results.flatMap((r) => (r.ok ? [] : [r.error]));
  return { won, lost };
}

const conflictRows = (c: ReturnType<typeof makeNetwork>, channel: string) =>
  (c.db.prepare(`SELECT user_id, after FROM audit WHERE action = 'call.conflict'`).all() as { user_id: number; after: string }[]).filter(
    (r) => (JSON.parse(r.after) as { channel: string }).channel === channel,
  );

// Twenty scrypt logins and twenty HTTPS connections take a few seconds on two cores.
const RACE_TIMEOUT_MS = 60_000;

describe('20 workstations, one record', () => {
  it(
    'the same free bed: one admission stands, 19 are told who took the bed, and nothing else is written',
    async () => {
      const { c, clients, users } = await twentyWorkstations('admin');
      const bedId = c.beds[1]!;
      const patientsBefore = c.count('patient');
      const results = await all(clients, (i) => ['patients:admit', admission({ bedId, wardId: c.wardId }, { name: `患者${i + 1}` })]);
      const { won, lost } = outcomes(results);
      expect(won).toHaveLength(1);
      expect(lost).toHaveLength(CLIENTS - 1);
      const winner = users[results.findIndex((r) => r.ok)]!;
      for (const e of lost) {
        expect(e.code).toBe('CONFLICT');
        expect(JSON.stringify(e)).toContain(winner.displayName);
      }
      expect(c.count('patient')).toBe(patientsBefore + 1);
      expect(c.db.prepare('SELECT count(*) FROM placement WHERE bed_id = ? AND end_at IS NULL').pluck().get(bedId)).toBe(1);
      // The audit: one admission, 19 refusals, each by the workstation that tried.
      expect(c.db.prepare(`SELECT count(*) FROM audit WHERE action = 'episode.admit'`).pluck().get()).toBe(2);
      const refused = conflictRows(c, 'patients:admit');
      expect(refused).toHaveLength(CLIENTS - 1);
      expect(new Set(refused.map((r) => r.user_id)).size).toBe(CLIENTS - 1);
      expect(refused.map((r) => r.user_id)).not.toContain(winner.id);
    },
    RACE_TIMEOUT_MS,
  );

  it(
    'the same plan from the same version: one version 1, 19 refusals naming who saved it',
    async () => {
      const { c, clients, users, episodeId } = await twentyWorkstations('ward_doctor');
      const results = await all(clients, (i) => ['plans:save', { episodeId, baseVersion: 0, goals: `方案 ${i + 1}`, items: [], changeNote: '' }]);
      const { won, lost } = outcomes(results);
      expect(won).toHaveLength(1);
      const winner = users[results.findIndex((r) => r.ok)]!;
      expect(lost.map((e) => e.details.key)).toEqual(Array(CLIENTS - 1).fill('plans.version_conflict'));
      for (const e of lost) expect(JSON.stringify(e.details.params)).toContain(winner.displayName);
      // No lost update: the one stored version is the winner's, whole.
      const stored = c.db.prepare('SELECT version, goals, author_id FROM plan_version WHERE episode_id = ?').all(episodeId);
      expect(stored).toEqual([{ version: 1, goals: `方案 ${results.findIndex((r) => r.ok) + 1}`, author_id: winner.id }]);
      expect(conflictRows(c, 'plans:save')).toHaveLength(CLIENTS - 1);
    },
    RACE_TIMEOUT_MS,
  );

  it(
    'the same transfer from the same version: one bed reserved, 19 told who changed it and when; a second step on the old version is refused too',
    async () => {
      const { c, clients, users, episodeId } = await twentyWorkstations('admin');
      const toFacilityId = c.db.prepare('SELECT facility_id FROM ward WHERE id = ?').pluck().get(c.zoneId) as number;
      const transfer = c.ok<{ id: number; version: number }>('transfers:request', { episodeId, toFacilityId, toWardId: c.zoneId, reason: '病情稳定，转方舱' });
      // Each workstation reserves a different free bed of the zone for the same request, on the version it read.
      const beds = c.zoneBeds;
      const results = await all<{ version: number }>(clients, (i) => [
        'transfers:assignBed',
        { transferId: transfer.id, bedId: beds[i % beds.length]!, version: transfer.version },
      ]);
      const { won, lost } = outcomes(results);
      expect(won).toHaveLength(1);
      const winner = users[results.findIndex((r) => r.ok)]!;
      expect(lost.map((e) => e.code)).toEqual(Array(CLIENTS - 1).fill('CONFLICT'));
      for (const e of lost) expect(JSON.stringify(e.details.params)).toContain(winner.displayName);
      // One reservation, on the winner's bed; the transfer moved on by one version.
      const row = c.db.prepare('SELECT status, to_bed_id, assigned_by, version FROM transfer_request WHERE id = ?').get(transfer.id) as {
        status: string;
        to_bed_id: number;
        assigned_by: number;
        version: number;
      };
      expect(row).toMatchObject({ status: 'bed_assigned', assigned_by: winner.id, version: transfer.version + 1 });
      expect(c.db.prepare(`SELECT count(*) FROM bed WHERE ward_id = ? AND state = 'reserved'`).pluck().get(c.zoneId)).toBe(1);
      expect(conflictRows(c, 'transfers:assignBed')).toHaveLength(CLIENTS - 1);
      // A loser who now tries to complete on the version it read is refused as well: never last-write-wins.
      const late = await clients.find((_, i) => !results[i]!.ok)!.call('transfers:complete', { transferId: transfer.id, version: transfer.version });
      expect(late).toMatchObject({ ok: false, error: { code: 'CONFLICT' } });
    },
    RACE_TIMEOUT_MS,
  );
});
