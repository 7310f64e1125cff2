import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { verifyAuditChain } from '../../electron/core/audit/audit';
import { IDEMPOTENCY_HEADER } from '../../electron/server/protocol';
import { inputHash } from '../../electron/core/idempotency';
import { addUser, admission, makeNetwork, TEST_PASSWORD } from '../support/core';
import { loginAs, startServer, type Running } from './support';
import { userVersion } from '../support/versions';

const running: Running[] = [];
afterEach(async () => {
  for (const r of running.splice(0)) await r.stop();
});

async function networkServer() {
  const c = makeNetwork();
  const run = await startServer(c);
  running.push(run);
  return { c, run };
}

const patients = (c: ReturnType<typeof makeNetwork>, name: string) => c.db.prepare('SELECT count(*) FROM patient WHERE name = ?').pluck().get(name) as number;

describe('idempotency keys: a retried write is written once', () => {
  it('the same key again returns the stored result and writes nothing; another input under the same key is a CONFLICT', async () => {
    const { c, run } = await networkServer();
    const admin = await loginAs(run, 'admin', 'correct-horse');
    const input = admission({ bedId: c.beds[0]!, wardId: c.wardId }, { name: '重试患者' });
    const key = 'a1b2c3d4-retry-once';
    const first = await admin.call<{ patientId: number; episodeId: number }>('patients:admit', input, { idempotencyKey: key });
    expect(first.ok).toBe(true);
    const auditRows = c.count('audit');
    // The answer was lost, the nurse presses "retry": same action, same key.
    const again = await admin.call<{ patientId: number; episodeId: number }>('patients:admit', input, { idempotencyKey: key });
    expect(again).toEqual(first);
    expect(patients(c, '重试患者')).toBe(1);
    expect(c.count('audit')).toBe(auditRows);
    expect(run.logs.at(-1)).toMatchObject({ channel: 'patients:admit', outcome: 'ok', replayed: true });
    const raw = await admin.raw('patients:admit', input, { 'content-type': 'application/json', authorization: `Bearer ${admin.token}`, [IDEMPOTENCY_HEADER]: key });
    expect(raw.replayed).toBe(true);

    const other = await admin.call('patients:admit', admission({ bedId: c.beds[1]!, wardId: c.wardId }, { name: '另一位' }), { idempotencyKey: key });
    expect(!other.ok && other.error.code).toBe('CONFLICT');
    expect(!other.ok && other.error.details.key).toBe('idempotency.key_reused');
    expect(patients(c, '另一位')).toBe(0);

    // Another user cannot replay someone else's key.
    const doctor = addUser(c, 'ward_doctor');
    const dr = await loginAs(run, doctor.username, TEST_PASSWORD);
    const stolen = await dr.call('patients:admit', input, { idempotencyKey: key });
    expect(!stolen.ok && stolen.error.details.key).toBe('idempotency.key_reused');

    const malformed = await admin.call('patients:admit', input, { idempotencyKey: 'x y' });
    expect(!malformed.ok && malformed.error.details.key).toBe('idempotency.key_invalid');
    // Each write without a given key gets a fresh one from the client: two clicks are two admissions.
    expect((await admin.call('patients:admit', admission({ bedId: c.beds[1]!, wardId: c.wardId }, { name: '重试患者' }))).ok).toBe(true);
    expect(patients(c, '重试患者')).toBe(2);
    expect(verifyAuditChain(c.db).ok).toBe(true);
  });

  it('session calls are never replayed, and no password reaches the stored hash', async () => {
    const { c, run } = await networkServer();
    const admin = await loginAs(run, 'admin', 'correct-horse');
    const nurse = addUser(c, 'nurse');
    const headers = { 'content-type': 'application/json', [IDEMPOTENCY_HEADER]: 'login-key-0001' };
    const login = await admin.raw('auth:login', { username: nurse.username, password: TEST_PASSWORD }, headers);
    const again = await admin.raw('auth:login', { username: nurse.username, password: TEST_PASSWORD }, headers);
    expect([login.replayed, again.replayed]).toEqual([false, false]);
    expect(c.count('idempotency')).toBe(0);
    const version = userVersion(c, nurse.id);
    expect((await admin.call('users:resetPassword', { userId: nurse.id, password: 'a-new-secret-9', version }, { idempotencyKey: 'reset-key-0001' })).ok).toBe(true);
    const stored = c.db.prepare('SELECT input_hash FROM idempotency WHERE key = ?').pluck().get('reset-key-0001');
    expect(stored).toBe(inputHash('users:resetPassword', { userId: nurse.id, version }));
  });

  it('keys are remembered for a day: older ones are pruned as new writes come in', async () => {
    const { c, run } = await networkServer();
    let admin = await loginAs(run, 'admin', 'correct-horse');
    expect((await admin.call('patients:admit', admission({ bedId: c.beds[0]!, wardId: c.wardId }, { name: '第一天' }), { idempotencyKey: 'day-one-key-1' })).ok).toBe(true);
    expect(c.count('idempotency')).toBe(1);
    run.clock.now += 25 * 3600_000;
    admin = await loginAs(run, 'admin', 'correct-horse');
    expect((await admin.call('patients:admit', admission({ bedId: c.beds[1]!, wardId: c.wardId }, { name: '第二天' }), { idempotencyKey: 'day-two-key-1' })).ok).toBe(true);
    expect(c.db.prepare('SELECT key FROM idempotency').pluck().all()).toEqual(['day-two-key-1']);
  });

  it('a refused write is not remembered: after unlocking, the same key writes for real', async () => {
    const { c, run } = await networkServer();
    const admin = await loginAs(run, 'admin', 'correct-horse');
    expect((await admin.call('auth:lock')).ok).toBe(true);
    const input = admission({ bedId: c.beds[0]!, wardId: c.wardId }, { name: '锁屏时' });
    const locked = await admin.call('patients:admit', input, { idempotencyKey: 'locked-first-1' });
    expect(!locked.ok && locked.error.details.key).toBe('auth.session_locked');
    expect((await admin.call('auth:unlock', { password: 'correct-horse' })).ok).toBe(true);
    expect((await admin.call('patients:admit', input, { idempotencyKey: 'locked-first-1' })).ok).toBe(true);
    expect(patients(c, '锁屏时')).toBe(1);
  });
});

