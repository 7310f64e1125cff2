import fs from 'node:fs';
import { test, expect, shot, loginAsRecent } from './harness';

// The demo network is loaded first.
test.setTimeout(120_000);

const scriptName = (url: string) => new URL(url).pathname.split('/').pop() ?? '';
/** The scripts index.html loads: its entry module and the modules it preloads (resources/scripts/first-screen-size.mjs sizes them). */
const entryScripts = () => [...fs.readFileSync('out/renderer/index.html', 'utf8').matchAll(/(?:src|href)="\.\/assets\/([^"]+\.js)"/g)].map((m) => m[1]);
const isScreen = (name: string, screen: string) => name.startsWith(`${screen}-`) && name.endsWith('.js');

test('the login screen needs only the first-screen JavaScript; the reports come when first opened, the header and the board staying in place meanwhile', async ({ app, page }) => {
  app.core.dispatch('setup:loadDemo', { seed: 20220320 }, { user: null }, new Date().toISOString());
  const fetched: string[] = [];
  page.on('request', (r) => {
    if (r.resourceType() === 'script') fetched.push(scriptName(r.url()));
  });
  // The reports' code is held back, as on a slow ward Wi-Fi, until the test lets it through.
  let release = () => undefined as void;
  const held = new Promise<void>((resolve) => (release = resolve));
  await page.route(/\/assets\/ReportsScreen-[^/]+\.js$/, async (route) => {
    await held;
    await route.continue();
  });

  await app.open(page);
  await expect(page.getByRole('button', { name: '登录' })).toBeVisible();
  // What index.html loads is all the login screen waits for (the app's own code follows while it is idle).
  const entry = entryScripts();
  expect(entry.length).toBeGreaterThan(0);
  expect(fetched.slice(0, entry.length).sort()).toEqual([...entry].sort());
  await shot(page, 'code-split-1-login-zh');

  await loginAsRecent(page, '医务科 管理员');
  await expect(page.getByTestId('ward-board')).toBeVisible();
  await shot(page, 'code-split-2-board-zh');
  expect(fetched.some((n) => isScreen(n, 'ReportsScreen'))).toBe(false);

  await page.getByText('报表', { exact: true }).click();
  await expect.poll(() => fetched.some((n) => isScreen(n, 'ReportsScreen'))).toBe(true);
  // While its code is on the way, nothing goes blank: the header, the menu and the board stay.
  await page.waitForTimeout(700);
  await expect(page.getByTestId('current-user')).toHaveText('医务科 管理员');
  await expect(page.getByTestId('ward-board')).toBeVisible();
  await expect(page.getByTestId('daily-report')).toHaveCount(0);
  await shot(page, 'code-split-3-reports-loading-zh');

  release();
  await expect(page.getByTestId('daily-report')).toBeVisible();
  await expect(page.getByTestId('ward-board')).toHaveCount(0);
  await expect(page.getByRole('button', { name: '报表' })).toHaveAttribute('aria-current', 'page');
  await shot(page, 'code-split-4-reports-zh');
});
