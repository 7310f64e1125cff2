import { describe, expect, it } from 'vitest';
import type { Transfer } from '../../shared/api/transfers';
import type { User } from '../../shared/api/users';
import type { SettingsValue } from '../../shared/api/settings';
import type { WardBoard } from '../../shared/api/facilities';
import type { DischargeCheck } from '../../shared/api/discharge';
import type { ErrorPayload, Result } from '../../shared/errors';
import { NOW } from '../support/core';
import { admit, as, auditSince, lastAuditId, panelNetwork, user, type PanelNetwork } from '../support/panel';
import { ctTest, sh } from '../support/timeline';

/** Later the same day, so the refusal's "when" is not the time the test began (NOW is 14:05 in Shanghai). */
const AT_1430 = '2022-03-20T06:30:00.000Z';
const AT_1500 = '2022-03-20T07:00:00.000Z';

function refused(r: Result<unknown>): ErrorPayload {
  if (r.ok) throw new Error('expected a refusal, got a value');
  return r.error;
}

function bedVersion(c: PanelNetwork, wardId: number, bedId: number): number {
  const bed = c.ok<WardBoard>('wards:board', { wardId }).beds.find((b) => b.id === bedId);
  if (!bed) throw new Error(`bed ${bedId} is not on ward ${wardId}`);
  return bed.version;
}

function userRow(c: PanelNetwork, id: number): User {
  const u = as(c, c.admin, () => c.ok<User[]>('users:list', {})).find((x) => x.id === id);
  if (!u) throw new Error(`user ${id} not listed`);
  return u;
}

/** Everything a refused edit must leave as it was: the rows of the versioned tables. */
function snapshot(c: PanelNetwork) {
  return {
    beds: c.db.prepare('SELECT id, state, version FROM bed ORDER BY id').all(),
    transfers: c.db.prepare('SELECT * FROM transfer_request ORDER BY id').all(),
    users: c.db.prepare('SELECT id, display_name, role, active, password_hash, version FROM app_user ORDER BY id').all(),
    wards: c.db.prepare('SELECT * FROM user_ward ORDER BY user_id, ward_id').all(),
    settings: c.db.prepare('SELECT * FROM setting ORDER BY key').all(),
  };
}

/**
 * Runs a refused edit and checks what it wrote: nothing but dispatch's own audit row of the refusal
 * (call.conflict, with what the user was told), so a race's audit shows every attempt's outcome.
 */
function refusedAndAudited(c: PanelNetwork, attempt: () => Result<unknown>): ErrorPayload {
  const before = snapshot(c);
  const lastAudit = lastAuditId(c);
  const err = refused(attempt());
  expect(snapshot(c)).toEqual(before);
  const written = auditSince(c, lastAudit);
  expect(written.map((a) => a.action)).toEqual(['call.conflict']);
  expect(JSON.parse(written[0]!.after ?? '{}')).toMatchObject({ key: err.details.key, params: err.details.params });
  return err;
}

/** A fangcang patient with an open transfer request to the designated hospital, requested by the ward doctor at NOW. */
function openTransfer(c: PanelNetwork): Transfer {
  const p = admit(c, { wardId: c.zoneId, bedId: c.zoneBeds[0]! });
  return as(c, c.doctor, () => c.ok<Transfer>('transfers:request', { episodeId: p.episodeId, toFacilityId: c.dh, reason: '转定点医院' }));
}

