import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { buildServer, type CallLogLine, type EchelonServer } from '../../electron/server/app';
import { ensureCertificate, type ServerCertificate } from '../../electron/server/tls';
import { NETWORK_FILE, readStartMode, type NetworkConfig } from '../../electron/main/network/config';
import { createForwarder, type CertificateChange, type Forwarder } from '../../electron/main/network/forward';
import { networkHandlers } from '../../electron/main/network/bridge';
import { probeServer } from '../../electron/main/network/trust';
import { addUser, admission, makeNetwork, tempDir, TEST_PASSWORD, type TestCore } from '../support/core';
import type { SessionUser } from '../../shared/api/auth';
import { snapshot } from '../core/trust/support';
import { FULL_ROUND } from '../support/clinical';

/**
 * The desktop app in connected mode (issue 14): main's forwarder and its trust functions against a
 * real Echelon server on 127.0.0.1. Each test stops every server and forwarder it started.
 */

interface Station {
  server: EchelonServer;
  port: number;
  url: string;
  tls: ServerCertificate;
  logs: CallLogLine[];
}

const servers: EchelonServer[] = [];
const forwarders: Forwarder[] = [];

afterEach(async () => {
  for (const f of forwarders.splice(0)) await f.close();
  for (const s of servers.splice(0)) await s.close();
});

/** A server over `core` on 127.0.0.1 (`port` 0: any free port), with the given certificate. */
async function serve(core: TestCore, tls: ServerCertificate, port = 0): Promise<Station> {
  const logs: CallLogLine[] = [];
  const server = await buildServer({ core, tls, version: 'test', log: (l) => logs.push(l), rendererDir: null });
  servers.push(server);
  const bound = await server.listen('127.0.0.1', port);
  return { server, port: bound, url: `https://127.0.0.1:${bound}`, tls, logs };
}

async function stop(s: Station): Promise<void> {
  servers.splice(servers.indexOf(s.server), 1);
  await s.server.close();
}

function forwarder(config: NetworkConfig, changes: [number, CertificateChange][] = []): Forwarder {
  const f = createForwarder(config, { timeoutMs: 5_000, retryDelaysMs: [20, 50], onCertificateChanged: (w, c) => changes.push([w, c]) });
  forwarders.push(f);
  return f;
}

async function hospital() {
  const core = makeNetwork();
  core.ok('auth:logout');
  addUser(core, 'nurse', { username: 'nurse.li', wardIds: [core.wardId] });
  addUser(core, 'expert', { username: 'prof.zhou' });
  const tls = await ensureCertificate(core.dataDir);
  const station = await serve(core, tls);
  return { core, tls, station };
}

/** Another server certificate: the server "replaced" (or an impostor on its address). */
const otherCertificate = () => ensureCertificate(tempDir('echelon-other-cert-'));

