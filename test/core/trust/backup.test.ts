import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createCore } from '../../../electron/core';
import { verifyAuditChain } from '../../../electron/core/audit/audit';
import { restoreAtStartup, recoverInterruptedRestore, stageRestore, swapIn } from '../../../electron/core/backup/restore';
import { openRaw, testKeyProvider, testKeysFor } from '../../support/keys';
import { fsError } from '../../../electron/core/backup/files';
import { AppError } from '../../../shared/errors';
import { addUser, admission, makeCore, makeNetwork, NOW, tempDir, type TestCore } from '../../support/core';
import { dumpAll, snapshot } from './support';
import { writeOldCopy } from './old-copy';
import { settingsVersion } from '../../support/versions';

type Created = {
  cancelled: boolean;
  file: { name: string; size: number } | null;
  verification: { ok: boolean; patients: number | null; auditChainOk: boolean | null } | null;
  pruned: string[];
};

async function backupNow(c: TestCore, now = NOW): Promise<Created> {
  const r = await c.run<Created>('backup:create', {}, now);
  if (!r.ok) throw new Error(JSON.stringify(r.error));
  return r.value;
}

/** A network with some history: admissions, a ward-scoped nurse, a changed setting. */
function busyNetwork() {
  const c = makeNetwork();
  c.ok('patients:admit', admission({ bedId: c.beds[0]!, wardId: c.wardId }, { name: '张伟', idCard: '110105194912310038', phone: '13800138000' }));
  c.ok('patients:admit', admission({ bedId: c.zoneBeds[0]!, wardId: c.zoneId }, { name: '李娜', sex: 'F', ageYears: 34, riskFactors: [] }));
  c.ok('users:create', { username: 'nurse.zhang', displayName: '张护士', role: 'nurse', password: 'nurse-password', wardIds: [c.zoneId] });
  c.ok('settings:update', { idleLockMinutes: 5, version: settingsVersion(c) });
  return c;
}

