import { test, expect, shot, type App } from './harness';
import { hashPassword } from '../../electron/core/auth/password';
import type { SessionBox } from '../../electron/core';

const PASSWORD = 'correct-horse';

/** One designated-hospital ward with free beds and a ward doctor. */
function emptyWard(app: App): void {
  const session: SessionBox = { user: null };
  const r = app.core.dispatch('setup:createAdmin', { username: 'admin', displayName: '管理员', password: PASSWORD }, session, new Date().toISOString());
  if (!r.ok) throw new Error(JSON.stringify(r.error));
  const db = app.core.db;
  const fac = Number(db.prepare(`INSERT INTO facility (code, name, kind) VALUES ('DH', '区定点医院', 'designated')`).run().lastInsertRowid);
  const wardId = Number(db.prepare(`INSERT INTO ward (facility_id, code, name, kind) VALUES (?, 'P01', '儿科病区', 'general')`).run(fac).lastInsertRowid);
  const bed = db.prepare(`INSERT INTO bed (ward_id, label, sort) VALUES (?, ?, ?)`);
  ['P01-001', 'P01-002'].forEach((label, i) => bed.run(wardId, label, i));
  db.prepare(`INSERT INTO app_user (username, display_name, role, password_hash, created_at) VALUES (?, ?, ?, ?, ?)`).run(
    'dr.sun',
    '孙医生',
    'ward_doctor',
    hashPassword(PASSWORD),
    new Date().toISOString(),
  );
}

test('a doctor admits a 5-month-old by months, without a birth date, and the chart shows 5月龄', async ({ app, page }) => {
  emptyWard(app);
  await app.open(page);
  await page.getByLabel('用户名').fill('dr.sun');
  await page.getByLabel('密码').fill(PASSWORD);
  await page.getByRole('button', { name: '登录' }).click();
  await expect(page.getByTestId('ward-board')).toBeVisible();

  await page.getByTestId('bed-P01-001').getByRole('button', { name: '收治到 P01-001 床' }).click();
  const drawer = page.getByRole('dialog');
  await drawer.getByLabel('姓名').fill('刘小宝');
  await drawer.getByText('月龄', { exact: true }).click();
  const age = drawer.getByLabel('月龄（足月数）');
  await expect(age).toBeVisible();
  await age.fill('5');
  await shot(page, 'admit-infant-by-months-zh');
  await drawer.getByRole('button', { name: '确认收治' }).click();
  await expect(drawer).toBeHidden();
  expect(app.core.db.prepare(`SELECT age_years, age_months, birth_date FROM patient WHERE name = '刘小宝'`).get()).toEqual({ age_years: 0, age_months: 5, birth_date: null });

  await page
    .getByTestId('bed-P01-001')
    .getByRole('button', { name: /打开 P01-001 床 刘小宝 的病历/ })
    .click();
  await expect(page.getByTestId('chart-name')).toHaveText('刘小宝');
  await expect(page.getByTestId('chart-age')).toHaveText('5月龄');
  await shot(page, 'chart-infant-months-zh');

  await page.getByText('EN', { exact: true }).click();
  await expect(page.getByTestId('chart-age')).toHaveText('5 mo');
  await shot(page, 'chart-infant-months-en');
});
