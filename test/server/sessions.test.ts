import { afterEach, describe, expect, it } from 'vitest';
import { verifyAuditChain } from '../../electron/core/audit/audit';
import { EchelonClient, peerFingerprint } from '../../electron/server/client';
import { DEFAULT_BODY_LIMIT } from '../../electron/server/app';
import { addUser, admission, makeNetwork, TEST_PASSWORD } from '../support/core';
import { snapshot } from '../core/trust/support';
import { loginAs, rawRequest, startServer, type Running } from './support';
import { userVersion } from '../support/versions';

const running: Running[] = [];
afterEach(async () => {
  for (const r of running.splice(0)) await r.stop();
});

async function networkServer(options: Parameters<typeof startServer>[1] = {}) {
  const c = makeNetwork();
  const run = await startServer(c, options);
  running.push(run);
  return { c, run };
}

const json = { 'content-type': 'application/json' };

describe('trust: the certificate and its fingerprint', () => {
  it('the server shows its fingerprint, the one a workstation sees on the wire; a client pinned to another refuses before sending anything', async () => {
    const { c, run } = await networkServer();
    const info = await rawRequest(run.url, '/api/server-info', { method: 'GET' });
    expect(info.body).toMatchObject({ name: 'echelon', fingerprint: run.fingerprint });
    expect(await peerFingerprint(run.url)).toBe(run.fingerprint);

    const wrong = run.fingerprint.replace(/^../, run.fingerprint.startsWith('00') ? '11' : '00');
    const impostor = new EchelonClient({ url: run.url, fingerprint: wrong, workstation: 'ward-1' });
    const before = snapshot(c.db);
    const r = await impostor.call('auth:login', { username: 'admin', password: 'correct-horse' });
    impostor.close();
    expect(!r.ok && r.error.code).toBe('FORBIDDEN');
    expect(!r.ok && r.error.details.key).toBe('server.fingerprint_mismatch');
    // Not one call reached the server: the password never left the workstation.
    expect(run.logs).toEqual([]);
    expect(snapshot(c.db)).toEqual(before);

    expect(() => new EchelonClient({ url: run.url, fingerprint: 'not-a-fingerprint', workstation: 'x' })).toThrow(/SHA-256/);
    expect(() => new EchelonClient({ url: run.url.replace('https', 'http'), fingerprint: run.fingerprint, workstation: 'x' })).toThrow(/https/);
  });
});

