import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3-multiple-ciphers';
import { openRaw, testKeyProvider, testKeysFor } from '../support/keys';
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../electron/core/db/open';
import { LATEST_VERSION } from '../../electron/core/db/migrations';
import { AppError } from '../../shared/errors';
import { translate } from '../../shared/i18n';
import { createCore } from '../../electron/core';
import { makeCore, tempDir } from '../support/core';

function storageKey(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(AppError);
    expect((err as AppError).code).toBe('STORAGE');
    return (err as AppError).details.key;
  }
  throw new Error('expected a STORAGE error');
}

describe('the database file', () => {
  it('reads synchronous=FULL, WAL and foreign keys after being closed and reopened', () => {
    const c = makeCore();
    c.close();
    // A plain better-sqlite3 open of a WAL file comes back at NORMAL (1); openDatabase must restore FULL (2).
    const plain = openRaw(c.file);
    expect(plain.pragma('synchronous', { simple: true })).toBe(1);
    plain.close();
    const db = openDatabase(c.file, { key: testKeysFor(c.file)[0] });
    expect(db.pragma('synchronous', { simple: true })).toBe(2);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(db.pragma('user_version', { simple: true })).toBe(LATEST_VERSION);
    db.close();
  });

  it('creates every table STRICT', () => {
    const c = makeCore();
    const tables = c.db.prepare(`SELECT name, sql FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%'`).all() as { name: string; sql: string }[];
    expect(tables.length).toBeGreaterThan(5);
    for (const t of tables) expect(t.sql, t.name).toMatch(/\)\s*STRICT\s*$/);
    c.close();
  });

  it('refuses a database written by a newer Echelon and leaves it untouched', () => {
    const c = makeCore();
    c.db.pragma(`user_version = ${LATEST_VERSION + 1}`);
    c.close();
    const before = fs.readFileSync(c.file);
    expect(storageKey(() => openDatabase(c.file, { key: testKeysFor(c.file)[0] }))).toBe('storage.newer_version');
    expect(fs.readFileSync(c.file).equals(before)).toBe(true);
  });

  it('refuses a file that is not SQLite and leaves it byte for byte as it was', () => {
    const file = path.join(tempDir(), 'echelon.db');
    fs.writeFileSync(file, '病历 notes that happen to be called echelon.db\n'.repeat(100));
    const before = fs.readFileSync(file);
    expect(storageKey(() => openDatabase(file))).toBe('storage.not_sqlite');
    expect(fs.readFileSync(file).equals(before)).toBe(true);
  });

  it("refuses another application's SQLite database", () => {
    const file = path.join(tempDir(), 'echelon.db');
    const other = new Database(file);
    other.exec('CREATE TABLE invoices (id INTEGER PRIMARY KEY, total REAL)');
    other.close();
    expect(storageKey(() => openDatabase(file))).toBe('storage.foreign');
    const check = new Database(file);
    expect(check.prepare(`SELECT name FROM sqlite_schema WHERE type='table'`).all()).toEqual([{ name: 'invoices' }]);
    check.close();
  });

  it('refuses a corrupt database instead of replacing it with an empty one', () => {
    const c = makeCore();
    c.ok('setup:createAdmin', { username: 'admin', displayName: '管理员', password: 'correct-horse' });
    c.db.pragma('wal_checkpoint(TRUNCATE)');
    c.close();
    const bytes = fs.readFileSync(c.file);
    // Scribble over the second page onwards, keeping the header so SQLite recognises the file.
    for (let i = 4096; i < bytes.length; i++) bytes[i] = (i * 7) & 0xff;
    fs.writeFileSync(c.file, bytes);
    const key = storageKey(() => openDatabase(c.file, { key: testKeysFor(c.file)[0] }));
    expect(['storage.corrupt', 'storage.not_sqlite']).toContain(key);
    expect(fs.readFileSync(c.file).equals(bytes)).toBe(true);
  });
});

