import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test, expect, shot, type App } from './harness';
import { syntheticCaseList } from '../support/caseList';

/** An administrator logged in, one fangcang with a 2,000-bed zone (the list's patients wait there for beds). */
function setUp(app: App): void {
  const r = app.core.dispatch('setup:createAdmin', { username: 'admin', displayName: '医务科 管理员', password: 'correct-horse' }, app.session, new Date().toISOString());
  if (!r.ok) throw new Error(JSON.stringify(r.error));
  const db = app.core.db;
  const fc = Number(db.prepare(`INSERT INTO facility (code, name, kind) VALUES ('FC', '国家会展中心方舱医院', 'fangcang')`).run().lastInsertRowid);
  for (const code of ['H1', 'H2']) db.prepare(`INSERT INTO ward (facility_id, code, name, kind) VALUES (?, ?, ?, 'zone')`).run(fc, code, `${code}舱`);
}

function writeList(name: string, text: string, bom = true): string {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'echelon-list-')), name);
  fs.writeFileSync(file, Buffer.concat([bom ? Buffer.from([0xef, 0xbb, 0xbf]) : Buffer.alloc(0), Buffer.from(text, 'utf8')]));
  return file;
}

test('admin imports a 2,000-case list: checks it, sees every problem, imports the valid rows into the zone waiting list', async ({ app, page }) => {
  setUp(app);
  // 2,000 cases, plus one with an impossible sample date (30 February) and one listed twice.
  const list = syntheticCaseList(2000, 11);
  const lines = list.trimEnd().split('\r\n');
  const extra = ['李娜,女,30,,13700001111,,,2022-02-30,,,', lines[5]!];
  const file = writeList('浦东新区阳性感染者名单0320.csv', `${[...lines, ...extra].join('\r\n')}\r\n`);

  await app.open(page);
  await page.getByText('导入', { exact: true }).first().click();
  await expect(page.getByRole('heading', { name: '导入阳性感染者名单' })).toBeVisible();
  await page.locator('input[type=file]').setInputFiles(file);
  await expect(page.getByTestId('import-file')).toContainText('2002 行数据');
  await expect(page.getByTestId('map-name')).toHaveValue(/姓名/);
  await expect(page.getByTestId('map-idCard')).toHaveValue(/身份证号/);
  await shot(page, 'import-mapping-zh');

  const t0 = Date.now();
  await page.getByRole('button', { name: '检查数据' }).click();
  await expect(page.getByTestId('import-preview')).toBeVisible({ timeout: 30_000 });
  const checkMs = Date.now() - t0;
  await expect(page.getByText('可导入 2000')).toBeVisible();
  await expect(page.getByText('有错误 1')).toBeVisible();
  await expect(page.getByText('重复 1')).toBeVisible();
  await expect(page.getByTestId('import-selected')).toHaveText('已选 2000 行');
  // Virtualised: 2,002 rows, but only the ones in view are in the DOM.
  const rendered = await page.getByTestId('import-preview').getByRole('row').count();
  expect(rendered).toBeLessThan(80);
  await shot(page, 'import-preview-zh');

  await page.getByText('有错误 1').click();
  await expect(page.getByTestId('import-preview')).toContainText('采样日期：日期格式不正确');
  await page.getByText('重复 1').click();
  await expect(page.getByTestId('import-preview')).toContainText('与第 6 行是同一人');
  await shot(page, 'import-preview-problems-zh');

  await page.getByRole('button', { name: '导入所选 2000 行' }).click();
  await expect(page.getByRole('status')).toContainText('已导入 2000 名患者到H1舱候床名单，跳过 2 行。', { timeout: 30_000 });
  await expect(page.getByTestId('import-skipped')).toContainText('数据有误');
  await shot(page, 'import-report-zh');
  console.log(`[import e2e] check of 2,002 rows through the harness: ${checkMs} ms`);

  const db = app.core.db;
  expect(db.prepare('SELECT count(*) FROM patient').pluck().get()).toBe(2000);
  expect(db.prepare(`SELECT count(*) FROM placement WHERE bed_id IS NULL AND end_at IS NULL`).pluck().get()).toBe(2000);
  expect(db.prepare(`SELECT rows_skipped FROM import_batch`).pluck().get()).toBe(2);

  await page.getByRole('button', { name: '导入另一个文件' }).click();
  await expect(page.getByTestId('import-history')).toContainText('浦东新区阳性感染者名单0320.csv');
  await page.getByText('EN', { exact: true }).click();
  await expect(page.getByRole('heading', { name: 'Import a positive-case list' })).toBeVisible();
  await shot(page, 'import-history-en');
});

test('a GB18030 list from Excel is read in Chinese, and a file over the size limit is refused with a clear message', async ({ app, page }) => {
  setUp(app);
  await app.open(page);
  await page.getByText('导入', { exact: true }).first().click();
  await page.locator('input[type=file]').setInputFiles(path.join(__dirname, '../fixtures/import/cases-gb18030.csv'));
  await expect(page.getByTestId('import-file')).toContainText('GB18030 / GBK · 2 行数据');
  await page.getByRole('button', { name: '检查数据' }).click();
  await expect(page.getByTestId('import-preview')).toContainText('张伟');
  await expect(page.getByTestId('import-preview')).toContainText('王秀英');

  const huge = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'echelon-list-')), 'huge.csv');
  fs.writeFileSync(huge, Buffer.alloc(65 * 1024 * 1024, 0x41));
  await page.locator('input[type=file]').setInputFiles(huge);
  await expect(page.getByRole('alert')).toContainText('文件过大（65.0 MB），单个文件最多 64 MB');
  await shot(page, 'import-too-large-zh');
  expect(app.core.db.prepare('SELECT count(*) FROM patient').pluck().get()).toBe(0);
});
