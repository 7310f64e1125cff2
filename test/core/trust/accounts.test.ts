import { describe, expect, it } from 'vitest';
import { MAX_FAILED_LOGINS } from '../../../electron/core/auth/handlers';
import { addUser, makeNetwork, NOW, TEST_PASSWORD } from '../../support/core';
import { snapshot } from './support';
import { settingsVersion, userVersion } from '../../support/versions';

type UserOut = { id: number; username: string; displayName: string; role: string; active: boolean; wardIds: number[]; lockedUntil: string | null };

describe('accounts', { timeout: 30_000 }, () => {
  it('an administrator creates a ward nurse with wards, renames, re-roles and deactivates; each change is audited with before and after', () => {
    const c = makeNetwork();
    const nurse = c.ok<UserOut>('users:create', { username: 'nurse.li', displayName: '李护士', role: 'nurse', password: 'first-password', wardIds: [c.zoneId] });
    expect(nurse).toMatchObject({ username: 'nurse.li', role: 'nurse', active: true, wardIds: [c.zoneId] });
    const hash = c.db.prepare('SELECT password_hash FROM app_user WHERE id = ?').pluck().get(nurse.id) as string;
    expect(hash).toMatch(/^scrypt\$32768\$8\$1\$/);

    c.ok('users:update', { userId: nurse.id, displayName: '李护士长', version: userVersion(c, nurse.id) });
    const doctor = c.ok<UserOut>('users:update', { userId: nurse.id, role: 'expert', version: userVersion(c, nurse.id) });
    expect(doctor.wardIds).toEqual([]); // experts are not ward-scoped: assignments go
    c.ok('users:update', { userId: nurse.id, active: false, version: userVersion(c, nurse.id) });
    expect(c.ok<UserOut[]>('users:list').find((u) => u.id === nurse.id)?.active).toBe(false);

    const trail = c.db.prepare(`SELECT action, before, after FROM audit WHERE entity = 'user' AND entity_id = ? ORDER BY id`).all(nurse.id) as {
      action: string;
      before: string | null;
      after: string;
    }[];
    expect(trail.map((r) => r.action)).toEqual(['user.create', 'user.update', 'user.update', 'user.update']);
    expect(JSON.parse(trail[1]!.before!)).toEqual({ displayName: '李护士' });
    expect(JSON.parse(trail[2]!.after)).toEqual({ role: 'expert', wardIds: [] });
    expect(trail.map((r) => r.after).join()).not.toContain('first-password');
  });

  it('refuses a taken username, unknown wards, wards for an unscoped role, and leaves nothing behind', () => {
    const c = makeNetwork();
    const before = snapshot(c.db);
    const lastAudit = c.db.prepare('SELECT max(id) FROM audit').pluck().get();
    const taken = c.call('users:create', { username: 'ADMIN', displayName: '重名', role: 'nurse', password: 'some-password' });
    expect(!taken.ok && taken.error.details.issues).toEqual([{ field: 'username', key: 'users.username_taken' }]);
    const ward = c.call('users:create', { username: 'n2', displayName: '护士', role: 'nurse', password: 'some-password', wardIds: [999] });
    expect(!ward.ok && ward.error.details.issues).toEqual([{ field: 'wardIds', key: 'error.ward_not_found' }]);
    const expert = c.call('users:create', { username: 'x2', displayName: '专家', role: 'expert', password: 'some-password', wardIds: [c.wardId] });
    expect(!expert.ok && expert.error.details.issues).toEqual([{ field: 'wardIds', key: 'users.wards_not_scoped' }]);
    const short = c.call('users:create', { username: 'n3', displayName: '护士', role: 'nurse', password: 'short' });
    expect(!short.ok && short.error.code).toBe('VALIDATION');
    // Nothing stands but the audit row of the refusal of the taken name (a CONFLICT, recorded by dispatch).
    const { audit: _audit, 'audit.head': _head, ...rest } = snapshot(c.db);
    const { audit: _auditBefore, 'audit.head': _headBefore, ...restBefore } = before;
    expect(rest).toEqual(restBefore);
    expect(c.db.prepare('SELECT action FROM audit WHERE id > ?').pluck().all(lastAudit)).toEqual(['call.conflict']);
  });

  it('keeps at least one active administrator, and an administrator cannot deactivate themself', () => {
    const c = makeNetwork();
    const me = c.session.user!;
    const self = c.call('users:update', { userId: me.id, active: false, version: userVersion(c, me.id) });
    expect(!self.ok && self.error.details.key).toBe('users.last_admin');
    const demote = c.call('users:update', { userId: me.id, role: 'expert', version: userVersion(c, me.id) });
    expect(!demote.ok && demote.error.details.key).toBe('users.last_admin');
    addUser(c, 'admin', { username: 'admin2' });
    const selfAgain = c.call('users:update', { userId: me.id, active: false, version: userVersion(c, me.id) });
    expect(!selfAgain.ok && selfAgain.error.details.issues).toEqual([{ field: 'active', key: 'users.not_self' }]);
  });

  it('reset password lifts a lockout; the new password logs in, the old does not', () => {
    const c = makeNetwork();
    const admin = c.session.user!;
    const nurse = c.ok<UserOut>('users:create', { username: 'nurse.wu', displayName: '吴护士', role: 'nurse', password: 'old-password' });
    c.session.user = null;
    for (let i = 0; i < MAX_FAILED_LOGINS; i++) c.call('auth:login', { username: 'nurse.wu', password: 'guess' });
    c.session.user = admin;
    expect(c.ok<UserOut[]>('users:list').find((u) => u.id === nurse.id)?.lockedUntil).not.toBeNull();
    c.ok('users:resetPassword', { userId: nurse.id, password: 'new-password', version: userVersion(c, nurse.id) });
    expect(c.ok<UserOut[]>('users:list').find((u) => u.id === nurse.id)?.lockedUntil).toBeNull();
    c.session.user = null;
    expect(c.call('auth:login', { username: 'nurse.wu', password: 'old-password' }).ok).toBe(false);
    expect(c.call('auth:login', { username: 'nurse.wu', password: 'new-password' }).ok).toBe(true);
  });
});

