import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { CHANNELS, contract, lookupCall, type Access } from '../../../shared/api';
import { ROLES, type Role } from '../../../shared/domain/enums';
import { admission, addUser, makeNetwork, TEST_PASSWORD, type TestCore } from '../../support/core';
import { snapshot } from './support';
import { userVersion } from '../../support/versions';

/** The only calls anyone may make without logging in. A new public call must be added here, on purpose. */
const PUBLIC = ['auth:login', 'auth:session', 'auth:loginUsers', 'setup:status', 'setup:createAdmin', 'setup:loadDemo', 'security:unlockWithPassphrase'];

/**
 * The reviewed permission table of the foundation's calls and this issue's (accounts, settings,
 * audit, backup, export). Calls of the other domains are held to whatever their contract says by the
 * enumerating tests below.
 */
const REVIEWED: Record<string, Access> = {
  'auth:logout': 'authenticated',
  'auth:lock': 'authenticated',
  'auth:unlock': 'authenticated',
  'facilities:list': 'authenticated',
  'wards:board': 'authenticated',
  'patients:admit': ['admin', 'ward_doctor'],
  'patients:get': 'authenticated',
  'users:list': ['admin'],
  'users:create': ['admin'],
  'users:update': ['admin'],
  'users:resetPassword': ['admin'],
  'users:setWards': ['admin'],
  'settings:get': 'authenticated',
  'settings:update': ['admin'],
  'audit:verify': ['admin'],
  'audit:list': ['admin'],
  'audit:actions': ['admin'],
  'audit:patientHistory': 'authenticated',
  'backup:list': ['admin'],
  'backup:create': ['admin'],
  'backup:inspect': ['admin'],
  'backup:import': ['admin'],
  'backup:restore': ['admin'],
  'export:csv': ['admin'],
};

function accessOf(channel: string): Access {
  const call = lookupCall(contract, channel);
  if (!call) throw new Error(`no call ${channel}`);
  return call.access;
}

/** A network with one real account per role. */
function staffedNetwork(): TestCore & { wardId: number; zoneId: number; beds: number[]; zoneBeds: number[]; staff: Record<Role, ReturnType<typeof addUser>> } {
  const c = makeNetwork();
  const staff = Object.fromEntries(ROLES.map((r) => [r, r === 'admin' ? c.session.user! : addUser(c, r)])) as Record<Role, ReturnType<typeof addUser>>;
  return Object.assign(c, { staff });
}

describe('the permission table', () => {
  it('has exactly the reviewed public calls', () => {
    expect(CHANNELS.filter((ch) => accessOf(ch) === 'public').sort()).toEqual([...PUBLIC].sort());
  });

  it('gives the foundation and trust calls the reviewed roles', () => {
    for (const [channel, access] of Object.entries(REVIEWED)) expect(accessOf(channel), channel).toEqual(access);
  });

  it('names only known roles, and never an empty list', () => {
    for (const ch of CHANNELS) {
      const a = accessOf(ch);
      if (typeof a === 'string') continue;
      expect(a.length, ch).toBeGreaterThan(0);
      for (const r of a) expect(ROLES, ch).toContain(r);
    }
  });
});

describe('every role calling every call it may not make', { timeout: 30_000 }, () => {
  it('gets FORBIDDEN, and nothing is written: no row, no audit row, no file', async () => {
    const c = staffedNetwork();
    let refused = 0;
    for (const channel of CHANNELS) {
      const access = accessOf(channel);
      if (typeof access === 'string') continue;
      for (const role of ROLES.filter((r) => !access.includes(r))) {
        c.session.user = c.staff[role];
        const before = snapshot(c.db);
        // Authorisation comes before validation: the refused caller learns nothing about its input.
        for (const input of [{}, admission({ bedId: c.beds[0]!, wardId: c.wardId })]) {
          const r = await c.run(channel, input);
          expect(r.ok, `${role} → ${channel}`).toBe(false);
          if (!r.ok) expect(r.error.code, `${role} → ${channel}`).toBe('FORBIDDEN');
          refused += 1;
        }
        expect(snapshot(c.db), `${role} → ${channel}`).toEqual(before);
      }
    }
    expect(refused).toBeGreaterThan(40);
    expect(fs.existsSync(path.join(c.dir, 'backups'))).toBe(false);
    expect(fs.existsSync(path.join(c.dir, 'exports'))).toBe(false);
  });

  it('before login, every call but the public ones is UNAUTHENTICATED and writes nothing', async () => {
    const c = staffedNetwork();
    c.session.user = null;
    const before = snapshot(c.db);
    for (const channel of CHANNELS.filter((ch) => !PUBLIC.includes(ch))) {
      const r = await c.run(channel, {});
      expect(!r.ok && r.error.code, channel).toBe('UNAUTHENTICATED');
    }
    expect(snapshot(c.db)).toEqual(before);
  });

  it('while the screen is locked, every call but unlock and logout is refused, for every role', async () => {
    const c = staffedNetwork();
    for (const role of ROLES) {
      c.session.user = c.staff[role];
      c.ok('auth:lock');
      const before = snapshot(c.db);
      for (const channel of CHANNELS.filter((ch) => !PUBLIC.includes(ch) && ch !== 'auth:unlock' && ch !== 'auth:logout')) {
        const r = await c.run(channel, {});
        expect(!r.ok && r.error.details.key, `${role} → ${channel}`).toBe('auth.session_locked');
      }
      expect(snapshot(c.db)).toEqual(before);
      c.session.locked = false;
    }
  });
});

