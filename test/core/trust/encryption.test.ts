import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCore, keyFileProvider, envKeyProvider, memoryKeyProvider, unlockRecord, type KeyProvider } from '../../../electron/core';
import { AppError } from '../../../shared/errors';
import { DEMO_PASSWORD } from '../../../electron/core/demo/generate';
import { translate } from '../../../shared/i18n';
import type { SecurityStatus } from '../../../shared/api/security';
import { admission, makeCore, makeNetwork, NOW, tempDir, type TestCore } from '../../support/core';
import { openRaw, plainCopy, testKeyProvider, testKeysFor } from '../../support/keys';
import { bundleChild, removeBundle, runChild } from './support';

/** A known patient whose identity must never be readable on disk. */
const SECRET = { name: '司马知秋', idCard: '11010519491231002X', phone: '13912345678' };
const PASSPHRASE = 'correct horse battery staple';

/** Every file under `dir`, however deep: the database, its WAL, backups, replaced/, plain/, the key file, marks. */
function filesUnder(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    return e.isDirectory() ? filesUnder(p) : e.isFile() ? [p] : [];
  });
}

/** Where any of `needles` occurs in a file under `dir`, in UTF-8 or UTF-16LE. */
function readableHits(dir: string, needles: readonly string[]): string[] {
  const hits: string[] = [];
  for (const file of filesUnder(dir)) {
    const bytes = fs.readFileSync(file);
    for (const n of needles) {
      for (const [enc, b] of [
        ['utf8', Buffer.from(n, 'utf8')],
        ['utf16le', Buffer.from(n, 'utf16le')],
      ] as const) {
        if (bytes.includes(b)) hits.push(`${path.relative(dir, file)}: ${n} (${enc})`);
      }
    }
  }
  return hits;
}

function refusal(fn: () => unknown): AppError {
  try {
    fn();
  } catch (err) {
    if (err instanceof AppError) return err;
    throw err;
  }
  throw new Error('expected a refusal');
}

const bytesOf = (dir: string) => new Map(filesUnder(dir).map((f) => [path.relative(dir, f), fs.readFileSync(f)]));

async function backupNow(c: TestCore): Promise<string> {
  const r = await c.run<{ file: { name: string } }>('backup:create', { target: 'folder' });
  if (!r.ok) throw new Error(JSON.stringify(r.error));
  return r.value.file.name;
}

/** Every row of every table, in rowid order: what an upgrade must keep. */
function tables(db: ReturnType<typeof openRaw>): Record<string, unknown[]> {
  const names = db.prepare(`SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name`).pluck().all() as string[];
  return Object.fromEntries(names.map((t) => [t, db.prepare(`SELECT * FROM "${t}" ORDER BY rowid`).all()]));
}

let bundle: string;
beforeAll(() => {
  bundle = bundleChild();
});
afterAll(() => removeBundle(bundle));