describe('sessions over the network', () => {
  it('login gives a 256-bit token in an HttpOnly, Secure, SameSite=Strict cookie and a header; the token works as cookie or bearer; logout ends it', async () => {
    const { run } = await networkServer();
    const bad = await rawRequest(run.url, '/api/auth/login', { headers: json, body: JSON.stringify({ username: 'admin', password: 'wrong-horse' }) });
    expect(bad.status).toBe(401);
    expect(bad.body).toMatchObject({ ok: false, error: { code: 'UNAUTHENTICATED', details: { key: 'auth.bad_credentials' } } });
    expect(bad.headers['x-echelon-session']).toBeUndefined();

    const good = await rawRequest(run.url, '/api/auth/login', { headers: json, body: JSON.stringify({ username: 'admin', password: 'correct-horse' }) });
    expect(good.body).toMatchObject({ ok: true, value: { username: 'admin', role: 'admin' } });
    const token = good.headers['x-echelon-session'] as string;
    expect(Buffer.from(token, 'base64url')).toHaveLength(32);
    const cookie = String(good.headers['set-cookie']);
    expect(cookie).toContain(`echelon_session=${token}`);
    for (const attr of ['HttpOnly', 'Secure', 'SameSite=Strict']) expect(cookie).toContain(attr);

    const byCookie = await rawRequest(run.url, '/api/auth/session', { headers: { ...json, cookie: `other=1; echelon_session=${token}` }, body: '{}' });
    expect(byCookie.body).toMatchObject({ ok: true, value: { username: 'admin', locked: false } });
    const byBearer = await rawRequest(run.url, '/api/call/facilities:list', { headers: { ...json, authorization: `Bearer ${token}` }, body: '{}' });
    expect(byBearer.body).toMatchObject({ ok: true });

    const out = await rawRequest(run.url, '/api/auth/logout', { headers: { ...json, authorization: `Bearer ${token}` }, body: '{}' });
    expect(out.body).toMatchObject({ ok: true });
    expect(String(out.headers['set-cookie'])).toContain('Max-Age=0');
    const after = await rawRequest(run.url, '/api/call/facilities:list', { headers: { ...json, authorization: `Bearer ${token}` }, body: '{}' });
    expect(after.status).toBe(401);
    expect(after.body).toMatchObject({ ok: false, error: { code: 'UNAUTHENTICATED', details: { key: 'server.session_expired' } } });
    expect(run.server.sessions.size).toBe(0);
  });

  it('a forged token, and a token past 12 hours or idle for 4, are UNAUTHENTICATED and write nothing; public calls still answer', async () => {
    const { c, run } = await networkServer();
    const before = snapshot(c.db);
    const forged = await rawRequest(run.url, '/api/patients/admit', {
      headers: { ...json, authorization: `Bearer ${Buffer.alloc(32, 7).toString('base64url')}` },
      body: JSON.stringify(admission({ bedId: c.beds[0]!, wardId: c.wardId })),
    });
    expect(forged.status).toBe(401);
    expect(forged.body).toMatchObject({ ok: false, error: { code: 'UNAUTHENTICATED', details: { key: 'server.session_expired' } } });
    expect(snapshot(c.db)).toEqual(before);
    const publicCall = await rawRequest(run.url, '/api/setup/status', { headers: { ...json, cookie: 'echelon_session=forged' }, body: '{}' });
    expect(publicCall.body).toMatchObject({ ok: true, value: { needsSetup: false } });
    expect(String(publicCall.headers['set-cookie'])).toContain('Max-Age=0');

    const nurse = addUser(c, 'nurse');
    // Busy all shift: a call every 3 hours keeps it alive until the 12th hour.
    const busy = await loginAs(run, nurse.username);
    for (let h = 3; h < 12; h += 3) {
      run.clock.now += 3 * 3600_000;
      expect((await busy.call('facilities:list')).ok, `hour ${h}`).toBe(true);
    }
    run.clock.now += 3 * 3600_000;
    const ended = await busy.call('facilities:list');
    expect(!ended.ok && ended.error.details.key).toBe('server.session_expired');

    const idle = await loginAs(run, nurse.username);
    run.clock.now += 4 * 3600_000;
    const idled = await idle.call('facilities:list');
    expect(!idled.ok && idled.error.details.key).toBe('server.session_expired');
  });

  it('lock and unlock over the network: a locked workstation may only unlock or log out; another workstation of the same user is not locked', async () => {
    const { c, run } = await networkServer();
    const doctor = addUser(c, 'ward_doctor');
    const ward = await loginAs(run, doctor.username, TEST_PASSWORD, '病区一医生站');
    const office = await loginAs(run, doctor.username, TEST_PASSWORD, '医生办公室');
    expect((await ward.call('auth:lock')).ok).toBe(true);
    const refused = await ward.call('facilities:list');
    expect(!refused.ok && refused.error.details.key).toBe('auth.session_locked');
    expect(await ward.call('auth:session')).toMatchObject({ ok: true, value: { locked: true } });
    expect((await office.call('facilities:list')).ok).toBe(true);
    const wrong = await ward.call('auth:unlock', { password: 'not-it' });
    expect(!wrong.ok && wrong.error.details.key).toBe('auth.bad_credentials');
    expect((await ward.call('auth:unlock', { password: TEST_PASSWORD })).ok).toBe(true);
    expect((await ward.call('facilities:list')).ok).toBe(true);
    // Switching user on the ward workstation: a new token, the old one ends.
    const old = ward.token;
    expect((await ward.call('auth:login', { username: 'admin', password: 'correct-horse' })).ok).toBe(true);
    expect(ward.token).not.toBe(old);
    const stale = await rawRequest(run.url, '/api/facilities/list', { headers: { ...json, authorization: `Bearer ${old}` }, body: '{}' });
    expect(stale.status).toBe(401);
  });

  it('deactivation and a password reset end the account’s sessions on every workstation at their next call', async () => {
    const { c, run } = await networkServer();
    const nurse = addUser(c, 'nurse');
    const doctor = addUser(c, 'ward_doctor');
    const admin = await loginAs(run, 'admin', 'correct-horse');
    const n1 = await loginAs(run, nurse.username, TEST_PASSWORD, 'ward-1');
    const n2 = await loginAs(run, nurse.username, TEST_PASSWORD, 'ward-2');
    const d1 = await loginAs(run, doctor.username, TEST_PASSWORD, 'ward-1');
    expect((await admin.call('users:resetPassword', { userId: nurse.id, password: 'new-password-2', version: userVersion(c, nurse.id) })).ok).toBe(true);
    for (const n of [n1, n2]) {
      const r = await n.call('facilities:list');
      expect(!r.ok && r.error.details.key).toBe('auth.session_ended');
      // The server dropped the token with the session; the client forgot it on the refusal.
      expect(n.token).toBeNull();
    }
    expect((await d1.call('facilities:list')).ok).toBe(true);
    expect((await admin.call('users:update', { userId: doctor.id, active: false, version: userVersion(c, doctor.id) })).ok).toBe(true);
    const r = await d1.call('facilities:list');
    expect(!r.ok && r.error.details.key).toBe('auth.session_ended');
    expect(run.server.sessions.size).toBe(1);
  });

  it('every audit row names the workstation: the client address and its cleaned name; the chain verifies', async () => {
    const { c, run } = await networkServer();
    const admin = await loginAs(run, 'admin', 'correct-horse', '病区一\u202E护士站\r\nFAKE');
    const r = await admin.call<{ patientId: number }>('patients:admit', admission({ bedId: c.beds[0]!, wardId: c.wardId }));
    expect(r.ok).toBe(true);
    const rows = c.db.prepare(`SELECT action, workstation FROM audit WHERE action IN ('auth.login', 'patient.create', 'episode.admit') ORDER BY id`).all() as {
      action: string;
      workstation: string | null;
    }[];
    expect(rows.map((x) => x.action)).toEqual(['auth.login', 'patient.create', 'episode.admit']);
    for (const row of rows) expect(row.workstation).toBe('127.0.0.1 病区一护士站 FAKE');
    // The standalone login of the test's own session (makeNetwork) has none.
    expect(c.db.prepare(`SELECT workstation FROM audit WHERE action = 'user.create' LIMIT 1`).pluck().get() ?? null).toBeNull();
    expect(verifyAuditChain(c.db).ok).toBe(true);
    const failed = await run.client('  ').call('auth:login', { username: 'nobody', password: 'x' });
    expect(failed.ok).toBe(false);
    expect(c.db.prepare(`SELECT workstation FROM audit WHERE action = 'auth.login_failed' ORDER BY id DESC LIMIT 1`).pluck().get()).toBe('127.0.0.1');
  });

  it('failed logins are limited per address (here 3 in 5 minutes), across accounts, with a translated 429', async () => {
    const { c, run } = await networkServer({ attempts: { failures: 3, windowMs: 5 * 60_000, maxAddresses: 100 } });
    const users = [addUser(c, 'nurse'), addUser(c, 'nurse'), addUser(c, 'expert')];
    const w = run.client();
    for (const u of users) expect((await w.call('auth:login', { username: u.username, password: 'guess' })).ok).toBe(false);
    const limited = await w.raw('auth:login', { username: 'admin', password: 'correct-horse' }, { 'content-type': 'application/json' });
    expect(limited.status).toBe(429);
    expect(limited.body).toMatchObject({ ok: false, error: { code: 'FORBIDDEN', details: { key: 'server.too_many_attempts' } } });
    // Not even the right password gets through from this address until the window has passed.
    run.clock.now += 5 * 60_000;
    expect((await w.call('auth:login', { username: 'admin', password: 'correct-horse' })).ok).toBe(true);
  });
});

