import type { Db } from '../../../electron/core/db/types';
import { openRaw } from '../../support/keys';
import { describe, expect, it } from 'vitest';
import { REPLACE_GUARDED_TABLES } from '../../../electron/core/db/migration-012-replace';
import { addUser, admission, makeCore, makeNetwork, NOW } from '../../support/core';

type Row = Record<string, unknown>;

function refusal(db: Db, sql: string, params: unknown[] = []): string | undefined {
  try {
    db.prepare(sql).run(...params);
  } catch (err) {
    return (err as { code?: string }).code;
  }
  return undefined;
}

/** `INSERT OR REPLACE INTO t (cols) SELECT …`: the row `id` again, or a new row, with some columns changed. */
function replaceSql(db: Db, table: string, verb: string, set: Record<string, string>): string {
  const cols = db.prepare('SELECT name FROM pragma_table_info(?) ORDER BY cid').pluck().all(table) as string[];
  return `${verb} INTO "${table}" (${cols.map((c) => `"${c}"`).join(', ')}) SELECT ${cols.map((c) => set[c] ?? `"${c}"`).join(', ')} FROM "${table}" WHERE id = ?`;
}

describe('finding 6: REPLACE cannot remove a signed row or an audit row, whatever the pragmas', () => {
  it('every signed table and the audit table refuse REPLACE INTO and INSERT OR REPLACE over an existing id from a raw connection, with recursive_triggers off and on, and the old row stays', () => {
    const c = makeCore();
    c.ok('setup:loadDemo', { seed: 20220320 });
    const file = c.file;
    c.close();
    const raw = openRaw(file);
    // What someone with the file and the sqlite3 shell gets: no foreign keys, no trusted schema rules.
    raw.pragma('foreign_keys = OFF');
    // A change every table accepts that the old row does not have: the text of a nullable note, or the author.
    const forged: Record<string, Record<string, string>> = {
      round: { note: `'forged'` },
      lab_result: { n_ct: '38', orf1ab_ct: '38', note: `'forged'` },
      imaging: { finding: `'forged'` },
      class_assessment: { reason: `'forged'` },
      tier_assignment: { reason: `'forged'` },
      review: { note: `'forged'` },
      discharge: { summary: `'forged'` },
      plan_version: { change_note: `'forged'` },
      referral: { note: `'forged'` },
      flag_snooze: { reason: `'forged'` },
      placement: { created_by: 'created_by + 1' },
      audit: { after: `'"forged"'` },
      import_batch: { file_name: `'forged.csv'` },
    };
    // The demo network leaves some tables empty: give each one row, as the app would write it.
    const admin = raw.prepare('SELECT id FROM app_user ORDER BY id LIMIT 1').pluck().get() as number;
    const episode = raw.prepare('SELECT id FROM episode ORDER BY id LIMIT 1').pluck().get() as number;
    const ward = raw.prepare('SELECT id FROM ward ORDER BY id LIMIT 1').pluck().get() as number;
    const empty = (t: string) => raw.prepare(`SELECT count(*) FROM "${t}"`).pluck().get() === 0;
    if (empty('import_batch'))
      raw
        .prepare(
          `INSERT INTO import_batch (file_name, encoding, imported_at, imported_by, ward_id, admitted_at, rows_in_file, rows_imported, rows_skipped, mapping, report) VALUES ('list.csv', 'utf-8', ?, ?, ?, ?, 0, 0, 0, '{}', '{}')`,
        )
        .run(NOW, admin, ward, NOW);
    if (empty('referral')) raw.prepare(`INSERT INTO referral (episode_id, at, author_id, note) VALUES (?, ?, ?, '请专家组会诊')`).run(episode, NOW, admin);
    if (empty('flag_snooze'))
      raw
        .prepare(`INSERT INTO flag_snooze (episode_id, flag_code, at, until, author_id, reason) VALUES (?, 'news2_high', ?, '2022-03-21T06:05:00.000Z', ?, '已处理')`)
        .run(episode, NOW, admin);
    let tried = 0;
    for (const recursive of [false, true]) {
      raw.pragma(`recursive_triggers = ${recursive ? 'ON' : 'OFF'}`);
      for (const table of REPLACE_GUARDED_TABLES) {
        const set = forged[table];
        expect(set, `a forged value for ${table}`).toBeDefined();
        const row = raw.prepare(`SELECT * FROM "${table}" ORDER BY id LIMIT 1`).get() as Row | undefined;
        if (!row) continue;
        const count = raw.prepare(`SELECT count(*) FROM "${table}"`).pluck().get();
        for (const verb of ['REPLACE', 'INSERT OR REPLACE']) {
          expect(refusal(raw, replaceSql(raw, table, verb, set!), [row.id]), `${verb} ${table}, recursive_triggers ${recursive}`).toBe('SQLITE_CONSTRAINT_TRIGGER');
          tried += 1;
        }
        expect(raw.prepare(`SELECT * FROM "${table}" WHERE id = ?`).get(row.id), `${table} row unchanged`).toEqual(row);
        expect(raw.prepare(`SELECT count(*) FROM "${table}"`).pluck().get()).toBe(count);
      }
    }
    expect(tried).toBe(2 * 2 * REPLACE_GUARDED_TABLES.length);
    raw.close();
  }, 60_000);

  it('every table that refuses DELETE by trigger, including ones later migrations add, also refuses an insert that REPLACE would turn into a delete', () => {
    const c = makeCore();
    const triggers = c.db.prepare(`SELECT name, tbl_name, sql FROM sqlite_schema WHERE type = 'trigger'`).all() as { name: string; tbl_name: string; sql: string }[];
    const noDelete = triggers.filter((t) => /\bBEFORE DELETE\b/i.test(t.sql) && /RAISE\s*\(\s*ABORT/i.test(t.sql)).map((t) => t.tbl_name);
    expect(noDelete).toEqual(expect.arrayContaining(['round', 'discharge', 'audit', 'placement']));
    for (const table of noDelete) {
      const guard = triggers.find((t) => t.tbl_name === table && /\bBEFORE INSERT\b/i.test(t.sql) && /NEW\.id/.test(t.sql));
      expect(guard?.name, `${table} has a BEFORE INSERT guard on its id`).toBe(`${table}_no_replace`);
    }
  });

  it('a new row colliding on another unique key is refused too: a second amendment of the same round, an audit row with an existing hash, a placement into an occupied bed', () => {
    const c = makeNetwork();
    const a = c.ok<{ episodeId: number }>('patients:admit', admission({ bedId: c.beds[0]!, wardId: c.wardId }));
    const file = c.file;
    c.close();
    const raw = openRaw(file);
    // An original round and its amendment, as the rounds service writes them.
    const author = raw.prepare('SELECT id FROM app_user ORDER BY id LIMIT 1').pluck().get() as number;
    const insertRound = raw.prepare(
      `INSERT INTO round (episode_id, measured_at, resp_rate, entered_at, author_id, entry_kind, supersedes_id, reason) VALUES (?, '2022-03-20T05:00:00.000Z', ?, ?, ?, ?, ?, ?)`,
    );
    const first = Number(insertRound.run(a.episodeId, 28, NOW, author, 'original', null, null).lastInsertRowid);
    const amended = { roundId: Number(insertRound.run(a.episodeId, 18, NOW, author, 'amendment', first, '抄写错误').lastInsertRowid) };
    for (const recursive of [false, true]) {
      raw.pragma(`recursive_triggers = ${recursive ? 'ON' : 'OFF'}`);
      const before = raw.prepare('SELECT * FROM round ORDER BY id').all();
      // A forged "amendment" of the same original, with a fresh id: REPLACE would delete the real amendment.
      expect(refusal(raw, replaceSql(raw, 'round', 'INSERT OR REPLACE', { id: 'NULL', resp_rate: '30', reason: `'forged'` }), [amended.roundId])).toBe('SQLITE_CONSTRAINT_TRIGGER');
      expect(raw.prepare('SELECT * FROM round ORDER BY id').all()).toEqual(before);

      const audit = raw.prepare('SELECT * FROM audit ORDER BY id').all() as Row[];
      expect(refusal(raw, replaceSql(raw, 'audit', 'INSERT OR REPLACE', { id: 'NULL', after: 'NULL' }), [audit[1]!.id])).toBe('SQLITE_CONSTRAINT_TRIGGER');
      expect(raw.prepare('SELECT * FROM audit ORDER BY id').all()).toEqual(audit);

      const placements = raw.prepare('SELECT * FROM placement ORDER BY id').all() as Row[];
      expect(refusal(raw, replaceSql(raw, 'placement', 'REPLACE', { id: 'NULL', episode_id: 'episode_id + 100' }), [placements[0]!.id])).toBe('SQLITE_CONSTRAINT_TRIGGER');
      // UPDATE OR REPLACE onto another placement's id.
      expect(refusal(raw, `UPDATE OR REPLACE placement SET id = id + 1000 WHERE id = ?`, [placements[0]!.id])).toBe('SQLITE_CONSTRAINT_TRIGGER');
      expect(raw.prepare('SELECT * FROM placement ORDER BY id').all()).toEqual(placements);
    }
    raw.close();
  });

  it('normal writes still work beside the guards: admission, rounds, an amendment, a withdrawal, and a second amendment of a superseded round is still a CONFLICT', () => {
    const c = makeNetwork();
    const a = c.ok<{ episodeId: number }>('patients:admit', admission({ bedId: c.beds[0]!, wardId: c.wardId }));
    addUser(c, 'ward_doctor', { login: true });
    const r = c.ok<{ roundId: number }>('rounds:record', { episodeId: a.episodeId, measuredAt: '2022-03-20T05:00:00.000Z', respRate: 22 });
    const amended = c.ok<{ roundId: number }>('rounds:amend', { roundId: r.roundId, reason: '更正', measuredAt: '2022-03-20T05:00:00.000Z', respRate: 20 });
    c.ok('rounds:enterInError', { roundId: amended.roundId, reason: '录错患者' });
    const again = c.call('rounds:amend', { roundId: r.roundId, reason: '再次更正', measuredAt: '2022-03-20T05:00:00.000Z', respRate: 19 });
    expect(again.ok).toBe(false);
    expect(!again.ok && again.error.code).toBe('CONFLICT');
    expect(c.count('round')).toBe(3);
    expect(c.db.prepare('SELECT count(*) FROM audit').pluck().get()).toBeGreaterThan(3);
  });
});
