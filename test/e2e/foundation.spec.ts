import { openRaw } from '../support/keys';
import { test, expect, shot } from './harness';
import { DEMO_PASSWORD } from '../../electron/core/demo/generate';

test('first run on an empty database: load the demo network and land on the ward board', async ({ app, page }) => {
  await app.open(page);
  await expect(page.getByRole('heading', { name: '首次使用' })).toBeVisible();
  await shot(page, 'first-run-zh');
  await page.getByRole('button', { name: '载入演示数据' }).click();
  await expect(page.getByText('演示网络已生成')).toBeVisible({ timeout: 30_000 });
  await page.getByRole('button', { name: '进入系统' }).click();
  await expect(page.getByTestId('ward-board')).toBeVisible();
  await expect(page.getByTestId('current-user')).toHaveText('医务科 管理员');
});

test('a ward doctor logs in, admits a patient to a free bed through the form, and sees them on the board', async ({ app, page }) => {
  app.core.dispatch('setup:loadDemo', { seed: 20220320 }, { user: null }, new Date().toISOString());
  await app.open(page);

  await expect(page.getByRole('button', { name: '登录' })).toBeVisible();
  await page.getByRole('button', { name: /王医生/ }).click();
  await page.getByLabel('密码').fill(DEMO_PASSWORD);
  await shot(page, 'login-zh');
  await page.getByRole('button', { name: '登录' }).click();
  await expect(page.getByTestId('current-user')).toHaveText('王医生');
  await expect(page.getByTestId('ward-board')).toBeVisible();

  const freeBed = page.locator('[data-state="free"]').first();
  const label = (await freeBed.getAttribute('data-testid'))!.replace('bed-', '');
  await shot(page, 'ward-board-zh');

  // An invalid admission: wrong ID-card check digit and no name. Field errors, nothing written.
  const patientsBefore = app.core.db.prepare('SELECT count(*) FROM patient').pluck().get() as number;
  await freeBed.getByRole('button', { name: `收治到 ${label} 床` }).click();
  const drawer = page.getByRole('dialog');
  await drawer.getByLabel('身份证号').fill('110105194912310022');
  await drawer.getByRole('button', { name: '确认收治' }).click();
  await expect(drawer.getByText('必填项').first()).toBeVisible();
  await expect(drawer.getByText('身份证号无效（18 位，校验位不符）')).toBeVisible();
  await shot(page, 'admit-errors-zh');
  expect(app.core.db.prepare('SELECT count(*) FROM patient').pluck().get()).toBe(patientsBefore);

  // Now correctly: the ID card fills in birth date and sex.
  await drawer.getByLabel('姓名').fill('赵建国');
  await drawer.getByLabel('身份证号').fill('110105194912310038');
  await expect(drawer.getByLabel('出生日期')).toHaveValue('1949-12-31');
  await drawer.getByLabel('联系电话').fill('13800138000');
  await drawer.getByRole('checkbox', { name: '糖尿病' }).check();
  await drawer.getByRole('button', { name: '确认收治' }).click();
  await expect(drawer).toBeHidden();

  const card = page.getByTestId(`bed-${label}`);
  await expect(card).toHaveAttribute('data-state', 'occupied');
  await expect(card).toContainText('赵建国');
  await expect(card).toContainText('住院第 1 天');
  await shot(page, 'ward-board-after-admit-zh');

  // The row is in the SQLite file on disk, authored by the logged-in doctor.
  const raw = openRaw(app.core.file, { readonly: true });
  const row = raw
    .prepare(`SELECT p.name, p.birth_date, p.risk_factors, u.username FROM patient p JOIN app_user u ON u.id = p.created_by WHERE p.id_card = ?`)
    .get('110105194912310038');
  raw.close();
  expect(row).toEqual({ name: '赵建国', birth_date: '1949-12-31', risk_factors: '["diabetes"]', username: 'dr.wang' });

  await page.getByText('EN', { exact: true }).click();
  await expect(page.getByRole('button', { name: 'Admit patient' })).toBeVisible();
  await shot(page, 'ward-board-en');
});

test('a wrong password is refused with a translated message', async ({ app, page }) => {
  app.core.dispatch('setup:createAdmin', { username: 'admin', displayName: '管理员', password: 'correct-horse' }, { user: null }, new Date().toISOString());
  await app.open(page);
  await page.getByLabel('用户名').fill('admin');
  await page.getByLabel('密码').fill('wrong-password');
  await page.getByRole('button', { name: '登录' }).click();
  await expect(page.getByRole('alert')).toHaveText('用户名或密码错误。');
  expect(app.session.user).toBeNull();
});