describe('patient data encrypted at rest (issue 20)', { timeout: 60_000 }, () => {
  it('nothing readable on disk: a known patient, a backup, a restore and a kill -9 mid-write leave no name, ID card or phone in any file, WAL and backups included', async () => {
    const c = makeNetwork();
    // Free beds for the admissions of the process that will be killed.
    const bedInsert = c.db.prepare('INSERT INTO bed (ward_id, label, sort) VALUES (?, ?, ?)');
    c.db.transaction(() => {
      for (let i = 0; i < 2000; i++) bedInsert.run(c.wardId, `S-${i}`, 100 + i);
    })();
    c.ok('patients:admit', admission({ bedId: c.beds[0]!, wardId: c.wardId }, { name: SECRET.name, idCard: SECRET.idCard, phone: SECRET.phone, ageYears: undefined }));
    // Uncheckpointed: the patient's pages are in the WAL now.
    expect(fs.statSync(`${c.file}-wal`).size).toBeGreaterThan(0);
    expect(readableHits(c.dir, Object.values(SECRET))).toEqual([]);
    const name = await backupNow(c);
    const restored = await c.run('backup:restore', { name, confirm: name });
    expect(restored.ok).toBe(true);
    expect(fs.readdirSync(path.join(c.dir, 'replaced')).length).toBeGreaterThan(0);
    const dir = c.dir;
    c.close();

    // A second process admits patients as fast as it can and is killed in the middle of it.
    const acked: string[] = [];
    const child = runChild(bundle, ['write', dir, 'admin'], (line) => {
      const m = /^ack \d+ (.+)$/.exec(line);
      if (m) acked.push(m[1]!);
    });
    expect(await child.waitFor(/^(ready|refused|error)/)).toMatch(/^ready /);
    await child.waitFor(/^ack /);
    await new Promise((r) => setTimeout(r, 100));
    child.kill();
    expect((await child.exit).signal).toBe('SIGKILL');
    expect(acked.length).toBeGreaterThan(0);
    expect(fs.existsSync(path.join(dir, 'echelon.db-wal'))).toBe(true);

    const files = filesUnder(dir).map((f) => path.relative(dir, f));
    expect(files).toEqual(expect.arrayContaining(['echelon.db', 'echelon.db-wal', 'echelon.db.keys.json', `backups/${name}`]));
    expect(readableHits(dir, [...Object.values(SECRET), ...acked.slice(-3)])).toEqual([]);

    // And the record itself still holds them all: encrypted, not lost.
    const after = makeCore(dir);
    expect(after.db.prepare('SELECT phone FROM patient WHERE name = ?').pluck().get(SECRET.name)).toBe(SECRET.phone);
    for (const n of acked) expect(after.db.prepare('SELECT count(*) FROM patient WHERE name = ?').pluck().get(n)).toBe(1);
    after.close();
  });

  it('a workstation without the key is refused with its own message, never "corrupt", and every file is left byte for byte', () => {
    const c = makeNetwork();
    c.ok('patients:admit', admission({ bedId: c.beds[0]!, wardId: c.wardId }, { name: SECRET.name }));
    c.ok('security:setRecoveryPassphrase', { passphrase: PASSPHRASE, confirm: PASSPHRASE });
    const dir = c.dir;
    c.close();
    const before = bytesOf(dir);

    const otherMachine = memoryKeyProvider();
    const err = refusal(() => createCore({ dataDir: dir, log: () => undefined, keyProvider: otherMachine }));
    expect(err.details.key).toBe('security.key_missing');
    expect(translate('en', 'security.key_missing')).toContain('enter the recovery passphrase');
    expect(translate('zh-CN', 'security.key_missing')).toContain('恢复口令');

    const wrong = refusal(() => unlockRecord({ dataDir: dir, passphrase: 'not the passphrase at all', keyProvider: otherMachine, now: NOW }));
    expect(wrong.details.key).toBe('security.wrong_passphrase');
    expect(wrong.details.issues?.[0]?.field).toBe('passphrase');
    // Still refused, and nothing changed: not the database, not its WAL, not the key file.
    expect(refusal(() => createCore({ dataDir: dir, log: () => undefined, keyProvider: otherMachine })).details.key).toBe('security.key_missing');
    const after = bytesOf(dir);
    for (const [f, b] of before) if (f !== 'echelon.lock') expect(after.get(f)?.equals(b), f).toBe(true);
  });

  it('the recovery passphrase opens the record on a new machine, which then holds its own key; the old machine still opens it too', () => {
    const c = makeNetwork();
    c.ok('patients:admit', admission({ bedId: c.beds[0]!, wardId: c.wardId }, { name: SECRET.name }));
    c.ok('security:setRecoveryPassphrase', { passphrase: PASSPHRASE, confirm: PASSPHRASE });
    const dir = c.dir;
    c.close();

    const newMachine = memoryKeyProvider();
    expect(unlockRecord({ dataDir: dir, passphrase: PASSPHRASE, keyProvider: newMachine, now: NOW })).toEqual({ unlocked: true });
    const there = makeCore(dir, { keyProvider: newMachine });
    expect(there.db.prepare('SELECT count(*) FROM patient WHERE name = ?').pluck().get(SECRET.name)).toBe(1);
    expect(there.db.prepare(`SELECT count(*) FROM audit WHERE action = 'security.unlock_passphrase'`).pluck().get()).toBe(1);
    there.close();
    const back = makeCore(dir);
    expect(back.count('patient')).toBe(1);
    back.close();
  });

  it('the passphrase: set once, at least 12 characters, repeated; changed only with the old one; a running record refuses the public unlock', () => {
    const c = makeNetwork();
    const status = () => c.ok<SecurityStatus>('security:status');
    expect(status()).toMatchObject({ encrypted: true, cipher: 'sqlcipher-aes256', keyHolder: 'memory', recoveryPassphraseSet: false, olderKeys: 0, plainLeftovers: [] });
    const short = c.call('security:setRecoveryPassphrase', { passphrase: 'too short', confirm: 'too short' });
    expect(!short.ok && short.error.details.issues?.[0]).toMatchObject({ field: 'passphrase', key: 'validation.too_short', params: { min: 12 } });
    const typo = c.call('security:setRecoveryPassphrase', { passphrase: PASSPHRASE, confirm: `${PASSPHRASE}.` });
    expect(!typo.ok && typo.error.details.issues?.[0]).toMatchObject({ field: 'confirm', key: 'validation.passphrase_mismatch' });
    c.ok('security:setRecoveryPassphrase', { passphrase: PASSPHRASE, confirm: PASSPHRASE });
    expect(status()).toMatchObject({ recoveryPassphraseSet: true, recoveryPassphraseSetAt: NOW });
    const again = c.call('security:setRecoveryPassphrase', { passphrase: PASSPHRASE, confirm: PASSPHRASE });
    expect(!again.ok && again.error.details.key).toBe('security.passphrase_already_set');
    const wrongOld = c.call('security:changeRecoveryPassphrase', { oldPassphrase: 'wrong wrong wrong', newPassphrase: 'a new passphrase 2022', confirm: 'a new passphrase 2022' });
    expect(!wrongOld.ok && wrongOld.error.details.key).toBe('security.wrong_passphrase');
    c.ok('security:changeRecoveryPassphrase', { oldPassphrase: PASSPHRASE, newPassphrase: 'a new passphrase 2022', confirm: 'a new passphrase 2022' });
    const unlock = c.call('security:unlockWithPassphrase', { passphrase: 'a new passphrase 2022' });
    expect(!unlock.ok && unlock.error.details.key).toBe('security.already_unlocked');
    const actions = c.db.prepare(`SELECT action FROM audit WHERE action LIKE 'security.%' ORDER BY id`).pluck().all();
    expect(actions).toEqual(['security.set_passphrase', 'security.change_passphrase']);
    const dir = c.dir;
    c.close();

    const m = memoryKeyProvider();
    expect(refusal(() => unlockRecord({ dataDir: dir, passphrase: PASSPHRASE, keyProvider: m, now: NOW })).details.key).toBe('security.wrong_passphrase');
    expect(unlockRecord({ dataDir: dir, passphrase: 'a new passphrase 2022', keyProvider: m, now: NOW }).unlocked).toBe(true);
  });

  it('rekey: a new data key, the record intact, an earlier backup still restorable, the passphrase required and still opening it on a new machine', async () => {
    const c = makeNetwork();
    c.ok('patients:admit', admission({ bedId: c.beds[0]!, wardId: c.wardId }, { name: SECRET.name }));
    c.ok('security:setRecoveryPassphrase', { passphrase: PASSPHRASE, confirm: PASSPHRASE });
    const backup = await backupNow(c);
    const first = c.ok<SecurityStatus>('security:status');
    const without = await c.run('security:rekey', {});
    expect(!without.ok && without.error.details.issues?.[0]).toMatchObject({ field: 'recoveryPassphrase', key: 'security.passphrase_required' });
    const wrong = await c.run('security:rekey', { recoveryPassphrase: 'not it, not it' });
    expect(!wrong.ok && wrong.error.details.key).toBe('security.wrong_passphrase');
    const r = await c.run<{ keyId: string; olderKeys: number }>('security:rekey', { recoveryPassphrase: PASSPHRASE });
    expect(r.ok).toBe(true);
    const second = c.ok<SecurityStatus>('security:status');
    expect(second.keyId).not.toBe(first.keyId);
    expect(second.olderKeys).toBe(1);
    // The live file is under the new key; the backup under the old one, which the keyring keeps.
    const [newKey, oldKey] = testKeysFor(c.file);
    expect(testKeysFor(c.file)).toHaveLength(2);
    expect(newKey?.equals(oldKey!)).toBe(false);
    c.ok('patients:admit', admission({ bedId: c.beds[1]!, wardId: c.wardId }, { name: '新密钥后' }));
    expect(c.count('patient')).toBe(2);
    expect(c.db.prepare(`SELECT count(*) FROM audit WHERE action = 'security.rekey'`).pluck().get()).toBe(1);

    const restored = await c.run('backup:restore', { name: backup, confirm: backup });
    expect(restored.ok).toBe(true);
    expect(c.count('patient')).toBe(1);
    const dir = c.dir;
    c.close();
    // Restored under the current key, and the passphrase still opens it all elsewhere.
    const m = memoryKeyProvider();
    unlockRecord({ dataDir: dir, passphrase: PASSPHRASE, keyProvider: m, now: NOW });
    const there = makeCore(dir, { keyProvider: m });
    expect(there.db.prepare('SELECT count(*) FROM patient WHERE name = ?').pluck().get(SECRET.name)).toBe(1);
    expect(readableHits(dir, [SECRET.name, '新密钥后'])).toEqual([]);
    there.close();
  });

  it('upgrade: a plain record is encrypted at start-up keeping every row of every table; the plain original and old plain backups are listed until destroyed', async () => {
    const demo = makeCore();
    demo.ok('setup:loadDemo', { seed: 20220320 });
    const source = demo.file;
    demo.db.pragma('wal_checkpoint(TRUNCATE)');
    const key = testKeysFor(source)[0]!;
    demo.close();
    // A data folder as the version before encryption left it: a plain echelon.db and a plain backup.
    const dir = tempDir();
    plainCopy(source, key, path.join(dir, 'echelon.db'));
    fs.mkdirSync(path.join(dir, 'backups'));
    fs.copyFileSync(path.join(dir, 'echelon.db'), path.join(dir, 'backups', 'echelon-20220319-100000.db'));
    const plainDb = openRaw(path.join(dir, 'echelon.db'), { readonly: true });
    const expected = tables(plainDb);
    plainDb.close();
    expect(readableHits(dir, ['医务科 管理员']).length).toBeGreaterThan(0);

    const c = makeCore(dir);
    expect(c.startupCheck).toBe('quick_check');
    c.close();
    const enc = openRaw(path.join(dir, 'echelon.db'), { readonly: true });
    const actual = tables(enc);
    enc.close();
    for (const [t, rowsOf] of Object.entries(expected)) {
      if (t === 'audit') expect(actual[t]!.slice(0, rowsOf.length), t).toEqual(rowsOf);
      else expect(actual[t], t).toEqual(rowsOf);
    }
    expect(fs.readFileSync(path.join(dir, 'echelon.db')).subarray(0, 16).toString('latin1')).not.toBe('SQLite format 3\u0000');

    const admin = makeCore(dir);
    admin.ok('auth:login', { username: 'admin', password: DEMO_PASSWORD });
    const status = admin.ok<SecurityStatus>('security:status');
    expect(status.plainLeftovers.map((l) => [l.kind, l.file])).toEqual([
      ['original', expect.stringMatching(/^plain\/echelon-.*\.db$/)],
      ['backup', 'backups/echelon-20220319-100000.db'],
    ]);
    expect(admin.db.prepare(`SELECT count(*) FROM audit WHERE action = 'security.upgrade'`).pluck().get()).toBe(1);
    for (const l of status.plainLeftovers) {
      const r = await admin.run<{ destroyed: string; note: string }>('security:destroyPlain', { file: l.file });
      expect(r.ok && r.value).toMatchObject({ destroyed: l.file, note: 'security.destroy_best_effort' });
      expect(fs.existsSync(l.path)).toBe(false);
    }
    const none = await admin.run('security:destroyPlain', { file: 'backups/echelon-20220319-100000.db' });
    expect(!none.ok && none.error.details.key).toBe('security.leftover_not_found');
    expect(admin.ok<SecurityStatus>('security:status').plainLeftovers).toEqual([]);
    admin.close();
    expect(readableHits(dir, ['医务科 管理员', '区定点医院'])).toEqual([]);
  });

  it('a driver build without the cipher (a plain better-sqlite3 binary as nativeBinding) is refused before anything is written in the clear', () => {
    const dir = tempDir();
    const plainBinding = path.resolve(__dirname, '../../../node_modules/better-sqlite3/build/Release/better_sqlite3.node');
    const err = refusal(() => createCore({ dataDir: dir, log: () => undefined, keyProvider: testKeyProvider(), nativeBinding: plainBinding }));
    expect(err.details.key).toBe('security.cipher_unavailable');
    expect(fs.existsSync(path.join(dir, 'echelon.db')) ? fs.statSync(path.join(dir, 'echelon.db')).size : 0).toBe(0);
  });

  it('keys of a server: a key file made 0600 and refused when others may read it; the environment’s key must be 32 bytes', () => {
    const dir = tempDir();
    const file = path.join(dir, 'server.kek');
    const p: KeyProvider = keyFileProvider(file);
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    expect(p.holder).toBe('key-file');
    expect(keyFileProvider(file).id).toBe(p.id);
    fs.chmodSync(file, 0o644);
    expect(refusal(() => keyFileProvider(file)).details).toMatchObject({ key: 'security.kek_file_permissions', params: { mode: '0644' } });
    expect(refusal(() => envKeyProvider({ ECHELON_DATA_KEY_KEK: 'c2hvcnQ=' })).details.key).toBe('security.kek_env_invalid');
    expect(envKeyProvider({})).toBeUndefined();
    const kek = Buffer.alloc(32, 9).toString('base64');
    const env = envKeyProvider({ ECHELON_DATA_KEY_KEK: kek })!;
    const c = makeCore(tempDir(), { keyProvider: env });
    const d = c.dir;
    c.close();
    makeCore(d, { keyProvider: envKeyProvider({ ECHELON_DATA_KEY_KEK: kek })! }).close();
    expect(refusal(() => makeCore(d, { keyProvider: testKeyProvider() })).details.key).toBe('security.key_missing');
  });
});
