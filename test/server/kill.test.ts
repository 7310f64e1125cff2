import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyAuditChain } from '../../electron/core/audit/audit';
import { EchelonClient } from '../../electron/server/client';
import { makeCore, makeNetwork } from '../support/core';
import { bundleServer, spawnServer, type ServerChild } from './support';

const CLIENTS = 20;
const WRITES = 50;
/** Every stream stops by itself after this long, whatever happens. */
const STREAM_MS = 20_000;

let bundle: string;
beforeAll(() => {
  bundle = bundleServer();
});
afterAll(() => fs.rmSync(bundle, { force: true }));

interface Write {
  key: string;
  name: string;
  bedId: number;
  wardId: number;
}

/** A record with a ward of enough free beds for every write of every client. */
function prepare(): { dir: string; writes: Write[][] } {
  const net = makeNetwork();
  const insert = net.db.prepare('INSERT INTO bed (ward_id, label, sort) VALUES (?, ?, ?)');
  const writes: Write[][] = [];
  net.db.transaction(() => {
    for (let i = 0; i < CLIENTS; i++) {
      const mine: Write[] = [];
      for (let j = 0; j < WRITES; j++) {
        const bedId = Number(insert.run(net.wardId, `K-${i}-${j}`, 100 + i * WRITES + j).lastInsertRowid);
        mine.push({ key: `kill-${i}-${j}-${process.pid}`, name: `网络写入-${i}-${j}`, bedId, wardId: net.wardId });
      }
      writes.push(mine);
    }
  })();
  const dir = net.dir;
  net.close();
  return { dir, writes };
}

const admit = (w: Write) => ({
  patient: { name: w.name, sex: 'F', ageYears: 40, riskFactors: [] },
  wardId: w.wardId,
  bedId: w.bedId,
  admittedAt: '2022-03-20T02:00:00.000Z',
  source: 'community_screening',
});

async function clientsOf(server: ServerChild, n: number): Promise<EchelonClient[]> {
  const clients: EchelonClient[] = [];
  for (let i = 0; i < n; i++) {
    const c = new EchelonClient({ url: server.url, fingerprint: server.fingerprint, workstation: `ward-tablet-${i}`, timeoutMs: 5_000 });
    const r = await c.call('auth:login', { username: 'admin', password: 'correct-horse' });
    if (!r.ok) throw new Error(JSON.stringify(r.error));
    clients.push(c);
  }
  return clients;
}

/**
 * Each client writes its admissions one after another; an answered write is acknowledged, a write
 * whose answer never came is "attempted". Stops at the first failure, at the deadline, or on `stop`.
 */
async function stream(clients: EchelonClient[], writes: Write[][], acked: Map<string, number>, attempted: Set<string>, deadline: number, stop: { now: boolean }) {
  await Promise.all(
    clients.map(async (client, i) => {
      for (const w of writes[i]!) {
        if (stop.now || Date.now() > deadline || acked.has(w.name)) continue;
        attempted.add(w.name);
        const r = await client.call<{ patientId: number }>('patients:admit', admit(w), { idempotencyKey: w.key });
        if (r.ok) acked.set(w.name, r.value.patientId);
        else if (r.error.code === 'UNAVAILABLE') return;
        else throw new Error(`${w.name}: ${JSON.stringify(r.error)}`);
      }
    }),
  );
}

const countOf = (db: ReturnType<typeof makeCore>['db'], name: string) => db.prepare('SELECT count(*) FROM patient WHERE name = ?').pluck().get(name) as number;

