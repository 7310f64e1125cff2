import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import type { Page } from '@playwright/test';
import { test, expect, shot, demoLogin, openAdmin, type App } from './harness';
import { createCore, memoryKeyProvider, type Core } from '../../electron/core';
import { CHANNELS } from '../../shared/api';
import { buildBridge } from '../../shared/api/client';
import { lockedRecordInvoke } from '../../electron/main/locked';
import { tempDir } from '../support/core';

const PASSPHRASE = 'the red folder in ward 3';
const now = () => new Date().toISOString();

function status(app: App) {
  const r = app.core.dispatch('security:status', {}, app.session, now());
  if (!r.ok) throw new Error(JSON.stringify(r.error));
  return r.value as { recoveryPassphraseSet: boolean; keyId: string; olderKeys: number; plainLeftovers: { file: string }[] };
}

test('first run: the new administrator sets the recovery passphrase, twice and long enough, told what losing it means', async ({ app, page }) => {
  await app.open(page);
  await expect(page.getByRole('heading', { name: '首次使用' })).toBeVisible();
  await page.getByLabel('显示姓名').fill('医务科 管理员');
  await page.getByLabel('密码', { exact: true }).fill('correct-horse');
  await page.getByLabel('确认密码').fill('correct-horse');
  await page.getByRole('button', { name: '创建管理员' }).click();

  const step = page.getByTestId('first-run-passphrase');
  await expect(step.getByRole('heading', { name: '最后一步：设置恢复口令' })).toBeVisible();
  await expect(step).toContainText('若本工作站的密钥和这个恢复口令都丢失，任何人都无法恢复这些数据。');
  // Too short, then not repeated: said on the fields, nothing set.
  await step.getByLabel('恢复口令').fill('short');
  await step.getByLabel('再次输入').fill('short');
  await step.getByRole('button', { name: '设置恢复口令' }).click();
  await expect(step.getByLabel('恢复口令')).toHaveAttribute('data-invalid', 'true');
  await expect(step.getByText('至少 12 个字符', { exact: true })).toBeVisible();
  await step.getByLabel('恢复口令').fill(PASSPHRASE);
  await step.getByLabel('再次输入').fill(`${PASSPHRASE}!`);
  await step.getByRole('button', { name: '设置恢复口令' }).click();
  await expect(step.getByText('两次输入的口令不一致。')).toBeVisible();
  expect(status(app).recoveryPassphraseSet).toBe(false);
  await shot(page, 'first-run-passphrase-zh');

  await step.getByLabel('再次输入').fill(PASSPHRASE);
  await step.getByRole('button', { name: '设置恢复口令' }).click();
  await expect(page.getByTestId('current-user')).toHaveText('医务科 管理员');
  expect(status(app).recoveryPassphraseSet).toBe(true);
});

