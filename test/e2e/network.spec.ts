import { expect } from '@playwright/test';
import { shot } from './harness';
import { login, nav, PASSWORD, test, typeRound } from './server-harness';

/**
 * Network mode end to end (issue 14): the real renderer served by the real Echelon server over real
 * HTTPS on 127.0.0.1 (server-harness.ts). Each browser context is a workstation with its own session cookie.
 */

test('two workstations over HTTPS: a nurse saves a round on one, and the panel’s queue on the other shows it on its next load', async ({ network, browser }) => {
  const ward = await network.workstation(browser);
  const panel = await network.workstation(browser);
  // The page came from the server: no preload, the HTTP bridge, the connection shown in the header.
  expect(await ward.page.evaluate('"echelon" in window')).toBe(false);

  await login(ward.page, 'nurse.li');
  await expect(ward.page.getByTestId('connection')).toHaveText('已连接');
  await login(panel.page, 'prof.zhou');
  await nav(panel.page, '专家会诊');
  await expect(panel.page.getByText('刘建华')).toHaveCount(0);

  await nav(ward.page, '查房');
  await expect(ward.page.getByTestId('round-bed')).toContainText('刘建华');
  // In paper-chart order, as rounds.spec.ts types it: RR 26 (3), SpO2 91 (3), air, BP 95/60 (2),
  // pulse 118 (2), alert, 38.6 °C (1): NEWS2 11, high.
  await typeRound(ward.page, ['26', '91', '95', '60', '118'], '38.6');
  await ward.page.keyboard.press('Enter');
  // Saved means the server committed it: the round is in the record now.
  await expect.poll(() => network.core.db.prepare('SELECT count(*) FROM round WHERE episode_id = ?').pluck().get(network.episodes[0])).toBe(1);
  expect(network.core.db.prepare(`SELECT workstation FROM audit WHERE action = 'round.record' ORDER BY id DESC LIMIT 1`).pluck().get()).toBeTruthy();

  // The next load: the page again from the server, still logged in by its cookie.
  await panel.page.reload();
  await expect(panel.page.getByTestId('current-user')).toHaveText('周教授');
  await nav(panel.page, '专家会诊');
  const row = panel.page.getByTestId(`queue-row-${network.episodes[0]}`);
  await expect(row).toBeVisible();
  await expect(row).toContainText('NEWS2');
  await shot(panel.page, 'network-queue-after-remote-round');
});

test('network faults: offline, a save says “not saved” and keeps what was typed; an answer lost after the commit is retried and written once', async ({ network, browser }) => {
  const ward = await network.workstation(browser);
  await login(ward.page, 'nurse.li');
  await nav(ward.page, '查房');
  await expect(ward.page.getByTestId('round-bed')).toContainText('刘建华');
  const rounds = () => network.core.db.prepare('SELECT count(*) FROM round WHERE episode_id = ?').pluck().get(network.episodes[0]) as number;
  const k = ward.page.keyboard;
  await typeRound(ward.page, ['18', '97', '128', '82', '88'], '37.2');

  // The ward's Wi-Fi drops: the save is refused as not saved, nothing is written, the values stay.
  await ward.context.setOffline(true);
  await k.press('Enter');
  await expect(ward.page.getByRole('alert').filter({ hasText: '未保存' })).toBeVisible({ timeout: 15_000 });
  await expect(ward.page.getByTestId('connection')).toHaveText('离线');
  await expect(ward.page.locator('input[data-field="respRate"]')).toHaveValue('18');
  expect(rounds()).toBe(0);
  await shot(ward.page, 'network-offline-not-saved');

  // Back online, the header says so by itself; then the server commits the save but its answer is
  // lost on the way back: the transport retries with the same idempotency key and the server answers
  // from what it stored, so the round is written once.
  await ward.context.setOffline(false);
  await expect(ward.page.getByTestId('connection')).toHaveText('已连接', { timeout: 15_000 });
  const keys: string[] = [];
  let lost = false;
  await ward.page.route('**/api/rounds/record', async (route) => {
    keys.push(route.request().headers()['idempotency-key'] ?? '');
    if (lost) return route.continue();
    lost = true;
    await route.fetch();
    await route.abort('connectionreset');
  });
  await ward.page.locator('input[data-field="temperature"]').press('Enter');
  await expect.poll(() => keys.length).toBe(2);
  await expect(ward.page.getByRole('alert').filter({ hasText: '未保存' })).toHaveCount(0);
  expect(keys[0]).toMatch(/^[0-9a-f-]{36}$/);
  expect(keys[1]).toBe(keys[0]);
  expect(rounds()).toBe(1);
});

test('over the network: login, the idle lock and switch user work per workstation', async ({ network, browser }) => {
  const a = await network.workstation(browser);
  await a.page.clock.install();
  await login(a.page, 'nurse.li');
  await a.page.clock.fastForward('10:10');
  const lock = a.page.getByTestId('lock-screen');
  await expect(lock).toBeVisible();
  await lock.getByLabel('密码').fill('wrong-password');
  await lock.getByRole('button', { name: '解锁' }).click();
  await expect(lock.getByRole('alert')).toHaveText('用户名或密码错误。');
  await lock.getByLabel('密码').fill(PASSWORD);
  await lock.getByRole('button', { name: '解锁' }).click();
  await expect(lock).toBeHidden();

  // A second workstation is not affected by the first one's lock, and switches user on its own.
  const b = await network.workstation(browser);
  await login(b.page, 'prof.zhou');
  await b.page.getByRole('button', { name: '切换用户' }).click();
  await b.page.getByRole('button', { name: '李护士' }).click();
  await b.page.getByRole('dialog').getByLabel('密码').or(b.page.locator('.mantine-Popover-dropdown').getByLabel('密码')).first().fill(PASSWORD);
  await b.page.getByRole('button', { name: '切换', exact: true }).click();
  await expect(b.page.getByTestId('current-user')).toHaveText('李护士');
  await expect(a.page.getByTestId('current-user')).toHaveText('李护士');
  await shot(b.page, 'network-switch-user');
});

test('an administrator’s restore over the network logs the other workstation out', async ({ network, browser }) => {
  const nurse = await network.workstation(browser);
  await login(nurse.page, 'nurse.li');
  const admin = await network.workstation(browser);
  await login(admin.page, 'admin');
  await nav(admin.page, '系统管理');
  await admin.page.getByRole('tab', { name: '备份与恢复' }).click();
  await admin.page.getByRole('button', { name: '立即备份' }).click();
  const row = admin.page.getByRole('row').filter({ hasText: 'echelon-' }).first();
  await expect(row).toBeVisible();
  const name = (await row.getByRole('cell').first().textContent())?.trim() ?? '';
  await row.getByRole('button', { name: '恢复' }).click();
  const dialog = admin.page.getByRole('dialog');
  await dialog.getByRole('textbox').fill(name);
  await dialog.getByRole('button', { name: /恢复/ }).last().click();
  await expect(admin.page.getByRole('button', { name: '登录' })).toBeVisible({ timeout: 20_000 });

  // The restore's change notice makes the nurse's screen read again: it finds the session gone and
  // returns to the login by itself, without the nurse doing anything.
  await expect(nurse.page.getByRole('button', { name: '登录' })).toBeVisible({ timeout: 10_000 });
  await shot(nurse.page, 'network-restore-logged-out');
});
