import fs from 'node:fs';
import https from 'node:https';
import path from 'node:path';
import type { Page } from '@playwright/test';
import { createCore, type Core, type SessionBox } from '../../electron/core';
import { buildServer, type EchelonServer } from '../../electron/server/app';
import { ensureCertificate, type ServerCertificate } from '../../electron/server/tls';
import { hashPassword } from '../../electron/core/auth/password';
import { NETWORK_FILE, readStartMode } from '../../electron/main/network/config';
import { createForwarder, type Forwarder } from '../../electron/main/network/forward';
import { networkHandlers, type NetworkHandlers } from '../../electron/main/network/bridge';
import { CHANNELS } from '../../shared/api';
import { buildBridge } from '../../shared/api/client';
import { tempDir } from '../support/core';
import { testKeyProvider } from '../support/keys';
import { expect, shot, test } from './harness';

/**
 * The desktop app's first connection to the hospital's Echelon server, and a changed certificate
 * (issue 14). The built renderer runs in Chromium; `window.echelonNetwork` is what the preload
 * exposes, its functions crossing a page binding into main's own plain-Node handlers
 * (electron/main/network/bridge.ts) in this process, against a real Echelon server on 127.0.0.1.
 */

const PASSWORD = 'correct-horse';

interface Hospital {
  core: Core;
  port: number;
  url: string;
  tls: ServerCertificate;
  /** The server again on the same port, with another certificate (replaced, or an impostor). */
  replaceCertificate(): Promise<ServerCertificate>;
  stop(): Promise<void>;
}

async function hospitalServer(): Promise<Hospital> {
  const core = createCore({ dataDir: tempDir('echelon-desktop-e2e-'), log: (err, channel) => console.error(channel, err), keyProvider: testKeyProvider() });
  const session: SessionBox = { user: null };
  const r = core.dispatch('setup:createAdmin', { username: 'admin', displayName: '管理员', password: PASSWORD }, session, new Date().toISOString());
  if (!r.ok) throw new Error(JSON.stringify(r.error));
  core.db
    .prepare(`INSERT INTO app_user (username, display_name, role, password_hash, created_at) VALUES (?, ?, ?, ?, ?)`)
    .run('nurse.li', '李护士', 'nurse', hashPassword(PASSWORD), new Date().toISOString());
  const tls = await ensureCertificate(core.dataDir);
  let server: EchelonServer = await buildServer({ core, tls, version: 'e2e', rendererDir: null, log: () => undefined });
  const port = await server.listen('127.0.0.1', 0);
  return {
    core,
    port,
    url: `https://127.0.0.1:${port}`,
    tls,
    replaceCertificate: async () => {
      await server.close();
      const other = await ensureCertificate(tempDir('echelon-desktop-e2e-cert-'));
      server = await buildServer({ core, tls: other, version: 'e2e', rendererDir: null, log: () => undefined });
      await server.listen('127.0.0.1', port);
      return other;
    },
    stop: async () => {
      await server.close();
      core.close();
    },
  };
}

/** Installs `window.echelonNetwork` as the preload does, each function crossing a binding into `handlers`. */
async function installNetworkBridge(page: Page, handlers: () => NetworkHandlers): Promise<void> {
  await page.exposeBinding('__echelonNetwork', (_source, op: keyof NetworkHandlers, arg: unknown) => {
    const h = handlers();
    switch (op) {
      case 'mode':
        return h.mode();
      case 'probe':
        return h.probe(arg);
      case 'connect':
        return h.connect(arg);
      case 'certificate':
        return h.certificate();
      case 'acceptCertificate':
        return h.acceptCertificate(arg);
    }
  });
  // Page-side source as text: this project type-checks the tests without the DOM library.
  await page.addInitScript({
    content: `(() => {
      const call = (op, arg) => window.__echelonNetwork(op, arg);
      const listeners = new Set();
      window.__certificateChanged = () => listeners.forEach((l) => l());
      window.echelonNetwork = Object.freeze({
        mode: () => call('mode'),
        probe: (url) => call('probe', url),
        connect: (input) => call('connect', input),
        certificate: () => call('certificate'),
        acceptCertificate: (input) => call('acceptCertificate', input),
        onCertificateChanged: (listener) => {
          listeners.add(listener);
          return () => listeners.delete(listener);
        },
      });
    })();`,
  });
}