describe('request limits', () => {
  it('an oversized body, a body that is not JSON, and a form post are refused with clear VALIDATION errors; nothing is written', async () => {
    const { c, run } = await networkServer();
    const admin = await loginAs(run, 'admin', 'correct-horse');
    const before = snapshot(c.db);
    const auth = { ...json, authorization: `Bearer ${admin.token}` };
    const huge = JSON.stringify(admission({ bedId: c.beds[0]!, wardId: c.wardId }, { name: '张'.repeat(DEFAULT_BODY_LIMIT) }));
    const big = await rawRequest(run.url, '/api/patients/admit', { headers: auth, body: huge });
    expect(big.status).toBe(413);
    expect(big.body).toMatchObject({ ok: false, error: { code: 'VALIDATION', details: { key: 'server.body_too_large', params: { limit: DEFAULT_BODY_LIMIT } } } });
    const notJson = await rawRequest(run.url, '/api/patients/admit', { headers: auth, body: '{"patient": ' });
    expect(notJson.body).toMatchObject({ ok: false, error: { code: 'VALIDATION', details: { key: 'server.bad_json' } } });
    const form = await rawRequest(run.url, '/api/patients/admit', {
      headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: `Bearer ${admin.token}` },
      body: 'a=1',
    });
    expect(form.body).toMatchObject({ ok: false, error: { code: 'VALIDATION', details: { key: 'server.bad_content_type' } } });
    expect(snapshot(c.db)).toEqual(before);
    expect(run.logs.filter((l) => l.key === 'server.body_too_large')).toHaveLength(1);
  });

  it('the import channels take more, but only from a live session, which is checked before the body is read', async () => {
    const { run } = await networkServer();
    const body = JSON.stringify({ mapping: {}, rows: [{ line: 1, cells: ['x'.repeat(2 * DEFAULT_BODY_LIMIT)] }], admittedAt: '2022-03-20T02:00:00.000Z' });
    const anonymous = await rawRequest(run.url, '/api/import/preview', { headers: json, body });
    expect(anonymous.status).toBe(401);
    expect(anonymous.body).toMatchObject({ ok: false, error: { code: 'UNAUTHENTICATED' } });
    const admin = await loginAs(run, 'admin', 'correct-horse');
    const r = await rawRequest(run.url, '/api/call/import:preview', { headers: { ...json, authorization: `Bearer ${admin.token}` }, body });
    // Past the body limit: now zod judges it, field by field, as dispatch does.
    expect(r.body).toMatchObject({ ok: false, error: { code: 'VALIDATION' } });
    expect((r.body as { error: { details: { issues?: unknown[] } } }).error.details.issues?.length).toBeGreaterThan(0);
  });

  it('the log has one line per call, with channel, user, workstation, outcome and duration, and never the input', async () => {
    const { c, run } = await networkServer();
    const admin = await loginAs(run, 'admin', 'correct-horse', 'office');
    await admin.call('patients:admit', admission({ bedId: c.beds[0]!, wardId: c.wardId }, { name: '王秀英' }));
    const text = JSON.stringify(run.logs);
    expect(text).not.toContain('王秀英');
    expect(text).not.toContain('correct-horse');
    expect(run.logs.map((l) => [l.channel, l.outcome, l.workstation])).toEqual([
      ['auth:login', 'ok', '127.0.0.1 office'],
      ['patients:admit', 'ok', '127.0.0.1 office'],
    ]);
    expect(run.logs[1]!.user).toBe(c.session.user!.id);
    expect(typeof run.logs[1]!.ms).toBe('number');
  });
});
