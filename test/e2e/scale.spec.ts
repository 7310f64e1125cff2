import fs from 'node:fs';
import path from 'node:path';
import { test, expect, shot, type App } from './harness';
import { syntheticCaseList } from '../support/caseList';
import { parseCsv } from '../../shared/import/csv';
import { autoMap } from '../../shared/import/cases';

/** Where the render measurements go; `npm run bench` prints them beside the core's figures. */
export const RENDER_RESULTS = path.resolve(__dirname, '../../test-results/scale-render.json');

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
  const zones = ['H1', 'H2'].map((code) => Number(db.prepare(`INSERT INTO ward (facility_id, code, name, kind) VALUES (?, ?, ?, 'zone')`).run(fc, code, `${code}舱`).lastInsertRowid));
  const bed = db.prepare(`INSERT INTO bed (ward_id, label, sort) VALUES (?, ?, ?)`);
  db.transaction(() => zones.forEach((z, zi) => Array.from({ length: 1500 }, (_, i) => bed.run(z, `H${zi + 1}-${String(i + 1).padStart(4, '0')}`, i))))();
  const first = Number(db.prepare(`SELECT id FROM bed WHERE label = 'H1-0001'`).pluck().get());
  ok('patients:admit', { patient: { name: '张伟', sex: 'M', idCard: '110105194912310038', riskFactors: [] }, wardId: zones[0], bedId: first, admittedAt: now, source: 'community_screening' });
  const [header, ...rows] = parseCsv(syntheticCaseList(2500, 21)).rows;
  ok('import:commit', { fileName: 'list.csv', encoding: 'utf-8', header: header!.cells, mapping: autoMap(header!.cells), rows, selected: rows.map((r) => r.line), wardId: zones[1], admittedAt: now });
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

  // Scroll through the whole list in 40 steps, timing each frame that renders the new rows.
  // A string, so this file type-checks without the DOM library (it runs in the page).
  const frames = (await page.evaluate(`(async () => {
    const el = document.querySelector('[data-testid="patients-list"] [role="rowgroup"]:last-child');
    const times = [];
    for (let i = 1; i <= 40; i++) {
      const s = performance.now();
      el.scrollTop = (el.scrollHeight * i) / 40;
      await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
      times.push(performance.now() - s);
    }
    return times;
  })()`)) as number[];
  const metrics = (await cdp.send('Performance.getMetrics')).metrics as { name: string; value: number }[];
  const heap = metrics.find((m) => m.name === 'JSHeapUsedSize')?.value ?? 0;
  await shot(page, 'patients-list-2500-zh');

  const result = {
    measuredAt: new Date().toISOString(),
    rows: 2501,
    firstRenderMs: Math.round(t1 - t0),
    renderAfterDataMs: dataAt === null ? null : Math.round(t1 - dataAt),
    domRows: rendered,
    scrollFrameP95Ms: Math.round([...frames].sort((a, b) => a - b)[Math.floor(frames.length * 0.95) - 1]!),
    jsHeapMb: Math.round((heap / 1048576) * 10) / 10,
  };
  fs.mkdirSync(path.dirname(RENDER_RESULTS), { recursive: true });
  fs.writeFileSync(RENDER_RESULTS, JSON.stringify(result, null, 2));
  console.log('[render]', JSON.stringify(result));
  // DESIGN.md §8: first render < 500 ms, from the rows arriving to the rows on screen (the click-to-rows
  // time also holds the core's query and this harness's Playwright binding, which serialises far slower
  // than Electron's IPC: it is reported, not judged); heap < 150 MB.
  expect(result.renderAfterDataMs).not.toBeNull();
  expect(result.renderAfterDataMs!).toBeLessThan(500);
  expect(result.jsHeapMb).toBeLessThan(150);
});
