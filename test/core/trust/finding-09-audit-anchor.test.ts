import fs from 'node:fs';
import path from 'node:path';
import type { Db } from '../../../electron/core/db/types';
import { openRaw, testKeyProvider } from '../../support/keys';
import { describe, expect, it } from 'vitest';
import { createCore } from '../../../electron/core';
import { auditHash, verifyAuditChain, type AuditRow } from '../../../electron/core/audit/audit';
import { admission, makeCore, makeNetwork, type TestCore } from '../../support/core';
import { settingsVersion } from '../../support/versions';

type Verify = {
  ok: boolean;
  rows: number;
  brokenAt: number | null;
  head: { rows: number; lastId: number | null };
  anchor: { source: string; rows: number; lastId: number | null; backup: string | null } | null;
  problem: { key: string; params?: Record<string, number> } | null;
};

/** What start-up found when it looked up the anchored row (a start and a clean close, like the app's). */
function startupAnchor(dir: string) {
  const core = createCore({ dataDir: dir, log: () => undefined, keyProvider: testKeyProvider() });
  const found = core.auditAnchor;
  core.close();
  return found;
}

function login(c: TestCore): void {
  c.ok('auth:login', { username: 'admin', password: 'correct-horse' });
}

/** Some ordinary days: admissions and setting changes, each with its audit rows. */
function work(c: TestCore & { beds: number[]; wardId: number }, bed: number, name: string): void {
  c.ok('patients:admit', admission({ bedId: c.beds[bed]!, wardId: c.wardId }, { name }));
  c.ok('settings:update', { idleLockMinutes: 5 + bed, version: settingsVersion(c) });
}

/** What someone with the file and the sqlite3 shell can do: lift the trigger, change rows, put the trigger back as it was. */
function withTriggerLifted(file: string, trigger: string, fn: (db: Db) => void): void {
  const db = openRaw(file);
  const sql = db.prepare(`SELECT sql FROM sqlite_schema WHERE type = 'trigger' AND name = ?`).pluck().get(trigger) as string;
  db.transaction(() => {
    db.exec(`DROP TRIGGER ${trigger}`);
    fn(db);
    db.exec(sql);
  })();
  db.close();
}

