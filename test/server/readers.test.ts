import fs from 'node:fs';
import path from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { writeAudit } from '../../electron/core/audit/audit';
import { DEMO_PASSWORD } from '../../electron/core/demo/generate';
import type { EchelonClient } from '../../electron/server/client';
import type { ReaderPool } from '../../electron/server/readers';
import type { SessionBox } from '../../electron/core';
import type { Result } from '../../shared/errors';
import { addUser, makeCore, tempDir, TEST_PASSWORD, type TestCore } from '../support/core';
import { bundleServer, loginAs, spawnServer, startServer, type Running } from './support';

/**
 * Reader threads (electron/server/readers.ts): queries answered on read-only connections in worker
 * threads give the same answers and refusals as dispatch on the main thread, see every commit made
 * before them, survive a restore, do not hold up the writes, and end with the server.
 */

const running: Running[] = [];
const cores: TestCore[] = [];
afterEach(async () => {
  for (const r of running.splice(0)) await r.stop();
  for (const c of cores.splice(0)) c.close();
});

interface Demo {
  c: TestCore;
  run: Running;
  pool: ReaderPool;
  episode: number;
  ward: number;
  facility: number;
}

/** The demo network behind a server with `readers` reader threads. */
async function demo(readers = 2, clock: () => number = () => Date.now()): Promise<Demo> {
  const c = makeCore();
  cores.push(c);
  const r = c.dispatch('setup:loadDemo', {}, { user: null }, new Date().toISOString());
  if (!r.ok) throw new Error(JSON.stringify(r.error));
  const episode = c.db.prepare('SELECT episode_id FROM placement WHERE end_at IS NULL ORDER BY episode_id LIMIT 1').pluck().get() as number;
  const ward = c.db.prepare('SELECT b.ward_id FROM placement p JOIN bed b ON b.id = p.bed_id WHERE p.episode_id = ? AND p.end_at IS NULL').pluck().get(episode) as number;
  const facility = c.db.prepare('SELECT facility_id FROM ward WHERE id = ?').pluck().get(ward) as number;
  // The demo is dated today: the server's clock is the real one here.
  const run = await startServer(c, { readers, clock });
  running.push(run);
  const pool = run.server.readers;
  if (!pool) throw new Error('no reader pool');
  return { c, run, pool, episode, ward, facility };
}

/** The same user's session in process, as IPC holds it. */
function inProcess(c: TestCore, username: string): SessionBox {
  const box: SessionBox = { user: null, workstation: 'in-process' };
  const r = c.dispatch('auth:login', { username, password: username === 'scoped' ? TEST_PASSWORD : DEMO_PASSWORD }, box, new Date().toISOString());
  if (!r.ok) throw new Error(JSON.stringify(r.error));
  return box;
}

/** What must agree: the value, or the error's code and key. */
const outcome = (r: Result<unknown>) =>
  r.ok ? { ok: true, value: JSON.parse(JSON.stringify(r.value)) as unknown } : { ok: false, code: r.error.code, key: r.error.details.key ?? null };

const vitals = (i: number) => ({
  respRate: 18,
  spo2: 96,
  onOxygen: false,
  systolicBp: 120 + i,
  diastolicBp: 78,
  pulse: 80,
  consciousness: 'A',
  temperature: 36.8,
  symptoms: ['cough'],
});

