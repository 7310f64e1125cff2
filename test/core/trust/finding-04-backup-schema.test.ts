import fs from 'node:fs';
import path from 'node:path';
import { openRaw, testKeyProvider } from '../../support/keys';
import { describe, expect, it } from 'vitest';
import { restoreAtStartup } from '../../../electron/core/backup/restore';
import { verifyDatabaseFile } from '../../../electron/core/backup/verify';
import { LATEST_VERSION } from '../../../electron/core/db/migrations';
import { AppError } from '../../../shared/errors';
import { admission, makeCore, makeNetwork, tempDir, type TestCore } from '../../support/core';
import { writeOldCopy } from './old-copy';
import { snapshot } from './support';
import { settingsVersion } from '../../support/versions';

type Problem = { key: string; params?: Record<string, string | number> };
type Verification = { ok: boolean; problems: Problem[] };

async function backupNow(c: TestCore): Promise<string> {
  const r = await c.run<{ file: { name: string } }>('backup:create', {});
  if (!r.ok) throw new Error(JSON.stringify(r.error));
  return r.value.file.name;
}

/**
 * What the outside review did to a backup: the immutability triggers of the audit log and of rounds
 * dropped, and a trigger of its own planted that makes every account an administrator the next time
 * anything is audited, which in Echelon is every action.
 */
function tamper(file: string, record = file): void {
  const w = openRaw(file, { record });
  w.exec(`
    DROP TRIGGER audit_no_update;
    DROP TRIGGER audit_no_delete;
    DROP TRIGGER round_immutable;
    CREATE TRIGGER zz_promote AFTER INSERT ON audit BEGIN UPDATE app_user SET role = 'admin'; END;`);
  w.close();
}

const names = (v: Verification, key: string) => v.problems.find((p) => p.key === key)?.params?.names;