describe('operations for a remote administrator', () => {
  it('backup, export and restore work over the network, and a restore ends every session on every workstation', async () => {
    const { c, run } = await networkServer();
    const nurse = addUser(c, 'nurse');
    const admin = await loginAs(run, 'admin', 'correct-horse', 'office');
    const ward = await loginAs(run, nurse.username, TEST_PASSWORD, 'ward-1');
    const made = await admin.call<{ file: { name: string } }>('backup:create', { target: 'folder' });
    expect(made.ok).toBe(true);
    const name = made.ok ? made.value.file.name : '';
    expect(fs.existsSync(path.join(c.dataDir, 'backups', name))).toBe(true);
    const exported = await admin.call<{ folder: string; tables: unknown[] }>('export:csv');
    expect(exported.ok && exported.value.tables.length).toBeGreaterThan(5);
    // Only administrators: the nurse's workstation is refused.
    const refused = await ward.call('backup:create', { target: 'folder' });
    expect(!refused.ok && refused.error.code).toBe('FORBIDDEN');

    // After the backup, a patient is admitted; the restore takes the record back before it.
    expect((await admin.call('patients:admit', admission({ bedId: c.beds[0]!, wardId: c.wardId }, { name: '恢复前' }))).ok).toBe(true);
    run.clock.now += 60_000;
    const restored = await admin.call('backup:restore', { name, confirm: name });
    expect(restored.ok, JSON.stringify(restored)).toBe(true);
    expect(run.server.sessions.size).toBe(0);
    for (const w of [ward, admin]) {
      const r = await w.call('facilities:list');
      expect(!r.ok && r.error.code).toBe('UNAUTHENTICATED');
    }
    expect(patients(c, '恢复前')).toBe(0);
    // Everyone logs in again, to the restored record.
    const again = await loginAs(run, 'admin', 'correct-horse', 'office');
    expect((await again.call('facilities:list')).ok).toBe(true);
    const restoreRow = c.db.prepare(`SELECT workstation FROM audit WHERE action LIKE 'backup.restore%' ORDER BY id DESC LIMIT 1`).pluck().get();
    expect(restoreRow).toBe('127.0.0.1 office');
  });
});
