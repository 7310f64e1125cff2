import { expect, type Page } from '@playwright/test';
import { shot } from './harness';
import { login, nav, test, typeRound } from './server-harness';

/**
 * The live network end to end (issue 15): two or three workstations on the real server over HTTPS on
 * 127.0.0.1, each its own browser context. What one saves reaches the others' screens through the
 * server's change notices, with no reload; a form being typed in is never replaced; an edit made on
 * an old version is refused naming who changed it and when; a bed goes to exactly one of two admins.
 */

/** A mark on the page's window: still there afterwards means the page was never reloaded. */
const markPage = (page: Page) => page.evaluate('window.__notReloaded = true');
const notReloaded = (page: Page) => page.evaluate('window.__notReloaded === true');

const openChart = async (page: Page, bed: string, name: string) => {
  await page
    .getByTestId(`bed-${bed}`)
    .getByRole('button', { name: new RegExp(name) })
    .click();
  await expect(page.getByTestId('chart-name')).toHaveText(name);
};

test('a round saved on one workstation updates the ward board and the expert queue on two others, without a reload', async ({ network, browser }) => {
  const ward = await network.workstation(browser);
  const board = await network.workstation(browser);
  const panel = await network.workstation(browser);
  await login(ward.page, 'nurse.li');
  await login(board.page, 'dr.wang');
  await login(panel.page, 'prof.zhou');
  await nav(panel.page, '专家会诊');
  const card = board.page.getByTestId('bed-G05-001');
  await expect(card).toContainText('刘建华');
  await expect(card).not.toContainText('NEWS2 11');
  await expect(panel.page.getByTestId(`queue-row-${network.episodes[0]}`)).toHaveCount(0);
  await markPage(board.page);
  await markPage(panel.page);

  await nav(ward.page, '查房');
  await expect(ward.page.getByTestId('round-bed')).toContainText('刘建华');
  // NEWS2 11: RR 26 (3), SpO2 91 (3), air, BP 95/60 (2), pulse 118 (2), alert, 38.6 °C (1).
  await typeRound(ward.page, ['26', '91', '95', '60', '118'], '38.6');
  await ward.page.keyboard.press('Enter');
  await expect.poll(() => network.core.db.prepare('SELECT count(*) FROM round WHERE episode_id = ?').pluck().get(network.episodes[0])).toBe(1);

  // Within a second or two, on both other screens, in place.
  await expect(card).toContainText('NEWS2 11', { timeout: 5_000 });
  const row = panel.page.getByTestId(`queue-row-${network.episodes[0]}`);
  await expect(row).toBeVisible({ timeout: 5_000 });
  await expect(row).toContainText('NEWS2');
  expect(await notReloaded(board.page)).toBe(true);
  expect(await notReloaded(panel.page)).toBe(true);
  await shot(board.page, 'live-board-after-remote-round');
  await shot(panel.page, 'live-queue-after-remote-round');
});

test('a round form being typed on B stays as typed when A saves a round for the same patient; it says what is new, and both rounds stand', async ({ network, browser }) => {
  const a = await network.workstation(browser);
  const b = await network.workstation(browser);
  await login(a.page, 'nurse.li');
  await login(b.page, 'dr.wang');
  for (const w of [a, b]) {
    await nav(w.page, '查房');
    await expect(w.page.getByTestId('round-bed')).toContainText('刘建华');
  }
  // B has typed part of a round and not saved it.
  await typeRound(b.page, ['22', '95'], null);

  await typeRound(a.page, ['18', '97', '128', '82', '88'], '37.2');
  await a.page.keyboard.press('Enter');
  await expect.poll(() => network.core.db.prepare('SELECT count(*) FROM round WHERE episode_id = ?').pluck().get(network.episodes[0])).toBe(1);

  const banner = b.page.getByTestId('new-data');
  await expect(banner).toBeVisible({ timeout: 5_000 });
  await expect(banner).toContainText('李护士');
  await expect(banner).toContainText('查房');
  await expect(b.page.locator('input[data-field="respRate"]')).toHaveValue('22');
  await expect(b.page.locator('input[data-field="spo2"]')).toHaveValue('95');
  // A's own screen says nothing of its own save.
  await expect(a.page.getByTestId('new-data')).toHaveCount(0);
  await shot(b.page, 'live-round-form-new-data');

  // B finishes and saves: rounds are append-only, so both stand.
  await b.page.locator('input[data-field="systolicBp"]').fill('120');
  await b.page.locator('input[data-field="diastolicBp"]').fill('78');
  await b.page.locator('input[data-field="pulse"]').fill('84');
  await b.page.locator('input[data-field="temperature"]').fill('36.9');
  await b.page.locator('input[data-field="temperature"]').press('Enter');
  await expect.poll(() => network.core.db.prepare('SELECT count(*) FROM round WHERE episode_id = ?').pluck().get(network.episodes[0])).toBe(2);
});