/** What a person reads on the server's own page (/api/server-info), without pinning: this is the reference. */
function serverInfoFingerprint(url: string): Promise<string> {
  return new Promise((resolve, reject) => {
    https
      .get(new URL('/api/server-info', url), { rejectUnauthorized: false, agent: false }, (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => (body += c));
        res.on('end', () => resolve((JSON.parse(body) as { fingerprint: string }).fingerprint));
      })
      .on('error', reject);
  });
}

const pinned = (dir: string) => JSON.parse(fs.readFileSync(path.join(dir, NETWORK_FILE), 'utf8')) as { url: string; fingerprint: string; workstation: string };

test('first connection: choose “connect”, type the address, compare the fingerprint with the server’s, trust: network.json pins it', async ({ app, page }) => {
  const hospital = await hospitalServer();
  try {
    const desktopDir = tempDir('echelon-desktop-userdata-');
    const localNeedsSetup = () => {
      const r = app.core.dispatch('setup:status', {}, { user: null }, new Date().toISOString());
      return r.ok && (r.value as { needsSetup: boolean }).needsSetup;
    };
    const handlers = networkHandlers({ dataDir: desktopDir, start: { mode: 'standalone' }, localNeedsSetup });
    await installNetworkBridge(page, () => handlers);
    await app.open(page);

    await expect(page.getByRole('heading', { name: '连接本院 Echelon 服务器' })).toBeVisible();
    await page.getByRole('button', { name: '连接服务器…' }).click();
    await page.getByLabel('服务器地址').fill('http://127.0.0.1');
    await page.getByLabel('工作站名称').fill('病区一护士站');
    await page.getByRole('button', { name: '读取服务器证书' }).click();
    await expect(page.getByText(/服务器地址须以 https:\/\/ 开头/)).toBeVisible();

    await page.getByLabel('服务器地址').fill(hospital.url);
    await page.getByRole('button', { name: '读取服务器证书' }).click();
    const shown = page.getByTestId('server-fingerprint');
    await expect(shown).toBeVisible();
    // What the page shows is what the server itself reports on /api/server-info (and printed at its start).
    const reported = await serverInfoFingerprint(hospital.url);
    expect(reported).toBe(hospital.tls.fingerprint);
    expect(await shown.getAttribute('data-fingerprint')).toBe(reported);
    // Four numbered lines of four groups, the same bytes in the same order as the server prints them.
    const groups = hospital.tls.fingerprint.split(':');
    await expect(shown).toContainText(`${groups[0]}:${groups[1]}`);
    await expect(shown).toContainText(`${groups[30]}:${groups[31]}`);
    await shot(page, 'desktop-connect-fingerprint-zh');

    // “Different”: nothing is written, back to the address.
    await page.getByRole('button', { name: '不同，取消' }).click();
    await expect(page.getByLabel('服务器地址')).toHaveValue(hospital.url);
    expect(fs.existsSync(path.join(desktopDir, NETWORK_FILE))).toBe(false);

    await page.locator('label').filter({ hasText: /^EN$/ }).click();
    await page.getByRole('button', { name: "Read the server's certificate" }).click();
    await expect(page.getByRole('heading', { name: "Compare the server's certificate fingerprint" })).toBeVisible();
    await page.waitForTimeout(400);
    await shot(page, 'desktop-connect-fingerprint-en');

    await page.getByRole('button', { name: 'The same: trust and connect' }).click();
    await expect(page.getByText('The server is trusted. Echelon is restarting in connected mode…')).toBeVisible();
    expect(pinned(desktopDir)).toEqual({ url: hospital.url, fingerprint: hospital.tls.fingerprint, workstation: '病区一护士站' });
    expect(readStartMode(desktopDir)).toMatchObject({ mode: 'connected' });
    expect(fs.statSync(path.join(desktopDir, NETWORK_FILE)).mode & 0o777).toBe(0o600);
  } finally {
    await hospital.stop();
  }
});

