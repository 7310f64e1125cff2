import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { test as base, type Locator, type Page } from '@playwright/test';
import { createCore, type Core, type SessionBox } from '../../electron/core';
import { CHANNELS } from '../../shared/api';
import { buildBridge } from '../../shared/api/client';
import { tempDir } from '../support/core';
import { testKeyProvider } from '../support/keys';
import { DEMO_PASSWORD } from '../../electron/core/demo/generate';
import { relayLocalChanges } from '../../electron/main/changes';

const RENDERER_DIR = path.resolve(__dirname, '../../out/renderer');
const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript',
  '.css': 'text/css',
  '.svg': 'image/svg+xml',
  '.woff2': 'font/woff2',
  '.png': 'image/png',
};

/** Serves the built renderer (out/renderer) on loopback, as the packaged app would load it. */
async function serveRenderer(): Promise<{ url: string; close: () => Promise<void> }> {
  if (!fs.existsSync(path.join(RENDERER_DIR, 'index.html'))) throw new Error('out/renderer is missing: run `electron-vite build` first');
  const server = http.createServer((req, res) => {
    const urlPath = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    const file = path.join(RENDERER_DIR, urlPath === '/' ? 'index.html' : urlPath);
    if (!file.startsWith(RENDERER_DIR) || !fs.existsSync(file) || fs.statSync(file).isDirectory()) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'Content-Type': TYPES[path.extname(file)] ?? 'application/octet-stream' });
    fs.createReadStream(file).pipe(res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/`, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

export interface App {
  core: Core;
  session: SessionBox;
  url: string;
  /** Opens the renderer with `window.echelon` forwarded to the real dispatch over this test's database. */
  open(page: Page): Promise<void>;
}

/** What the preload exposes as `window.echelonChanges`; the test process calls `__echelonChange` for each message main would send. */
const CHANGES_BRIDGE = `(() => {
  const listeners = new Set();
  window.__echelonChange = (m) => { for (const l of listeners) l(m); };
  window.echelonChanges = { subscribe: (l) => { listeners.add(l); return () => listeners.delete(l); } };
})();`;

/**
 * Only the IPC pipe is swapped: the page gets `window.echelon` from the same buildBridge the preload
 * uses, and each call crosses a Playwright binding into the real core in this process.
 */
export const test = base.extend<{ app: App }>({
  app: async ({}, use) => {
    const server = await serveRenderer();
    const core = createCore({ dataDir: tempDir('echelon-e2e-'), log: (err, channel) => console.error(channel, err), keyProvider: testKeyProvider() });
    const session: SessionBox = { user: null };
    const app: App = {
      core,
      session,
      url: server.url,
      open: async (page) => {
        await page.exposeBinding('__echelonInvoke', (_source, channel: string, input: unknown) => core.invoke(channel, input, session, new Date().toISOString()));
        await page.addInitScript({
          content: `window.echelon = (${buildBridge.toString()})(${JSON.stringify(CHANNELS)}, (channel, input) => window.__echelonInvoke(channel, input));`,
        });
        // Change notices as the desktop shell relays them (electron/main/changes.ts), into the preload's `echelonChanges`.
        await page.addInitScript({ content: CHANGES_BRIDGE });
        const stop = relayLocalChanges(
          core,
          () => [[1, session]],
          (_id, message) => {
            void page.evaluate(`window.__echelonChange?.(${JSON.stringify(message)})`).catch(() => undefined);
          },
        );
        page.once('close', stop);
        await page.goto(server.url);
      },
    };
    await use(app);
    core.close();
    await server.close();
  },
});

export const expect = test.expect;

/** Logs in by typing the username, as on a new workstation. */
export async function loginWithUsername(page: Page, username: string, password: string): Promise<void> {
  await page.getByLabel('用户名').fill(username);
  await page.getByLabel('密码').fill(password);
  await page.getByRole('button', { name: '登录' }).click();
  await expect(page.getByTestId('current-user')).toBeVisible();
}

/** Logs in by choosing one of the workstation's recent users on the login screen. */
export async function loginAsRecent(page: Page, displayName: string, password = DEMO_PASSWORD): Promise<void> {
  await page.getByRole('button', { name: new RegExp(displayName) }).click();
  await page.getByLabel('密码').fill(password);
  await page.getByRole('button', { name: '登录' }).click();
  await expect(page.getByTestId('current-user')).toHaveText(displayName);
}

/** The demo network loaded, the app opened, and `displayName` logged in. */
export async function demoLogin(app: App, page: Page, displayName: string): Promise<void> {
  app.core.dispatch('setup:loadDemo', { seed: 20220320 }, { user: null }, new Date().toISOString());
  await app.open(page);
  await loginAsRecent(page, displayName);
}

export async function shot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: `test-results/screenshots/${name}.png`, fullPage: false });
}

export type CoreCall = <T>(channel: string, input: unknown) => T;

/**
 * Another workstation on the same record: a core session of its own, logged in as `username`. Its
 * call dispatches to the real core and throws on a refusal (setting up data before the page opens, or
 * a colleague's write while it is open).
 */
export function coreAs(app: App, username: string, password = DEMO_PASSWORD): CoreCall {
  const session = app.core.newSession();
  const call: CoreCall = <T>(channel: string, input: unknown): T => {
    const r = app.core.dispatch(channel, input, session, new Date().toISOString());
    if (!r.ok) throw new Error(`${channel}: ${JSON.stringify(r.error)}`);
    return r.value as T;
  };
  call('auth:login', { username, password });
  return call;
}

/**
 * A second administrator on another workstation, acting on the same record through the same core:
 * 李管理员 (admin.li), created by the demo's administrator. Returns its call, which throws on a refusal.
 */
export function otherAdmin(app: App): CoreCall {
  coreAs(app, 'admin')('users:create', { username: 'admin.li', displayName: '李管理员', role: 'admin', password: 'li-password-1', wardIds: [] });
  return coreAs(app, 'admin.li', 'li-password-1');
}

/** Logs out from the header and waits for the login screen. */
export async function logout(page: Page): Promise<void> {
  await page.getByRole('button', { name: '退出登录' }).click();
  await expect(page.getByRole('button', { name: '登录' })).toBeVisible();
}

/** A Mantine Select's input by its label (a combobox once it can open, a textbox before). */
export function select(scope: Page | Locator, label: string | RegExp): Locator {
  return scope
    .getByRole('combobox', { name: label })
    .or(scope.getByRole('textbox', { name: label }))
    .first();
}

/** Opens 系统管理 from the navigation. */
export async function openAdmin(page: Page): Promise<void> {
  await page
    .getByRole('link', { name: '系统管理' })
    .or(page.getByText('系统管理', { exact: true }).first())
    .first()
    .click();
  await expect(page.getByTestId('admin-screen')).toBeVisible();
}
