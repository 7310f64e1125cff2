import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { ChangeMessageSchema, affects, type ChangeNotice } from '../../shared/api/changes';
import type { EchelonClient } from '../../electron/server/client';
import { addUser, admission, makeNetwork, TEST_PASSWORD } from '../support/core';
import { FULL_ROUND, at } from '../support/clinical';
import { loginAs, startServer, type Running } from './support';

/**
 * The server's change notices (issue 15): every committed write reaches the workstations whose ward
 * scope it concerns, over a WebSocket on loopback, and says what changed without any patient data.
 */

const running: Running[] = [];
const sockets: { close(): void }[] = [];
afterEach(async () => {
  for (const s of sockets.splice(0)) s.close();
  for (const r of running.splice(0)) await r.stop();
});

interface Heard {
  notices: ChangeNotice[];
  own: boolean[];
  incoming: boolean[];
  hello: string | null;
  closed: number | null;
}

async function listen(client: EchelonClient): Promise<Heard> {
  const heard: Heard = { notices: [], own: [], incoming: [], hello: null, closed: null };
  const handle = await client.watchChanges({
    onMessage: (m) => {
      const msg = ChangeMessageSchema.parse(m);
      if (msg.type === 'hello') heard.hello = msg.stream;
      if (msg.type === 'notice') {
        heard.notices.push(msg.notice);
        heard.own.push(msg.own);
        heard.incoming.push(msg.incoming);
      }
    },
    onClose: (code) => (heard.closed = code),
  });
  sockets.push(handle);
  return heard;
}