describe('backup', { timeout: 30_000 }, () => {
  it("restores the live connection's page cache after the copy, which is written with a small one (issue 17: the server's RSS)", async () => {
    const c = busyNetwork();
    const before = c.db.pragma('cache_size', { simple: true });
    expect(before).toBe(-65536);
    expect((await backupNow(c)).verification?.ok).toBe(true);
    expect(c.db.pragma('cache_size', { simple: true })).toBe(before);
    c.close();
  });

  it('writes a verified, self-contained copy to the backups folder, named by the hospital clock, and lists it', async () => {
    const c = busyNetwork();
    const r = await backupNow(c);
    // NOW is 06:05 UTC, 14:05 in Shanghai.
    expect(r.file?.name).toBe('echelon-20220320-140500.db');
    expect(r.verification).toMatchObject({ ok: true, patients: 2, auditChainOk: true });
    const file = path.join(c.dir, 'backups', r.file!.name);
    // Encrypted (issue 20): no SQLite header in the clear; opened with the record's key it is in rollback-journal mode, not WAL: one file holds everything.
    expect(fs.readFileSync(file).subarray(0, 16).toString('latin1')).not.toBe('SQLite format 3\u0000');
    const copy = openRaw(file, { readonly: true });
    expect(copy.pragma('journal_mode', { simple: true })).toBe('delete');
    copy.close();
    expect(fs.existsSync(`${file}-wal`)).toBe(false);
    expect(fs.readdirSync(path.join(c.dir, 'backups'))).toEqual([r.file!.name]);

    const list = c.ok<{ files: { name: string; kind: string; createdAt: string }[]; keep: number; canChooseFile: boolean }>('backup:list');
    expect(list.files).toEqual([{ name: r.file!.name, kind: 'backup', size: r.file!.size, createdAt: NOW }]);
    expect(list.keep).toBe(14);
    expect(list.canChooseFile).toBe(false);
    expect(c.db.prepare(`SELECT action, json_extract(after, '$.name') AS name FROM audit ORDER BY id DESC LIMIT 1`).get()).toEqual({ action: 'backup.create', name: r.file!.name });

    const inspected = c.ok<{ verification: { ok: boolean; schemaVersion: number; users: number } }>('backup:inspect', { name: r.file!.name });
    expect(inspected.verification).toMatchObject({ ok: true, users: 2 });
  });

  it('keeps the configured number of dated backups and removes the oldest', async () => {
    const c = busyNetwork();
    c.ok('settings:update', { backupKeep: 3, version: settingsVersion(c) });
    const names: string[] = [];
    for (let h = 0; h < 5; h++) names.push((await backupNow(c, `2022-03-2${h}T01:00:00.000Z`)).file!.name);
    const last = await backupNow(c, '2022-03-25T01:00:00.000Z');
    expect(last.pruned).toEqual([names[2]]);
    expect(c.ok<{ files: { name: string }[] }>('backup:list').files.map((f) => f.name)).toEqual([last.file!.name, names[4], names[3]]);
  });

  it('takes the daily backup at start-up when the newest is a day old, and not before', async () => {
    const c = busyNetwork();
    expect(await c.autoBackup('2022-03-20T00:00:00.000Z')).toEqual({ status: 'created', name: 'echelon-20220320-080000.db' });
    expect(await c.autoBackup('2022-03-20T23:59:00.000Z')).toEqual({ status: 'not_due' });
    expect(await c.autoBackup('2022-03-21T00:00:00.000Z')).toEqual({ status: 'created', name: 'echelon-20220321-080000.db' });
    const autos = c.db.prepare(`SELECT user_id, action FROM audit WHERE action = 'backup.auto'`).all();
    expect(autos).toEqual([
      { user_id: null, action: 'backup.auto' },
      { user_id: null, action: 'backup.auto' },
    ]);
  });

  it('refuses a second backup or restore while one is running', async () => {
    const c = busyNetwork();
    const first = c.run('backup:create', {});
    const second = await c.run('backup:create', {});
    expect(!second.ok && second.error.details.key).toBe('backup.busy');
    expect((await first).ok).toBe(true);
  });

  it('with the host’s dialogs: backs up to the chosen file, imports a chosen file, and a cancelled dialog changes nothing', async () => {
    const outside = tempDir('echelon-outside-');
    let choice: string | null = path.join(outside, 'handover.db');
    const c = makeCore(tempDir(), { host: { chooseBackupDestination: async () => choice, chooseBackupSource: async () => choice } });
    c.ok('setup:createAdmin', { username: 'admin', displayName: '管理员', password: 'correct-horse' });
    expect(c.ok<{ canChooseFile: boolean }>('backup:list').canChooseFile).toBe(true);

    const saved = await c.run<Created>('backup:create', { target: 'file' });
    expect(saved.ok && saved.value.verification?.ok).toBe(true);
    expect(fs.existsSync(path.join(outside, 'handover.db'))).toBe(true);

    const imported = await c.run<{ file: { name: string; kind: string } | null; verification: { ok: boolean } }>('backup:import', {});
    expect(imported.ok && imported.value.file?.kind).toBe('imported');
    expect(imported.ok && imported.value.file?.name).toMatch(/^imported-20220320-140500\.db$/);

    // A file that is not an Echelon database is verified, refused, and not kept.
    choice = path.join(outside, 'notes.db');
    fs.writeFileSync(choice, '不是数据库');
    const refused = await c.run<{ file: null; verification: { ok: boolean; problems: { key: string }[] } }>('backup:import', {});
    expect(refused.ok && refused.value.verification.problems).toEqual([{ key: 'storage.not_sqlite' }]);
    expect(c.ok<{ files: unknown[] }>('backup:list').files).toHaveLength(1);

    choice = null;
    const before = snapshot(c.db);
    const cancelled = await c.run<Created>('backup:create', { target: 'file' });
    expect(cancelled.ok && cancelled.value.cancelled).toBe(true);
    expect(snapshot(c.db)).toEqual(before);
  });

  it('without dialogs (the browser), a backup to a file is refused with a clear reason', async () => {
    const c = busyNetwork();
    const r = await c.run('backup:create', { target: 'file' });
    expect(!r.ok && r.error.details.key).toBe('backup.no_dialog');
  });

  it('maps a full disk, a read-only folder and other file errors to the storage messages', () => {
    const err = (code: string) => Object.assign(new Error(code), { code });
    expect(fsError(err('ENOSPC')).details.key).toBe('storage.full');
    expect(fsError(err('EROFS')).details.key).toBe('storage.readonly');
    expect(fsError(err('EACCES')).details.key).toBe('storage.readonly');
    expect(fsError(err('EIO')).details.key).toBe('storage.io');
    expect(fsError(err('SQLITE_FULL')).details.key).toBe('storage.full');
  });
});

