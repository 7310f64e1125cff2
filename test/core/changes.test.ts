import { describe, expect, it } from 'vitest';
import { relayLocalChanges } from '../../electron/main/changes';
import type { SessionBox } from '../../electron/core';
import { contract } from '../../shared/api';
import { FOLLOWS, affects, writesOf, type ChangeMessage, type ChangeNotice } from '../../shared/api/changes';
import { addUser, admission, makeNetwork } from '../support/core';
import { FULL_ROUND, at } from '../support/clinical';

/**
 * Change notices in the core (issue 15): which writes raise one, what it names, who hears it in
 * standalone mode (the desktop shell's relay, electron/main/changes.ts), and which cached reads it
 * refreshes. The server's side is test/server/changes.test.ts.
 */

function setup() {
  const c = makeNetwork();
  const admitted = c.ok<{ episodeId: number; patientId: number }>('patients:admit', admission({ bedId: c.beds[0]!, wardId: c.wardId }));
  const admin: SessionBox = { user: c.session.user };
  // A second ward of the same hospital, for a move within the facility.
  const facility = c.db.prepare('SELECT facility_id FROM ward WHERE id = ?').pluck().get(c.wardId) as number;
  const ward2 = Number(c.db.prepare(`INSERT INTO ward (facility_id, code, name, kind) VALUES (?, 'G2', '感染二病区', 'general')`).run(facility).lastInsertRowid);
  const ward2Bed = Number(c.db.prepare(`INSERT INTO bed (ward_id, label, sort) VALUES (?, 'G2-001', 1)`).run(ward2).lastInsertRowid);
  // Rounds and plans are the doctor's.
  addUser(c, 'ward_doctor', { login: true });
  const notices: ChangeNotice[] = [];
  c.changes.subscribe((n) => notices.push(n));
  return { c, notices, admin, ward2, ward2Bed, ...admitted };
}

describe('change notices', () => {
  it('a committed write raises one notice naming its kinds, wards, episode and patient; a read or a refused write raises none', () => {
    const { c, notices, episodeId, patientId } = setup();
    c.ok('chart:get', { episodeId });
    expect(c.call('rounds:record', { episodeId, measuredAt: at(10), ...FULL_ROUND, spo2: 400 }).ok).toBe(false);
    expect(notices).toEqual([]);

    c.ok('rounds:record', { episodeId, measuredAt: at(10), ...FULL_ROUND });
    expect(notices).toHaveLength(1);
    expect(notices[0]).toMatchObject({
      channel: 'rounds:record',
      actions: ['round.record'],
      kinds: ['clinical'],
      all: false,
      wards: [c.wardId],
      episodes: [episodeId],
      patients: [patientId],
      incoming: [],
      by: { userId: c.session.user!.id, name: c.session.user!.displayName, workstation: null },
      stream: c.changes.stream,
    });
    c.ok('rounds:record', { episodeId, measuredAt: at(20), ...FULL_ROUND });
    expect(notices[1]!.seq).toBe(notices[0]!.seq + 1);
  });

  it('a move names the ward it left and the ward it entered', () => {
    const { c, notices, episodeId, ward2, ward2Bed } = setup();
    c.ok('beds:place', { episodeId, bedId: ward2Bed });
    const move = notices.at(-1)!;
    expect(move.channel).toBe('beds:place');
    expect(move.wards).toEqual([c.wardId, ward2].sort((a, b) => a - b));
    expect(move.facilities).toHaveLength(1);
    expect(affects(move, 'wards:board', { wardId: c.wardId })).toBe(true);
    expect(affects(move, 'wards:board', { wardId: ward2 })).toBe(true);
    expect(affects(move, 'wards:board', { wardId: c.zoneId })).toBe(false);
  });

  it('a refused write that lost a race leaves an audit row of its own with what it was told, and no notice', () => {
    const { c, notices, episodeId } = setup();
    c.ok('plans:save', { episodeId, baseVersion: 0, goals: '对症治疗', items: [], changeNote: '' });
    const before = notices.length;
    const stale = c.call('plans:save', { episodeId, baseVersion: 0, goals: '另一份计划', items: [], changeNote: '' });
    expect(stale).toMatchObject({ ok: false, error: { code: 'CONFLICT', details: { key: 'plans.version_conflict' } } });
    expect(notices).toHaveLength(before);
    const row = c.db.prepare(`SELECT user_id, entity, after FROM audit WHERE action = 'call.conflict' ORDER BY id DESC LIMIT 1`).get() as {
      user_id: number;
      entity: string;
      after: string;
    };
    expect(row.user_id).toBe(c.session.user!.id);
    expect(JSON.parse(row.after)).toMatchObject({ channel: 'plans:save', targets: { episodeId }, key: 'plans.version_conflict' });
    expect(c.count('plan_version')).toBe(1);
  });

  it('standalone, each window hears what its ward scope allows; its own change is marked own', () => {
    const { c, episodeId, admin } = setup();
    const doctor = c.session;
    const wardNurse: SessionBox = { user: addUser(c, 'nurse', { wardIds: [c.wardId] }) };
    const zoneNurse: SessionBox = { user: addUser(c, 'nurse', { wardIds: [c.zoneId] }) };
    const loggedOut: SessionBox = { user: null };
    const heard = new Map<number, ChangeMessage[]>();
    const windows: [number, SessionBox][] = [
      [1, doctor],
      [2, wardNurse],
      [3, zoneNurse],
      [4, loggedOut],
    ];
    const stop = relayLocalChanges(
      c,
      () => windows,
      (id, m) => heard.set(id, [...(heard.get(id) ?? []), m]),
    );

    expect(c.dispatch('rounds:record', { episodeId, measuredAt: at(10), ...FULL_ROUND }, wardNurse, at(11)).ok).toBe(true);
    expect(heard.get(1)).toMatchObject([{ type: 'notice', own: false, notice: { channel: 'rounds:record' } }]);
    expect(heard.get(2)).toMatchObject([{ type: 'notice', own: true }]);
    expect(heard.get(3)).toBeUndefined();
    expect(heard.get(4)).toBeUndefined();

    // A change of no ward reaches every logged-in window.
    expect(c.dispatch('users:create', { username: 'nurse.new', displayName: '新护士', role: 'nurse', password: 'a-long-password-1' }, admin, at(12)).ok).toBe(true);
    expect(heard.get(3)).toMatchObject([{ type: 'notice', notice: { channel: 'users:create', kinds: ['accounts'], wards: [] } }]);
    stop();
    c.ok('rounds:record', { episodeId, measuredAt: at(30), ...FULL_ROUND });
    expect(heard.get(1)).toHaveLength(2);
  });
});

