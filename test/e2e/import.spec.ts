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

test('a list as the district CDC sends it: the header found below the title, the totals row skipped, full-width digits and Excel dates read; the header row can be changed', async ({
  app,
  page,
}) => {
  setUp(app);
  await app.open(page);
  await page.getByText('导入', { exact: true }).first().click();
  await page.locator('input[type=file]').setInputFiles(path.join(__dirname, '../fixtures/import/cdc-list-gb18030.csv'));
  await expect(page.getByTestId('import-file')).toContainText('GB18030 / GBK · 4 行数据');
  const headerRow = page.getByTestId('import-header-row');
  const notes = page.getByTestId('import-layout-notes');
  await expect(headerRow).toHaveValue('第 3 行：序号 · 姓名 · 性别 · 年龄');
  await expect(notes).toContainText('表头在第 3 行，其上方 2 行不导入：安次区新冠阳性感染者名单（3月19日）；填报单位：安次区疾病预防控制中心');
  await expect(notes).toContainText('第 8 行是合计行（合计 · 4人），已跳过，不作为病例。');
  await expect(page.getByTestId('map-name')).toHaveValue(/姓名/);
  await expect(page.getByTestId('map-nCt')).toHaveValue(/Ｎ基因Ｃｔ值/);
  await expect(page.getByTestId('map-sampleDate')).toHaveValue(/采样日期/);

  // The user takes the title for the header: nothing maps, and the title's row is no longer "above".
  await headerRow.click();
  await page.getByRole('option', { name: '第 1 行：安次区新冠阳性感染者名单（3月19日）' }).click();
  await expect(headerRow).toHaveValue('第 1 行：安次区新冠阳性感染者名单（3月19日）');
  await expect(page.getByTestId('map-name')).toHaveValue('— 文件中无此列 —');
  await expect(notes).not.toContainText('其上方');
  await expect(page.getByTestId('import-file')).toContainText('6 行数据');
  // …and back to the real header.
  await headerRow.click();
  await page.getByRole('option', { name: /^第 3 行：序号/ }).click();
  await expect(page.getByTestId('map-name')).toHaveValue(/姓名/);
  await shot(page, 'import-cdc-header-row-zh');

  await page.getByRole('button', { name: '检查数据' }).click();
  await expect(page.getByTestId('import-preview')).toBeVisible();
  await expect(page.getByText('可导入 3')).toBeVisible();
  await expect(page.getByText('有错误 1')).toBeVisible();
  await expect(headerRow).toHaveValue('第 3 行：序号 · 姓名 · 性别 · 年龄');
  await expect(notes).toContainText('第 8 行是合计行');
  await expect(page.getByTestId('import-preview')).not.toContainText('合计');
  await page.getByText('有错误 1').click();
  await expect(page.getByTestId('import-preview')).toContainText('采样日期：日期格式不正确');
  await page.getByText('全部 4').click();
  // Values as they will be stored: the Excel serials as dates, full-width digits as ASCII; the unreadable "319" as written.
  const preview = page.getByTestId('import-preview');
  await expect(preview.getByRole('row').filter({ hasText: '刘建国' })).toContainText('2022-03-19');
  await expect(preview.getByRole('row').filter({ hasText: '赵丽' })).toContainText('2022-03-18 09:00');
  await expect(preview.getByRole('row').filter({ hasText: '赵丽' })).toContainText('32');
  await expect(preview.getByRole('row').filter({ hasText: '陈晨' })).toContainText('319');
  await shot(page, 'import-cdc-preview-zh');

  await page.getByText('EN', { exact: true }).click();
  await expect(headerRow).toHaveValue('Line 3: 序号 · 姓名 · 性别 · 年龄');
  await expect(notes).toContainText('The header is on line 3; the 2 rows above it are not imported');
  await expect(notes).toContainText('Line 8 is a totals row (合计 · 4人): skipped, not read as a case.');
  await shot(page, 'import-cdc-preview-en');
  await page.getByRole('button', { name: 'Import 3 selected rows' }).click();
  await expect(page.getByRole('status')).toContainText('3 patients imported to the waiting list of H1舱; 1 rows skipped.', { timeout: 30_000 });

  const db = app.core.db;
  expect(db.prepare('SELECT name, age_years FROM patient ORDER BY id').all()).toEqual([
    { name: '刘建国', age_years: null },
    { name: '赵丽', age_years: 32 },
    { name: '王淑芬', age_years: 45 },
  ]);
  expect(db.prepare(`SELECT min(collected_at) FROM lab_result WHERE analyte = 'nucleic_acid'`).pluck().get()).toBe('2022-03-18T01:00:00.000Z');
});
