import path from 'node:path';
import { test as base, expect, type Browser, type BrowserContext, type Page } from '@playwright/test';
import { createCore, type Core, type SessionBox } from '../../electron/core';
import { buildServer, type EchelonServer } from '../../electron/server/app';
import { ensureCertificate } from '../../electron/server/tls';
import { hashPassword } from '../../electron/core/auth/password';
import { tempDir } from '../support/core';
import { testKeyProvider } from '../support/keys';
import { loginWithUsername } from './harness';

/**
 * The network fixture of the network-mode specs (issues 14, 15): the real renderer served by the real
 * Echelon server over real HTTPS on 127.0.0.1, with nothing swapped: no page binding, no preload.
 * Each browser context is a workstation with its own session cookie. The server stops with the test.
 *
 * The record: ward G05 of the designated hospital (two patients, one free bed) and fangcang zone A1
 * (three free beds); the nurse 李护士 and the doctor 王医生 work anywhere, the nurse 吴护士 in A1 only;
 * the expert 周教授; two administrators.
 */

export const PASSWORD = 'correct-horse';
const RENDERER_DIR = path.resolve(__dirname, '../../out/renderer');

export interface Network {
  core: Core;
  server: EchelonServer;
  url: string;
  wardId: number;
  zoneId: number;
  episodes: number[];
  /** A new workstation: its own browser context (cookies), the self-signed certificate accepted. */
  workstation(browser: Browser): Promise<{ context: BrowserContext; page: Page }>;
}

export const test = base.extend<{ network: Network }>({
  network: async ({}, use) => {
    const core = createCore({ dataDir: tempDir('echelon-net-e2e-'), log: (err, channel) => console.error(channel, err), keyProvider: testKeyProvider() });
    const tls = await ensureCertificate(core.dataDir);
    const server = await buildServer({ core, tls, version: 'e2e', rendererDir: RENDERER_DIR, log: () => undefined });
    const port = await server.listen('127.0.0.1', 0);
    const contexts: BrowserContext[] = [];

    const session: SessionBox = { user: null };
    const call = <T>(channel: string, input: unknown): T => {
      const r = core.dispatch(channel, input, session, new Date().toISOString());
      if (!r.ok) throw new Error(`${channel}: ${JSON.stringify(r.error)}`);
      return r.value as T;
    };
    call('setup:createAdmin', { username: 'admin', displayName: '管理员', password: PASSWORD });
    const db = core.db;
    const fac = Number(db.prepare(`INSERT INTO facility (code, name, kind) VALUES ('DH', '区定点医院', 'designated')`).run().lastInsertRowid);
    const wardId = Number(db.prepare(`INSERT INTO ward (facility_id, code, name, kind) VALUES (?, 'G05', '感染5病区', 'general')`).run(fac).lastInsertRowid);
    const bed = db.prepare(`INSERT INTO bed (ward_id, label, sort) VALUES (?, ?, ?)`);
    const beds = ['G05-001', 'G05-002', 'G05-003'].map((label, i) => Number(bed.run(wardId, label, i).lastInsertRowid));
    const fc = Number(db.prepare(`INSERT INTO facility (code, name, kind) VALUES ('FC', '方舱医院', 'fangcang')`).run().lastInsertRowid);
    const zoneId = Number(db.prepare(`INSERT INTO ward (facility_id, code, name, kind) VALUES (?, 'A1', 'A1舱', 'zone')`).run(fc).lastInsertRowid);
    for (const [i, label] of ['A1-001', 'A1-002', 'A1-003'].entries()) bed.run(zoneId, label, i);
    const user = db.prepare(`INSERT INTO app_user (username, display_name, role, password_hash, created_at) VALUES (?, ?, ?, ?, ?)`);
    const hash = hashPassword(PASSWORD);
    user.run('nurse.li', '李护士', 'nurse', hash, new Date().toISOString());
    user.run('prof.zhou', '周教授', 'expert', hash, new Date().toISOString());
    user.run('dr.wang', '王医生', 'ward_doctor', hash, new Date().toISOString());
    user.run('admin.chen', '陈管理员', 'admin', hash, new Date().toISOString());
    const zoneNurse = Number(user.run('nurse.wu', '吴护士', 'nurse', hash, new Date().toISOString()).lastInsertRowid);
    db.prepare('INSERT INTO user_ward (user_id, ward_id, assigned_at) VALUES (?, ?, ?)').run(zoneNurse, zoneId, new Date().toISOString());
    const admittedAt = new Date(Date.now() - 3 * 3600_000).toISOString();
    const episodes = [
      { name: '刘建华', sex: 'M', ageYears: 56, riskFactors: [] },
      { name: '陈秀兰', sex: 'F', ageYears: 48, riskFactors: [] },
    ].map((patient, i) => call<{ episodeId: number }>('patients:admit', { patient, wardId, bedId: beds[i], admittedAt, source: 'community_screening' }).episodeId);
    call('auth:logout', {});

    await use({
      core,
      server,
      url: `https://127.0.0.1:${port}/`,
      wardId,
      zoneId,
      episodes,
      workstation: async (browser) => {
        const context = await browser.newContext({ ignoreHTTPSErrors: true, viewport: { width: 1366, height: 768 }, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' });
        contexts.push(context);
        const page = await context.newPage();
        await page.goto(`https://127.0.0.1:${port}/`);
        return { context, page };
      },
    });
    for (const c of contexts) await c.close();
    await server.close();
    core.close();
  },
});

export const login = (page: Page, username: string, password = PASSWORD) => loginWithUsername(page, username, password);

export const nav = (page: Page, label: string) => page.locator('.mantine-AppShell-navbar').getByText(label, { exact: true }).click();

/**
 * Types a round in paper-chart order from the focused respiratory rate, as a nurse does: RR, SpO2,
 * (air), systolic, diastolic, pulse, (alert), temperature. `temperature: null` stops after the values given.
 */
export async function typeRound(page: Page, values: readonly string[], temperature: string | null): Promise<void> {
  await expect(page.locator('input[data-field="respRate"]')).toBeFocused();
  const k = page.keyboard;
  // Tabs after each value: SpO2 is followed by the oxygen switch.
  const tabs = [1, 2, 1, 1, 1];
  for (const [i, text] of values.entries()) {
    await k.type(text);
    for (let n = 0; n < (tabs[i] ?? 1); n++) await k.press('Tab');
  }
  if (temperature === null) return;
  await k.press('Space');
  await k.press('Tab');
  await k.type(temperature);
}