/** Waits until `ok()` holds, polling every 10 ms for at most 5 s. */
async function until(ok: () => boolean, what: string): Promise<void> {
  const end = Date.now() + 5_000;
  while (!ok()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe('change notices through the forwarder (issue 15)', () => {
  it('each logged-in window gets the server’s notices over its own session, its own writes marked own; a dropped link is reported', async () => {
    const { core, tls, station } = await hospital();
    const heard: [number, { type: string; own?: boolean; up?: boolean; notice?: { channel: string } }][] = [];
    const f = createForwarder(
      { url: station.url, fingerprint: tls.fingerprint, workstation: 'ward-1' },
      { timeoutMs: 5_000, retryDelaysMs: [20, 50], rewatchMs: 50, onChange: (w, m) => heard.push([w, m as (typeof heard)[number][1]]) },
    );
    forwarders.push(f);
    expect(await f.call(1, 'auth:login', { username: 'nurse.li', password: TEST_PASSWORD })).toMatchObject({ ok: true });
    expect(await f.call(2, 'auth:login', { username: 'prof.zhou', password: TEST_PASSWORD })).toMatchObject({ ok: true });
    await until(() => heard.filter(([, m]) => m.type === 'hello').length === 2, 'both greetings');

    const admin = core.db.prepare(`SELECT id, username, display_name AS displayName, role FROM app_user WHERE role = 'admin' LIMIT 1`).get() as SessionUser;
    const now = Date.now();
    const admitted = core.dispatch(
      'patients:admit',
      admission({ bedId: core.beds[0]!, wardId: core.wardId, admittedAt: new Date(now - 3_600_000).toISOString() }),
      { user: admin },
      new Date(now).toISOString(),
    );
    if (!admitted.ok) throw new Error(JSON.stringify(admitted.error));
    const episode = admitted.value as { episodeId: number };
    expect(await f.call(1, 'rounds:record', { episodeId: episode.episodeId, measuredAt: new Date(Date.now() - 60_000).toISOString(), ...FULL_ROUND })).toMatchObject({ ok: true });
    await until(() => heard.filter(([, m]) => m.notice?.channel === 'rounds:record').length === 2, 'the round notice in both windows');
    const round = heard.filter(([, m]) => m.notice?.channel === 'rounds:record');
    expect(round.find(([w]) => w === 1)?.[1].own).toBe(true);
    expect(round.find(([w]) => w === 2)?.[1].own).toBe(false);

    // The server goes away: each window is told its link is down; back, the sockets reopen with a new greeting.
    await stop(station);
    await until(() => heard.some(([w, m]) => w === 1 && m.type === 'link' && m.up === false), 'the link down');
  });
});

describe('forwarding: each window is its own workstation login', () => {
  it('window 1 is a nurse and window 2 an expert at the same time, each over its own session; audit rows name the workstation', async () => {
    const { core, tls, station } = await hospital();
    const f = forwarder({ url: station.url, fingerprint: tls.fingerprint, workstation: '病区一护士站' });

    const [nurse, expert] = await Promise.all([
      f.call(1, 'auth:login', { username: 'nurse.li', password: TEST_PASSWORD }),
      f.call(2, 'auth:login', { username: 'prof.zhou', password: TEST_PASSWORD }),
    ]);
    expect(nurse).toMatchObject({ ok: true, value: { username: 'nurse.li', role: 'nurse' } });
    expect(expert).toMatchObject({ ok: true, value: { username: 'prof.zhou', role: 'expert' } });
    const [s1, s2] = await Promise.all([f.call(1, 'auth:session', {}), f.call(2, 'auth:session', {})]);
    expect(s1).toMatchObject({ ok: true, value: { username: 'nurse.li' } });
    expect(s2).toMatchObject({ ok: true, value: { username: 'prof.zhou' } });
    expect(station.server.sessions.size).toBe(2);
    // The expert's queue is refused to the nurse's window, by the server's own rules.
    expect(await f.call(1, 'users:list', {})).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });

    const logins = core.db.prepare(`SELECT workstation FROM audit WHERE action = 'auth.login' ORDER BY id DESC LIMIT 2`).all() as { workstation: string }[];
    expect(logins.map((r) => r.workstation)).toEqual(['127.0.0.1 病区一护士站', '127.0.0.1 病区一护士站']);

    // A window that closes logs its session out on the server; the other carries on.
    await f.closeWindow(1);
    expect(station.server.sessions.size).toBe(1);
    expect(station.logs.at(-1)).toMatchObject({ channel: 'auth:logout', outcome: 'ok' });
    expect(await f.call(1, 'auth:session', {})).toEqual({ ok: true, value: null });
    expect(await f.call(2, 'auth:session', {})).toMatchObject({ ok: true, value: { username: 'prof.zhou' } });
    expect(await f.call(2, 'no:such', {})).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
  });

  it('a server restart ends the window’s session: UNAUTHENTICATED server.session_expired, the renderer’s session-ended path', async () => {
    const { core, tls, station } = await hospital();
    const f = forwarder({ url: station.url, fingerprint: tls.fingerprint, workstation: 'ward-1' });
    expect(await f.call(1, 'auth:login', { username: 'nurse.li', password: TEST_PASSWORD })).toMatchObject({ ok: true });
    await stop(station);
    // While it is down: not saved, retry.
    const down = await f.call(1, 'settings:get', {});
    expect(down).toMatchObject({ ok: false, error: { details: { retryable: true } } });
    expect(['server.unreachable', 'server.no_answer']).toContain(!down.ok && down.error.details.key);

    const again = await serve(core, tls, station.port);
    const r = await f.call(1, 'settings:get', {});
    expect(r).toMatchObject({ ok: false, error: { code: 'UNAUTHENTICATED', details: { key: 'server.session_expired' } } });
    // The login screen works at once on the same window.
    expect(await f.call(1, 'auth:login', { username: 'nurse.li', password: TEST_PASSWORD })).toMatchObject({ ok: true });
    expect(await f.call(1, 'settings:get', {})).toMatchObject({ ok: true });
    expect(again.logs.map((l) => l.channel)).toEqual(['settings:get', 'auth:login', 'settings:get']);
  });

  it('a changed certificate is refused before anything is sent, and reported as such (not as a generic error)', async () => {
    const { core, tls, station } = await hospital();
    const changes: [number, CertificateChange][] = [];
    const f = forwarder({ url: station.url, fingerprint: tls.fingerprint, workstation: 'ward-1' }, changes);
    expect(await f.call(2, 'auth:login', { username: 'nurse.li', password: TEST_PASSWORD })).toMatchObject({ ok: true });
    await stop(station);

    const impostorTls = await otherCertificate();
    const impostor = await serve(core, impostorTls, station.port);
    const before = snapshot(core.db);
    const r = await f.call(2, 'auth:login', { username: 'nurse.li', password: TEST_PASSWORD });
    expect(r).toMatchObject({ ok: false, error: { code: 'FORBIDDEN', details: { key: 'server.fingerprint_mismatch' } } });
    expect(changes).toEqual([[2, { url: station.url, expected: tls.fingerprint, actual: impostorTls.fingerprint }]]);
    // Not one call reached it: the password never left the workstation, nothing was written.
    expect(impostor.logs).toEqual([]);
    expect(snapshot(core.db)).toEqual(before);
  });

  it('a write whose answer was lost keeps its idempotency key: retried by itself, then by the user, it is written once', async () => {
    const { core, tls, station } = await hospital();
    // A loopback relay that lets requests through but drops the next answer, or every answer (TLS stays end to end).
    let drop: 'none' | 'next' | 'all' = 'none';
    const sockets = new Set<net.Socket>();
    const relay = net.createServer((down) => {
      const up = net.connect(station.port, '127.0.0.1');
      for (const s of [down, up]) {
        sockets.add(s);
        s.on('error', () => undefined);
        s.on('close', () => sockets.delete(s));
      }
      down.pipe(up);
      up.on('data', (chunk: Buffer) => {
        if (drop === 'none') down.write(chunk);
        else {
          if (drop === 'next') drop = 'none';
          down.destroy();
          up.destroy();
        }
      });
      up.on('close', () => down.destroy());
      down.on('close', () => up.destroy());
    });
    await new Promise<void>((resolve) => relay.listen(0, '127.0.0.1', resolve));
    try {
      const f = forwarder({ url: `https://127.0.0.1:${(relay.address() as net.AddressInfo).port}`, fingerprint: tls.fingerprint, workstation: 'ward-1' });
      expect(await f.call(1, 'auth:login', { username: 'admin', password: 'correct-horse' })).toMatchObject({ ok: true });
      const creates = () => station.logs.filter((l) => l.channel === 'users:create' && l.outcome === 'ok').map((l) => l.replayed ?? false);
      const users = (username: string) => (core.db.prepare(`SELECT count(*) AS n FROM app_user WHERE username = ?`).get(username) as { n: number }).n;

      // One answer lost: the forwarder tries again by itself with the same key, and the server replays its result.
      drop = 'next';
      const once = await f.call(1, 'users:create', { username: 'nurse.zhao', displayName: '赵护士', role: 'nurse', password: 'nurse-password-1', wardIds: [core.wardId] });
      expect(once).toMatchObject({ ok: true, value: { username: 'nurse.zhao' } });
      expect(creates()).toEqual([false, true]);
      expect(users('nurse.zhao')).toBe(1);

      // Every answer lost: "not saved, retry"; the user's retry of the same action carries the same key.
      const input = { username: 'nurse.wang', displayName: '王护士', role: 'nurse', password: 'nurse-password-1', wardIds: [core.wardId] };
      drop = 'all';
      const lost = await f.call(1, 'users:create', input);
      expect(lost).toMatchObject({ ok: false, error: { details: { key: 'server.no_answer', retryable: true } } });
      drop = 'none';
      const retried = await f.call(1, 'users:create', input);
      expect(retried).toMatchObject({ ok: true, value: { username: 'nurse.wang' } });
      expect(creates()).toEqual([false, true, false, true]);
      expect(users('nurse.wang')).toBe(1);
      // Another action with the same fields after a definite answer is a new action (here refused as a duplicate name).
      expect(await f.call(1, 'users:create', input)).toMatchObject({ ok: false });
    } finally {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => relay.close(() => resolve()));
    }
  });
});

