import { test, expect, shot, demoLogin, openAdmin, otherAdmin, type App } from './harness';
import { DEMO_PASSWORD } from '../../electron/core/demo/generate';

const count = (app: App, sql: string) => app.core.db.prepare(sql).pluck().get() as number;

test('the administrator creates a ward-scoped nurse, reads and verifies the audit trail, backs up, restores, and sets the idle lock', async ({ app, page }) => {
  await demoLogin(app, page, '医务科 管理员');
  await openAdmin(page);
  await expect(page.getByTestId('user-dr.wang')).toContainText('王医生');
  await shot(page, 'admin-users-zh');

  // A new nurse limited to one fangcang zone.
  await page.getByRole('button', { name: '新建用户' }).click();
  const dialog = page.getByRole('dialog');
  await dialog.getByLabel('用户名').fill('nurse.sun');
  await dialog.getByLabel('显示姓名').fill('孙护士');
  await dialog.getByLabel('角色', { exact: true }).click();
  await page.getByRole('option', { name: '护士', exact: true }).click();
  await dialog.getByLabel('初始密码').fill('sun-password');
  await dialog.getByLabel('确认密码').fill('sun-password');
  await dialog.getByLabel('负责病区', { exact: true }).click();
  await page.getByRole('option', { name: 'A1舱', exact: true }).click();
  await dialog.getByLabel('显示姓名').click();
  await shot(page, 'admin-user-new-zh');
  await dialog.getByRole('button', { name: '创建' }).click();
  await expect(dialog).toBeHidden();
  await expect(page.getByTestId('user-nurse.sun')).toContainText('A1舱');
  expect(count(app, `SELECT count(*) FROM user_ward w JOIN app_user u ON u.id = w.user_id WHERE u.username = 'nurse.sun'`)).toBe(1);

  // The audit log shows it first, translated, and the chain verifies.
  await page.getByRole('tab', { name: '审计日志' }).click();
  const auditTable = page.getByTestId('audit-table');
  await expect(auditTable.locator('tbody tr').first()).toContainText('新建用户');
  await page.getByRole('button', { name: '校验审计链' }).click();
  await expect(page.getByTestId('audit-verify-result')).toContainText('审计链完整');
  await shot(page, 'admin-audit-zh');
  await auditTable.locator('tbody tr').first().getByRole('button').click();
  await expect(page.getByRole('dialog')).toContainText('nurse.sun');
  await shot(page, 'admin-audit-detail-zh');
  await page.keyboard.press('Escape');

  // Back up now, then export everything.
  await page.getByRole('tab', { name: '备份与恢复' }).click();
  await page.getByRole('button', { name: '立即备份' }).click();
  await expect(page.getByTestId('backup-outcome')).toContainText('备份完成', { timeout: 30_000 });
  const backupRow = page.getByTestId('backup-table').locator('tbody tr').first();
  const backupName = (await backupRow.locator('td').first().textContent())!.trim();
  expect(backupName).toMatch(/^echelon-\d{8}-\d{6}\.db$/);
  await page.getByRole('button', { name: '导出 CSV' }).click();
  await expect(page.getByTestId('backup-outcome')).toContainText('导出完成', { timeout: 30_000 });
  await expect(page.getByRole('button', { name: '导出 CSV' })).toBeEnabled();
  await shot(page, 'admin-backup-zh');

  // A change after the backup, which the restore must undo.
  app.core.dispatch(
    'users:create',
    { username: 'after.backup', displayName: '备份后新建', role: 'expert', password: 'after-backup' },
    { user: app.session.user },
    new Date().toISOString(),
  );
  expect(count(app, `SELECT count(*) FROM app_user WHERE username = 'after.backup'`)).toBe(1);

  await backupRow.getByRole('button', { name: '恢复' }).click();
  const restore = page.getByRole('dialog');
  await expect(restore.getByTestId('restore-check')).toContainText('校验通过', { timeout: 30_000 });
  const confirmButton = restore.getByRole('button', { name: '确认恢复' });
  await expect(confirmButton).toBeDisabled();
  await restore.getByLabel('请输入备份文件名以确认恢复').fill(backupName);
  await shot(page, 'admin-restore-zh');
  await confirmButton.click();
  // Everyone logs in again; the restored database no longer has the user created after the backup.
  await expect(page.getByRole('button', { name: '登录' })).toBeVisible({ timeout: 30_000 });
  await expect(page.getByText('已从备份恢复')).toBeVisible();
  expect(app.session.user).toBeNull();
  expect(count(app, `SELECT count(*) FROM app_user WHERE username = 'after.backup'`)).toBe(0);
  expect(count(app, `SELECT count(*) FROM app_user WHERE username = 'nurse.sun'`)).toBe(1);
  await shot(page, 'admin-restored-login-zh');

  // Settings: a one-minute idle lock.
  await page.getByRole('button', { name: /医务科 管理员/ }).click();
  await page.getByLabel('密码').fill(DEMO_PASSWORD);
  await page.getByRole('button', { name: '登录' }).click();
  await page.getByText('系统管理', { exact: true }).first().click();
  await page.getByRole('tab', { name: '系统设置' }).click();
  await page.getByLabel('无操作自动锁屏').fill('1');
  await page.getByRole('button', { name: '保存' }).click();
  await expect(page.getByText('设置已保存')).toBeVisible();
  await shot(page, 'admin-settings-zh');
  expect(count(app, `SELECT CAST(value AS INTEGER) FROM setting WHERE key = 'idleLockMinutes'`)).toBe(1);

  await page.getByText('EN', { exact: true }).click();
  await page.getByRole('tab', { name: 'Audit log' }).click();
  await expect(page.getByTestId('audit-table').locator('tbody tr').first()).toContainText('Settings changed');
  await shot(page, 'admin-audit-en');
});