describe('no lost updates: an edit against an older version is refused, naming who changed it and when', () => {
  it('a nurse setting a bed to cleaning from a board the administrator has changed since is told who and when; nothing is written; from the current board it stands', () => {
    const c = panelNetwork();
    const bed = c.beds[0]!;
    const seen = bedVersion(c, c.wardId, bed);
    as(c, c.admin, () => c.ok('beds:setState', { bedId: bed, state: 'out_of_service', reason: '氧气终端维修', version: seen }, AT_1430));
    const err = refusedAndAudited(c, () => as(c, c.nurse, () => c.call('beds:setState', { bedId: bed, state: 'cleaning', version: seen }, AT_1500)));
    expect(err).toMatchObject({
      code: 'CONFLICT',
      details: { key: 'conflict.changed_since', params: { by: '管理员', at: AT_1430, when: '2022-03-20 14:30', version: seen + 1 } },
    });
    const now = bedVersion(c, c.wardId, bed);
    expect(now).toBe(seen + 1);
    expect(as(c, c.nurse, () => c.ok('beds:setState', { bedId: bed, state: 'free', version: now }, AT_1500))).toMatchObject({ before: 'out_of_service', state: 'free' });
  });

  it('assigning a bed, completing and cancelling a transfer each need the version the user saw', () => {
    const c = panelNetwork();
    const t = openTransfer(c);
    expect(t.version).toBe(1);
    const assigned = as(c, c.admin, () => c.ok<Transfer>('transfers:assignBed', { transferId: t.id, bedId: c.beds[0]!, version: t.version }, AT_1430));
    expect(assigned.version).toBe(2);

    // A second workstation still showing the request as it was before the bed was assigned.
    for (const [channel, input] of [
      ['transfers:assignBed', { transferId: t.id, bedId: c.beds[1]!, version: t.version }],
      ['transfers:complete', { transferId: t.id, version: t.version }],
      ['transfers:cancel', { transferId: t.id, reason: '患者拒绝转运', version: t.version }],
    ] as const) {
      const err = refusedAndAudited(c, () => as(c, c.doctor, () => c.call(channel, input, AT_1500)));
      expect(err, channel).toMatchObject({
        code: 'CONFLICT',
        details: { key: 'conflict.changed_since', params: { by: '管理员', at: AT_1430, when: '2022-03-20 14:30', version: 2 } },
      });
    }

    const done = as(c, c.doctor, () => c.ok<Transfer>('transfers:complete', { transferId: t.id, version: assigned.version }, AT_1500));
    expect(done).toMatchObject({ status: 'completed', version: 3 });
    const cancelled = refused(as(c, c.doctor, () => c.call('transfers:cancel', { transferId: t.id, reason: '晚了', version: assigned.version }, AT_1500)));
    expect(cancelled.details).toMatchObject({ key: 'conflict.changed_since', params: { by: '王医生', when: '2022-03-20 15:00', version: 3 } });
    // Cancelled from the current version, a completed request is still refused by its own rule.
    expect(refused(as(c, c.doctor, () => c.call('transfers:cancel', { transferId: t.id, reason: '晚了', version: 3 }, AT_1500))).details.key).toBe('transfer.not_open');
  });

  it('the incoming list and the chart show each request with its version', () => {
    const c = panelNetwork();
    const t = openTransfer(c);
    const incoming = c.ok<{ transfers: Transfer[] }>('transfers:listIncoming', { facilityId: c.dh });
    expect(incoming.transfers.map((x) => [x.id, x.version])).toEqual([[t.id, 1]]);
    expect(c.ok<Transfer[]>('transfers:forEpisode', { episodeId: t.episodeId }).map((x) => x.version)).toEqual([1]);
  });

  it('two administrators editing the same account: the second is told who changed it and when, for an update, a ward assignment and a password reset', () => {
    const c = panelNetwork();
    const li = user(c, 'admin', 'admin.li', '李管理员');
    const seen = userRow(c, c.nurse.id);
    as(c, c.admin, () => c.ok('users:update', { userId: c.nurse.id, displayName: '张护士长', version: seen.version }, AT_1430));
    for (const [channel, input] of [
      ['users:update', { userId: c.nurse.id, role: 'ward_doctor', version: seen.version }],
      ['users:setWards', { userId: c.nurse.id, wardIds: [c.wardId], version: seen.version }],
      ['users:resetPassword', { userId: c.nurse.id, password: 'another-horse-9', version: seen.version }],
    ] as const) {
      const err = refusedAndAudited(c, () => as(c, li, () => c.call(channel, input, AT_1500)));
      expect(err, channel).toMatchObject({
        code: 'CONFLICT',
        details: { key: 'conflict.changed_since', params: { by: '管理员', at: AT_1430, when: '2022-03-20 14:30', version: seen.version + 1 } },
      });
    }
    const current = userRow(c, c.nurse.id);
    expect(current).toMatchObject({ displayName: '张护士长', version: seen.version + 1 });
    const placed = as(c, li, () => c.ok<User>('users:setWards', { userId: c.nurse.id, wardIds: [c.wardId], version: current.version }, AT_1500));
    expect(placed.wardIds).toEqual([c.wardId]);
    expect(placed.version).toBeGreaterThan(current.version);
    expect(as(c, li, () => c.ok('users:resetPassword', { userId: c.nurse.id, password: 'another-horse-9', version: placed.version }, AT_1500))).toEqual({ ok: true });
  });

  it('a login does not make an administrator’s open account form stale', () => {
    const c = panelNetwork();
    const seen = userRow(c, c.nurse.id);
    // The nurse logs in after a wrong password, and her other sessions end.
    c.db.prepare('UPDATE app_user SET failed_logins = 1 WHERE id = ?').run(c.nurse.id);
    c.db.prepare('UPDATE app_user SET last_login_at = ?, failed_logins = 0, session_epoch = session_epoch + 1 WHERE id = ?').run(AT_1430, c.nurse.id);
    expect(userRow(c, c.nurse.id).version).toBe(seen.version);
    expect(as(c, c.admin, () => c.ok<User>('users:update', { userId: c.nurse.id, displayName: '张护士长', version: seen.version }, AT_1500))).toMatchObject({
      version: seen.version + 1,
    });
  });

  it('the settings have one version: a second administrator saving over a newer time zone is refused with who and when', () => {
    const c = panelNetwork();
    const li = user(c, 'admin', 'admin.li', '李管理员');
    const seen = c.ok<SettingsValue>('settings:get', {});
    expect(seen.version).toBe(1);
    const first = as(c, c.admin, () => c.ok<SettingsValue>('settings:update', { idleLockMinutes: 5, version: seen.version }, AT_1430));
    expect(first.version).toBe(2);
    const err = refusedAndAudited(c, () => as(c, li, () => c.call('settings:update', { backupKeep: 30, version: seen.version }, AT_1500)));
    expect(err).toMatchObject({ code: 'CONFLICT', details: { key: 'conflict.changed_since', params: { by: '管理员', at: AT_1430, when: '2022-03-20 14:30', version: 2 } } });
    const second = as(c, li, () => c.ok<SettingsValue>('settings:update', { backupKeep: 30, idleLockMinutes: 5, version: first.version }, AT_1500));
    expect(second).toMatchObject({ backupKeep: 30, idleLockMinutes: 5, version: 3 });
    // Changing a key set before bumps the version too.
    expect(as(c, c.admin, () => c.ok<SettingsValue>('settings:update', { idleLockMinutes: 15, version: 3 })).version).toBe(4);
  });

  it('an amendment against a discharge that was corrected since names who corrected it and when', () => {
    const c = panelNetwork();
    const { episodeId } = admit(c, { wardId: c.zoneId, bedId: c.zoneBeds[0]! }, {}, sh('2022-03-10T10:00'));
    ctTest(c.db, episodeId, sh('2022-03-17T08:00'), 36.2, 35.8);
    ctTest(c.db, episodeId, sh('2022-03-18T08:30'), 37.9, 38.4);
    const check = c.ok<DischargeCheck>('discharge:check', { episodeId });
    const shown = check.check.criteria.map((x) => ({ code: x.code, status: x.status }));
    const { dischargeId } = as(c, c.admin, () =>
      c.ok<{ dischargeId: number }>('discharge:record', { episodeId, dischargedAt: '2022-03-20T02:00:00.000Z', disposition: 'home', condition: 'cured', shown }),
    );
    const amended = as(c, c.doctor, () =>
      c.ok<{ dischargeId: number }>('discharge:amend', { dischargeId, reason: '去向录入错误', disposition: 'other_facility', condition: 'improved' }, AT_1430),
    );
    const before = c.count('discharge');
    const err = refused(as(c, c.admin, () => c.call('discharge:amend', { dischargeId, reason: '补充小结', disposition: 'home', condition: 'cured' }, AT_1500)));
    expect(err).toMatchObject({
      code: 'CONFLICT',
      details: { key: 'discharge.superseded', params: { by: '王医生', at: AT_1430, when: '2022-03-20 14:30' }, currentId: amended.dischargeId },
    });
    expect(c.count('discharge')).toBe(before);
  });

  it('a plan saved from an older version names who saved the newer one and when', () => {
    const c = panelNetwork();
    const { episodeId } = admit(c, { wardId: c.wardId, bedId: c.beds[0]! });
    as(c, c.doctor, () => c.ok('plans:save', { episodeId, baseVersion: 0, goals: '对症治疗', monitoring: 'q4to6h' }, AT_1430));
    const err = refused(as(c, c.expert, () => c.call('plans:save', { episodeId, baseVersion: 0, goals: '加用抗病毒', monitoring: 'q4to6h' }, AT_1500)));
    expect(err).toMatchObject({ code: 'CONFLICT', details: { key: 'plans.version_conflict', params: { by: '王医生', at: AT_1430, when: '2022-03-20 14:30', version: 1 } } });
  });
});