test('the Encryption tab: an upgraded record asks for a passphrase, shows its key, changes the passphrase, rotates the key and destroys a plain copy', async ({ app, page }) => {
  // A plain backup left from before encryption.
  const plain = path.join(app.core.dataDir, 'backups', 'echelon-2022-03-01.db');
  fs.mkdirSync(path.dirname(plain), { recursive: true });
  const raw = new Database(plain);
  raw.exec(`CREATE TABLE patient (name TEXT); INSERT INTO patient VALUES ('王秀英');`);
  raw.close();

  await demoLogin(app, page, '医务科 管理员');
  await openAdmin(page);
  // No recovery passphrase yet (as after an upgrade): a banner, not a modal.
  await expect(page.getByTestId('passphrase-banner')).toContainText('尚未设置恢复口令');
  await shot(page, 'admin-passphrase-banner-zh');
  await page.getByTestId('passphrase-banner').getByRole('button', { name: '现在设置' }).click();

  const tab = page.getByTestId('security-tab');
  await expect(tab.getByTestId('security-status')).toContainText('本记录已加密存储');
  await expect(tab.getByTestId('security-status')).toContainText(status(app).keyId);
  await expect(page.getByTestId('passphrase-banner')).toBeHidden();
  const setForm = tab.getByTestId('recovery-passphrase-form');
  await setForm.getByLabel('恢复口令').fill(PASSPHRASE);
  await setForm.getByLabel('再次输入').fill(PASSPHRASE);
  await setForm.getByRole('button', { name: '设置恢复口令' }).click();
  await expect(tab.getByTestId('change-passphrase-form')).toBeVisible();
  await expect(tab.getByTestId('security-status')).toContainText('恢复口令已于');

  // The plain copy is listed with its path, kind and size.
  const row = tab.getByTestId('leftover-backups/echelon-2022-03-01.db');
  await expect(row).toContainText(plain);
  await expect(row).toContainText('未加密的旧备份');
  await page.getByRole('tab', { name: '数据加密' }).scrollIntoViewIfNeeded();
  await shot(page, 'admin-encryption-zh');

  // Changing the passphrase: a wrong current one is refused on its field.
  const change = tab.getByTestId('change-passphrase-form');
  await change.getByLabel('当前恢复口令').fill('not the passphrase');
  await change.getByLabel('新的恢复口令').fill('a new sentence for ward 3');
  await change.getByLabel('再次输入').fill('a new sentence for ward 3');
  await change.getByRole('button', { name: '更改恢复口令' }).click();
  await expect(change.getByText('恢复口令不正确；文件未被改动。')).toBeVisible();
  await shot(page, 'admin-encryption-wrong-passphrase-zh');
  await change.getByLabel('当前恢复口令').fill(PASSPHRASE);
  await change.getByRole('button', { name: '更改恢复口令' }).click();
  // Saved: the form empties (the new passphrase is proved by the rotation below, which needs it).
  await expect(change.getByLabel('当前恢复口令')).toHaveValue('');
  await expect(change.getByText('恢复口令不正确；文件未被改动。')).toBeHidden();

  // Rotating the data key asks the passphrase and says what it made.
  const oldKey = status(app).keyId;
  const rekey = tab.getByTestId('rekey-form');
  await rekey.getByLabel('恢复口令').fill('a new sentence for ward 3');
  await rekey.getByRole('button', { name: '更换数据密钥' }).click();
  const newKey = () => status(app).keyId;
  await expect(rekey.getByTestId('rekey-outcome')).toContainText('数据密钥已更换');
  expect(newKey()).not.toBe(oldKey);
  expect(status(app).olderKeys).toBeGreaterThan(0);
  await expect(rekey.getByTestId('rekey-outcome')).toContainText(newKey());
  await expect(tab.getByTestId('security-status')).toContainText(newKey());
  await expect(tab.getByTestId('security-status')).toContainText('1 个（用于恢复更换密钥之前的备份）');
  await expect(rekey.getByRole('button', { name: '更换数据密钥' })).not.toHaveAttribute('data-loading');
  await shot(page, 'admin-encryption-rekeyed-zh');

  // Overwrite and delete: asked first, with the SSD caveat.
  await row.getByRole('button', { name: '覆盖并删除' }).click();
  const dialog = page.getByRole('dialog');
  await expect(dialog).toContainText(plain);
  await expect(dialog).toContainText('覆盖只能尽力而为');
  await shot(page, 'admin-encryption-destroy-confirm-zh');
  await dialog.getByRole('button', { name: '覆盖并删除' }).click();
  await expect(tab.getByTestId('destroy-outcome')).toContainText('已覆盖并删除 backups/echelon-2022-03-01.db');
  await expect(tab.getByTestId('no-leftovers')).toBeVisible();
  expect(fs.existsSync(plain)).toBe(false);
  expect(status(app).plainLeftovers).toEqual([]);
  await shot(page, 'admin-encryption-destroyed-zh');

  await page.getByText('EN', { exact: true }).click();
  await expect(tab.getByTestId('security-status')).toContainText('This record is encrypted at rest');
  await expect(tab.getByTestId('destroy-outcome')).toContainText('backups/echelon-2022-03-01.db was overwritten and deleted');
  await shot(page, 'admin-encryption-en');
});

