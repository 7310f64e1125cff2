import { execFileSync } from 'node:child_process';
import AxeBuilder from '@axe-core/playwright';
import fs from 'node:fs';
import path from 'node:path';
import type { Locator, Page } from '@playwright/test';
import { test, expect, shot, loginAsRecent, otherAdmin, logout, select, type App } from './harness';

const PDF_DIR = 'test-results/pdf';

// The demo network (~1,800 patients with rounds, the panel's history and discharges) is built first.
test.setTimeout(180_000);

/** Chooses an option of a Mantine Select by the input's label and the option's text. */
async function choose(page: Page, label: string | RegExp, option: string | RegExp): Promise<void> {
  await select(page, label).click();
  await page.getByRole('option', { name: option }).first().click();
}

/** The page as the A4 print stylesheet lays it out, as text (poppler's pdftotext). */
async function pdfText(page: Page, name: string): Promise<string> {
  fs.mkdirSync(PDF_DIR, { recursive: true });
  const file = path.join(PDF_DIR, `${name}.pdf`);
  await page.emulateMedia({ media: 'print' });
  await page.pdf({ path: file, format: 'A4', printBackground: true });
  await page.emulateMedia({ media: 'screen' });
  return execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' });
}

function load(app: App): void {
  const r = app.core.dispatch('setup:loadDemo', { seed: 20220320 }, { user: null }, new Date().toISOString());
  if (!r.ok) throw new Error(JSON.stringify(r.error));
}