describe('a race for the same free bed has one winner, and the other is told who took it and when', () => {
  it('two administrators placing two waiting patients into the same free bed', () => {
    const c = panelNetwork();
    const li = user(c, 'admin', 'admin.li', '李管理员');
    const waiting = [1, 2].map((i) =>
      as(c, c.admin, () =>
        c.ok<{ episodeId: number }>('beds:admitWaiting', {
          patient: { name: `候床${i}`, sex: 'F', ageYears: 40, riskFactors: [] },
          wardId: c.wardId,
          admittedAt: '2022-03-20T02:00:00.000Z',
          source: 'community_screening',
        }),
      ),
    );
    const bed = c.beds[2]!;
    const won = as(c, c.admin, () => c.call('beds:place', { episodeId: waiting[0]!.episodeId, bedId: bed }, AT_1430));
    expect(won.ok).toBe(true);
    // The loser writes nothing but the audit row of its refusal: the log holds both attempts' outcomes.
    const err = refusedAndAudited(c, () => as(c, li, () => c.call('beds:place', { episodeId: waiting[1]!.episodeId, bedId: bed }, AT_1430)));
    expect(err).toMatchObject({ code: 'CONFLICT', details: { key: 'beds.not_free', params: { bed: 'G1-003', by: '管理员', at: AT_1430, when: '2022-03-20 14:30' } } });
    expect(err.details.issues).toEqual([{ field: 'bedId', key: 'beds.not_free', params: err.details.params }]);
    expect(c.db.prepare('SELECT count(*) FROM placement WHERE bed_id = ? AND end_at IS NULL').pluck().get(bed)).toBe(1);
  });

  it('an admission into a bed a transfer has just reserved names the administrator who reserved it', () => {
    const c = panelNetwork();
    const t = openTransfer(c);
    as(c, c.admin, () => c.ok('transfers:assignBed', { transferId: t.id, bedId: c.beds[1]!, version: t.version }, AT_1430));
    const li = user(c, 'admin', 'admin.li', '李管理员');
    const err = refused(
      as(c, li, () =>
        c.call(
          'patients:admit',
          {
            patient: { name: '李娜', sex: 'F', ageYears: 30, riskFactors: [] },
            wardId: c.wardId,
            bedId: c.beds[1]!,
            admittedAt: '2022-03-20T06:00:00.000Z',
            source: 'community_screening',
          },
          AT_1500,
        ),
      ),
    );
    expect(err).toMatchObject({ code: 'CONFLICT', details: { key: 'beds.not_free', params: { bed: 'G1-002', by: '管理员', when: '2022-03-20 14:30' } } });
  });

  it('a bed filled without an audit row of its own names the placement that holds it, and a bed nobody is recorded for says only that it is taken', () => {
    const c = panelNetwork();
    const t = openTransfer(c);
    const { episodeId } = as(c, c.admin, () =>
      c.ok<{ episodeId: number }>('beds:admitWaiting', {
        patient: { name: '候床', sex: 'F', ageYears: 40, riskFactors: [] },
        wardId: c.wardId,
        admittedAt: '2022-03-20T02:00:00.000Z',
        source: 'community_screening',
      }),
    );
    // The demo generator and imports fill beds without auditing each bed: only the placement says who.
    c.db.prepare('UPDATE placement SET end_at = ? WHERE episode_id = ? AND end_at IS NULL').run(AT_1430, episodeId);
    c.db
      .prepare(`INSERT INTO placement (episode_id, ward_id, bed_id, start_at, began_by, created_by) VALUES (?, ?, ?, ?, 'move', ?)`)
      .run(episodeId, c.wardId, c.beds[0]!, AT_1430, c.nurse.id);
    c.db.prepare(`UPDATE bed SET state = 'occupied' WHERE id = ?`).run(c.beds[0]!);
    const held = refused(as(c, c.admin, () => c.call('transfers:assignBed', { transferId: t.id, bedId: c.beds[0]!, version: t.version }, AT_1500)));
    expect(held.details).toMatchObject({ key: 'beds.not_free', params: { bed: 'G1-001', by: '张护士', at: AT_1430, when: '2022-03-20 14:30' } });

    c.db.prepare(`UPDATE bed SET state = 'out_of_service' WHERE id = ?`).run(c.beds[1]!);
    const unknown = refused(as(c, c.admin, () => c.call('transfers:assignBed', { transferId: t.id, bedId: c.beds[1]!, version: t.version }, AT_1500)));
    expect(unknown.details).toMatchObject({ key: 'beds.no_longer_free', params: { bed: 'G1-002' } });
    expect(unknown.details.params).not.toHaveProperty('by');
  });
});