test('exports stay deliberate: the CSV and FHIR exports say their file is not encrypted', async ({ app, page }) => {
  await demoLogin(app, page, '医务科 管理员');
  await openAdmin(page);
  await page.getByRole('tab', { name: '备份与恢复' }).click();
  await expect(page.getByTestId('csv-export-plain')).toContainText('导出的文件不加密');
  await shot(page, 'backup-export-not-encrypted-zh');
  await page.getByRole('button', { name: '患者查询' }).click();
  await expect(page.getByTestId('fhir-export-plain')).toContainText('导出的文件不加密');
  await page.getByTestId('fhir-export-plain').scrollIntoViewIfNeeded();
  await shot(page, 'fhir-export-not-encrypted-zh');
});

/**
 * The desktop app on a "new machine": main refuses the record for want of its key and runs no core;
 * the window's calls go through electron/main/locked.ts exactly as main routes them, then to the core
 * main opens once the passphrase has unlocked the record.
 */
async function openLocked(page: Page, url: string, dataDir: string): Promise<{ core: () => Core | null }> {
  const newMachine = memoryKeyProvider();
  let core: Core | null = null;
  let refusal;
  try {
    createCore({ dataDir, keyProvider: newMachine, log: () => undefined }).close();
  } catch (err) {
    refusal = (err as { toPayload(): never }).toPayload();
  }
  expect(refusal).toMatchObject({ details: { key: 'security.key_missing' } });
  const locked = lockedRecordInvoke({
    dataDir,
    keyProvider: newMachine,
    refusal: refusal!,
    onUnlocked: () => {
      core = createCore({ dataDir, keyProvider: newMachine, log: () => undefined });
    },
  });
  const session = { user: null };
  await page.exposeBinding('__echelonInvoke', (_source, channel: string, input: unknown) => (core ? core.invoke(channel, input, session, now()) : locked(channel, input, now())));
  await page.addInitScript({ content: `window.echelon = (${buildBridge.toString()})(${JSON.stringify(CHANNELS)}, (channel, input) => window.__echelonInvoke(channel, input));` });
  await page.goto(url);
  return { core: () => core };
}

test('a record moved to a workstation without its key: the recovery passphrase unlocks it, a wrong one touches nothing', async ({ app, page }) => {
  const dataDir = tempDir('echelon-e2e-moved-');
  const first = createCore({ dataDir, keyProvider: memoryKeyProvider(), log: () => undefined });
  const s = first.newSession();
  first.dispatch('setup:createAdmin', { username: 'admin', displayName: '医务科 管理员', password: 'correct-horse' }, s, now());
  first.dispatch('security:setRecoveryPassphrase', { passphrase: PASSPHRASE, confirm: PASSPHRASE }, s, now());
  first.close();
  const dbBytes = () => fs.readFileSync(path.join(dataDir, 'echelon.db'));
  const keysBytes = () => fs.readFileSync(path.join(dataDir, 'echelon.db.keys.json'));
  const before = { db: dbBytes(), keys: keysBytes() };

  const moved = await openLocked(page, app.url, dataDir);
  const screen = page.getByTestId('unlock-record');
  await expect(screen.getByRole('heading', { name: '本机没有此记录的密钥' })).toBeVisible();
  await expect(screen).toContainText('此记录已加密，本工作站没有其密钥');
  await screen.getByLabel('恢复口令').fill('not the passphrase');
  await screen.getByRole('button', { name: '用恢复口令解锁' }).click();
  await expect(screen.getByText('恢复口令不正确；文件未被改动。')).toBeVisible();
  expect(dbBytes().equals(before.db)).toBe(true);
  expect(keysBytes().equals(before.keys)).toBe(true);
  await expect(screen.getByRole('button', { name: '用恢复口令解锁' })).not.toHaveAttribute('data-loading');
  await shot(page, 'unlock-record-wrong-zh');

  await screen.getByLabel('恢复口令').fill(PASSPHRASE);
  await screen.getByRole('button', { name: '用恢复口令解锁' }).click();
  await expect(page.getByRole('button', { name: '登录' })).toBeVisible();
  await page.getByLabel('用户名').fill('admin');
  await page.getByLabel('密码').fill('correct-horse');
  await page.getByRole('button', { name: '登录' }).click();
  await expect(page.getByTestId('current-user')).toHaveText('医务科 管理员');
  moved.core()?.close();
});
