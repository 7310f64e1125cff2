import { test, expect, shot, type App } from './harness';
import { heapMb, now, recordRender, renderTimes, scrollBothWays, scrollToEnd, watchRender } from './render-measure';
import { caseListImport } from '../support/caseList';
import { Ctx } from '../../electron/core/context';
import { generateDemoNetwork } from '../../electron/core/demo/generate';

/** An administrator, a fangcang with two 1,500-bed zones, 张伟 in bed H1-0001 and 2,500 imported cases waiting. */
function setUp(app: App): void {
  const now = new Date().toISOString();
  const ok = (channel: string, input: unknown) => {
    const r = app.core.dispatch(channel, input, app.session, now);
    if (!r.ok) throw new Error(`${channel}: ${JSON.stringify(r.error)}`);
    return r.value as Record<string, number>;
  };
  ok('setup:createAdmin', { username: 'admin', displayName: '医务科 管理员', password: 'correct-horse' });
  const db = app.core.db;
  const fc = Number(db.prepare(`INSERT INTO facility (code, name, kind) VALUES ('FC', '国家会展中心方舱医院', 'fangcang')`).run().lastInsertRowid);
  const zones = ['H1', 'H2'].map((code) =>
    Number(db.prepare(`INSERT INTO ward (facility_id, code, name, kind) VALUES (?, ?, ?, 'zone')`).run(fc, code, `${code}舱`).lastInsertRowid),
  );
  const bed = db.prepare(`INSERT INTO bed (ward_id, label, sort) VALUES (?, ?, ?)`);
  db.transaction(() => zones.forEach((z, zi) => Array.from({ length: 1500 }, (_, i) => bed.run(z, `H${zi + 1}-${String(i + 1).padStart(4, '0')}`, i))))();
  const first = Number(db.prepare(`SELECT id FROM bed WHERE label = 'H1-0001'`).pluck().get());
  ok('patients:admit', {
    patient: { name: '张伟', sex: 'M', idCard: '110105194912310038', riskFactors: [] },
    wardId: zones[0],
    bedId: first,
    admittedAt: now,
    source: 'community_screening',
  });
  ok('import:commit', caseListImport(2500, 21, zones[1]!, now));
}

test('find a patient as you type in the header: pinyin initials, ID-card tail, bed; Enter opens the chart', async ({ app, page }) => {
  setUp(app);
  await app.open(page);
  const box = page.getByTestId('patient-search');
  await box.fill('zw');
  const results = page.getByTestId('patient-search-results');
  await expect(results).toContainText('张伟');
  await expect(results).toContainText('H1-0001');
  await shot(page, 'search-initials-zh');
  await box.fill('0038');
  await expect(results.getByRole('option').first()).toContainText('张伟');
  await box.fill('h1-000');
  await expect(results.getByRole('option').first()).toContainText('张伟');
  await box.press('Enter');
  await expect(box).toHaveValue('');
  // The suggestions end with "show all": the full list opens with the query.
  await box.fill('w');
  await expect(results.getByRole('option', { name: '查看全部结果' })).toBeVisible();
  await results.getByRole('option', { name: '查看全部结果' }).click();
  await expect(page.getByRole('heading', { name: '患者查询' })).toBeVisible();
  await expect(page.getByTestId('patients-list')).toContainText('H2舱');
  await shot(page, 'patients-search-list-zh');
});

test('a 2,500-row patient list renders virtualised in under 500 ms and scrolls to the end; the heap stays small', async ({ app, page }) => {
  setUp(app);
  await app.open(page);
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Performance.enable');
  await expect(page.getByTestId('current-user')).toBeVisible();

  const t0 = await page.evaluate(() => performance.now());
  await page.getByText('患者查询', { exact: true }).first().click();
  const list = page.getByTestId('patients-list');
  await expect(list.getByRole('row').nth(15)).toBeVisible();
  const t1 = await page.evaluate(() => performance.now());
  await expect(page.getByTestId('patients-count')).toHaveText('2501 名患者');
  const dataAt = await page.evaluate(() => performance.getEntriesByName('patients-list-data').at(-1)?.startTime ?? null);
  const rendered = await list.getByRole('row').count();
  expect(rendered).toBeLessThan(80);

  const scroll = await scrollBothWays(page, cdp, '[data-testid="patients-list"] [role="rowgroup"]:last-child');
  const metrics = (await cdp.send('Performance.getMetrics')).metrics as { name: string; value: number }[];
  const heap = metrics.find((m) => m.name === 'JSHeapUsedSize')?.value ?? 0;
  await shot(page, 'patients-list-2500-zh');

  const result = {
    measuredAt: new Date().toISOString(),
    rows: 2501,
    firstRenderMs: Math.round(t1 - t0),
    renderAfterDataMs: dataAt === null ? null : Math.round(t1 - dataAt),
    domRows: rendered,
    ...scroll,
    jsHeapMb: Math.round((heap / 1048576) * 10) / 10,
  };
  recordRender('patients', result);
  // DESIGN.md §8: first render < 500 ms, from the rows arriving to the rows on screen (the click-to-rows
  // time also holds the core's query and this harness's Playwright binding, which serialises far slower
  // than Electron's IPC: it is reported, not judged); heap < 150 MB.
  expect(result.renderAfterDataMs).not.toBeNull();
  expect(result.renderAfterDataMs!).toBeLessThan(500);
  expect(result.jsHeapMb).toBeLessThan(150);
});