describe('idle lock', { timeout: 30_000 }, () => {
  it('locks the session in the core; unlocking needs the same user’s password; wrong passwords count towards the lockout', () => {
    const c = makeNetwork();
    const nurse = addUser(c, 'nurse', { login: true });
    c.ok('auth:lock');
    expect(c.ok('auth:session')).toEqual({ ...nurse, locked: true });
    const refused = c.call('facilities:list');
    expect(!refused.ok && refused.error.details.key).toBe('auth.session_locked');

    const wrong = c.call('auth:unlock', { password: 'not-it' });
    expect(!wrong.ok && wrong.error.details.key).toBe('auth.bad_credentials');
    expect(c.session.locked).toBe(true);
    expect(c.ok('auth:unlock', { password: TEST_PASSWORD })).toEqual(nurse);
    expect(c.ok('auth:session')).toEqual({ ...nurse, locked: false });
    expect(c.call('facilities:list').ok).toBe(true);

    // Guessing at a locked screen ends in the account lockout, and the session is over.
    c.ok('auth:lock');
    let last;
    for (let i = 0; i < MAX_FAILED_LOGINS; i++) last = c.call('auth:unlock', { password: `guess-${i}` }, NOW);
    expect(last && !last.ok && last.error.details.key).toBe('auth.locked');
    expect(c.session.user).toBeNull();
    const actions = c.db.prepare(`SELECT action FROM audit WHERE entity_id = ? AND action LIKE 'auth.%' ORDER BY id`).pluck().all(nurse.id);
    expect(actions).toEqual(['auth.lock', 'auth.unlock_failed', 'auth.unlock', 'auth.lock', ...Array(MAX_FAILED_LOGINS).fill('auth.unlock_failed')]);
  });

  it('logout works from a locked screen (switch user)', () => {
    const c = makeNetwork();
    addUser(c, 'ward_doctor', { login: true });
    c.ok('auth:lock');
    c.ok('auth:logout');
    expect(c.session).toEqual({ user: null, locked: false });
  });
});

describe('settings', { timeout: 30_000 }, () => {
  it('anyone logged in reads them; only an administrator changes them, within limits, audited', () => {
    const c = makeNetwork();
    expect(c.ok('settings:get')).toEqual({ timeZone: 'Asia/Shanghai', idleLockMinutes: 10, backupKeep: 14, lateEntryHours: 4, version: 1 });
    expect(c.ok('settings:update', { idleLockMinutes: 3, backupKeep: 30, version: settingsVersion(c) })).toEqual({
      timeZone: 'Asia/Shanghai',
      idleLockMinutes: 3,
      backupKeep: 30,
      lateEntryHours: 4,
      version: 3,
    });
    const bad = c.call('settings:update', { idleLockMinutes: 0, timeZone: 'Mars/Olympus', version: settingsVersion(c) });
    expect(!bad.ok && bad.error.details.issues?.map((i) => `${i.field}:${i.key}`).sort()).toEqual(['idleLockMinutes:validation.too_small', 'timeZone:validation.time_zone']);
    const row = c.db.prepare(`SELECT before, after FROM audit WHERE action = 'settings.update'`).get() as { before: string; after: string };
    expect(JSON.parse(row.before)).toEqual({ idleLockMinutes: 10, backupKeep: 14 });
    expect(JSON.parse(row.after)).toEqual({ idleLockMinutes: 3, backupKeep: 30 });
    addUser(c, 'nurse', { login: true });
    expect(c.ok<{ idleLockMinutes: number }>('settings:get').idleLockMinutes).toBe(3);
    expect(!c.call('settings:update', { idleLockMinutes: 60, version: settingsVersion(c) }).ok).toBe(true);
  });

  it('the late-entry threshold of round mode (4 h by default) is a setting: whole hours from 1 to 72, audited', () => {
    const c = makeNetwork();
    const bad = c.call('settings:update', { lateEntryHours: 0, version: settingsVersion(c) });
    expect(!bad.ok && bad.error.details.issues?.map((i) => `${i.field}:${i.key}`)).toEqual(['lateEntryHours:validation.too_small']);
    const fraction = c.call('settings:update', { lateEntryHours: 2.5, version: settingsVersion(c) });
    expect(!fraction.ok && fraction.error.details.issues?.map((i) => `${i.field}:${i.key}`)).toEqual(['lateEntryHours:validation.integer']);
    expect(c.ok<{ lateEntryHours: number }>('settings:update', { lateEntryHours: 12, version: settingsVersion(c) }).lateEntryHours).toBe(12);
    const row = c.db.prepare(`SELECT before, after FROM audit WHERE action = 'settings.update'`).get() as { before: string; after: string };
    expect([JSON.parse(row.before), JSON.parse(row.after)]).toEqual([{ lateEntryHours: 4 }, { lateEntryHours: 12 }]);
    addUser(c, 'nurse', { login: true });
    expect(c.ok<{ lateEntryHours: number }>('settings:get').lateEntryHours).toBe(12);
  });
});