describe('trust on first connection, and only an administrator accepts a changed certificate', () => {
  it('probe shows the fingerprint the server itself reports; connect pins it in network.json (0600)', async () => {
    const { tls, station } = await hospital();
    const probe = await probeServer(`${station.url}/`);
    expect(probe).toEqual({ ok: true, value: { url: station.url, fingerprint: tls.fingerprint, version: 'test' } });
    expect(await probeServer(station.url.replace('https', 'http'))).toMatchObject({ ok: false, error: { code: 'VALIDATION', details: { key: 'server.https_only' } } });
    expect(await probeServer('https://127.0.0.1:1', 2_000)).toMatchObject({ ok: false, error: { details: { key: 'server.unreachable' } } });

    const dir = tempDir('echelon-desktop-');
    const handlers = networkHandlers({ dataDir: dir, start: { mode: 'standalone' }, localNeedsSetup: () => true });
    expect(await handlers.mode()).toEqual({ ok: true, value: { mode: 'standalone', url: null, workstation: null } });
    // A fingerprint other than the one presented (the user compared another): refused, nothing written.
    const wrong = tls.fingerprint.replace(/^../, tls.fingerprint.startsWith('00') ? '11' : '00');
    expect(await handlers.connect({ url: station.url, fingerprint: wrong, workstation: '病区一护士站' })).toMatchObject({
      ok: false,
      error: { details: { key: 'desktop.changed_since_check' } },
    });
    expect(fs.existsSync(path.join(dir, NETWORK_FILE))).toBe(false);

    const ok = await handlers.connect({ url: station.url, fingerprint: tls.fingerprint, workstation: '病区一护士站' });
    expect(ok).toEqual({ ok: true, value: { url: station.url, fingerprint: tls.fingerprint, workstation: '病区一护士站' } });
    expect(readStartMode(dir)).toEqual({ mode: 'connected', config: { url: station.url, fingerprint: tls.fingerprint, workstation: '病区一护士站' } });
    expect(fs.statSync(path.join(dir, NETWORK_FILE)).mode & 0o777).toBe(0o600);

    // A workstation whose own record holds data is not switched over.
    const busy = networkHandlers({ dataDir: tempDir(), start: { mode: 'standalone' }, localNeedsSetup: () => false });
    expect(await busy.connect({ url: station.url, fingerprint: tls.fingerprint, workstation: 'x' })).toMatchObject({
      ok: false,
      error: { details: { key: 'desktop.local_has_data' } },
    });
    expect(await busy.probe(station.url)).toMatchObject({ ok: false, error: { details: { key: 'desktop.local_has_data' } } });
  });

  it('re-pin: a nurse is refused, a wrong password is refused, an administrator is accepted and logged out again; network.json gets the new fingerprint', async () => {
    const { core, tls, station } = await hospital();
    const dir = tempDir('echelon-desktop-');
    const first = networkHandlers({ dataDir: dir, start: { mode: 'standalone' }, localNeedsSetup: () => true });
    expect(await first.connect({ url: station.url, fingerprint: tls.fingerprint, workstation: '医务科' })).toMatchObject({ ok: true });
    const start = readStartMode(dir);
    if (start.mode !== 'connected') throw new Error('not connected');
    const f = forwarder(start.config);
    const handlers = networkHandlers({ dataDir: dir, start, forwarder: f });
    expect(await handlers.connect({ url: station.url, fingerprint: tls.fingerprint, workstation: 'x' })).toMatchObject({
      ok: false,
      error: { details: { key: 'desktop.already_connected' } },
    });
    expect(await handlers.probe(station.url)).toMatchObject({ ok: false, error: { details: { key: 'desktop.already_connected' } } });
    expect(await f.call(1, 'auth:login', { username: 'nurse.li', password: TEST_PASSWORD })).toMatchObject({ ok: true });

    // The server's certificate is replaced.
    await stop(station);
    const newTls = await otherCertificate();
    const replaced = await serve(core, newTls, station.port);
    expect(await f.call(1, 'settings:get', {})).toMatchObject({ ok: false, error: { details: { key: 'server.fingerprint_mismatch' } } });
    expect(await handlers.certificate()).toEqual({ ok: true, value: { url: station.url, trusted: tls.fingerprint, presented: newTls.fingerprint } });
    const pinned = () => (JSON.parse(fs.readFileSync(path.join(dir, NETWORK_FILE), 'utf8')) as NetworkConfig).fingerprint;

    const nurse = await handlers.acceptCertificate({ fingerprint: newTls.fingerprint, username: 'nurse.li', password: TEST_PASSWORD });
    expect(nurse).toMatchObject({ ok: false, error: { code: 'FORBIDDEN', details: { key: 'desktop.repin_admin_only' } } });
    expect(pinned()).toBe(tls.fingerprint);

    const wrongPassword = await handlers.acceptCertificate({ fingerprint: newTls.fingerprint, username: 'admin', password: 'wrong-horse' });
    expect(wrongPassword).toMatchObject({ ok: false, error: { code: 'UNAUTHENTICATED', details: { key: 'auth.bad_credentials' } } });
    expect(pinned()).toBe(tls.fingerprint);

    // The administrator compared another fingerprint than the one presented: the password is not sent at all.
    const sent = replaced.logs.length;
    const other = (await otherCertificate()).fingerprint;
    expect(await handlers.acceptCertificate({ fingerprint: other, username: 'admin', password: 'correct-horse' })).toMatchObject({
      ok: false,
      error: { details: { key: 'server.fingerprint_mismatch' } },
    });
    expect(replaced.logs.length).toBe(sent);
    expect(await handlers.acceptCertificate({ fingerprint: newTls.fingerprint, username: 'admin', password: '' })).toMatchObject({ ok: false, error: { code: 'VALIDATION' } });
    expect(pinned()).toBe(tls.fingerprint);

    const admin = await handlers.acceptCertificate({ fingerprint: newTls.fingerprint, username: 'admin', password: 'correct-horse' });
    expect(admin).toEqual({ ok: true, value: { url: station.url, fingerprint: newTls.fingerprint, workstation: '医务科' } });
    expect(pinned()).toBe(newTls.fingerprint);
    expect(readStartMode(dir)).toMatchObject({ mode: 'connected', config: { fingerprint: newTls.fingerprint } });
    // The admin's session was ended again at once; the nurse's and the admin's logins are in the server's audit.
    expect(replaced.logs.slice(-2).map((l) => [l.channel, l.outcome])).toEqual([
      ['auth:login', 'ok'],
      ['auth:logout', 'ok'],
    ]);
    expect(replaced.server.sessions.size).toBe(0);
    const audited = core.db.prepare(`SELECT action FROM audit WHERE workstation = '127.0.0.1 医务科' ORDER BY id`).all() as { action: string }[];
    expect(audited.map((a) => a.action)).toEqual(['auth.login', 'auth.login', 'auth.logout', 'auth.login_failed', 'auth.login', 'auth.logout']);

    // The windows use the new pin at once, and log in again.
    expect(f.config().fingerprint).toBe(newTls.fingerprint);
    expect(await f.call(1, 'auth:session', {})).toEqual({ ok: true, value: null });
    expect(await f.call(1, 'auth:login', { username: 'nurse.li', password: TEST_PASSWORD })).toMatchObject({ ok: true });
  });
});
