import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import type { Page } from '@playwright/test';
import { test, expect, shot, loginWithUsername, coreAs, logout, select, type App } from './harness';
import { layoutFaults } from './layout-check';
import { hashPassword } from '../../electron/core/auth/password';
import type { SessionBox } from '../../electron/core';
import type { AntiviralView } from '../../shared/api/antiviral';
import type { Chart } from '../../shared/api/chart';

const PASSWORD = 'correct-horse';
const NAME = '王建国';
const ADMISSION_MEDICINES = '辛伐他汀 20mg qn，氨氯地平 5mg qd';

/** A core session logged in as `username` (the scenario's own password). */
const sessionAs = (app: App, username: string) => coreAs(app, username, PASSWORD);

/** The hospital's calendar day `days` ago, `YYYY-MM-DD`. */
const shanghaiDay = (daysAgo: number) => new Intl.DateTimeFormat('sv-SE', { timeZone: 'Asia/Shanghai' }).format(new Date(Date.now() - daysAgo * 86_400_000));

/**
 * One designated-hospital ward, its ward doctor and the expert panel's professor, and a 72-year-old man
 * with hypertension whose admission note lists simvastatin and amlodipine as free text; a mild round
 * three days after onset, the mild class confirmed.
 */
function elderlyOnStatin(app: App): { episodeId: number } {
  const bootstrap: SessionBox = { user: null };
  const r = app.core.dispatch('setup:createAdmin', { username: 'admin', displayName: '管理员', password: PASSWORD }, bootstrap, new Date().toISOString());
  if (!r.ok) throw new Error(JSON.stringify(r.error));
  const db = app.core.db;
  const fac = Number(db.prepare(`INSERT INTO facility (code, name, kind) VALUES ('DH', '区定点医院', 'designated')`).run().lastInsertRowid);
  const wardId = Number(db.prepare(`INSERT INTO ward (facility_id, code, name, kind) VALUES (?, 'G05', '感染5病区', 'general')`).run(fac).lastInsertRowid);
  const bed = db.prepare(`INSERT INTO bed (ward_id, label, sort) VALUES (?, ?, ?)`);
  const beds = ['G05-001', 'G05-002'].map((label, i) => Number(bed.run(wardId, label, i).lastInsertRowid));
  const user = db.prepare(`INSERT INTO app_user (username, display_name, role, password_hash, created_at) VALUES (?, ?, ?, ?, ?)`);
  const hash = hashPassword(PASSWORD);
  user.run('dr.sun', '孙医生', 'ward_doctor', hash, new Date().toISOString());
  user.run('prof.zhou', '周教授', 'expert', hash, new Date().toISOString());
  const doctor = sessionAs(app, 'dr.sun');
  const { episodeId } = doctor<{ episodeId: number }>('patients:admit', {
    patient: { name: NAME, sex: 'M', ageYears: 72, riskFactors: ['cardio_cerebrovascular'], chronicMedications: ADMISSION_MEDICINES },
    wardId,
    bedId: beds[0],
    admittedAt: new Date(Date.now() - 20 * 3600_000).toISOString(),
    source: 'community_screening',
  });
  doctor('rounds:record', {
    episodeId,
    measuredAt: new Date(Date.now() - 3600_000).toISOString(),
    respRate: 18,
    spo2: 97,
    onOxygen: false,
    systolicBp: 138,
    pulse: 84,
    consciousness: 'A',
    temperature: 37.6,
    symptoms: ['fever', 'cough', 'sore_throat'],
  });
  const chart = doctor<Chart>('chart:get', { episodeId });
  expect(chart.header.proposal.proposed).toBe('mild');
  doctor('classes:assess', { episodeId, proposedClass: 'mild', decision: 'confirmed', class: null, overrideReason: null });
  return { episodeId };
}

const nav = (page: Page, label: string) => page.locator('.mantine-AppShell-navbar').getByText(label, { exact: true }).click();

async function openChart(page: Page): Promise<void> {
  await nav(page, '病区看板');
  await page
    .getByTestId('bed-G05-001')
    .getByRole('button', { name: new RegExp(NAME) })
    .click();
  await expect(page.getByTestId('chart-name')).toHaveText(NAME);
  await page.getByTestId('tab-antiviral').click();
  await expect(page.getByTestId('antiviral-panel')).toBeVisible();
}

/** The page as the A4 print stylesheet lays it out, as text (poppler's pdftotext). */
async function pdfText(page: Page, name: string): Promise<string> {
  const dir = 'test-results/pdf';
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `${name}.pdf`);
  await page.emulateMedia({ media: 'print' });
  await page.pdf({ path: file, format: 'A4', printBackground: true });
  await page.emulateMedia({ media: 'screen' });
  return execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' });
}