describe('finding 9: the audit chain is anchored outside the table it protects', { timeout: 30_000 }, () => {
  it('cutting the last audit rows after a clean shutdown is found at start-up and by audit:verify, though the chain itself still verifies', () => {
    const c = makeNetwork();
    work(c, 0, '张伟');
    work(c, 1, '李娜');
    const rowsBefore = c.count('audit');
    const lastId = c.db.prepare('SELECT max(id) FROM audit').pluck().get() as number;
    const dir = c.dir;
    c.close();
    const mark = JSON.parse(fs.readFileSync(path.join(dir, 'echelon.db.clean'), 'utf8')) as { audit: { rows: number; lastId: number } };
    expect(mark.audit).toMatchObject({ rows: rowsBefore, lastId });
    expect(JSON.parse(fs.readFileSync(path.join(dir, 'echelon.db.anchor'), 'utf8'))).toMatchObject({ rows: rowsBefore, lastId, source: 'clean_shutdown' });

    // The admission of 李娜 and what followed it are cut from the log.
    withTriggerLifted(path.join(dir, 'echelon.db'), 'audit_no_delete', (db) => db.prepare('DELETE FROM audit WHERE id > ?').run(lastId - 3));

    expect(startupAnchor(dir)).toEqual({ state: 'mismatch', problem: { key: 'audit.anchor_truncated', params: { id: lastId, rows: rowsBefore - 3, anchorRows: rowsBefore } } });
    const reopened = makeCore(dir);
    expect(verifyAuditChain(reopened.db)).toEqual({ ok: true, rows: rowsBefore - 3 });
    login(reopened);
    const v = reopened.ok<Verify>('audit:verify');
    expect(v).toMatchObject({
      ok: false,
      brokenAt: lastId,
      anchor: { source: 'clean_shutdown', rows: rowsBefore, lastId },
      problem: { key: 'audit.anchor_truncated', params: { id: lastId, anchorRows: rowsBefore } },
    });

    // Closing cleanly again, or backing up, does not make the shortened log the new truth.
    reopened.close();
    expect(startupAnchor(dir)).toMatchObject({ state: 'mismatch' });
  });

  it('a middle row rewritten with every later hash recomputed is found against the anchor the last backup left', async () => {
    const c = makeNetwork();
    work(c, 0, '张伟');
    // The copy holds every row up to here; the backup's own audit row follows it.
    const anchored = c.db.prepare('SELECT max(id) FROM audit').pluck().get() as number;
    const backup = await c.run<{ file: { name: string } }>('backup:create', {});
    expect(backup.ok).toBe(true);
    const name = backup.ok ? backup.value.file.name : '';
    work(c, 1, '李娜');
    expect(c.ok<Verify>('audit:verify')).toMatchObject({ ok: true, anchor: { source: 'backup', backup: name }, problem: null });

    // While the app runs, the admission of 张伟 is rewritten as someone else's, and the chain recomputed from there on.
    const admitted = c.db.prepare(`SELECT id FROM audit WHERE action = 'episode.admit' ORDER BY id LIMIT 1`).pluck().get() as number;
    withTriggerLifted(c.file, 'audit_no_update', (db) => {
      const rows = db.prepare('SELECT * FROM audit WHERE id >= ? ORDER BY id').all(admitted) as AuditRow[];
      let prev =
        (db
          .prepare('SELECT hash FROM audit WHERE id = ?')
          .pluck()
          .get(admitted - 1) as string | undefined) ?? '0'.repeat(64);
      const update = db.prepare('UPDATE audit SET after = ?, prev_hash = ?, hash = ? WHERE id = ?');
      for (const r of rows) {
        const after = r.id === admitted ? JSON.stringify({ forged: true }) : r.after;
        const hash = auditHash({ ...r, after, prev_hash: prev });
        // Hashes are unique: park each on a placeholder first so the chain can be rewritten in place.
        update.run(after, prev, `${hash}-`, r.id);
        prev = hash;
      }
      db.prepare(`UPDATE audit SET hash = substr(hash, 1, 64) WHERE id >= ?`).run(admitted);
    });
    expect(verifyAuditChain(c.db).ok).toBe(true);
    const v = c.ok<Verify>('audit:verify');
    expect(v).toMatchObject({
      ok: false,
      brokenAt: anchored,
      anchor: { source: 'backup', backup: name, lastId: anchored },
      problem: { key: 'audit.anchor_rewritten', params: { id: anchored } },
    });

    // The next backup is a faithful copy of the rewritten file, but the anchor stays where it was.
    const next = await c.run('backup:create', {}, '2022-03-20T07:00:00.000Z');
    expect(next.ok).toBe(true);
    expect(c.ok<Verify>('audit:verify')).toMatchObject({ ok: false, anchor: { backup: name }, problem: { key: 'audit.anchor_rewritten' } });
  });

  it('ordinary life raises no alarm: restarts, backups, work since the anchor, and a restore that takes the log back to the backup', async () => {
    const c = makeNetwork();
    work(c, 0, '张伟');
    const first = await c.run<{ file: { name: string } }>('backup:create', {});
    const name = first.ok ? first.value.file.name : '';
    work(c, 1, '李娜');
    const dir = c.dir;
    c.close();
    expect(startupAnchor(dir)).toEqual({ state: 'ok' });
    const afterClean = makeCore(dir);
    login(afterClean);
    work(Object.assign(afterClean, { beds: c.beds, wardId: c.wardId }), 2, '王芳');
    expect(afterClean.ok<Verify>('audit:verify')).toMatchObject({ ok: true, anchor: { source: 'clean_shutdown' }, problem: null });

    // Restoring the first backup takes the log back; the anchor goes back with it.
    const restored = await afterClean.run('backup:restore', { name, confirm: name });
    expect(restored.ok).toBe(true);
    login(afterClean);
    expect(afterClean.ok<Verify>('audit:verify')).toMatchObject({ ok: true, anchor: { source: 'restore', backup: name }, problem: null });
    afterClean.close();
    expect(startupAnchor(dir)).toEqual({ state: 'ok' });
  });

  it('deleting only the anchor file after a clean shutdown does not lose the anchor: the clean mark carries the same head', () => {
    const c = makeNetwork();
    work(c, 0, '张伟');
    const rows = c.count('audit');
    const dir = c.dir;
    c.close();
    fs.rmSync(path.join(dir, 'echelon.db.anchor'));
    withTriggerLifted(path.join(dir, 'echelon.db'), 'audit_no_delete', (db) => db.prepare('DELETE FROM audit WHERE id > ?').run(rows - 1));
    expect(startupAnchor(dir)).toMatchObject({ state: 'mismatch', problem: { key: 'audit.anchor_truncated', params: { anchorRows: rows } } });
  });

  it('an anchor file that was tampered with is reported, not ignored', () => {
    const c = makeNetwork();
    work(c, 0, '张伟');
    const dir = c.dir;
    c.close();
    fs.writeFileSync(path.join(dir, 'echelon.db.anchor'), '{"rows": "many"}');
    expect(startupAnchor(dir)).toEqual({ state: 'unreadable' });
    const reopened = makeCore(dir);
    login(reopened);
    expect(reopened.ok<Verify>('audit:verify')).toMatchObject({ ok: false, problem: { key: 'audit.anchor_unreadable' } });
  });
});
