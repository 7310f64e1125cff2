/// <reference lib="dom" />
import AxeBuilder from '@axe-core/playwright';
import type { Page } from '@playwright/test';
import { test, expect, demoLogin, shot, type App } from './harness';

/**
 * axe-core (WCAG 2.1 A and AA rules) on every screen, in the light and the dark colour scheme: no
 * serious or critical violation (issue 18). Each violation is listed with its rule, impact and the
 * first elements it names, so a failing run says what to fix.
 */
async function violations(page: Page, where: string): Promise<string[]> {
  const r = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  return r.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map(
      (v) =>
        `${where}: ${v.id} (${v.impact}) ×${v.nodes.length}: ${v.nodes
          .slice(0, 3)
          .map((n) => `${n.target.join(' ')} ${n.html.slice(0, 120)}`)
          .join(' | ')}`,
    );
}

async function settled(page: Page): Promise<void> {
  await page.waitForFunction(() => !document.querySelector('.mantine-Loader, [aria-busy="true"]'), null, { timeout: 15_000 }).catch(() => undefined);
}

async function checkScreens(app: App, page: Page, user: string, screens: string[], withChart = false): Promise<void> {
  await demoLogin(app, page, user);
  const found: string[] = [];
  for (const scheme of ['light', 'dark'] as const) {
    const sw = page.getByTestId('scheme-switch');
    if ((await sw.getAttribute('aria-pressed')) !== String(scheme === 'dark')) await sw.click();
    await expect(page.locator('html')).toHaveAttribute('data-mantine-color-scheme', scheme);
    for (const screen of screens) {
      await page.locator('.mantine-AppShell-navbar').getByText(screen, { exact: true }).click();
      await settled(page);
      // Contrast is judged at rest, not under the pointer that just clicked the menu.
      await page.mouse.move(0, 760);
      found.push(...(await violations(page, `${screen} ${scheme}`)));
      if (scheme === 'dark') await shot(page, `dark-${screen}`);
    }
    if (withChart) {
      await page.locator('.mantine-AppShell-navbar').getByText('病区看板', { exact: true }).click();
      await page.locator('.bed-open').first().click();
      await expect(page.getByTestId('chart-header')).toBeVisible();
      await settled(page);
      await page.mouse.move(0, 760);
      found.push(...(await violations(page, `chart ${scheme}`)));
      if (scheme === 'dark') await shot(page, 'dark-chart');
    }
  }
  console.log(`${found.length} serious or critical accessibility violations\n${found.join('\n')}`);
  expect(found).toEqual([]);
}

test('the ward doctor’s screens have no serious or critical accessibility violation, light and dark', async ({ app, page }) => {
  test.setTimeout(300_000);
  await checkScreens(app, page, '王医生', ['病区看板', '查房', '专家会诊', '出院', '患者查询', '入出转'], true);
});

test('the administrator’s screens have no serious or critical accessibility violation, light and dark', async ({ app, page }) => {
  test.setTimeout(300_000);
  await checkScreens(app, page, '医务科 管理员', ['报表', '导入', '系统管理']);
});

test('the login screen has no serious or critical accessibility violation', async ({ app, page }) => {
  app.core.dispatch('setup:loadDemo', { seed: 20220320 }, { user: null }, new Date().toISOString());
  await app.open(page);
  await expect(page.getByRole('button', { name: '登录' })).toBeVisible();
  expect(await violations(page, 'login')).toEqual([]);
});