test('the panel sends a flagged fangcang patient to the designated hospital; the receiving ward assigns a bed and takes them in', async ({ app, page }) => {
  load(app);
  await app.open(page);
  await loginAsRecent(page, '周教授（专家组）');

  // The queue, across the network, filtered to the first fangcang.
  await page
    .getByRole('link', { name: '专家会诊' })
    .or(page.getByText('专家会诊', { exact: true }))
    .first()
    .click();
  await expect(page.getByTestId('queue').locator('[data-testid^="queue-row-"]').first()).toBeVisible();
  await shot(page, 'panel-queue-zh');
  await choose(page, '医疗机构', /体育中心方舱医院/);
  const row = page.getByTestId('queue').locator('[data-testid^="queue-row-"]').first();
  await expect(row).toContainText('体育中心方舱医院');
  const name = (await row.getAttribute('data-name'))!;
  const episodeId = Number((await row.getAttribute('data-testid'))!.replace('queue-row-', ''));
  await expect(row.locator('[data-flag]').first()).toBeVisible();

  // The review drawer: reasons with evidence, the trend, the one-click decision.
  await row.click();
  const drawer = page.getByTestId('review-drawer');
  await expect(drawer).toContainText('入队原因');
  await shot(page, 'panel-review-drawer-reasons-zh');
  await drawer.getByTestId('review-decision-bar').getByText('转定点医院', { exact: true }).click();
  await expect(select(drawer, '会诊后梯队')).toHaveValue(/T3|T4/);
  // A transfer without a note is refused on the field, and nothing is written.
  await drawer.getByRole('button', { name: '签署会诊决定' }).click();
  await expect(drawer.getByText('转运决定须填写会诊意见（转运原因）')).toBeVisible();
  expect(
    app.core.db
      .prepare('SELECT count(*) FROM review WHERE episode_id = ? AND at > ?')
      .pluck()
      .get(episodeId, new Date(Date.now() - 600_000).toISOString()),
  ).toBe(0);
  await drawer.getByLabel(/会诊意见/).fill('NEWS2 升高，专家组决定转定点医院进一步评估治疗');
  await drawer.getByLabel(/方案调整/).fill('转入后完善胸部CT及血气分析');
  await shot(page, 'panel-review-drawer-zh');
  await drawer.getByRole('button', { name: '签署会诊决定' }).click();
  await expect(page.getByTestId('review-drawer')).toBeHidden();
  const transfer = app.core.db
    .prepare(
      `SELECT t.id, t.status, f.kind, r.decision, u.username FROM transfer_request t JOIN facility f ON f.id = t.to_facility_id JOIN review r ON r.id = t.review_id JOIN app_user u ON u.id = r.author_id WHERE t.episode_id = ? AND t.status = 'requested'`,
    )
    .get(episodeId) as { id: number; status: string; kind: string; decision: string; username: string };
  expect(transfer).toMatchObject({ status: 'requested', kind: 'designated', decision: 'transfer_designated', username: 'prof.zhou' });

  // Today's list for the meeting record, printed on A4.
  await page.getByRole('button', { name: '打印今日会诊清单' }).click();
  const sheet = page.getByTestId('meeting-sheet');
  await expect(sheet).toContainText(name);
  await expect(sheet).toContainText('转定点医院');
  await shot(page, 'panel-meeting-sheet-zh');
  const text = await pdfText(page, 'panel-meeting');
  expect(text).toContain('专家组会诊记录');
  expect(text).toContain('今日会诊决定');
  expect(text).toContain(name);
  expect(text).toContain('转定点医院');
  expect(text).toContain('专家组组长签名');
  expect(text).not.toContain('返回会诊队列');
  await page.getByRole('button', { name: '返回会诊队列' }).click();
  await logout(page);

  // The designated hospital's ward doctor sees who is coming, assigns a bed and takes the patient in.
  await loginAsRecent(page, '李医生');
  await page
    .getByRole('link', { name: '入出转' })
    .or(page.getByText('入出转', { exact: true }))
    .first()
    .click();
  await choose(page, '医疗机构', /区定点医院/);
  const card = page.getByTestId(`incoming-${transfer.id}`);
  await expect(card).toContainText(name);
  await expect(card).toContainText('NEWS2 升高，专家组决定转定点医院');
  await select(card, '分配床位').click();
  const option = page.getByRole('option').first();
  const bedLabel = ((await option.textContent()) ?? '').replace(/（.*$/, '').trim();
  await option.click();
  await card.getByRole('button', { name: '确认分配床位' }).click();
  await expect(card).toContainText('已分配床位');
  const assigned = app.core.db
    .prepare(`SELECT b.state, w.name AS ward FROM bed b JOIN ward w ON w.id = b.ward_id WHERE b.label = ? AND w.facility_id = (SELECT id FROM facility WHERE code = 'DH')`)
    .get(bedLabel) as { state: string; ward: string };
  expect(assigned.state).toBe('reserved');
  await shot(page, 'panel-transfer-incoming-zh');
  await card.getByRole('button', { name: /完成转入/ }).click();
  await expect(page.getByTestId(`incoming-${transfer.id}`)).toBeHidden();
  expect(app.core.db.prepare(`SELECT status FROM transfer_request WHERE id = ?`).pluck().get(transfer.id)).toBe('completed');
  expect(app.core.db.prepare(`SELECT count(*) FROM placement WHERE episode_id = ? AND began_by = 'transfer' AND end_at IS NULL`).pluck().get(episodeId)).toBe(1);

  // On the designated hospital's ward board, in the assigned bed.
  await page
    .getByRole('link', { name: '病区看板' })
    .or(page.getByText('病区看板', { exact: true }))
    .first()
    .click();
  await choose(page, '医疗机构', /区定点医院/);
  await choose(page, '病区 / 舱区', new RegExp(assigned.ward));
  const bed = page.getByTestId(`bed-${bedLabel}`);
  await expect(bed).toHaveAttribute('data-state', 'occupied');
  await expect(bed).toContainText(name);
  await bed.scrollIntoViewIfNeeded();
  await shot(page, 'panel-ward-board-after-transfer-zh');
});