/**
 * The bench network in small: a fangcang of 500-bed zones and a 2,000-bed designated hospital,
 * 5,000 patients with four rounds each, of whom over 2,000 carry a severe-risk flag. The
 * administrator is logged in.
 */
function scaleNetwork(app: App): { zoneBeds: number; queued: number } {
  const ctx = new Ctx(app.core.db, new Date().toISOString(), { user: null });
  app.core.db.transaction(() => generateDemoNetwork(ctx, { seed: 20220320, scale: { patients: 5000, roundsPerPatient: 4, days: 4 } }))();
  const r = app.core.dispatch('auth:login', { username: 'admin', password: 'echelon-demo' }, app.session, new Date().toISOString());
  if (!r.ok) throw new Error(JSON.stringify(r.error));
  const q = app.core.dispatch('queue:list', { limit: 1 }, app.session, new Date().toISOString());
  if (!q.ok) throw new Error(JSON.stringify(q.error));
  const zoneBeds = app.core.db.prepare(`SELECT count(*) FROM bed JOIN ward w ON w.id = bed.ward_id WHERE w.code = 'Z001'`).pluck().get() as number;
  return { zoneBeds, queued: (q.value as { total: number }).total };
}

test('a 500-bed fangcang zone opens on the ward board with only the beds in view mounted; the keyboard and the scroll reach the last bed', async ({ app, page }) => {
  test.setTimeout(120_000);
  const { zoneBeds } = scaleNetwork(app);
  expect(zoneBeds).toBe(500);
  await app.open(page);
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Performance.enable');
  const board = page.getByTestId('ward-board');
  await expect(board).toBeVisible();

  // Choosing the fangcang opens its first zone, Z001舱, 500 beds.
  await page.getByRole('combobox', { name: '医疗机构' }).click();
  await watchRender(page, '[data-testid="bed-Z001-001"]');
  const t0 = await now(page);
  await page.getByRole('option', { name: /国家会展中心方舱医院/ }).click();
  const { painted, answered } = await renderTimes(page, 'wards:board');
  await expect(page.getByText('床位 500', { exact: true })).toBeVisible();
  const domBeds = await board.locator('[data-testid^="bed-"]').count();
  expect(domBeds).toBeGreaterThan(10);
  expect(domBeds).toBeLessThan(80);
  await shot(page, 'ward-board-500-zh');

  // Keyboard: the arrow keys walk the cards, End goes to bed 500 and Home back to bed 1.
  await board.getByTestId('bed-Z001-001').getByRole('button').first().focus();
  await page.keyboard.press('ArrowRight');
  await expect(board.getByTestId('bed-Z001-002').getByRole('button').first()).toBeFocused();
  await page.keyboard.press('ArrowDown');
  const focused = (await page.evaluate(`(() => {
    const item = document.activeElement.closest('[data-item-index]');
    return { index: Number(item.dataset.itemIndex), cols: getComputedStyle(item.parentElement).gridTemplateColumns.split(' ').length };
  })()`)) as { index: number; cols: number };
  expect(focused.cols).toBe(5);
  expect(focused.index).toBe(1 + focused.cols);
  await page.keyboard.press('End');
  await expect(board.getByTestId('bed-Z001-500')).toBeInViewport();
  await page.keyboard.press('Home');
  await expect(board.getByTestId('bed-Z001-001')).toBeInViewport();

  const scroll = await scrollBothWays(page, cdp, '[data-testid="ward-board"]');
  await scrollToEnd(page, '[data-testid="ward-board"]');
  await expect(board.getByTestId('bed-Z001-500')).toBeInViewport();
  const domBedsAtEnd = await board.locator('[data-testid^="bed-"]').count();
  const heap = await heapMb(cdp);
  await shot(page, 'ward-board-500-end-zh');

  await page.getByText('EN', { exact: true }).click();
  await page.getByTestId('board-order').getByText('Sickest first').click();
  await expect(board.locator('[aria-posinset="1"] [data-state="occupied"]')).toBeVisible();
  await shot(page, 'ward-board-500-sickest-en');

  const result = {
    measuredAt: new Date().toISOString(),
    beds: zoneBeds,
    firstRenderMs: Math.round(painted - t0),
    renderAfterDataMs: answered === null ? null : Math.round(painted - answered),
    domBeds,
    domBedsAtEnd,
    ...scroll,
    jsHeapMb: heap,
  };
  recordRender('board', result);
  expect(result.renderAfterDataMs).not.toBeNull();
  expect(result.renderAfterDataMs!).toBeLessThan(500);
  expect(domBedsAtEnd).toBeLessThan(80);
  expect(result.jsHeapMb).toBeLessThan(150);
});