describe('queries on reader threads', { timeout: 120_000 }, () => {
  it('answer as dispatch does in process, refusals included (role, ward scope, validation)', async () => {
    const fixed = Date.now();
    const { c, run, pool, episode, ward, facility } = await demo(2, () => fixed);
    const now = new Date(fixed).toISOString();
    const day = now.slice(0, 10);
    const otherWard = c.db.prepare('SELECT id FROM ward WHERE id <> ? ORDER BY id LIMIT 1').pluck().get(ward) as number;
    addUser(c, 'ward_doctor', { username: 'scoped', wardIds: [otherWard] });
    const cases: [string, string, unknown][] = [
      ['dr.wang', 'wards:board', { wardId: ward }],
      ['dr.wang', 'queue:list', {}],
      ['dr.wang', 'chart:get', { episodeId: episode }],
      ['admin', 'facilities:list', {}],
      ['nurse.zhang', 'patients:search', { q: '张' }],
      ['nurse.zhang', 'rounds:listForEpisode', { episodeId: episode }],
      // Refusals: a role that may not (FORBIDDEN), an episode outside the doctor's wards (scope; the same call in the ward is fine), a bad input (VALIDATION).
      ['nurse.zhang', 'audit:verify', {}],
      ['scoped', 'rounds:preview', { episodeId: episode }],
      ['dr.wang', 'rounds:preview', { episodeId: episode }],
      ['dr.wang', 'wards:board', { wardId: 'one' }],
    ];
    const clients = new Map<string, EchelonClient>();
    for (const [user, channel, input] of cases) {
      if (!clients.has(user)) clients.set(user, await loginAs(run, user, user === 'scoped' ? TEST_PASSWORD : DEMO_PASSWORD));
      const before = pool.answered;
      const http = await clients.get(user)!.call(channel, input);
      expect(pool.answered, `${channel} went to a reader`).toBe(before + 1);
      const direct = c.dispatch(channel, input, inProcess(c, user), now);
      expect(outcome(http), `${user} → ${channel}`).toEqual(outcome(direct));
    }
    // The reports stay on the main thread (their cache is written by the writable connection only): same answer, no reader.
    const reporter = await loginAs(run, 'prof.zhou', DEMO_PASSWORD);
    const before = pool.answered;
    const report = await reporter.call('reports:daily', { date: day, facilityId: facility });
    expect(pool.answered).toBe(before);
    expect(outcome(report)).toEqual(outcome(c.dispatch('reports:daily', { date: day, facilityId: facility }, inProcess(c, 'prof.zhou'), now)));
    const refusals = cases.slice(6).map(([user, channel, input]) => outcome(c.dispatch(channel, input, inProcess(c, user), now)));
    expect(refusals.map((r) => (r.ok ? 'ok' : r.code))).toEqual(['FORBIDDEN', 'FORBIDDEN', 'ok', 'VALIDATION']);
  });

  it('a write committed on the main thread is seen by the next read on a reader', async () => {
    const { run, pool, episode } = await demo();
    const nurse = await loginAs(run, 'nurse.zhang', DEMO_PASSWORD);
    for (let i = 0; i < 10; i++) {
      const saved = await nurse.call<{ roundId?: number; id?: number }>('rounds:record', {
        episodeId: episode,
        measuredAt: new Date(Date.now() - 1000 * (10 - i)).toISOString(),
        ...vitals(i),
      });
      expect(saved.ok, JSON.stringify(saved)).toBe(true);
      const before = pool.answered;
      const list = await nurse.call<unknown[]>('rounds:listForEpisode', { episodeId: episode });
      expect(pool.answered).toBe(before + 1);
      expect(JSON.stringify(list)).toContain(`"systolicBp":${120 + i}`);
    }
  });

  it('a session the reader finds ended (account deactivated while the query waited) ends at the server', async () => {
    const { c, run, pool, ward } = await demo(1);
    const admin = await loginAs(run, 'admin', DEMO_PASSWORD);
    const doctor = await loginAs(run, 'dr.li', DEMO_PASSWORD);
    longAudit(c, 60_000);
    // The one reader is busy with a long read; the doctor's board waits behind it, past the main thread's check.
    const long = admin.call('audit:verify', {});
    const board = doctor.call('wards:board', { wardId: ward });
    const until = Date.now() + 10_000;
    while (pool.waiting < 1 && Date.now() < until) await new Promise((r) => setTimeout(r, 1));
    expect(pool.waiting).toBe(1);
    c.db.prepare(`UPDATE app_user SET active = 0 WHERE username = 'dr.li'`).run();
    const refused = await board;
    expect(refused.ok ? null : refused.error.details.key).toBe('auth.session_ended');
    expect((await long).ok).toBe(true);
    // The server ended the doctor's token; the admin's is the only one left.
    expect(run.server.sessions.size).toBe(1);
    expect((await doctor.call('queue:list', {})).ok).toBe(false);
  });

  it('a long read on a reader does not hold up a write on the main thread', async () => {
    const { c, run, episode } = await demo();
    const admin = await loginAs(run, 'admin', DEMO_PASSWORD);
    const nurse = await loginAs(run, 'nurse.zhang', DEMO_PASSWORD);
    longAudit(c, 100_000);
    const t0 = performance.now();
    let readDone = 0;
    const long = admin.call('audit:verify', {}).then((r) => ((readDone = performance.now() - t0), r));
    await new Promise((r) => setTimeout(r, 20));
    const w0 = performance.now();
    const saved = await nurse.call('rounds:record', { episodeId: episode, measuredAt: new Date(Date.now() - 500).toISOString(), ...vitals(1) });
    const writeDone = performance.now() - t0;
    const writeMs = performance.now() - w0;
    expect(saved.ok, JSON.stringify(saved)).toBe(true);
    expect((await long).ok).toBe(true);
    // The write was answered while the read was still running (on one thread it would wait for the whole read).
    expect(readDone).toBeGreaterThan(writeDone);
    console.log(`long read (audit:verify, ~100k rows) ${readDone.toFixed(0)} ms; a round save sent 20 ms into it answered in ${writeMs.toFixed(1)} ms`);
  });

  it('a restore: the readers close before the file is replaced and read the restored record after', async () => {
    const { c, run, pool, episode } = await demo();
    const admin = await loginAs(run, 'admin', DEMO_PASSWORD);
    const made = await admin.call<{ file: { name: string } }>('backup:create', { target: 'folder' });
    if (!made.ok) throw new Error(JSON.stringify(made.error));
    const name = made.value.file.name;
    const nurse = await loginAs(run, 'nurse.zhang', DEMO_PASSWORD);
    const saved = await nurse.call('rounds:record', { episodeId: episode, measuredAt: new Date(Date.now() - 500).toISOString(), ...vitals(77) });
    expect(saved.ok).toBe(true);
    expect(JSON.stringify(await nurse.call('rounds:listForEpisode', { episodeId: episode }))).toContain('"systolicBp":197');
    const restored = await admin.call('backup:restore', { name, confirm: name });
    expect(restored.ok, JSON.stringify(restored)).toBe(true);
    // Every session ended; logged in again, the readers read the restored file, without the round saved after the backup.
    const again = await loginAs(run, 'nurse.zhang', DEMO_PASSWORD);
    const before = pool.answered;
    const list = await again.call('rounds:listForEpisode', { episodeId: episode });
    expect(list.ok).toBe(true);
    expect(pool.answered).toBe(before + 1);
    expect(JSON.stringify(list)).not.toContain('"systolicBp":197');
    expect(c.db.prepare('SELECT count(*) FROM round WHERE systolic_bp = 197').pluck().get()).toBe(0);
  });

  it('closing the server ends its reader threads', async () => {
    const { run, pool } = await demo();
    expect(pool.threadIds.every((id) => id > 0)).toBe(true);
    await run.stop();
    running.splice(running.indexOf(run), 1);
    expect(pool.threadIds).toEqual([-1, -1]);
  });
});