describe('restore', { timeout: 30_000 }, () => {
  it('backup → wipe → restore reproduces every row of every table, and everyone logs in again', async () => {
    const c = busyNetwork();
    // What the copy holds: everything up to the backup (its own audit row comes after the copy).
    const original = dumpAll(c.db);
    const { file } = await backupNow(c);
    const dir = c.dir;
    c.close();

    // The data folder loses its database: a new, empty one is set up in its place.
    for (const s of ['', '-wal', '-shm']) fs.rmSync(path.join(dir, `echelon.db${s}`), { force: true });
    const fresh = makeCore(dir);
    fresh.ok('setup:createAdmin', { username: 'admin', displayName: '新管理员', password: 'another-horse' });
    const wiped = dumpAll(fresh.db);
    expect(wiped.patient).toEqual([]);

    const r = await fresh.run<{ restoredFrom: string; replacedAs: string }>('backup:restore', { name: file!.name, confirm: file!.name });
    expect(r.ok, JSON.stringify(r)).toBe(true);
    const restored = dumpAll(fresh.db);
    for (const table of Object.keys(original)) {
      if (table === 'audit') continue;
      expect(restored[table], table).toEqual(original[table]);
    }
    // The audit trail is the original one, continued by one row recording the restore.
    expect(restored.audit!.slice(0, original.audit!.length)).toEqual(original.audit);
    expect(restored.audit!.slice(original.audit!.length).map((a) => (a as { action: string }).action)).toEqual(['backup.restore']);
    expect(verifyAuditChain(fresh.db).ok).toBe(true);

    // The wiped database was kept aside, whole.
    const replaced = path.join(dir, r.ok ? r.value.replacedAs : '');
    const aside = openRaw(replaced, { readonly: true });
    expect(aside.prepare(`SELECT display_name FROM app_user`).pluck().all()).toEqual(['新管理员']);
    expect(aside.prepare(`SELECT action FROM audit ORDER BY id DESC LIMIT 1`).pluck().get()).toBe('backup.restore_started');
    aside.close();

    // Every session ends with the restore, this one too.
    const after = fresh.call('facilities:list');
    expect(!after.ok && after.error.code).toBe('UNAUTHENTICATED');
    expect(fresh.session.user).toBeNull();
    fresh.ok('auth:login', { username: 'admin', password: 'correct-horse' });
    expect(fresh.ok<{ id: number }[]>('facilities:list')).toHaveLength(2);
  });

  it('needs the backup’s name typed as confirmation; otherwise nothing changes', async () => {
    const c = busyNetwork();
    const { file } = await backupNow(c);
    c.ok('patients:admit', admission({ bedId: c.beds[1]!, wardId: c.wardId }, { name: '备份之后' }));
    const before = snapshot(c.db);
    const r = await c.run('backup:restore', { name: file!.name, confirm: 'yes' });
    expect(!r.ok && r.error.details.issues).toEqual([{ field: 'confirm', key: 'backup.confirm_mismatch', params: { name: file!.name } }]);
    const traversal = await c.run('backup:restore', { name: '../echelon.db', confirm: '../echelon.db' });
    expect(!traversal.ok && traversal.error.code).toBe('VALIDATION');
    expect(snapshot(c.db)).toEqual(before);
    expect(c.session.user).not.toBeNull();
  });

  it('refuses a damaged backup and leaves the current database as it was', async () => {
    const c = busyNetwork();
    const { file } = await backupNow(c);
    const backup = path.join(c.dir, 'backups', file!.name);
    const bytes = fs.readFileSync(backup);
    for (let i = 2 * 4096; i < bytes.length; i += 7) bytes[i] = 0x5a;
    fs.writeFileSync(backup, bytes);
    expect(c.ok<{ verification: { ok: boolean } }>('backup:inspect', { name: file!.name }).verification.ok).toBe(false);
    const before = snapshot(c.db);
    const r = await c.run('backup:restore', { name: file!.name, confirm: file!.name });
    expect(!r.ok && r.error.details.key).toBe('backup.not_restorable');
    expect(snapshot(c.db)).toEqual(before);
    expect(fs.existsSync(path.join(c.dir, 'replaced'))).toBe(false);
    expect(fs.existsSync(path.join(c.dir, 'echelon.db.restoring'))).toBe(false);
  });

  it('puts the original back when the restored file will not open, and the app carries on', async () => {
    const c = busyNetwork();
    // A copy that passes every check but cannot be migrated: an old schema (3) whose data migration 5's
    // unique index refuses (two transfers holding the same bed).
    const file = { name: 'echelon-20220319-100000.db' };
    fs.mkdirSync(path.join(c.dir, 'backups'), { recursive: true });
    writeOldCopy(path.join(c.dir, 'backups', file.name), 3, { sameBedTwice: true });
    expect(c.ok<{ verification: { ok: boolean } }>('backup:inspect', { name: file.name }).verification.ok).toBe(true);
    c.ok('patients:admit', admission({ bedId: c.beds[1]!, wardId: c.wardId }, { name: '恢复失败后仍在' }));
    const before = dumpAll(c.db);
    const r = await c.run('backup:restore', { name: file!.name, confirm: file!.name });
    expect(!r.ok && r.error.code).toBe('STORAGE');
    const after = dumpAll(c.db);
    expect(after.patient).toEqual(before.patient);
    expect((after.audit as { action: string }[]).at(-1)?.action).toBe('backup.restore_started');
    expect(c.ok<{ id: number }[]>('facilities:list')).toHaveLength(2);
    expect(fs.readdirSync(c.dir).filter((f) => f.startsWith('echelon.db'))).toEqual(expect.arrayContaining(['echelon.db']));
    expect(fs.existsSync(path.join(c.dir, 'restore-in-progress.json'))).toBe(false);
  });

  it('after a crash in the middle of the swap, the next start has the original or the whole backup, never half', async () => {
    const c = busyNetwork();
    const { file } = await backupNow(c);
    c.ok('patients:admit', admission({ bedId: c.beds[1]!, wardId: c.wardId }, { name: '崩溃前录入' }));
    const dir = c.dir;
    const patientsNow = c.count('patient');
    c.close();
    const dbFile = path.join(dir, 'echelon.db');

    // Crash after the original was moved aside, before the staged copy was renamed in.
    const { stage } = stageRestore(dbFile, path.join(dir, 'backups', file!.name), { keys: testKeysFor(dbFile) });
    const plan = swapIn(dbFile, stage, '20220320-150000');
    fs.renameSync(dbFile, stage);
    expect(fs.existsSync(dbFile)).toBe(false);
    void plan;
    expect(recoverInterruptedRestore(dbFile)).toBe('rolled_back');
    const back = makeCore(dir);
    expect(back.count('patient')).toBe(patientsNow);
    back.close();

    // Crash after the swap, before the marker was removed: the restored database is kept.
    const again = stageRestore(dbFile, path.join(dir, 'backups', file!.name), { keys: testKeysFor(dbFile) });
    swapIn(dbFile, again.stage, '20220320-150100');
    const restored = makeCore(dir); // createCore finishes the restore first
    expect(restored.count('patient')).toBe(2);
    expect(fs.existsSync(path.join(dir, 'restore-in-progress.json'))).toBe(false);
    restored.close();
  });

  it('at start-up, a corrupt database can be replaced by the newest backup; the corrupt file is kept aside untouched', async () => {
    const c = busyNetwork();
    const { file } = await backupNow(c);
    c.db.pragma('wal_checkpoint(TRUNCATE)');
    const dir = c.dir;
    c.close();
    const dbFile = path.join(dir, 'echelon.db');
    const bytes = fs.readFileSync(dbFile);
    for (let i = 8 * 4096; i < bytes.length - 4096; i++) bytes[i] = (i * 13) & 0xff;
    fs.writeFileSync(dbFile, bytes);
    const refused = (() => {
      try {
        createCore({ dataDir: dir, log: () => undefined, keyProvider: testKeyProvider() });
      } catch (err) {
        return err as AppError;
      }
      return null;
    })();
    expect(refused?.details.key).toBe('storage.corrupt');

    const r = restoreAtStartup(dbFile, path.join(dir, 'backups', file!.name), '2022-03-20T07:00:00.000Z', 'Asia/Shanghai', { keyProvider: testKeyProvider() });
    expect(r.verification.ok).toBe(true);
    expect(fs.readFileSync(path.join(dir, r.replacedAs)).equals(bytes)).toBe(true);
    const opened = makeCore(dir);
    expect(opened.count('patient')).toBe(2);
    expect(opened.db.prepare(`SELECT action, user_id FROM audit ORDER BY id DESC LIMIT 1`).get()).toEqual({ action: 'backup.restore', user_id: null });
    opened.close();
  });
});

