import { describe, expect, it } from 'vitest';
import { auditQuerySql } from '../../../electron/core/audit/handlers';
import { addUser, admission, makeNetwork } from '../../support/core';

type Page = { rows: { id: number; action: string; userName: string | null; patientName: string | null; at: string }[]; nextBeforeId: number | null };

function network() {
  const c = makeNetwork();
  const admin = c.session.user!;
  const doctor = addUser(c, 'ward_doctor', { username: 'dr.wang' });
  c.ok('patients:admit', admission({ bedId: c.beds[0]!, wardId: c.wardId }, { name: '张伟' }), '2022-03-20T03:00:00.000Z');
  c.session.user = doctor;
  const second = c.ok<{ patientId: number }>(
    'patients:admit',
    admission({ bedId: c.beds[1]!, wardId: c.wardId, admittedAt: '2022-03-18T02:00:00.000Z' }, { name: '李娜', sex: 'F' }),
    '2022-03-18T05:00:00.000Z',
  );
  c.session.user = admin;
  return { c, admin, doctor, second: second.patientId };
}

describe('the audit viewer', { timeout: 30_000 }, () => {
  it('lists newest first and filters by patient, user, action and hospital-local dates', () => {
    const { c, doctor, second } = network();
    const all = c.ok<Page>('audit:list', {});
    expect(all.rows.map((r) => r.id)).toEqual([...all.rows.map((r) => r.id)].sort((a, b) => b - a));
    expect(all.rows[0]?.action).toBe('bed.state');

    const byPatient = c.ok<Page>('audit:list', { patientId: second });
    expect(byPatient.rows.map((r) => r.action)).toEqual(['bed.state', 'episode.admit', 'patient.create']);
    expect(byPatient.rows.every((r) => r.patientName === '李娜')).toBe(true);

    const byUser = c.ok<Page>('audit:list', { userId: doctor.id });
    expect(new Set(byUser.rows.map((r) => r.userName))).toEqual(new Set([doctor.displayName]));

    expect(c.ok<Page>('audit:list', { action: 'patient.create' }).rows).toHaveLength(2);
    // 2022-03-18 05:00 UTC is 13:00 on the 18th in Shanghai.
    expect(c.ok<Page>('audit:list', { from: '2022-03-18', to: '2022-03-18' }).rows.map((r) => r.action)).toEqual(['bed.state', 'episode.admit', 'patient.create']);
    expect(c.ok<Page>('audit:list', { from: '2022-03-21' }).rows).toEqual([]);
    const reversed = c.call('audit:list', { from: '2022-03-20', to: '2022-03-19' });
    expect(!reversed.ok && reversed.error.details.issues).toEqual([{ field: 'to', key: 'validation.range_order' }]);
    expect(c.ok<string[]>('audit:actions')).toEqual(['bed.state', 'episode.admit', 'patient.create', 'user.create']);
  });

  it('pages by id without gaps or repeats', () => {
    const { c } = network();
    const seen: number[] = [];
    let beforeId: number | undefined;
    for (;;) {
      const page: Page = c.ok<Page>('audit:list', { limit: 2, ...(beforeId ? { beforeId } : {}) });
      seen.push(...page.rows.map((r) => r.id));
      if (page.nextBeforeId === null) break;
      beforeId = page.nextBeforeId;
    }
    const ids = c.db.prepare('SELECT id FROM audit ORDER BY id DESC').pluck().all();
    expect(seen).toEqual(ids);
  });

  it('shows one patient’s history to every clinical role', () => {
    const { c, second } = network();
    addUser(c, 'nurse', { login: true });
    const h = c.ok<Page>('audit:patientHistory', { patientId: second });
    expect(h.rows.map((r) => r.action)).toEqual(['bed.state', 'episode.admit', 'patient.create']);
  });

  it('finds the first altered row when the chain is broken behind the database’s back', () => {
    const { c } = network();
    expect(c.ok('audit:verify')).toMatchObject({ ok: true, rows: 7, brokenAt: null, problem: null });
    // Someone with a SQLite tool drops the guard and edits a row.
    c.db.exec('DROP TRIGGER audit_no_update');
    c.db.prepare(`UPDATE audit SET after = '{"name":"王五"}' WHERE id = 3`).run();
    expect(c.ok('audit:verify')).toMatchObject({ ok: false, rows: 3, brokenAt: 3, problem: null });
  });

  it('answers every filter from an index, never by scanning the whole audit table', () => {
    const { c } = network();
    const plan = (q: Parameters<typeof auditQuerySql>[0]) =>
      (c.db.prepare(`EXPLAIN QUERY PLAN ${auditQuerySql(q)}`).all({ patientId: 1, userId: 1, action: 'x', fromAt: 'a', toAt: 'b', beforeId: 9, limit: 51 }) as { detail: string }[])
        .map((r) => r.detail)
        .filter((d) => / a\b| a /.test(` ${d} `) || d.includes('audit'))
        .join(' | ');
    expect(plan({ patientId: 1 })).toMatch(/audit_patient/);
    expect(plan({ userId: 1 })).toMatch(/audit_user/);
    expect(plan({ action: 'x' })).toMatch(/audit_action/);
    expect(plan({ fromAt: 'a', toAt: 'b' })).toMatch(/audit_at|INTEGER PRIMARY KEY/);
    expect(plan({ beforeId: 9 })).toMatch(/INTEGER PRIMARY KEY/);
    for (const q of [{ patientId: 1 }, { userId: 1 }, { action: 'x' }, { fromAt: 'a', toAt: 'b' }, { patientId: 1, fromAt: 'a' }]) {
      expect(plan(q), JSON.stringify(q)).not.toMatch(/SCAN a(?! USING)/);
    }
  });
});