describe('what a notice refreshes', () => {
  it('every query of the contract says what it follows, and every write what it changes', () => {
    for (const [domain, calls] of Object.entries(contract)) {
      for (const [verb, call] of Object.entries(calls)) {
        const channel = `${domain}:${verb}`;
        if (call.kind === 'query') expect(FOLLOWS, channel).toHaveProperty([channel]);
        else expect(writesOf(channel), channel).toBeDefined();
      }
    }
  });

  const notice = (over: Partial<ChangeNotice>) => ({ all: false, kinds: [], wards: [], facilities: [], episodes: [], patients: [], ...over }) as ChangeNotice;

  it.each([
    ['a round refreshes its own chart', notice({ kinds: ['clinical'], wards: [1], episodes: [5] }), 'chart:get', { episodeId: 5 }, true],
    ['…not another patient’s chart', notice({ kinds: ['clinical'], wards: [1], episodes: [5] }), 'chart:get', { episodeId: 6 }, false],
    ['…its ward’s board', notice({ kinds: ['clinical'], wards: [1], episodes: [5] }), 'wards:board', { wardId: 1 }, true],
    ['…not another ward’s board', notice({ kinds: ['clinical'], wards: [1], episodes: [5] }), 'wards:board', { wardId: 2 }, false],
    ['…the expert queue', notice({ kinds: ['clinical'], wards: [1], episodes: [5] }), 'queue:list', {}, true],
    ['…not the accounts', notice({ kinds: ['clinical'], wards: [1], episodes: [5] }), 'users:list', {}, false],
    ['…the audit log', notice({ kinds: ['clinical'], wards: [1], episodes: [5] }), 'audit:list', {}, true],
    ['a login refreshes only the audit log', notice({ kinds: [] }), 'wards:board', { wardId: 1 }, false],
    ['a restore refreshes everything', notice({ all: true }), 'tiers:list', {}, true],
    ['an account change refreshes the plan team list', notice({ kinds: ['accounts'] }), 'plans:team', {}, true],
    [
      'a transfer refreshes the receiving facility’s incoming list',
      notice({ kinds: ['transfers'], wards: [1, 3], facilities: [1, 2] }),
      'transfers:listIncoming',
      { facilityId: 2 },
      true,
    ],
    ['…not a third facility’s', notice({ kinds: ['transfers'], wards: [1, 3], facilities: [1, 2] }), 'transfers:listIncoming', { facilityId: 9 }, false],
  ] as const)('%s', (_name, n, channel, input, expected) => {
    expect(affects(n, channel, input)).toBe(expected);
  });
});
