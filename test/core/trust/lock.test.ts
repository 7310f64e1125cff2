import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCore } from '../../../electron/core';
import { AppError } from '../../../shared/errors';
import { translate } from '../../../shared/i18n';
import { makeCore, makeNetwork } from '../../support/core';
import { testKeyProvider } from '../../support/keys';
import { bundleChild, removeBundle, runChild } from './support';

let bundle: string;
beforeAll(() => {
  bundle = bundleChild();
});
afterAll(() => removeBundle(bundle));

function openError(dir: string): AppError {
  try {
    createCore({ dataDir: dir, log: () => undefined, keyProvider: testKeyProvider() }).close();
  } catch (err) {
    if (err instanceof AppError) return err;
    throw err;
  }
  throw new Error('expected the data folder to be refused');
}

describe('a second process on the same data folder', { timeout: 30_000 }, () => {
  it('is refused with storage.locked while Echelon runs, and the database is not touched', async () => {
    const c = makeNetwork();
    c.db.pragma('wal_checkpoint(TRUNCATE)');
    const before = fs.readFileSync(c.file);
    const child = runChild(bundle, ['open', c.dir]);
    const exit = await child.exit;
    expect(child.lines).toEqual(['refused storage.locked']);
    expect(exit.code).toBe(3);
    expect(fs.readFileSync(c.file).equals(before)).toBe(true);
    // The running core is unaffected.
    expect(c.ok<{ id: number }[]>('facilities:list').length).toBe(2);
    expect(translate('zh-CN', 'storage.locked')).toBe('数据库正被其他程序占用，请稍后重试。');

    c.close();
    const again = runChild(bundle, ['open', c.dir]);
    await again.exit;
    expect(again.lines).toEqual(['opened']);
  });

  it('is refused in this process too while a child holds the folder, and a kill -9 of the holder leaves no stale lock', async () => {
    const c = makeCore();
    c.close();
    const holder = runChild(bundle, ['hold', c.dir]);
    await holder.waitFor(/^ready$/);
    const err = openError(c.dir);
    expect(err.code).toBe('STORAGE');
    expect(err.details.key).toBe('storage.locked');
    holder.kill();
    expect((await holder.exit).signal).toBe('SIGKILL');
    // The operating system dropped the lock with the process: the next start opens at once.
    const next = makeCore(c.dir);
    expect(next.count('app_user')).toBe(0);
    next.close();
  });
});
