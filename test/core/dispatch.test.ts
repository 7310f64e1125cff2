import { describe, expect, it } from 'vitest';
import { verifyAuditChain } from '../../electron/core/audit/audit';
import { admission, makeCore, makeNetwork } from '../support/core';

describe('dispatch', () => {
  it('refuses every non-public call before login', () => {
    const c = makeCore();
    const r = c.call('facilities:list');
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.code).toBe('UNAUTHENTICATED');
  });

  it('answers an unknown channel with NOT_FOUND, including prototype names', () => {
    const c = makeCore();
    for (const channel of ['nope:nothing', 'auth:constructor', '__proto__:x', 'auth', 'auth:login:extra']) {
      const r = c.call(channel);
      expect(r.ok, channel).toBe(false);
      if (!r.ok) expect(r.error.code).toBe('NOT_FOUND');
    }
  });

  it('a call from the renderer cannot name its own user: the author is the session user', () => {
    const c = makeNetwork();
    const asSomeoneElse = { ...admission({ bedId: c.beds[0]!, wardId: c.wardId }), userId: 999, createdBy: 999 };
    const r = c.call('patients:admit', asSomeoneElse);
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.error.code).toBe('VALIDATION');
      expect(r.error.details.issues?.map((i) => i.field).sort()).toEqual(['createdBy', 'userId']);
    }
    expect(c.count('patient')).toBe(0);

    c.ok('patients:admit', admission({ bedId: c.beds[0]!, wardId: c.wardId }));
    const admin = c.session.user!;
    expect(c.db.prepare('SELECT created_by FROM patient').get()).toEqual({ created_by: admin.id });
    expect(c.db.prepare(`SELECT user_id FROM audit WHERE action = 'patient.create'`).get()).toEqual({ user_id: admin.id });
  });

  it('refuses a call the role may not make with FORBIDDEN and writes nothing', () => {
    const c = makeNetwork();
    c.db.prepare(`INSERT INTO app_user (username, display_name, role, password_hash, created_at) VALUES ('nurse', '护士', 'nurse', 'x', ?)`).run(new Date().toISOString());
    c.session.user = { id: 2, username: 'nurse', displayName: '护士', role: 'nurse' };
    const audits = c.count('audit');
    const r = c.call('patients:admit', admission({ bedId: c.beds[0]!, wardId: c.wardId }));
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.code).toBe('FORBIDDEN');
    expect(c.count('patient')).toBe(0);
    expect(c.count('audit')).toBe(audits);
  });

  it('writes the change and its audit rows in one transaction, and the chain verifies', () => {
    const c = makeNetwork();
    c.ok('patients:admit', admission({ bedId: c.beds[0]!, wardId: c.wardId }));
    const actions = (c.db.prepare('SELECT action FROM audit ORDER BY id').all() as { action: string }[]).map((r) => r.action);
    expect(actions).toEqual(['user.create', 'patient.create', 'episode.admit', 'bed.state']);
    expect(verifyAuditChain(c.db)).toEqual({ ok: true, rows: 4 });
  });

  it('rolls the whole action back when any part of it fails', () => {
    const c = makeNetwork();
    c.ok('patients:admit', admission({ bedId: c.beds[0]!, wardId: c.wardId }));
    const counts = ['patient', 'episode', 'placement'].map((t) => c.count(t));
    const lastAudit = c.db.prepare('SELECT max(id) FROM audit').pluck().get();
    const r = c.call('patients:admit', admission({ bedId: c.beds[0]!, wardId: c.wardId }, { name: '李娜', sex: 'F' }));
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.code).toBe('CONFLICT');
    expect(['patient', 'episode', 'placement'].map((t) => c.count(t))).toEqual(counts);
    // Nothing of the action stands; the refusal itself is recorded, in its own transaction.
    expect(c.db.prepare('SELECT action FROM audit WHERE id > ?').pluck().all(lastAudit)).toEqual(['call.conflict']);
  });

  it('refuses UPDATE and DELETE of audit rows at the database level', () => {
    const c = makeNetwork();
    expect(() => c.db.prepare(`UPDATE audit SET action = 'x'`).run()).toThrow(/insert-only/);
    expect(() => c.db.prepare('DELETE FROM audit').run()).toThrow(/insert-only/);
  });

  it('locks an account after five wrong passwords, and keeps the count although each call fails', () => {
    const c = makeCore();
    c.ok('setup:createAdmin', { username: 'admin', displayName: '管理员', password: 'correct-horse' });
    c.session.user = null;
    for (let i = 1; i <= 4; i++) {
      const r = c.call('auth:login', { username: 'admin', password: 'wrong' });
      expect(r.ok).toBe(false);
      if (!r.ok) expect(r.error.details.key).toBe('auth.bad_credentials');
    }
    const fifth = c.call('auth:login', { username: 'admin', password: 'wrong' });
    expect(!fifth.ok && fifth.error.details.key).toBe('auth.locked');
    const right = c.call('auth:login', { username: 'admin', password: 'correct-horse' }, '2022-03-20T06:06:00.000Z');
    expect(!right.ok && right.error.details.key).toBe('auth.locked');
    expect(c.session.user).toBeNull();
    const later = c.call('auth:login', { username: 'admin', password: 'correct-horse' }, '2022-03-20T06:11:00.000Z');
    expect(later.ok).toBe(true);
    expect((c.session as { user: { username: string } | null }).user?.username).toBe('admin');
  });
});