describe('kill -9 of the server during writes from 20 workstations', () => {
  it('keeps every acknowledged write, never doubles one, and a retry with the same key after the restart writes the rest exactly once', async () => {
    const { dir, writes } = prepare();
    const acked = new Map<string, number>();
    const attempted = new Set<string>();
    const first = await spawnServer(bundle, dir);
    const clients = await clientsOf(first, CLIENTS);
    const stop = { now: false };
    const deadline = Date.now() + STREAM_MS;
    const writing = stream(clients, writes, acked, attempted, deadline, stop);
    // Kill once writes are flowing, after a random stretch: often mid-transaction, sometimes between a commit and its answer.
    const target = 100 + Math.floor(Math.random() * 300);
    while (acked.size < target && Date.now() < deadline - 5_000) await new Promise((r) => setTimeout(r, 5));
    first.signal('SIGKILL');
    const killed = await first.exit;
    await writing;
    for (const c of clients) c.close();
    expect(killed.signal).toBe('SIGKILL');
    const unacked = [...attempted].filter((n) => !acked.has(n));

    const c = makeCore(dir);
    expect(c.startupCheck).toBe('quick_check');
    expect(c.db.pragma('integrity_check', { simple: true })).toBe('ok');
    const lost = [...acked].filter(([name, id]) => (c.db.prepare('SELECT id FROM patient WHERE name = ?').pluck().all(name) as number[]).join() !== String(id));
    expect(lost).toEqual([]);
    const committedUnacked = unacked.filter((n) => countOf(c.db, n) === 1).length;
    for (const n of unacked) expect(countOf(c.db, n), n).toBeLessThanOrEqual(1);
    expect(verifyAuditChain(c.db).ok).toBe(true);
    c.close();

    // The server comes back; every workstation logs in again and retries what it never heard back about.
    const second = await spawnServer(bundle, dir);
    const again = await clientsOf(second, CLIENTS);
    const retried = new Map<string, number>();
    await Promise.all(
      again.map(async (client, i) => {
        for (const w of writes[i]!.filter((x) => attempted.has(x.name) && !acked.has(x.name))) {
          const r = await client.call<{ patientId: number }>('patients:admit', admit(w), { idempotencyKey: w.key });
          expect(r.ok, JSON.stringify(r)).toBe(true);
          if (r.ok) retried.set(w.name, r.value.patientId);
        }
      }),
    );
    const replays = second.lines.filter((l) => l.includes('"replayed":true')).length;
    for (const cl of again) cl.close();
    second.signal('SIGTERM');
    const stopped = await second.exit;
    expect(stopped.code).toBe(0);
    expect(second.lines.some((l) => l.includes('"event":"stopped"'))).toBe(true);

    const after = makeCore(dir);
    expect(after.startupCheck).toBe('clean_shutdown');
    for (const name of attempted) expect(countOf(after.db, name), name).toBe(1);
    expect(after.count('patient')).toBe(attempted.size);
    expect(after.db.pragma('integrity_check', { simple: true })).toBe('ok');
    expect(verifyAuditChain(after.db).ok).toBe(true);
    after.close();
    // The writes that had committed before the kill came back as replays, not second admissions.
    expect(replays).toBe(committedUnacked);
    console.log(
      `[server kill -9] clients: ${CLIENTS}, acknowledged before the kill: ${acked.size}, unanswered: ${unacked.length} ` +
        `(of which committed: ${committedUnacked}), retried after restart: ${retried.size} (${replays} replayed), lost: 0, patients: ${attempted.size}`,
    );
  }, 60_000);

  it('SIGTERM during a stream of writes: calls in flight finish, the rest are refused cleanly, the record closes with its clean-shutdown mark', async () => {
    const { dir, writes } = prepare();
    const server = await spawnServer(bundle, dir);
    const clients = await clientsOf(server, 5);
    const acked = new Map<string, number>();
    const attempted = new Set<string>();
    const stop = { now: false };
    const deadline = Date.now() + STREAM_MS;
    const writing = stream(clients, writes, acked, attempted, deadline, stop);
    while (acked.size < 50 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 5));
    server.signal('SIGTERM');
    const exit = await server.exit;
    await writing;
    for (const c of clients) c.close();
    expect(exit.code).toBe(0);
    const c = makeCore(dir);
    expect(c.startupCheck).toBe('clean_shutdown');
    for (const [name, id] of acked) expect(c.db.prepare('SELECT id FROM patient WHERE name = ?').pluck().get(name)).toBe(id);
    for (const name of attempted) expect(countOf(c.db, name)).toBeLessThanOrEqual(1);
    expect(c.db.pragma('integrity_check', { simple: true })).toBe('ok');
    c.close();
  }, 60_000);
});