test('beds: availability by ward and tag, the waiting list, bed states and a swap', async ({ app, page }) => {
  load(app);
  await app.open(page);
  await loginAsRecent(page, '医务科 管理员');
  await page
    .getByRole('link', { name: '入出转' })
    .or(page.getByText('入出转', { exact: true }))
    .first()
    .click();
  await choose(page, '医疗机构', /会展中心方舱医院/);
  await expect(page.getByTestId('availability')).toContainText('空床');

  // Admit without a bed: the patient is on the waiting list, then placed into a free bed.
  await page.getByRole('button', { name: '收治入候床名单' }).click();
  const drawer = page.getByRole('dialog');
  await drawer.getByLabel('姓名').fill('候床测试');
  await drawer.getByLabel('年龄（岁）').fill('52');
  await drawer.getByRole('button', { name: '确认收治（候床）' }).click();
  await expect(drawer).toBeHidden();
  const waiting = page.getByTestId('waiting');
  await expect(waiting).toContainText('候床测试');
  await shot(page, 'beds-waiting-zh');
  await select(waiting, '为 候床测试 选择床位').click();
  await page.getByRole('option').first().click();
  await waiting.getByRole('button', { name: '入床' }).click();
  await expect(page.getByText('当前没有候床患者。')).toBeVisible();

  // Bed states: a free bed out of service needs a reason; a swap exchanges two patients.
  await page.getByRole('tab', { name: '床位状态' }).click();
  const beds = page.getByTestId('ward-beds');
  const free = beds.locator('[data-state="free"]').first();
  const freeLabel = (await free.getAttribute('data-testid'))!.replace('bedstate-', '');
  await free.getByRole('button', { name: `更改 ${freeLabel} 床状态` }).click();
  await page.getByRole('menuitem', { name: '停用' }).click();
  await page.getByRole('dialog').getByRole('button', { name: '保存' }).click();
  await expect(page.getByRole('dialog').getByText('停用床位须填写原因')).toBeVisible();
  await page.getByRole('dialog').getByLabel('原因').fill('供氧管路检修');
  await page.getByRole('dialog').getByRole('button', { name: '保存' }).click();
  await expect(beds.getByTestId(`bedstate-${freeLabel}`)).toHaveAttribute('data-state', 'out_of_service');

  const occupied = beds.locator('[data-state="occupied"]');
  const [a, b] = [occupied.nth(0), occupied.nth(1)];
  const [nameA, nameB] = [await a.locator('p').nth(1).textContent(), await b.locator('p').nth(1).textContent()];
  await page.getByRole('button', { name: '换床' }).click();
  await a.getByRole('button', { name: '选择' }).click();
  await b.getByRole('button', { name: '选择' }).click();
  await expect(a).toContainText(nameB ?? '');
  await expect(b).toContainText(nameA ?? '');
  await shot(page, 'beds-states-zh');

  // The same screens in English.
  await page.getByText('EN', { exact: true }).click();
  await page.getByRole('tab', { name: 'Incoming transfers' }).click();
  await expect(page.getByTestId('availability')).toContainText('free');
  await shot(page, 'beds-en');
  await page
    .getByRole('link', { name: 'Expert panel' })
    .or(page.getByText('Expert panel', { exact: true }))
    .first()
    .click();
  await expect(page.getByTestId('queue').locator('[data-testid^="queue-row-"]').first()).toBeVisible();
  await page.getByTestId('queue').locator('[data-testid^="queue-row-"]').first().click();
  await expect(page.getByTestId('review-drawer')).toContainText('Why on the queue');
  await expect(page.getByTestId('review-drawer')).toContainText('Decisions are signed by members of the expert panel');
  await shot(page, 'panel-drawer-admin-en');
});

test('from the chart, a ward doctor refers a patient to the panel and requests a transfer; both show in the chart and the queue', async ({ app, page }) => {
  load(app);
  await app.open(page);
  await loginAsRecent(page, '王医生');
  const card = page.getByTestId('ward-board').locator('[data-state="occupied"]').first();
  await card.getByRole('button', { name: /打开 .* 的病历/ }).click();
  const name = (await page.getByTestId('chart-name').textContent())!;
  const episodeId = app.core.db.prepare(`SELECT e.id FROM episode e JOIN patient p ON p.id = e.patient_id WHERE p.name = ? AND e.status = 'active'`).pluck().get(name) as number;

  await page.getByRole('button', { name: '提请专家组会诊' }).click();
  const refer = page.getByRole('dialog');
  await refer.getByRole('button', { name: '提交' }).click();
  await expect(refer.getByText('必填项')).toBeVisible();
  await refer.getByLabel(/提请说明/).fill('夜间指氧波动，请专家组评估');
  await refer.getByRole('button', { name: '提交' }).click();
  await expect(refer).toBeHidden();
  expect(app.core.db.prepare('SELECT note FROM referral WHERE episode_id = ?').pluck().get(episodeId)).toBe('夜间指氧波动，请专家组评估');

  await page.getByRole('button', { name: '申请转运' }).click();
  const request = page.getByRole('dialog');
  await choose(page, '接收机构', /会展中心方舱医院/);
  await request.getByLabel(/转运原因/).fill('病情稳定，转方舱继续隔离观察');
  await request.getByRole('button', { name: '提交转运申请' }).click();
  await expect(request).toBeHidden();
  await page.getByRole('tab', { name: '会诊与转运' }).click();
  const section = page.getByTestId('reviews-transfers');
  await expect(section).toContainText('待分配床位');
  await expect(section).toContainText('会展中心方舱医院');
  await shot(page, 'panel-chart-section-zh');

  // The referral puts the patient on the panel's queue with its reason.
  await page
    .getByRole('link', { name: '专家会诊' })
    .or(page.getByText('专家会诊', { exact: true }))
    .first()
    .click();
  await choose(page, '预警类型', '医生提请专家组会诊');
  const row = page.getByTestId(`queue-row-${episodeId}`);
  await expect(row).toContainText('夜间指氧波动，请专家组评估');
  await expect(row).toContainText('待分配床位');
});