describe('export of all data', { timeout: 30_000 }, () => {
  it('writes one CSV per table with a BOM, RFC 4180 quoting and formula guard, never the password hashes, and audits it', () => {
    const c = busyNetwork();
    c.ok('patients:admit', admission({ bedId: c.beds[1]!, wardId: c.wardId }, { name: '=HYPERLINK("http://x")', allergies: '青霉素, "头孢"\n磺胺' }));
    addUser(c, 'expert');
    const r = c.ok<{ folder: string; tables: { table: string; rows: number; file: string }[] }>('export:csv');
    expect(r.folder).toBe(path.join('exports', '20220320-140500'));
    const tables = c.db.prepare(`SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name`).pluck().all();
    expect(r.tables.map((t) => t.table)).toEqual(tables);
    // The files show the moment before the export; its own audit row follows them.
    for (const t of r.tables) expect(t.rows, t.table).toBe(c.count(t.table) - (t.table === 'audit' ? 1 : 0));

    const users = fs.readFileSync(path.join(c.dir, r.folder, 'app_user.csv'), 'utf8');
    expect(users.charCodeAt(0)).toBe(0xfeff);
    expect(users).not.toContain('password_hash');
    expect(users).not.toContain('scrypt$');
    const patients = fs.readFileSync(path.join(c.dir, r.folder, 'patient.csv'), 'utf8');
    expect(patients).toContain(`"'=HYPERLINK(""http://x"")"`);
    expect(patients).toContain('"青霉素, ""头孢""\n磺胺"');
    expect(patients.split('\r\n')[0]).toMatch(/^\uFEFFid,name,sex,birth_date,/);
    expect(c.db.prepare(`SELECT action FROM audit ORDER BY id DESC LIMIT 1`).pluck().get()).toBe('export.csv');
  });
});