/** Waits until `ok()` holds, polling every 10 ms for at most 5 s (bounded: a test never hangs). */
async function until(ok: () => boolean, what: string): Promise<void> {
  const end = Date.now() + 5_000;
  while (!ok()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

async function network() {
  const c = makeNetwork();
  const admitted = c.ok<{ episodeId: number; patientId: number }>('patients:admit', admission({ bedId: c.beds[0]!, wardId: c.wardId }, { name: '李秀英' }));
  const wardNurse = addUser(c, 'nurse', { wardIds: [c.wardId] });
  const zoneNurse = addUser(c, 'nurse', { wardIds: [c.zoneId] });
  const run = await startServer(c);
  running.push(run);
  const admin = await loginAs(run, c.session.user!.username, 'correct-horse', 'admin-desk');
  const ward = await loginAs(run, wardNurse.username, TEST_PASSWORD, 'g1-station');
  const zone = await loginAs(run, zoneNurse.username, TEST_PASSWORD, 'a1-station');
  return { c, run, admin, ward, zone, ...admitted };
}

describe('change notices over the server', () => {
  it('a round saved on one workstation reaches the ward and the network, not another ward, and names no patient', async () => {
    const n = await network();
    const [adminHeard, wardHeard, zoneHeard] = await Promise.all([listen(n.admin), listen(n.ward), listen(n.zone)]);
    await until(() => adminHeard.hello !== null && wardHeard.hello !== null && zoneHeard.hello !== null, 'the greetings');

    const saved = await n.ward.call('rounds:record', { episodeId: n.episodeId, measuredAt: at(10), ...FULL_ROUND });
    expect(saved.ok).toBe(true);
    await until(() => wardHeard.notices.length > 0 && adminHeard.notices.length > 0, 'the round notice');

    const notice = wardHeard.notices[0]!;
    expect(notice).toMatchObject({ channel: 'rounds:record', kinds: ['clinical'], all: false, wards: [n.c.wardId], episodes: [n.episodeId], patients: [n.patientId] });
    expect(notice.actions).toContain('round.record');
    expect(notice.by.workstation).toContain('g1-station');
    expect(adminHeard.notices[0]).toEqual(notice);
    // The ward's own workstation made it; the admin's did not.
    expect(wardHeard.own[0]).toBe(true);
    expect(adminHeard.own[0]).toBe(false);
    // It names what changed, never the patient.
    expect(JSON.stringify(notice)).not.toContain('李秀英');
    // Which reads it refreshes: the patient's chart and its ward's board, not another patient's chart or another ward.
    expect(affects(notice, 'chart:get', { episodeId: n.episodeId })).toBe(true);
    expect(affects(notice, 'chart:get', { episodeId: n.episodeId + 1 })).toBe(false);
    expect(affects(notice, 'wards:board', { wardId: n.c.wardId })).toBe(true);
    expect(affects(notice, 'wards:board', { wardId: n.c.zoneId })).toBe(false);
    expect(affects(notice, 'users:list', {})).toBe(false);

    // A write in the zone afterwards: the zone nurse hears it, so she would have heard the round had it been hers.
    await n.admin.call('patients:admit', admission({ bedId: n.c.zoneBeds[0]!, wardId: n.c.zoneId }));
    await until(() => zoneHeard.notices.length > 0, 'the zone admission');
    expect(zoneHeard.notices.map((x) => x.channel)).toEqual(['patients:admit']);
    expect(zoneHeard.notices.some((x) => x.episodes.includes(n.episodeId))).toBe(false);
  });

  it('a transfer request is announced as incoming to the receiving ward only', async () => {
    const n = await network();
    const [wardHeard, zoneHeard] = await Promise.all([listen(n.ward), listen(n.zone)]);
    await until(() => wardHeard.hello !== null && zoneHeard.hello !== null, 'the greetings');
    const toFacilityId = (n.c.db.prepare('SELECT facility_id AS id FROM ward WHERE id = ?').get(n.c.zoneId) as { id: number }).id;
    const requested = await n.admin.call('transfers:request', { episodeId: n.episodeId, toFacilityId, toWardId: n.c.zoneId, reason: '病情稳定，转方舱' });
    expect(requested.ok).toBe(true);
    await until(() => zoneHeard.notices.length > 0 && wardHeard.notices.length > 0, 'the transfer notice');
    expect(zoneHeard.notices[0]).toMatchObject({ channel: 'transfers:request', incoming: [n.c.zoneId] });
    expect(zoneHeard.incoming).toEqual([true]);
    // The sending ward hears it (its patient is leaving) but nothing is coming to it.
    expect(wardHeard.incoming).toEqual([false]);
  });

  it('a change of no ward (an account) reaches everyone; the notice of a refused write never comes', async () => {
    const n = await network();
    const wardHeard = await listen(n.ward);
    await until(() => wardHeard.hello !== null, 'the greeting');
    const refused = await n.ward.call('rounds:record', { episodeId: n.episodeId, measuredAt: at(10), ...FULL_ROUND, spo2: 400 });
    expect(refused.ok).toBe(false);
    const created = await n.admin.call('users:create', { username: 'nurse.new', displayName: '新护士', role: 'nurse', password: 'a-long-password-1' });
    expect(created.ok).toBe(true);
    await until(() => wardHeard.notices.length > 0, 'the account notice');
    expect(wardHeard.notices.map((x) => x.channel)).toEqual(['users:create']);
    expect(wardHeard.notices[0]).toMatchObject({ kinds: ['accounts'], wards: [] });
  });

  it('refuses a socket without a live session, and closes one whose session ends', async () => {
    const n = await network();
    const anonymous = new WebSocket(`wss://127.0.0.1:${n.run.port}/api/changes`, { rejectUnauthorized: false });
    const code = await new Promise<number>((resolve) => anonymous.on('close', (c) => resolve(c)));
    expect(code).toBe(4401);

    const wardHeard = await listen(n.ward);
    await until(() => wardHeard.hello !== null, 'the greeting');
    expect((await n.ward.call('auth:logout', {})).ok).toBe(true);
    // The next notice finds the session over and closes the socket instead of sending it.
    await n.admin.call('rounds:record', { episodeId: n.episodeId, measuredAt: at(20), ...FULL_ROUND });
    await until(() => wardHeard.closed !== null, 'the close');
    expect(wardHeard.closed).toBe(4401);
    expect(wardHeard.notices.filter((x) => x.channel === 'rounds:record')).toEqual([]);
  });

  it('a restore-sized change says "everything", and the stream names this run of the server', async () => {
    const n = await network();
    const adminHeard = await listen(n.admin);
    await until(() => adminHeard.hello !== null, 'the greeting');
    expect(adminHeard.hello).toBe(n.c.changes.stream);
    expect((await n.admin.call('settings:update', { timeZone: 'Asia/Shanghai', ...(await versionOfSettings(n.admin)) })).ok).toBe(true);
    await until(() => adminHeard.notices.length > 0, 'the settings notice');
    expect(adminHeard.notices[0]).toMatchObject({ channel: 'settings:update', all: true });
    expect(affects(adminHeard.notices[0]!, 'users:list', {})).toBe(true);
  });
});

/** settings:update carries the version read (issue 15's no-lost-updates), when the contract has one. */
async function versionOfSettings(client: EchelonClient): Promise<{ version?: number }> {
  const r = await client.call<{ version?: number }>('settings:get', {});
  return r.ok && typeof r.value.version === 'number' ? { version: r.value.version } : {};
}