/** A second workstation: 李管理员 (harness.ts), with the fangcang beds by label and the version its board shows. */
function otherAdminWithBeds(app: App) {
  const call = otherAdmin(app);
  const bed = (label: string) =>
    app.core.db
      .prepare(
        `SELECT b.id, b.ward_id AS wardId FROM bed b JOIN ward w ON w.id = b.ward_id JOIN facility f ON f.id = w.facility_id WHERE f.name LIKE '%会展中心方舱医院%' AND b.label = ?`,
      )
      .get(label) as { id: number; wardId: number };
  const versionOf = (label: string) => {
    const { id, wardId } = bed(label);
    return call<{ beds: { id: number; version: number }[] }>('wards:board', { wardId }).beds.find((b) => b.id === id)!.version;
  };
  return { call, bed, versionOf };
}

test('beds: two administrators at once — a bed changed while the dialog was open is refused naming who and when; a bed taken first is named too', async ({ app, page }) => {
  load(app);
  const li = otherAdminWithBeds(app);
  // Two patients wait for a bed in the fangcang hospital's first zone.
  const facilityId = app.core.db.prepare(`SELECT id FROM facility WHERE name LIKE '%会展中心方舱医院%'`).pluck().get() as number;
  const wardId = app.core.db.prepare('SELECT id FROM ward WHERE facility_id = ? ORDER BY sort, id LIMIT 1').pluck().get(facilityId) as number;
  const admitWaiting = (name: string) =>
    li.call<{ episodeId: number }>('beds:admitWaiting', {
      patient: { name, sex: 'F', ageYears: 45, riskFactors: [] },
      wardId,
      admittedAt: new Date(Date.now() - 60_000).toISOString(),
      source: 'community_screening',
    });
  admitWaiting('候床甲');
  const second = admitWaiting('候床乙');
  await app.open(page);
  await loginAsRecent(page, '医务科 管理员');
  await page
    .getByRole('link', { name: '入出转' })
    .or(page.getByText('入出转', { exact: true }))
    .first()
    .click();
  await choose(page, '医疗机构', /会展中心方舱医院/);
  await page.getByRole('tab', { name: '床位状态' }).click();
  const beds = page.getByTestId('ward-beds');
  const free = beds.locator('[data-state="free"]').first();
  const label = (await free.getAttribute('data-testid'))!.replace('bedstate-', '');

  // The dialog holds the bed as the board showed it; the other administrator changes the bed meanwhile.
  await free.getByRole('button', { name: `更改 ${label} 床状态` }).click();
  await page.getByRole('menuitem', { name: '停用' }).click();
  const dialog = page.getByRole('dialog');
  await dialog.getByLabel('原因').fill('供氧管路检修');
  li.call('beds:setState', { bedId: li.bed(label).id, state: 'cleaning', version: li.versionOf(label) });
  await dialog.getByRole('button', { name: '保存' }).click();
  const conflict = dialog.getByTestId('conflict');
  await expect(conflict).toContainText(/李管理员 已于 \d{4}-\d{2}-\d{2} \d{2}:\d{2} 修改了此记录/);
  await expect(dialog.getByLabel('原因')).toHaveValue('供氧管路检修');
  await expect(beds.getByTestId(`bedstate-${label}`)).toHaveAttribute('data-state', 'cleaning');
  await shot(page, 'beds-conflict-zh');

  // Loading the current version keeps the reason; the save then stands.
  await conflict.getByRole('button', { name: '载入最新内容' }).click();
  await expect(conflict).toBeHidden();
  await dialog.getByRole('button', { name: '保存' }).click();
  await expect(dialog).toBeHidden();
  await expect(beds.getByTestId(`bedstate-${label}`)).toHaveAttribute('data-state', 'out_of_service');

  // A race for the same free bed: the other administrator places a patient first; this one is told who took it.
  await page.getByRole('tab', { name: '候床名单' }).click();
  const waiting = page.getByTestId('waiting');
  await expect(waiting).toContainText('候床甲');
  await select(waiting, '为 候床甲 选择床位').click();
  const option = page.getByRole('option').first();
  const taken = ((await option.textContent()) ?? '').split(/[（(]/)[0]!.trim();
  await option.click();
  li.call('beds:place', { episodeId: second.episodeId, bedId: li.bed(taken).id });
  await waiting.locator('tr', { hasText: '候床甲' }).getByRole('button', { name: '入床' }).click();
  await expect(waiting.locator('tr', { hasText: '候床甲' })).toContainText(new RegExp(`${taken} 床已不是空床：李管理员 于 \\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2} 已占用或更改该床`));
  await shot(page, 'beds-taken-by-zh');
});

/** The queue's rows wholly inside both the list's box and the window, counted from their boxes. */
async function rowsInView(page: Page): Promise<number> {
  const list = (await page.getByTestId('queue').boundingBox())!;
  const bottom = Math.min(list.y + list.height, page.viewportSize()!.height);
  let n = 0;
  for (const row of await page.getByTestId('queue').locator('[data-testid^="queue-row-"]').all()) {
    const box = await row.boundingBox();
    if (box && box.height > 0 && box.y >= list.y - 1 && box.y + box.height <= bottom + 1) n++;
  }
  return n;
}

async function openQueue(page: Page): Promise<void> {
  await page
    .getByRole('link', { name: /专家会诊|Expert panel/ })
    .or(page.getByText('专家会诊', { exact: true }))
    .first()
    .click();
  await expect(page.getByTestId('queue').locator('[data-testid^="queue-row-"]').first()).toBeVisible();
}

test('the panel works through the queue in compact rows: a dozen patients a screen with their top two reasons, one key opens the details; the layout chosen is kept for this user; placeholder rows while it loads, the error instead of a stale list, and a filter matching nobody says so', async ({
  app,
  page,
}) => {
  load(app);
  await app.open(page);
  await loginAsRecent(page, '周教授（专家组）');
  // While the first page is on its way, placeholder rows stand where the rows will be.
  await page.evaluate(`{
    const real = window.__echelonInvoke;
    const held = new Promise((release) => (window.__releaseQueue = release));
    window.__echelonInvoke = (channel, input) => (channel === 'queue:list' ? held.then(() => real(channel, input)) : real(channel, input));
  }`);
  await page.locator('.mantine-AppShell-navbar').getByText('专家会诊', { exact: true }).click();
  await expect(page.getByTestId('queue-loading')).toBeVisible();
  await expect(page.getByTestId('queue-loading').getByTestId('queue-pending')).toHaveCount(8);
  await page.evaluate('window.__releaseQueue()');
  const queue = page.getByTestId('queue');
  const first = queue.locator('[data-testid^="queue-row-"]').first();
  await expect(first).toBeVisible();
  await expect(page.getByTestId('queue-loading')).toHaveCount(0);
  await expect(first).toHaveAttribute('data-layout', 'compact');
  expect(await rowsInView(page)).toBeGreaterThanOrEqual(10);
  // At most two reasons a row, the rest counted.
  const many = queue
    .locator('[data-testid^="queue-row-"]')
    .filter({ hasText: /另 \d+ 项/ })
    .first();
  await expect(many.locator('[data-flag]')).toHaveCount(2);
  await shot(page, 'panel-queue-compact-zh');
  await page.setViewportSize({ width: 1024, height: 768 });
  await shot(page, 'panel-queue-compact-1024-zh');
  expect(await rowsInView(page)).toBeGreaterThanOrEqual(10);
  // In PPE mode the rows grow with the type and still fit the width: nothing pushed past the row's edge.
  await page.getByRole('switch', { name: '防护服模式' }).click({ force: true });
  await expect(page.locator('html')).toHaveAttribute('data-ppe', 'on');
  await expect.poll(() => queue.locator('.queue-compact').evaluateAll((rows) => rows.filter((r) => r.scrollWidth > r.clientWidth + 1).length)).toBe(0);
  await shot(page, 'panel-queue-compact-1024-ppe-zh');
  await page.getByRole('switch', { name: '防护服模式' }).click({ force: true });
  await page.setViewportSize({ width: 1366, height: 768 });

  // Enter on a focused row opens its review drawer.
  await first.getByRole('button').focus();
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('review-drawer')).toBeVisible();
  await shot(page, 'panel-review-drawer-1366-zh');
  await page.keyboard.press('Escape');
  await expect(page.getByTestId('review-drawer')).toBeHidden();

  // Cards, chosen once, stay chosen after logging out and in again, and after a reload.
  await page.getByTestId('queue-layout').getByText('卡片').click();
  await expect(first).not.toHaveAttribute('data-layout', 'compact');
  await logout(page);
  await loginAsRecent(page, '周教授（专家组）');
  await openQueue(page);
  await expect(queue.locator('[data-testid^="queue-row-"]').first()).not.toHaveAttribute('data-layout', 'compact');
  // A reload keeps the session (main holds it) and the layout.
  await page.reload();
  await expect(page.getByTestId('current-user')).toHaveText('周教授（专家组）');
  await openQueue(page);
  await expect(queue.locator('[data-testid^="queue-row-"]').first()).not.toHaveAttribute('data-layout', 'compact');
  await page.getByTestId('queue-layout').getByText('紧凑').click();
  await expect(queue.locator('[data-testid^="queue-row-"]').first()).toHaveAttribute('data-layout', 'compact');

  // A filter that matches nobody says so, and clears.
  await choose(page, '医疗机构', /区定点医院/);
  await choose(page, '救治梯队', 'T1');
  await expect(page.getByTestId('queue-no-match')).toContainText('没有符合当前筛选条件的患者');
  await expect(page.getByText('当前没有触发重症预警的患者')).toHaveCount(0);
  await page.getByRole('button', { name: '清除筛选' }).click();
  await expect(queue.locator('[data-testid^="queue-row-"]').first()).toBeVisible();

  // A refresh that fails replaces the list with the error: what was shown is no longer the queue.
  await page.evaluate(`{
    const real = window.__echelonInvoke;
    window.__echelonInvoke = (channel, input) =>
      channel === 'queue:list' && window.__queueFails ? Promise.resolve({ ok: false, error: { code: 'STORAGE', message: 'disk I/O error', details: {} } }) : real(channel, input);
    window.__queueFails = true;
  }`);
  await page.getByRole('button', { name: '刷新' }).click();
  await expect(page.getByRole('alert').filter({ hasText: '数据库错误' })).toBeVisible();
  await expect(page.getByTestId('queue')).toHaveCount(0);
  await page.evaluate('window.__queueFails = false');
  await page.getByRole('alert').getByRole('button', { name: '重试' }).click();
  await expect(queue.locator('[data-testid^="queue-row-"]').first()).toBeVisible();

  // In English too.
  await page.getByText('EN', { exact: true }).click();
  await expect(page.getByText('Expert panel queue', { exact: false }).first()).toBeVisible();
  expect(await rowsInView(page)).toBeGreaterThanOrEqual(10);
  await shot(page, 'panel-queue-compact-en');
  await first.click();
  await expect(page.getByTestId('review-drawer')).toBeVisible();
  await shot(page, 'panel-review-drawer-1366-en');
});

