import { describe, expect, it } from 'vitest';
import { MAX_FAILED_LOGINS } from '../../../electron/core/auth/handlers';
import type { SessionBox } from '../../../electron/core';
import type { Result } from '../../../shared/errors';
import { makeNetwork, NOW, type TestCore } from '../../support/core';
import { snapshot } from './support';
import { userVersion } from '../../support/versions';

type UserOut = { id: number; username: string; role: string };

/** A second workstation window: its own session box, the same core. */
function windowOf(c: TestCore) {
  const session: SessionBox = c.newSession();
  const call = <T = unknown>(channel: string, input: unknown = {}) => c.dispatch(channel, input, session, NOW) as Result<T>;
  return { session, call };
}

const endedKey = (r: Result<unknown>) => (!r.ok ? [r.error.code, r.error.details.key] : 'ok');

function nurseLoggedInElsewhere(c: TestCore, password = 'nurse-password-1') {
  const nurse = c.ok<UserOut>('users:create', { username: 'nurse.wu', displayName: '吴护士', role: 'nurse', password });
  const ward = windowOf(c);
  expect(ward.call('auth:login', { username: 'nurse.wu', password }).ok).toBe(true);
  expect(ward.call('facilities:list').ok).toBe(true);
  return { nurse, ward };
}

describe('finding 11: a password reset or a role change ends that user’s sessions', { timeout: 60_000 }, () => {
  it('an administrator resets the password of a nurse logged in on a ward workstation: her next call there finds the session ended', () => {
    const c = makeNetwork();
    const { nurse, ward } = nurseLoggedInElsewhere(c);
    const second = windowOf(c);
    expect(second.call('auth:login', { username: 'nurse.wu', password: 'nurse-password-1' }).ok).toBe(true);

    c.ok('users:resetPassword', { userId: nurse.id, password: 'given-in-person', version: userVersion(c, nurse.id) });

    expect(endedKey(ward.call('facilities:list'))).toEqual(['UNAUTHENTICATED', 'auth.session_ended']);
    expect(ward.session.user).toBeNull();
    expect(endedKey(second.call('auth:session'))).toBe('ok');
    expect(second.session.user).toBeNull();
    // The administrator who reset it carries on; the nurse logs in again with the new password only.
    expect(c.call('users:list').ok).toBe(true);
    expect(ward.call('auth:login', { username: 'nurse.wu', password: 'nurse-password-1' }).ok).toBe(false);
    expect(ward.call('auth:login', { username: 'nurse.wu', password: 'given-in-person' }).ok).toBe(true);
    expect(ward.call('facilities:list').ok).toBe(true);
  });

  it('a role change ends the account’s sessions; a new display name does not', () => {
    const c = makeNetwork();
    const { nurse, ward } = nurseLoggedInElsewhere(c);
    c.ok('users:update', { userId: nurse.id, displayName: '吴护士长', version: userVersion(c, nurse.id) });
    expect(ward.call('facilities:list').ok).toBe(true);
    expect(ward.session.user?.displayName).toBe('吴护士长');

    c.ok('users:update', { userId: nurse.id, role: 'ward_doctor', version: userVersion(c, nurse.id) });
    expect(endedKey(ward.call('facilities:list'))).toEqual(['UNAUTHENTICATED', 'auth.session_ended']);
    expect(ward.call('auth:login', { username: 'nurse.wu', password: 'nurse-password-1' }).ok).toBe(true);
    expect(ward.session.user?.role).toBe('ward_doctor');
  });

  it('a deactivated account reactivated before its window’s next call does not bring that session back', () => {
    const c = makeNetwork();
    const { nurse, ward } = nurseLoggedInElsewhere(c);
    c.ok('users:update', { userId: nurse.id, active: false, version: userVersion(c, nurse.id) });
    c.ok('users:update', { userId: nurse.id, active: true, version: userVersion(c, nurse.id) });
    expect(endedKey(ward.call('facilities:list'))).toEqual(['UNAUTHENTICATED', 'auth.session_ended']);
  });

  it('an administrator who changes their own role keeps this window and works on in the new role', () => {
    const c = makeNetwork();
    c.ok('users:create', { username: 'admin2', displayName: '第二管理员', role: 'admin', password: 'admin2-password' });
    const me = c.session.user!;
    c.ok('users:update', { userId: me.id, role: 'expert', version: userVersion(c, me.id) });
    expect(c.ok('auth:session')).toMatchObject({ id: me.id, role: 'expert' });
    const refused = c.call('users:list');
    expect(!refused.ok && refused.error.code).toBe('FORBIDDEN');
  });
});