test('the idle lock hides the screen, keeps the half-typed admission, and opens only for the same user’s password', async ({ app, page }) => {
  await page.clock.install();
  await demoLogin(app, page, '王医生');
  await page.getByRole('button', { name: '收治患者' }).click();
  const drawer = page.getByRole('dialog');
  await drawer.getByLabel('姓名').fill('钱学森');

  // Ten minutes without a key or a click.
  await page.clock.fastForward('10:10');
  const lock = page.getByTestId('lock-screen');
  await expect(lock).toBeVisible();
  await expect(lock).toContainText('王医生');
  await expect(lock).toContainText('10 分钟');
  await expect(page.getByRole('dialog', { name: /收治入院/ })).toBeHidden();
  await expect.poll(() => app.session.locked).toBe(true);
  await shot(page, 'idle-lock-zh');

  await lock.getByLabel('密码').fill('wrong-password');
  await lock.getByRole('button', { name: '解锁' }).click();
  await expect(lock.getByRole('alert')).toHaveText('用户名或密码错误。');
  await lock.getByLabel('密码').fill(DEMO_PASSWORD);
  await lock.getByRole('button', { name: '解锁' }).click();
  await expect(lock).toBeHidden();
  await expect(page.getByRole('dialog').getByLabel('姓名')).toHaveValue('钱学森');
  expect(app.session.locked).toBe(false);
});

test('quick user switch from the header, and “switch user” on the lock screen', async ({ app, page }) => {
  await demoLogin(app, page, '王医生');
  // The header keeps lock, switch and logout in view in both languages at 1366 wide.
  await page.getByText('EN', { exact: true }).click();
  await expect(page.getByRole('button', { name: 'Switch user' })).toBeInViewport();
  await expect(page.getByRole('button', { name: 'Log out' })).toBeInViewport({ ratio: 1 });
  await shot(page, 'header-en');
  await page.getByText('中文', { exact: true }).click();
  await page.getByRole('button', { name: '切换用户' }).click();
  await page.getByRole('button', { name: '张护士' }).click();
  await page.getByRole('dialog').getByLabel('密码').or(page.locator('.mantine-Popover-dropdown').getByLabel('密码')).first().fill(DEMO_PASSWORD);
  await shot(page, 'switch-user-zh');
  await page.getByRole('button', { name: '切换', exact: true }).click();
  await expect(page.getByTestId('current-user')).toHaveText('张护士');
  // A nurse has no administration screen.
  await expect(page.getByText('系统管理', { exact: true })).toHaveCount(0);

  await page.getByRole('button', { name: '锁屏' }).click();
  await expect(page.getByTestId('lock-screen')).toBeVisible();
  await page.getByTestId('lock-screen').getByRole('button', { name: '切换用户' }).click();
  await expect(page.getByRole('button', { name: '登录' })).toBeVisible();
  expect(app.session.user).toBeNull();
});