test('a plan edited on A and then on B from the same old version: B is refused, told who and when, and offered the new version; what B typed stays', async ({
  network,
  browser,
}) => {
  const a = await network.workstation(browser);
  const b = await network.workstation(browser);
  await login(a.page, 'dr.wang');
  await login(b.page, 'prof.zhou');
  for (const w of [a, b]) {
    await openChart(w.page, 'G05-001', '刘建华');
    await w.page.getByRole('tab', { name: '诊疗计划' }).click();
    await w.page.getByTestId('edit-plan').click();
  }
  await b.page.getByTestId('plan-goals').fill('专家意见：加强氧疗监测');
  await a.page.getByTestId('plan-goals').fill('对症治疗，监测血氧');
  await a.page.getByRole('button', { name: '保存新版本' }).click();
  await expect(a.page.getByText('一人一策 · 第 1 版')).toBeVisible();

  // B's editor learns of version 1 while open, and keeps what B typed.
  await expect(b.page.getByTestId('plan-newer')).toContainText('王医生', { timeout: 5_000 });
  await expect(b.page.getByTestId('plan-goals')).toHaveValue('专家意见：加强氧疗监测');
  await b.page.getByRole('button', { name: '保存新版本' }).click();
  const refusal = b.page.getByRole('dialog').getByRole('alert').filter({ hasText: '您的修改未保存' });
  await expect(refusal).toContainText('王医生');
  await shot(b.page, 'live-plan-conflict');
  expect(network.core.db.prepare('SELECT count(*) FROM plan_version WHERE episode_id = ?').pluck().get(network.episodes[0])).toBe(1);

  // B takes version 1 as the base, adds to it, and saves version 2.
  await b.page.getByTestId('plan-load-newer').click();
  await expect(b.page.getByTestId('plan-goals')).toHaveValue('对症治疗，监测血氧');
  await b.page.getByTestId('plan-goals').fill('对症治疗，监测血氧；专家意见：加强氧疗监测');
  await b.page.getByRole('button', { name: '保存新版本' }).click();
  await expect(b.page.getByText('一人一策 · 第 2 版')).toBeVisible();
  await expect(a.page.getByText('一人一策 · 第 2 版')).toBeVisible({ timeout: 5_000 });
});

test('the receiving ward is told of a transfer heading for it', async ({ network, browser }) => {
  const sender = await network.workstation(browser);
  const zone = await network.workstation(browser);
  await login(sender.page, 'dr.wang');
  await login(zone.page, 'nurse.wu');
  await openChart(sender.page, 'G05-002', '陈秀兰');
  await sender.page.getByRole('button', { name: '申请转运' }).click();
  const dialog = sender.page.getByRole('dialog');
  await dialog.getByRole('combobox', { name: '接收机构' }).click();
  await sender.page
    .getByRole('option', { name: /方舱医院/ })
    .first()
    .click();
  await dialog.getByRole('combobox', { name: '接收病区' }).click();
  await sender.page.getByRole('option', { name: /A1舱/ }).first().click();
  await dialog.getByLabel('转运原因').fill('病情稳定，转方舱继续隔离观察');
  await dialog.getByRole('button', { name: '提交转运申请' }).click();
  await expect(dialog).toBeHidden();

  const note = zone.page.getByTestId('incoming-transfer');
  await expect(note).toBeVisible({ timeout: 5_000 });
  await expect(note).toContainText('王医生');
  await shot(zone.page, 'live-incoming-transfer');
  await note.getByRole('button', { name: '查看待转入' }).click();
  await expect(zone.page.getByTestId('incoming')).toContainText('陈秀兰');
  // The sender's own screen is not told of its own request as incoming.
  await expect(sender.page.getByTestId('incoming-transfer')).toHaveCount(0);
});

test('two administrators admit into the same free bed: one wins, the other is told who took it, and keeps what was typed', async ({ network, browser }) => {
  const a = await network.workstation(browser);
  const b = await network.workstation(browser);
  await login(a.page, 'admin');
  await login(b.page, 'admin.chen');
  const admit = async (page: Page, name: string, idCard: string) => {
    await page.getByTestId('bed-G05-003').getByRole('button', { name: '收治到 G05-003 床' }).click();
    const drawer = page.getByRole('dialog');
    await drawer.getByLabel('姓名').fill(name);
    await drawer.getByLabel('身份证号').fill(idCard);
    return drawer;
  };
  const drawerA = await admit(a.page, '赵建国', '110105194912310038');
  const drawerB = await admit(b.page, '钱卫东', '110105197001010011');
  await drawerA.getByRole('button', { name: '确认收治' }).click();
  await expect(drawerA).toBeHidden();
  // B's board behind the open drawer already shows the bed taken; the drawer keeps B's typing.
  await expect(b.page.getByTestId('bed-G05-003')).toHaveAttribute('data-state', 'occupied', { timeout: 5_000 });
  await expect(drawerB.getByLabel('姓名')).toHaveValue('钱卫东');
  await drawerB.getByRole('button', { name: '确认收治' }).click();
  // The refusal sits on the bed field: who took it and when.
  await expect(drawerB).toContainText('G05-003 床已不是空床：管理员 于');
  await expect(drawerB.getByLabel('姓名')).toHaveValue('钱卫东');
  await shot(b.page, 'live-bed-race-refused');
  expect(network.core.db.prepare(`SELECT count(*) FROM patient WHERE name IN ('赵建国', '钱卫东')`).pluck().get()).toBe(1);
});