describe('finding 11: users change their own password', { timeout: 60_000 }, () => {
  it('needs the right current password; keeps this window, ends the account’s other sessions; audited without the password', () => {
    const c = makeNetwork();
    const { nurse, ward } = nurseLoggedInElsewhere(c);
    const desk = windowOf(c);
    expect(desk.call('auth:login', { username: 'nurse.wu', password: 'nurse-password-1' }).ok).toBe(true);

    const wrong = ward.call('auth:changePassword', { oldPassword: 'not-my-password', newPassword: 'brand-new-pass' });
    expect(!wrong.ok && [wrong.error.code, wrong.error.details.issues]).toEqual(['VALIDATION', [{ field: 'oldPassword', key: 'auth.wrong_password' }]]);
    expect(c.db.prepare('SELECT failed_logins FROM app_user WHERE id = ?').pluck().get(nurse.id)).toBe(1);
    expect(ward.call('facilities:list').ok).toBe(true);

    expect(ward.call('auth:changePassword', { oldPassword: 'nurse-password-1', newPassword: 'brand-new-pass' }).ok).toBe(true);
    expect(ward.call('facilities:list').ok).toBe(true);
    expect(ward.session.user?.id).toBe(nurse.id);
    expect(endedKey(desk.call('facilities:list'))).toEqual(['UNAUTHENTICATED', 'auth.session_ended']);
    expect(c.call('users:list').ok).toBe(true);

    const login = windowOf(c);
    expect(login.call('auth:login', { username: 'nurse.wu', password: 'nurse-password-1' }).ok).toBe(false);
    expect(login.call('auth:login', { username: 'nurse.wu', password: 'brand-new-pass' }).ok).toBe(true);

    const trail = c.db
      .prepare(`SELECT action, user_id AS userId, after FROM audit WHERE entity = 'user' AND entity_id = ? AND action LIKE 'auth.change%' ORDER BY id`)
      .all(nurse.id) as {
      action: string;
      userId: number;
      after: string | null;
    }[];
    expect(trail.map((r) => [r.action, r.userId])).toEqual([
      ['auth.change_password_failed', nurse.id],
      ['auth.change_password', nurse.id],
    ]);
    expect(JSON.stringify(trail)).not.toMatch(/brand-new-pass|nurse-password-1|not-my-password/);
  });

  it('refuses a short new password or the same one, naming the field, and writes nothing', () => {
    const c = makeNetwork();
    const { ward } = nurseLoggedInElsewhere(c);
    const before = snapshot(c.db);
    const short = ward.call('auth:changePassword', { oldPassword: 'nurse-password-1', newPassword: 'short' });
    expect(!short.ok && [short.error.code, short.error.details.issues?.map((i) => i.field)]).toEqual(['VALIDATION', ['newPassword']]);
    const same = ward.call('auth:changePassword', { oldPassword: 'nurse-password-1', newPassword: 'nurse-password-1' });
    expect(!same.ok && same.error.details.issues).toEqual([{ field: 'newPassword', key: 'auth.password_unchanged' }]);
    expect(snapshot(c.db)).toEqual(before);
    const anonymous = windowOf(c).call('auth:changePassword', { oldPassword: 'nurse-password-1', newPassword: 'brand-new-pass' });
    expect(!anonymous.ok && anonymous.error.code).toBe('UNAUTHENTICATED');
  });

  it('guessing the current password ends in the account lockout, and this session is over too', () => {
    const c = makeNetwork();
    const { ward } = nurseLoggedInElsewhere(c);
    let last: Result<unknown> | undefined;
    for (let i = 0; i < MAX_FAILED_LOGINS; i++) last = ward.call('auth:changePassword', { oldPassword: `guess-${i}`, newPassword: 'brand-new-pass' });
    expect(last && !last.ok && last.error.details.key).toBe('auth.locked');
    expect(ward.session.user).toBeNull();
    expect(windowOf(c).call('auth:login', { username: 'nurse.wu', password: 'nurse-password-1' }).ok).toBe(false);
  });
});