describe('the server process with its reader threads', { timeout: 120_000 }, () => {
  const bundle = bundleServer();
  afterAll(() => fs.rmSync(bundle, { force: true }));

  it('runs its readers from its own bundle, answers the board through them, and exits at SIGTERM (no thread keeps it alive)', async () => {
    const dir = tempDir('echelon-readers-');
    const c = makeCore(dir);
    const r = c.dispatch('setup:loadDemo', {}, { user: null }, new Date().toISOString());
    if (!r.ok) throw new Error(JSON.stringify(r.error));
    const ward = c.db.prepare('SELECT id FROM ward ORDER BY id LIMIT 1').pluck().get() as number;
    c.close();
    const server = await spawnServer(bundle, dir);
    try {
      expect(JSON.parse(server.lines.find((l) => l.includes('"listening"')) ?? '{}')).toMatchObject({ readers: expect.any(Number) as number });
      expect((JSON.parse(server.lines.find((l) => l.includes('"listening"')) ?? '{}') as { readers: number }).readers).toBeGreaterThan(0);
      const { EchelonClient } = await import('../../electron/server/client');
      const client = new EchelonClient({ url: server.url, fingerprint: server.fingerprint, workstation: 'readers' });
      expect((await client.call('auth:login', { username: 'dr.wang', password: DEMO_PASSWORD })).ok).toBe(true);
      const board = await client.call('wards:board', { wardId: ward });
      expect(board.ok, JSON.stringify(board)).toBe(true);
      client.close();
    } finally {
      server.signal('SIGTERM');
    }
    const exit = await Promise.race([server.exit, new Promise<null>((res) => setTimeout(() => res(null), 15_000))]);
    expect(exit).toEqual({ code: 0, signal: null });
    expect(fs.existsSync(path.join(dir, 'echelon.db'))).toBe(true);
    fs.rmSync(dir, { recursive: true, force: true });
  });
});

/** `rows` more rows on the audit chain, in one transaction: audit:verify then reads (and hashes) them all, a long read. */
function longAudit(c: TestCore, rows: number): void {
  const at = new Date().toISOString();
  c.db.transaction(() => {
    for (let i = 0; i < rows; i++) writeAudit(c.db, at, null, { action: 'test.padding', entity: 'test', after: { i } });
  })();
}