async function seriousA11y(page: Page, where: string): Promise<string[]> {
  const r = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  return r.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${where}: ${v.id} (${v.impact}) ${v.nodes.map((n) => `${n.target.join(' ')} ${n.html.slice(0, 160)} ${n.failureSummary ?? ''}`).join(' | ')}`);
}

test('a 72-year-old with hypertension on simvastatin and amlodipine, 3 days from onset: eligible for nirmatrelvir/ritonavir with both clashes; the doctor starts it with reasons and the summary prints it', async ({
  app,
  page,
}) => {
  test.setTimeout(180_000);
  const { episodeId } = elderlyOnStatin(app);
  const view = () => sessionAs(app, 'dr.sun')<AntiviralView>('antiviral:get', { episodeId });
  await app.open(page);
  await loginWithUsername(page, 'dr.sun', PASSWORD);
  await openChart(page);
  const panel = page.getByTestId('antiviral-panel');

  // The admission's free text, shown as recorded and already checked by the names in it, converted into a list line by line.
  await expect(panel.getByTestId('legacy-medications')).toContainText(ADMISSION_MEDICINES);
  await expect(panel.getByTestId('interactions').locator('[data-clash="simvastatin"]')).toContainText('辛伐他汀 20mg qn');
  await shot(page, 'antiviral-legacy-medications-zh');
  await panel.getByTestId('convert-medications').click();
  const editor = page.getByTestId('medication-editor');
  await expect(editor.locator('[data-medicine="simvastatin"]')).toBeVisible();
  await expect(editor.getByLabel('辛伐他汀 的剂量与用法')).toHaveValue('20mg qn');
  await expect(editor.getByLabel('氨氯地平 的剂量与用法')).toHaveValue('5mg qd');
  // Pinyin initials find the medicine, highlighted so that Enter would add it.
  await editor.getByTestId('medicine-search').fill('xf');
  await expect(page.getByRole('option', { name: /辛伐他汀/ }).first()).toHaveAttribute('data-combobox-selected', 'true');
  await shot(page, 'antiviral-medications-editor-zh');
  await editor.getByTestId('medicine-search').fill('');
  await editor.getByTestId('save-medications').click();
  await expect(editor).toBeHidden();
  await expect(panel.getByTestId('medications').locator('[data-medicine="simvastatin"]')).toContainText('20mg qn');
  expect(view().medications?.items.map((i) => i.code)).toEqual(['simvastatin', 'amlodipine']);

  // What the rules need: onset 3 days ago, weight, no severe liver impairment, the latest creatinine.
  await panel.getByTestId('edit-profile').click();
  const profile = page.getByTestId('profile-editor');
  await profile.getByRole('textbox', { name: /发病日期/ }).fill(shanghaiDay(3));
  await profile.getByLabel('体重（kg）').fill('68');
  await select(profile, /重度肝功能损害/).click();
  await page.getByRole('option', { name: '否' }).click();
  await profile.getByLabel('最近一次血肌酐（µmol/L）').fill('80');
  const collected = profile.locator('[data-field="creatinineAt"]');
  // Yesterday morning: in the past whatever the hour the suite runs (today 00:30 is ahead of a run at 00:05).
  await collected.getByRole('textbox', { name: '日期' }).fill(shanghaiDay(1));
  await collected.getByLabel('时', { exact: true }).fill('08');
  await collected.getByLabel('分', { exact: true }).fill('30');
  await profile.getByTestId('save-profile').click();
  await expect(profile).toBeHidden();
  await expect(panel.getByTestId('egfr-used')).toContainText('CKD-EPI 2021');
  expect(view().egfr?.value).toBeGreaterThanOrEqual(60);

  // The proposal: eligible, the standard dose; the clashes: simvastatin contraindicated, amlodipine to adjust or monitor.
  const nmv = panel.getByTestId('proposal-nirmatrelvir_ritonavir');
  await expect(nmv).toHaveAttribute('data-status', 'eligible');
  await expect(nmv).toContainText('符合用药条件');
  await expect(nmv).toContainText('发病第 3 天');
  await expect(nmv.getByTestId('dose-nirmatrelvir_ritonavir')).toContainText('奈玛特韦 300 mg + 利托那韦 100 mg');
  const interactions = panel.getByTestId('interactions');
  await expect(interactions.locator('[data-clash="simvastatin"]')).toHaveAttribute('data-severity', 'contraindicated');
  await expect(interactions.locator('[data-clash="simvastatin"]')).toContainText('禁止合用');
  expect(['adjust_or_hold', 'monitor']).toContain(await interactions.locator('[data-clash="amlodipine"]').getAttribute('data-severity'));
  await expect(interactions).toContainText('相互作用表版本');
  await expect(panel).toContainText('是否用药由医生决定');
  await shot(page, 'antiviral-chart-zh');
  await page.getByText('EN', { exact: true }).click();
  await expect(nmv).toContainText('Eligible');
  await expect(interactions.locator('[data-clash="simvastatin"]')).toContainText('Contraindicated');
  await shot(page, 'antiviral-chart-en');
  await page.getByText('中文', { exact: true }).click();

  // The round screen: eligible and not started, and the clashes folded to one line with "+1".
  await nav(page, '查房');
  const notice = page.getByTestId('antiviral-notice');
  await expect(notice).toContainText('符合用药条件，尚未用药');
  await expect(notice.locator('[data-clash="simvastatin"]')).toContainText('禁止合用');
  await expect(notice.getByTestId('clashes-more')).toHaveText('+1');
  await notice.getByTestId('clashes-more').click();
  await expect(notice.locator('[data-clash="amlodipine"]')).toBeVisible();
  await shot(page, 'antiviral-round-notice-zh');
  await logout(page);

  // The expert panel's queue: the patient flagged, and the drawer shows the proposal and every clash.
  await loginWithUsername(page, 'prof.zhou', PASSWORD);
  await nav(page, '专家会诊');
  const row = page.getByTestId(`queue-row-${episodeId}`);
  await expect(row).toBeVisible();
  await row.click();
  const drawer = page.getByTestId('review-drawer');
  await expect(drawer.locator('[data-flag="antiviral_eligible"]')).toBeVisible();
  const summary = drawer.getByTestId('antiviral-summary');
  await expect(summary.locator('[data-option="nirmatrelvir_ritonavir"]')).toContainText('符合用药条件');
  await expect(summary.locator('[data-clash="simvastatin"]')).toContainText('禁止合用');
  await expect(summary.locator('[data-clash="amlodipine"]')).toBeVisible();
  await summary.scrollIntoViewIfNeeded();
  await shot(page, 'antiviral-queue-drawer-zh');
  await page.keyboard.press('Escape');
  await logout(page);

  // The decision: starting against a contraindicated clash demands its own reason.
  await loginWithUsername(page, 'dr.sun', PASSWORD);
  await openChart(page);
  await panel.getByTestId('decide-nirmatrelvir_ritonavir').click();
  const modal = page.getByTestId('antiviral-decision');
  await expect(modal.getByTestId('decision-clashes')).toContainText('辛伐他汀');
  await expect(modal).toContainText('可选');
  // Not starting an eligible patient goes against the proposal: the reason becomes required.
  await modal.getByText('不用药', { exact: true }).click();
  await expect(modal).toContainText('决定与规则建议不一致，须填写理由');
  await expect(modal.getByTestId('decision-clashes')).toBeHidden();
  await modal.getByText('开始用药', { exact: true }).click();
  await modal.getByTestId('decision-save').click();
  await expect(modal.getByTestId('decision-clash-reason')).toHaveAttribute('aria-invalid', 'true');
  expect(view().decisions).toHaveLength(0);
  await shot(page, 'antiviral-decision-modal-zh');
  await modal.getByTestId('decision-clash-reason').fill('辛伐他汀自今日停用至疗程结束后 5 天；氨氯地平减为 2.5 mg qd，监测血压');
  await modal.getByTestId('decision-reason').fill('72 岁合并高血压，轻型，发病第 3 天，eGFR ≥60，符合用药条件');
  await modal.getByTestId('decision-save').click();
  await expect(modal).toBeHidden();
  const decided = view().decisions[0]!;
  expect(decided).toMatchObject({ option: 'nirmatrelvir_ritonavir', decision: 'start', status: 'eligible', startDate: shanghaiDay(0) });
  expect(decided.clashes.map((c) => c.medicine)).toContain('simvastatin');
  await expect(nmv.getByTestId('decided-nirmatrelvir_ritonavir')).toContainText('已开始用药');
  await expect(panel.getByTestId('antiviral-course')).not.toContainText('无抗病毒疗程');
  await expect(panel.getByTestId('antiviral-history')).toContainText('辛伐他汀自今日停用');
  await shot(page, 'antiviral-chart-decided-zh');

  await panel.getByTestId('interactions').scrollIntoViewIfNeeded();
  await shot(page, 'antiviral-chart-interactions-zh');
  await panel.getByTestId('antiviral-history').scrollIntoViewIfNeeded();
  await shot(page, 'antiviral-chart-history-zh');

  // The panel holds at a tablet's width and a desk's, in both languages, with gloves (PPE) on and off:
  // it adds no layout fault to those the chart has with its plan tab open (the header is the same).
  const faults: string[] = [];
  const tab = (name: 'plan' | 'antiviral') => (name === 'plan' ? page.getByRole('tab').nth(4) : page.getByTestId('tab-antiviral'));
  for (const lang of ['zh-CN', 'en'] as const) {
    await page.getByText(lang === 'en' ? 'EN' : '中文', { exact: true }).click();
    for (const ppe of [false, true]) {
      const sw = page.getByTestId('ppe-switch');
      if ((await sw.isChecked()) !== ppe) await page.locator('.mantine-Switch-track').click();
      for (const size of [
        { width: 1024, height: 768 },
        { width: 1366, height: 768 },
      ]) {
        await page.setViewportSize(size);
        await page.waitForTimeout(350);
        await tab('plan').click();
        await expect(page.getByTestId('antiviral-panel')).toBeHidden();
        const before = new Set(await layoutFaults(page, { ppe }));
        await tab('antiviral').click();
        await expect(panel.getByTestId('interactions')).toBeVisible();
        for (const f of await layoutFaults(page, { ppe })) if (!before.has(f)) faults.push(`${size.width} ${lang}${ppe ? ' PPE' : ''}: ${f}`);
        if (ppe && size.width === 1024) await shot(page, `antiviral-chart-ppe-1024-${lang}`);
      }
    }
  }
  await page.getByText('中文', { exact: true }).click();
  if ((await page.getByTestId('ppe-switch').isChecked()) === true) await page.locator('.mantine-Switch-track').click();
  await page.mouse.move(0, 760);
  const a11y = await seriousA11y(page, 'antiviral panel light');
  await page.getByTestId('scheme-switch').click();
  await expect(page.locator('html')).toHaveAttribute('data-mantine-color-scheme', 'dark');
  await page.mouse.move(0, 760);
  // The scheme switch's tooltip, fading out, is not the panel.
  await expect(page.getByRole('tooltip')).toHaveCount(0);
  a11y.push(...(await seriousA11y(page, 'antiviral panel dark')));
  await shot(page, 'antiviral-chart-dark-zh');
  await page.getByTestId('scheme-switch').click();
  expect([...new Set(faults)]).toEqual([]);
  expect(a11y).toEqual([]);

  // The plan carries the course.
  await page.getByRole('tab', { name: '诊疗计划' }).click();
  await expect(page.getByTestId('plan-current')).toContainText('抗病毒治疗');

  // The discharge summary prints the list, the decision with its reasons, and the simvastatin clash.
  await nav(page, '出院');
  await page.getByText('全部在院患者').click();
  await page.getByTestId(`ready-row-${episodeId}`).click();
  await page.getByTestId('discharge-panel').getByRole('button', { name: '出院小结', exact: true }).click();
  const doc = page.getByTestId('discharge-summary');
  await expect(doc.getByTestId('summary-antiviral')).toContainText('开始用药');
  await shot(page, 'antiviral-discharge-summary-zh');
  const text = (await pdfText(page, 'antiviral-summary')).replace(/\s+/g, '');
  expect(text).toContain('辛伐他汀20mgqn');
  expect(text).toContain('抗病毒治疗');
  expect(text).toContain('奈玛特韦片/利托那韦片组合包装，开始用药');
  expect(text).toContain('72岁合并高血压');
  expect(text).toContain('辛伐他汀自今日停用');
  expect(text).toContain('禁止合用');
  await logout(page);

  // The daily report counts the patient started on an antiviral today, and drills down to them.
  await loginWithUsername(page, 'admin', PASSWORD);
  await nav(page, '报表');
  await expect(page.getByTestId('daily-report')).toBeVisible();
  const figure = page.getByTestId('antiviral_started-network');
  await expect(figure).toHaveText('1');
  await expect(page.getByTestId('daily-report')).toContainText('当日开始抗病毒治疗');
  await figure.scrollIntoViewIfNeeded();
  await shot(page, 'antiviral-daily-report-zh');
  await figure.click();
  await expect(page.getByRole('dialog').getByTestId('drill-rows')).toContainText(NAME);
});

test.afterEach(async ({ page }, info) => {
  if (info.status !== info.expectedStatus) await shot(page, 'antiviral-failed');
});