test('the expert queue scrolls as one list through every flagged patient, loading as it scrolls, with only the rows in view mounted', async ({ app, page }) => {
  test.setTimeout(180_000);
  const { queued } = scaleNetwork(app);
  expect(queued).toBeGreaterThan(2000);
  await app.open(page);
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Performance.enable');
  await expect(page.getByTestId('current-user')).toBeVisible();

  await watchRender(page, '[data-testid="queue"] [data-testid^="queue-row-"]');
  const t0 = await now(page);
  await page.locator('.mantine-AppShell-navbar').getByText('专家会诊', { exact: true }).click();
  const first = await renderTimes(page, 'queue:list');
  const queue = page.getByTestId('queue');
  await expect(page.getByText(`共 ${queued} 名患者`)).toBeVisible();
  await expect(queue.locator('[aria-posinset="1"] [data-testid^="queue-row-"]')).toBeVisible();
  const domRows = await queue.locator('[role="listitem"]').count();
  expect(domRows).toBeLessThan(40);
  await shot(page, 'queue-all-zh');

  // To the end: each page after the first is fetched (after the cursor) as the scroll nears it, and the last flagged patient is shown.
  await watchRender(page, `[aria-posinset="${queued}"] [data-testid^="queue-row-"]`);
  const t1 = await now(page);
  await expect
    .poll(
      async () => {
        await scrollToEnd(page, '[data-testid="queue"]');
        return queue.locator(`[aria-posinset="${queued}"] [data-testid^="queue-row-"]`).isVisible();
      },
      { timeout: 60_000 },
    )
    .toBe(true);
  const rest = await renderTimes(page, 'queue:list');
  await expect(queue.locator('[role="listitem"]').first()).toHaveAttribute('aria-setsize', String(queued));
  await expect(queue.getByTestId('queue-pending')).toHaveCount(0);
  const domRowsAtEnd = await queue.locator('[role="listitem"]').count();
  await shot(page, 'queue-all-end-zh');

  const scroll = await scrollBothWays(page, cdp, '[data-testid="queue"]');
  const heap = await heapMb(cdp);
  await page.getByText('EN', { exact: true }).click();
  await scrollToEnd(page, '[data-testid="queue"]');
  await expect(queue.locator(`[aria-posinset="${queued}"] [data-testid^="queue-row-"]`)).toBeVisible();
  await shot(page, 'queue-all-end-en');
  await page.evaluate(`document.querySelector('[data-testid="queue"]').scrollTop = 0`);
  await expect(queue.locator('[aria-posinset="1"] [data-testid^="queue-row-"]')).toBeVisible();
  await shot(page, 'queue-all-en');

  const result = {
    measuredAt: new Date().toISOString(),
    rows: queued,
    queued,
    firstRenderMs: Math.round(first.painted - t0),
    renderAfterDataMs: first.answered === null ? null : Math.round(first.painted - first.answered),
    restMs: Math.round(rest.painted - t1),
    restRenderAfterDataMs: rest.answered === null ? null : Math.round(rest.painted - rest.answered),
    domRows,
    domRowsAtEnd,
    ...scroll,
    jsHeapMb: heap,
  };
  recordRender('queue', result);
  expect(result.renderAfterDataMs!).toBeLessThan(500);
  expect(result.restRenderAfterDataMs!).toBeLessThan(500);
  expect(domRowsAtEnd).toBeLessThan(40);
  expect(result.jsHeapMb).toBeLessThan(150);
});
