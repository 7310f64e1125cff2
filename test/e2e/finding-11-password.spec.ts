import type { Page } from '@playwright/test';
import { test, expect, shot, type App } from './harness';
import { DEMO_PASSWORD } from '../../electron/core/demo/generate';
import type { SessionBox } from '../../electron/core';

async function loginAs(app: App, page: Page, displayName: string, password = DEMO_PASSWORD): Promise<void> {
  await page.getByRole('button', { name: new RegExp(displayName) }).click();
  await page.getByLabel('密码').fill(password);
  await page.getByRole('button', { name: '登录' }).click();
}

test('a doctor changes her own password from the user menu: wrong current password named on its field, this window stays, her other workstation is logged out, the new password logs in', async ({
  app,
  page,
}) => {
  const now = () => new Date().toISOString();
  app.core.dispatch('setup:loadDemo', { seed: 20220320 }, { user: null }, now());
  // Dr Wang is also logged in on the ward's other workstation.
  const otherDesk: SessionBox = app.core.newSession();
  expect(app.core.dispatch('auth:login', { username: 'dr.wang', password: DEMO_PASSWORD }, otherDesk, now()).ok).toBe(true);

  await app.open(page);
  await loginAs(app, page, '王医生');
  await expect(page.getByTestId('current-user')).toHaveText('王医生');

  await page.getByTestId('user-menu').click();
  await page.getByRole('menuitem', { name: '修改密码' }).click();
  const dialog = page.getByRole('dialog', { name: '修改本人密码' });
  await expect(dialog).toBeVisible();

  // Checked before sending: too short, and the two new passwords differ.
  await dialog.getByLabel('当前密码').fill('not-my-password');
  await dialog.getByLabel(/^新密码/).fill('short');
  await dialog.getByLabel('确认新密码').fill('shorter');
  await dialog.getByRole('button', { name: '保存新密码' }).click();
  await expect(dialog.getByText('两次输入的密码不一致')).toBeVisible();
  await expect(dialog.getByText('至少 8 个字符')).toBeVisible();
  await expect(dialog.locator('input[data-invalid="true"]')).toHaveCount(2);

  // The core refuses a wrong current password, on that field.
  await dialog.getByLabel(/^新密码/).fill('wang-new-pass-2022');
  await dialog.getByLabel('确认新密码').fill('wang-new-pass-2022');
  await dialog.getByRole('button', { name: '保存新密码' }).click();
  await expect(dialog.getByText('当前密码不正确')).toBeVisible();
  await expect(dialog.getByLabel('当前密码')).toHaveAttribute('data-invalid', 'true');
  await shot(page, 'change-password-wrong-current-zh');

  await dialog.getByLabel('当前密码').fill(DEMO_PASSWORD);
  await dialog.getByRole('button', { name: '保存新密码' }).click();
  await expect(dialog).toBeHidden();
  await expect(page.getByText('密码已修改')).toBeVisible();
  // This window carries on; the other workstation's session is over at its next call.
  await expect(page.getByTestId('current-user')).toHaveText('王医生');
  expect(app.session.user?.username).toBe('dr.wang');
  const other = app.core.dispatch('facilities:list', {}, otherDesk, now());
  expect(!other.ok && other.error.details.key).toBe('auth.session_ended');

  // Logged out, the old password no longer opens the account; the new one does.
  await page.getByRole('button', { name: '退出登录' }).click();
  await loginAs(app, page, '王医生');
  await expect(page.getByText('用户名或密码错误')).toBeVisible();
  await page.getByLabel('密码').fill('wang-new-pass-2022');
  await page.getByRole('button', { name: '登录' }).click();
  await expect(page.getByTestId('current-user')).toHaveText('王医生');

  // The same dialog in English.
  await page.getByText('EN', { exact: true }).click();
  await page.getByTestId('user-menu').click();
  await page.getByRole('menuitem', { name: 'Change password' }).click();
  await expect(page.getByRole('dialog', { name: 'Change your password' })).toBeVisible();
  await shot(page, 'change-password-en');
});

test('an administrator resets a logged-in nurse’s password elsewhere: her window returns to the login screen, saying why, and the new password logs her in', async ({
  app,
  page,
}) => {
  const now = () => new Date().toISOString();
  app.core.dispatch('setup:loadDemo', { seed: 20220320 }, { user: null }, now());
  const office: SessionBox = app.core.newSession();
  expect(app.core.dispatch('auth:login', { username: 'admin', password: DEMO_PASSWORD }, office, now()).ok).toBe(true);

  await app.open(page);
  await loginAs(app, page, '张护士');
  await expect(page.getByTestId('current-user')).toHaveText('张护士');
  // The ward board has loaded: the reset below happens while she is looking at it, not before its first call.
  await expect(page.getByTestId('board-order')).toBeVisible();

  const nurse = app.core.db.prepare(`SELECT id FROM app_user WHERE username = 'nurse.zhang'`).pluck().get() as number;
  const version = app.core.db.prepare('SELECT version FROM app_user WHERE id = ?').pluck().get(nurse) as number;
  expect(app.core.dispatch('users:resetPassword', { userId: nurse, password: 'told-in-person', version }, office, now()).ok).toBe(true);

  // Her next action finds the session over: the login screen, with the reason. A call of the window's
  // own (the screens it fetches ahead while she looks at the board) may find it first, and the window
  // goes back to the login screen before her click: either way is the behaviour asked for.
  const login = page.getByRole('button', { name: '登录', exact: true });
  if (!(await login.isVisible()))
    await page
      .getByRole('button', { name: '患者查询' })
      .click({ timeout: 5_000 })
      .catch(() => undefined);
  await expect(login).toBeVisible();
  await expect(page.getByRole('status').filter({ hasText: '登录已失效' })).toBeVisible();
  expect(app.session.user).toBeNull();
  await shot(page, 'session-ended-after-reset-zh');
  await loginAs(app, page, '张护士', 'told-in-person');
  await expect(page.getByTestId('current-user')).toHaveText('张护士');
});