describe('versions are kept by triggers, whoever writes (migration 17)', () => {
  it('a raw UPDATE of a bed, a transfer, an account or a setting bumps its version; logins and session epochs do not', () => {
    const c = panelNetwork();
    const t = openTransfer(c);
    const v = (sql: string, id: number | string) => c.db.prepare(sql).pluck().get(id) as number;
    const bed = c.beds[0]!;
    expect(v('SELECT version FROM bed WHERE id = ?', bed)).toBe(1);
    c.db.prepare(`UPDATE bed SET state = 'cleaning' WHERE id = ?`).run(bed);
    c.db.prepare(`UPDATE bed SET state = 'free' WHERE id = ?`).run(bed);
    expect(v('SELECT version FROM bed WHERE id = ?', bed)).toBe(3);
    // A writer that sets the version itself keeps the one it set.
    c.db.prepare(`UPDATE bed SET state = 'cleaning', version = 10 WHERE id = ?`).run(bed);
    expect(v('SELECT version FROM bed WHERE id = ?', bed)).toBe(10);

    c.db.prepare(`UPDATE transfer_request SET reason = '补充：需吸氧' WHERE id = ?`).run(t.id);
    expect(v('SELECT version FROM transfer_request WHERE id = ?', t.id)).toBe(2);

    const nurse = c.nurse.id;
    c.db.prepare(`UPDATE app_user SET last_login_at = ?, failed_logins = 2, locked_until = NULL, session_epoch = 3 WHERE id = ?`).run(NOW, nurse);
    expect(v('SELECT version FROM app_user WHERE id = ?', nurse)).toBe(1);
    c.db.prepare(`UPDATE app_user SET display_name = '张护士长' WHERE id = ?`).run(nurse);
    expect(v('SELECT version FROM app_user WHERE id = ?', nurse)).toBe(2);
    c.db.prepare('INSERT INTO user_ward (user_id, ward_id, assigned_at) VALUES (?, ?, ?)').run(nurse, c.wardId, NOW);
    expect(v('SELECT version FROM app_user WHERE id = ?', nurse)).toBe(3);
    c.db.prepare('DELETE FROM user_ward WHERE user_id = ?').run(nurse);
    expect(v('SELECT version FROM app_user WHERE id = ?', nurse)).toBe(4);

    c.db.prepare(`INSERT INTO setting (key, value) VALUES ('timeZone', 'Asia/Shanghai')`).run();
    c.db.prepare(`UPDATE setting SET value = 'Asia/Urumqi' WHERE key = 'timeZone'`).run();
    expect(v('SELECT version FROM setting WHERE key = ?', 'timeZone')).toBe(2);
    expect(c.ok<SettingsValue>('settings:get', {}).version).toBe(3);
  });

  it('who changed a row is found from the audit log by index, not by scanning it', () => {
    const c = panelNetwork();
    const plan = c.db.prepare(`EXPLAIN QUERY PLAN SELECT a.at FROM audit a WHERE a.entity = 'bed' AND a.entity_id IS ? ORDER BY a.id DESC LIMIT 1`).all(1) as { detail: string }[];
    expect(plan.map((p) => p.detail).join(' ')).toMatch(/USING (COVERING )?INDEX audit_entity/);
  });
});