describe('accounts change rights at once', { timeout: 30_000 }, () => {
  it('a deactivated user is logged out at the next call; a demoted admin is logged out at the next call and comes back in the new role', () => {
    const c = staffedNetwork();
    const admin = c.session.user!;
    const nurseSession = { user: c.staff.nurse };
    expect(c.dispatch('facilities:list', {}, nurseSession, '2022-03-20T06:05:00.000Z').ok).toBe(true);
    c.ok('users:update', { userId: c.staff.nurse.id, active: false, version: userVersion(c, c.staff.nurse.id) });
    const r = c.dispatch('facilities:list', {}, nurseSession, '2022-03-20T06:06:00.000Z');
    expect(!r.ok && r.error.details.key).toBe('auth.session_ended');
    expect(nurseSession.user).toBeNull();

    const second = addUser(c, 'admin', { username: 'admin2' });
    const secondSession = { user: second };
    expect(c.dispatch('users:list', {}, secondSession, '2022-03-20T06:05:00.000Z').ok).toBe(true);
    c.session.user = admin;
    c.ok('users:update', { userId: second.id, role: 'expert', version: userVersion(c, second.id) });
    // A role change ends the account's sessions (issue 12, finding 11).
    const demoted = c.dispatch('users:list', {}, secondSession, '2022-03-20T06:06:00.000Z');
    expect(!demoted.ok && demoted.error.details.key).toBe('auth.session_ended');
    expect(secondSession.user).toBeNull();
    const again = c.dispatch('auth:login', { username: 'admin2', password: TEST_PASSWORD }, secondSession, '2022-03-20T06:07:00.000Z');
    expect(again.ok && secondSession.user?.role).toBe('expert');
    const refused = c.dispatch('users:list', {}, secondSession, '2022-03-20T06:07:00.000Z');
    expect(!refused.ok && refused.error.code).toBe('FORBIDDEN');
  });
});

describe('ward scope', { timeout: 30_000 }, () => {
  it('a ward doctor admits only into their wards; unassigned means every ward; admins everywhere; a nurse never', () => {
    const c = staffedNetwork();
    const admin = c.session.user!;
    const scoped = addUser(c, 'ward_doctor', { username: 'dr.zone', wardIds: [c.zoneId] });
    c.session.user = scoped;
    const before = snapshot(c.db);
    const refused = c.call('patients:admit', admission({ bedId: c.beds[0]!, wardId: c.wardId }));
    expect(!refused.ok && refused.error.code).toBe('FORBIDDEN');
    expect(!refused.ok && refused.error.details.key).toBe('scope.ward_forbidden');
    expect(!refused.ok && refused.error.details.issues).toEqual([{ field: 'wardId', key: 'scope.ward_forbidden' }]);
    expect(snapshot(c.db)).toEqual(before);
    c.ok('patients:admit', admission({ bedId: c.zoneBeds[0]!, wardId: c.zoneId }, { name: '舱内患者' }));

    c.session.user = c.staff.ward_doctor; // no ward assigned: every ward
    c.ok('patients:admit', admission({ bedId: c.beds[0]!, wardId: c.wardId }, { name: '病区患者' }));
    c.session.user = admin;
    c.ok('patients:admit', admission({ bedId: c.beds[1]!, wardId: c.wardId }, { name: '管理员收治' }));

    // Assigning a ward through the contract narrows the doctor at once.
    c.ok('users:setWards', { userId: c.staff.ward_doctor.id, wardIds: [c.zoneId], version: userVersion(c, c.staff.ward_doctor.id) });
    c.session.user = c.staff.ward_doctor;
    const now = c.call('patients:admit', admission({ bedId: c.beds[2]!, wardId: c.wardId }, { name: '第四位' }));
    expect(!now.ok && now.error.details.key).toBe('scope.ward_forbidden');

    c.session.user = c.staff.nurse;
    const nurse = c.call('patients:admit', admission({ bedId: c.beds[2]!, wardId: c.wardId }, { name: '护士收治' }));
    expect(!nurse.ok && nurse.error.code).toBe('FORBIDDEN');
  });
});