test('two administrators at once: a settings save and an account edit made against an older version are refused naming who and when; what was typed stays', async ({
  app,
  page,
}) => {
  await demoLogin(app, page, '医务科 管理员');
  const li = otherAdmin(app);
  await page.getByText('系统管理', { exact: true }).first().click();

  // Settings: the other administrator keeps 30 backups meanwhile; this one changes the idle lock.
  await page.getByRole('tab', { name: '系统设置' }).click();
  await expect(page.getByLabel('保留备份份数')).toHaveValue('14');
  li('settings:update', { backupKeep: 30, version: li<{ version: number }>('settings:get', {}).version });
  await page.getByLabel('无操作自动锁屏').fill('5');
  await page.getByRole('button', { name: '保存' }).click();
  const conflict = page.getByTestId('conflict');
  await expect(conflict).toContainText(/李管理员 已于 \d{4}-\d{2}-\d{2} \d{2}:\d{2} 修改了此记录/);
  await shot(page, 'admin-settings-conflict-zh');
  await conflict.getByRole('button', { name: '载入最新内容' }).click();
  await expect(page.getByLabel('保留备份份数')).toHaveValue('30');
  await expect(page.getByLabel('无操作自动锁屏')).toHaveValue('5 分钟');
  await page.getByRole('button', { name: '保存' }).click();
  await expect(page.getByText('设置已保存')).toBeVisible();
  expect(count(app, `SELECT CAST(value AS INTEGER) FROM setting WHERE key = 'idleLockMinutes'`)).toBe(5);
  expect(count(app, `SELECT CAST(value AS INTEGER) FROM setting WHERE key = 'backupKeep'`)).toBe(30);

  // An account: the dialog holds 王医生 as listed; the other administrator renames him meanwhile.
  await page.getByRole('tab', { name: '用户与权限' }).click();
  await page.getByRole('button', { name: '王医生 的操作' }).click();
  await page.getByRole('menuitem', { name: '编辑' }).click();
  const dialog = page.getByRole('dialog');
  const wang = count(app, `SELECT id FROM app_user WHERE username = 'dr.wang'`);
  const version = count(app, `SELECT version FROM app_user WHERE username = 'dr.wang'`);
  li('users:update', { userId: wang, displayName: '王建国医生', version });
  await dialog.getByLabel('角色', { exact: true }).click();
  await page.getByRole('option', { name: '专家组', exact: true }).click();
  await dialog.getByRole('button', { name: '保存' }).click();
  await expect(dialog.getByTestId('conflict')).toContainText(/李管理员 已于 .* 修改了此记录/);
  await shot(page, 'admin-user-conflict-zh');
  await dialog.getByRole('button', { name: '载入最新内容' }).click();
  // The name the administrator left alone is now the current one; the role they chose stays.
  await expect(dialog.getByLabel('显示姓名')).toHaveValue('王建国医生');
  await expect(dialog.getByLabel('角色', { exact: true })).toHaveValue('专家组');
  await dialog.getByRole('button', { name: '保存' }).click();
  await expect(dialog).toBeHidden();
  expect(app.core.db.prepare(`SELECT display_name, role FROM app_user WHERE id = ?`).get(wang)).toEqual({ display_name: '王建国医生', role: 'expert' });
});