test('connected: a changed certificate gets its own screen, nothing is sent; a nurse cannot accept it, an administrator can', async ({ app, page }) => {
  const hospital = await hospitalServer();
  const desktopDir = tempDir('echelon-desktop-userdata-');
  let forwarder: Forwarder | null = null;
  try {
    const first = networkHandlers({ dataDir: desktopDir, start: { mode: 'standalone' } });
    expect(await first.connect({ url: hospital.url, fingerprint: hospital.tls.fingerprint, workstation: '病区一护士站' })).toMatchObject({ ok: true });
    const start = readStartMode(desktopDir);
    if (start.mode !== 'connected') throw new Error('not connected');
    // As electron/main/index.ts does in connected mode: the window's calls go to the forwarder.
    const f = createForwarder(start.config, {
      onCertificateChanged: () => void page.evaluate('window.__certificateChanged()').catch(() => undefined),
    });
    forwarder = f;
    const handlers = networkHandlers({ dataDir: desktopDir, start, forwarder: f });
    await installNetworkBridge(page, () => handlers);
    await page.exposeBinding('__echelonForward', (_source, channel: string, input: unknown) => f.call(1, channel, input));
    await page.addInitScript({
      content: `window.echelon = (${buildBridge.toString()})(${JSON.stringify(CHANNELS)}, (channel, input) => window.__echelonForward(channel, input));`,
    });
    await page.goto(app.url);

    await page.getByLabel('用户名').fill('nurse.li');
    await page.getByLabel('密码').fill(PASSWORD);
    await page.getByRole('button', { name: '登录' }).click();
    await expect(page.getByTestId('current-user')).toHaveText('李护士');

    const replaced = await hospital.replaceCertificate();
    const audits = () => hospital.core.db.prepare('SELECT count(*) FROM audit').pluck().get() as number;
    const before = audits();
    // The next call of any screen meets the new certificate: its own screen at once.
    await page.locator('.mantine-AppShell-navbar').getByText('查房', { exact: true }).click();
    await expect(page.getByTestId('certificate-changed')).toBeVisible();
    await expect(page.getByRole('heading', { name: '服务器证书已变更' })).toBeVisible();
    await expect(page.getByTestId('trusted-fingerprint')).toHaveAttribute('data-fingerprint', hospital.tls.fingerprint);
    await expect(page.getByTestId('presented-fingerprint')).toHaveAttribute('data-fingerprint', replaced.fingerprint);
    expect(audits()).toBe(before);
    await shot(page, 'desktop-certificate-changed-zh');

    await page.locator('label').filter({ hasText: /^EN$/ }).click();
    await expect(page.getByRole('heading', { name: "The server's certificate has changed" })).toBeVisible();
    // The language switch's indicator slides over; the screenshot waits for it.
    await page.waitForTimeout(400);
    await shot(page, 'desktop-certificate-changed-en');

    await page.getByRole('textbox', { name: 'Username' }).fill('nurse.li');
    await page.getByRole('textbox', { name: 'Password' }).fill(PASSWORD);
    await page.getByRole('button', { name: 'Compared: accept the new certificate' }).click();
    await expect(page.getByText('Only an administrator can accept a new server certificate. Nothing was changed.')).toBeVisible();
    expect(pinned(desktopDir).fingerprint).toBe(hospital.tls.fingerprint);

    await page.getByRole('textbox', { name: 'Username' }).fill('admin');
    await page.getByRole('textbox', { name: 'Password' }).fill(PASSWORD);
    await page.getByRole('button', { name: 'Compared: accept the new certificate' }).click();
    await expect(page.getByText('The new certificate is accepted. Please log in again.')).toBeVisible();
    expect(pinned(desktopDir).fingerprint).toBe(replaced.fingerprint);
    await page.getByRole('button', { name: 'Log in' }).click();
    await page.getByRole('textbox', { name: 'Username' }).fill('nurse.li');
    await page.getByRole('textbox', { name: 'Password' }).fill(PASSWORD);
    await page.getByRole('button', { name: 'Log in' }).click();
    await expect(page.getByTestId('current-user')).toHaveText('李护士');
  } finally {
    await forwarder?.close();
    await hospital.stop();
  }
});