describe('start-up check (quick_check) and the clean-shutdown mark', () => {
  it('skips quick_check only for the file exactly as a clean shutdown left it; runs it after a crash or any change to the file', () => {
    const c = makeCore();
    c.ok('setup:createAdmin', { username: 'admin', displayName: '管理员', password: 'correct-horse' });
    expect(c.startupCheck).toBe('quick_check');
    const file = c.file;
    const dir = c.dir;
    c.close();
    expect(fs.existsSync(`${file}.clean`)).toBe(true);
    expect(fs.existsSync(`${file}-wal`)).toBe(false);

    const clean = makeCore(dir);
    expect(clean.startupCheck).toBe('clean_shutdown');
    // The mark is taken at start-up: a crash from here on leaves none.
    expect(fs.existsSync(`${file}.clean`)).toBe(false);
    clean.close();

    // As after a crash: no mark.
    fs.rmSync(`${file}.clean`);
    const afterCrash = makeCore(dir);
    expect(afterCrash.startupCheck).toBe('quick_check');
    afterCrash.close();

    // Something else wrote to the file after the clean shutdown (same size, new times).
    const bytes = fs.readFileSync(file);
    fs.writeFileSync(file, bytes);
    const touched = makeCore(dir);
    expect(touched.startupCheck).toBe('quick_check');
    expect(touched.count('app_user')).toBe(1);
    touched.close();

    // A garbled mark is no mark.
    fs.writeFileSync(`${file}.clean`, '{not json');
    const garbled = makeCore(dir);
    expect(garbled.startupCheck).toBe('quick_check');
    garbled.close();
  });
});

describe('at start-up, a file that cannot be used', () => {
  /** The three bad files of the start-up path, each built fresh in its own data folder. */
  function badFolder(kind: 'not_sqlite' | 'corrupt' | 'newer_version'): string {
    const c = makeCore();
    c.ok('setup:createAdmin', { username: 'admin', displayName: '管理员', password: 'correct-horse' });
    for (let i = 0; i < 200; i++) c.db.prepare(`INSERT INTO setting (key, value) VALUES (?, ?)`).run(`filler.${i}`, 'x'.repeat(400));
    if (kind === 'newer_version') c.db.pragma(`user_version = ${LATEST_VERSION + 1}`);
    c.db.pragma('wal_checkpoint(TRUNCATE)');
    c.close();
    if (kind === 'not_sqlite') fs.writeFileSync(c.file, 'ID,姓名\n1,张伟\n'.repeat(500));
    if (kind === 'corrupt') {
      // Keep the header and the schema page; scribble over the table pages in the middle of the file.
      const bytes = fs.readFileSync(c.file);
      for (let i = 8 * 4096; i < bytes.length - 4096; i++) bytes[i] = (i * 31) & 0xff;
      fs.writeFileSync(c.file, bytes);
    }
    return c.dir;
  }

  it('is refused with its own translated message, left byte for byte as it was, and never replaced by an empty database', () => {
    const seen = new Map<string, string>();
    for (const kind of ['not_sqlite', 'corrupt', 'newer_version'] as const) {
      const dir = badFolder(kind);
      const file = path.join(dir, 'echelon.db');
      const before = fs.readFileSync(file);
      const err = (() => {
        try {
          createCore({ dataDir: dir, log: () => undefined, keyProvider: testKeyProvider() }).close();
        } catch (e) {
          return e as AppError;
        }
        throw new Error(`${kind}: expected createCore to refuse the file`);
      })();
      expect(err).toBeInstanceOf(AppError);
      expect(err.code, kind).toBe('STORAGE');
      expect(err.details.key, kind).toBe(`storage.${kind}`);
      expect(fs.readFileSync(file).equals(before), kind).toBe(true);
      expect(fs.existsSync(`${file}-wal`), kind).toBe(false);
      // Refused again the same way: the folder lock was let go, and nothing was created in the file's place.
      expect(() => createCore({ dataDir: dir, log: () => undefined, keyProvider: testKeyProvider() })).toThrow(AppError);
      expect(fs.readFileSync(file).equals(before), kind).toBe(true);
      seen.set(kind, translate('zh-CN', err.details.key as string, err.details.params as Record<string, string | number>));
      expect(translate('en', err.details.key as string)).not.toBe(err.details.key);
    }
    expect(new Set(seen.values()).size).toBe(3);
    expect(seen.get('newer_version')).toContain(String(LATEST_VERSION + 1));
  });
});