describe('finding 4: a backup whose schema is not the one our migrations make is refused everywhere', { timeout: 30_000 }, () => {
  it('a copy with the immutability triggers dropped and a trigger planted is refused by inspect, import, restore and the start-up restore, naming what differs, and nothing is restored', async () => {
    const outside = tempDir('echelon-outside-');
    const c = makeCore(tempDir(), { host: { chooseBackupSource: async () => path.join(outside, 'handover.db') } });
    c.ok('setup:createAdmin', { username: 'admin', displayName: '管理员', password: 'correct-horse' });
    c.ok('users:create', { username: 'nurse.li', displayName: '李护士', role: 'nurse', password: 'nurse-password' });
    const name = await backupNow(c);
    const backup = path.join(c.dir, 'backups', name);
    fs.copyFileSync(backup, path.join(outside, 'handover.db'));
    tamper(backup);
    tamper(path.join(outside, 'handover.db'), c.file);

    const inspected = c.ok<{ verification: Verification }>('backup:inspect', { name }).verification;
    expect(inspected.ok).toBe(false);
    expect(inspected.problems.map((p) => p.key)).toEqual(['backup.schema_mismatch', 'backup.schema.trigger_missing', 'backup.schema.trigger_unexpected']);
    expect(inspected.problems[0]?.params).toEqual({ n: 4 });
    expect(names(inspected, 'backup.schema.trigger_missing')).toBe('audit_no_delete, audit_no_update, round_immutable');
    expect(names(inspected, 'backup.schema.trigger_unexpected')).toBe('zz_promote');

    const before = snapshot(c.db);
    const restored = await c.run('backup:restore', { name, confirm: name });
    expect(!restored.ok && restored.error.details).toMatchObject({ key: 'backup.not_restorable', problems: inspected.problems });
    expect(fs.existsSync(path.join(c.dir, 'replaced'))).toBe(false);
    expect(fs.existsSync(path.join(c.dir, 'echelon.db.restoring'))).toBe(false);
    expect(snapshot(c.db)).toEqual(before);
    // The live database carries on as it was: its own triggers, not the planted one; the nurse is a nurse.
    c.ok('settings:update', { idleLockMinutes: 7, version: settingsVersion(c) });
    expect(c.db.prepare(`SELECT role FROM app_user WHERE username = 'nurse.li'`).pluck().get()).toBe('nurse');
    expect(c.db.prepare(`SELECT name FROM sqlite_schema WHERE name = 'zz_promote'`).get()).toBeUndefined();

    const imported = await c.run<{ file: unknown; verification: Verification }>('backup:import', {});
    expect(imported.ok && imported.value.file).toBeNull();
    expect(imported.ok && imported.value.verification.problems.map((p) => p.key)).toContain('backup.schema.trigger_unexpected');
    expect(c.ok<{ files: { name: string }[] }>('backup:list').files.map((f) => f.name)).toEqual([name]);

    const dir = c.dir;
    c.close();
    const dbFile = path.join(dir, 'echelon.db');
    const original = fs.readFileSync(dbFile);
    let refused: unknown = null;
    try {
      restoreAtStartup(dbFile, backup, '2022-03-20T07:00:00.000Z', 'Asia/Shanghai', { keyProvider: testKeyProvider() });
    } catch (err) {
      refused = err;
    }
    expect(refused).toBeInstanceOf(AppError);
    expect((refused as AppError).details.key).toBe('backup.not_restorable');
    expect(fs.readFileSync(dbFile).equals(original)).toBe(true);
  });

  it('tables, indexes and views are compared too: a changed table, a dropped index and an added view are each named', async () => {
    const c = makeNetwork();
    c.ok('patients:admit', admission({ bedId: c.beds[0]!, wardId: c.wardId }));
    const name = await backupNow(c);
    const backup = path.join(c.dir, 'backups', name);
    const w = openRaw(backup);
    w.exec(`
      ALTER TABLE patient ADD COLUMN note TEXT;
      DROP INDEX audit_user;
      CREATE VIEW everyone AS SELECT username, password_hash FROM app_user;`);
    w.close();
    const v = c.ok<{ verification: Verification }>('backup:inspect', { name }).verification;
    expect(v.ok).toBe(false);
    expect(v.problems.map((p) => [p.key, p.params?.names ?? null])).toEqual([
      ['backup.schema_mismatch', null],
      ['backup.schema.index_missing', 'audit_user'],
      ['backup.schema.view_unexpected', 'everyone'],
      ['backup.schema.table_changed', 'patient'],
    ]);
  });

  it('a copy that Echelon wrote is accepted, and so is an untouched copy of an older schema, which opening migrates', async () => {
    const c = makeNetwork();
    const name = await backupNow(c);
    expect(c.ok<{ verification: Verification }>('backup:inspect', { name }).verification).toMatchObject({ ok: true, problems: [] });

    const older = path.join(c.dir, 'backups', 'echelon-20220319-100000.db');
    writeOldCopy(older, 11);
    expect(verifyDatabaseFile(older)).toMatchObject({ ok: true, schemaVersion: 11 });
    const r = await c.run('backup:restore', { name: 'echelon-20220319-100000.db', confirm: 'echelon-20220319-100000.db' });
    expect(r.ok).toBe(true);
    expect(c.db.pragma('user_version', { simple: true })).toBe(LATEST_VERSION);
    expect(c.db.prepare(`SELECT count(*) FROM sqlite_schema WHERE type = 'trigger' AND name = 'audit_no_replace'`).pluck().get()).toBe(1);
  });

  it('a live database whose schema was altered cannot be backed up as if it were sound: the copy fails verification and is removed', async () => {
    const c = makeNetwork();
    c.db.exec(`CREATE TRIGGER zz_promote AFTER INSERT ON audit BEGIN UPDATE app_user SET role = 'admin'; END;`);
    const r = await c.run('backup:create', {});
    expect(!r.ok && r.error.details).toMatchObject({ key: 'backup.verify_failed' });
    expect(!r.ok && (r.error.details.problems as Problem[]).map((p) => p.key)).toEqual(['backup.schema_mismatch', 'backup.schema.trigger_unexpected']);
    expect(fs.readdirSync(path.join(c.dir, 'backups'))).toEqual([]);
  });
});