/** Whether the locator's box lies wholly inside the window. */
async function onScreen(page: Page, locator: Locator): Promise<boolean> {
  const box = await locator.boundingBox();
  const view = page.viewportSize()!;
  return box !== null && box.y >= 0 && box.x >= 0 && box.y + box.height <= view.height + 0.5 && box.x + box.width <= view.width + 0.5;
}

test('the review drawer keeps its decision bar on screen, offers only decisions that can apply, and keeps a typed note: Esc asks before discarding it, and a draft comes back when the patient is opened again', async ({
  app,
  page,
}) => {
  load(app);
  await app.open(page);
  await loginAsRecent(page, '周教授（专家组）');
  await openQueue(page);
  // A patient already in the designated hospital is not offered a transfer there.
  await choose(page, '医疗机构', /区定点医院/);
  const row = page.getByTestId('queue').locator('[data-testid^="queue-row-"]').first();
  await expect(row).toContainText('区定点医院');
  await row.click();
  const drawer = page.getByTestId('review-drawer');
  const bar = drawer.getByTestId('review-decision-bar');
  await expect(bar).toBeVisible();
  await expect(bar.getByText('转定点医院', { exact: true })).toHaveCount(0);
  await expect(bar.getByTestId('review-withheld')).toContainText('转定点医院（患者已在定点医院）');
  const sign = bar.getByRole('button', { name: '签署会诊决定' });
  expect(await onScreen(page, sign)).toBe(true);
  // The drawer with its decision bar: no serious or critical axe violation.
  const axe = await new AxeBuilder({ page }).include('[data-testid="review-drawer"]').withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  expect(axe.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.id}: ${v.nodes[0]?.html}`)).toEqual([]);
  await shot(page, 'panel-review-drawer-designated-zh');

  // Esc with a typed note asks; "keep editing" keeps the note and the drawer.
  const note = drawer.getByLabel(/会诊意见/);
  await note.fill('夜班复查血气，明晨再评估');
  // The field typed in rests above the sticky decision bar, not under it.
  const [noteBox, barBox] = [await note.boundingBox(), await bar.boundingBox()];
  expect(noteBox!.y + noteBox!.height).toBeLessThanOrEqual(barBox!.y + 1);
  await page.keyboard.press('Escape');
  const question = page.getByRole('alertdialog', { name: '放弃已填写的会诊意见？' });
  await expect(question).toBeVisible();
  await shot(page, 'panel-review-discard-question-zh');
  await question.getByRole('button', { name: '继续填写' }).click();
  await expect(question).toBeHidden();
  await expect(note).toHaveValue('夜班复查血气，明晨再评估');
  // Esc in the question is "keep editing" too.
  await note.press('Escape');
  await expect(question).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(question).toBeHidden();
  await expect(drawer).toBeVisible();
  // Kept as a draft, it comes back when the same patient is opened again.
  await page.keyboard.press('Escape');
  await question.getByRole('button', { name: '保留草稿并关闭' }).click();
  await expect(drawer).toBeHidden();
  await row.click();
  await expect(drawer.getByLabel(/会诊意见/)).toHaveValue('夜班复查血气，明晨再评估');
  await expect(drawer.getByTestId('review-draft-restored')).toBeVisible();
  // Discarded, it is gone.
  await page.keyboard.press('Escape');
  await page.getByRole('alertdialog', { name: '放弃已填写的会诊意见？' }).getByRole('button', { name: '放弃草稿' }).click();
  await expect(drawer).toBeHidden();
  await row.click();
  await expect(drawer.getByLabel(/会诊意见/)).toHaveValue('');
  // Closing with nothing typed does not ask.
  await page.keyboard.press('Escape');
  await expect(drawer).toBeHidden();

  // The bar stays on screen at 1024×768 and in PPE mode, and in English its decisions wrap, never cut.
  for (const size of [
    { width: 1366, height: 768 },
    { width: 1024, height: 768 },
  ]) {
    await page.setViewportSize(size);
    for (const ppe of [false, true]) {
      const toggle = page.getByRole('switch', { name: /防护服模式|PPE mode/ });
      if ((await toggle.isChecked()) !== ppe) await toggle.click({ force: true });
      await row.click();
      await expect(bar).toBeVisible();
      expect(await onScreen(page, bar.getByRole('button', { name: /签署会诊决定|Sign decision/ })), `${size.width} PPE ${ppe}`).toBe(true);
      if (size.width === 1024 && ppe) await shot(page, 'panel-review-drawer-1024-ppe-zh');
      await page.keyboard.press('Escape');
      await expect(drawer).toBeHidden();
    }
  }
  await page.getByRole('switch', { name: /防护服模式/ }).click({ force: true });
  await page.setViewportSize({ width: 1366, height: 768 });
  await page.getByText('EN', { exact: true }).click();
  await row.click();
  await expect(bar.getByText('Ready for discharge', { exact: true })).toBeVisible();
  const cut = await bar.locator('.mantine-Chip-label').evaluateAll((labels) => labels.filter((l) => l.scrollWidth > l.clientWidth + 1).map((l) => l.textContent));
  expect(cut).toEqual([]);
  await shot(page, 'panel-review-drawer-designated-en');
});
