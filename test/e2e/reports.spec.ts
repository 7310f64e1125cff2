import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import type { Page } from '@playwright/test';
import { test, expect, shot, demoLogin, type App } from './harness';
import type { DailyReport, DischargeStats } from '../../shared/api/reports';
import type { ReadyList } from '../../shared/api/discharge';
import { addDays, localDate } from '../../shared/domain/time';

const PDF_DIR = 'test-results/pdf';

// Each test loads the whole demo network (~1,800 patients with their rounds, reviews and discharges) first.
test.setTimeout(150_000);

/** The page as the A4 print stylesheet lays it out, as text (poppler's pdftotext). */
async function pdfText(page: Page, name: string): Promise<string> {
  fs.mkdirSync(PDF_DIR, { recursive: true });
  const file = path.join(PDF_DIR, `${name}.pdf`);
  await page.emulateMedia({ media: 'print' });
  await page.pdf({ path: file, format: 'A4', printBackground: true });
  await page.emulateMedia({ media: 'screen' });
  return execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' });
}

function asAdmin<T>(app: App, channel: string, input: unknown): T {
  const admin = app.core.db.prepare(`SELECT id, username, display_name AS displayName, role FROM app_user WHERE username = 'admin'`).get() as {
    id: number;
    username: string;
    displayName: string;
    role: 'admin';
  };
  const r = app.core.dispatch(channel, input, { user: admin }, new Date().toISOString());
  if (!r.ok) throw new Error(`${channel}: ${JSON.stringify(r.error)}`);
  return r.value as T;
}

/**
 * A fangcang patient who meets the release criterion now, whatever the time of day: the demo is
 * generated relative to the clock, so instead of hoping it has one, 王医生 records two negative
 * nucleic-acid tests 25 hours apart (the latest a minute ago) for an active fangcang patient admitted
 * days ago with no test in that window, through the real dispatch (results:record).
 */
function makeReadyPatient(app: App): ReadyList['facilities'][number]['patients'][number] {
  const now = Date.now();
  const at = (hoursAgo: number) => new Date(now - hoursAgo * 3_600_000).toISOString();
  const episodeId = app.core.db
    .prepare(
      `SELECT e.id FROM episode e JOIN placement p ON p.episode_id = e.id AND p.end_at IS NULL JOIN ward w ON w.id = p.ward_id JOIN facility f ON f.id = w.facility_id
       WHERE e.status = 'active' AND f.kind = 'fangcang' AND e.admitted_at < ?
         AND NOT EXISTS (SELECT 1 FROM lab_result r WHERE r.episode_id = e.id AND r.analyte = 'nucleic_acid' AND r.collected_at >= ?)
       ORDER BY e.id LIMIT 1`,
    )
    .pluck()
    .get(at(72), at(30)) as number | undefined;
  if (episodeId === undefined) throw new Error('the demo network has no active fangcang patient admitted three days ago');
  const wang = app.core.db.prepare(`SELECT id, username, display_name AS displayName, role FROM app_user WHERE username = 'dr.wang'`).get() as {
    id: number;
    username: string;
    displayName: string;
    role: 'ward_doctor';
  };
  for (const hoursAgo of [25 + 1 / 60, 1 / 60]) {
    const r = app.core.dispatch(
      'results:record',
      { episodeId, collectedAt: at(hoursAgo), nucleicAcid: { ctN: null, ctOrf1ab: null, ctE: null, qualitative: 'negative' } },
      { user: wang },
      new Date().toISOString(),
    );
    if (!r.ok) throw new Error(`results:record: ${JSON.stringify(r.error)}`);
  }
  const ready = asAdmin<ReadyList>(app, 'discharge:readyList', { scope: 'ready' });
  const patient = ready.facilities.flatMap((f) => f.patients).find((p) => p.episodeId === episodeId);
  expect(patient, 'two negative tests 25 h apart meet the release criterion').toBeDefined();
  return patient!;
}

test('admin discharges a ready patient, and one against an unmet criterion only with a reason; the summary prints on A4', async ({ app, page }) => {
  await demoLogin(app, page, '医务科 管理员');
  const candidate = makeReadyPatient(app);
  await page
    .getByRole('link', { name: '出院' })
    .or(page.getByText('出院', { exact: true }))
    .first()
    .click();
  await expect(page.getByRole('heading', { name: '符合出院 / 解除隔离标准的患者' })).toBeVisible();
  await page.getByTestId(`ready-row-${candidate.episodeId}`).click();
  const panel = page.getByTestId('discharge-panel');
  await expect(panel.getByTestId('check-verdict')).toContainText('符合');
  await expect(panel.getByTestId('ct-series')).toBeVisible();
  await shot(page, 'discharge-check-zh');

  await panel.getByRole('button', { name: '确认出院' }).click();
  await expect(panel.getByTestId('discharged-banner')).toContainText('已于');
  const row = app.core.db.prepare(`SELECT status FROM episode WHERE id = ?`).get(candidate.episodeId) as { status: string };
  expect(row.status).toBe('discharged');
  await shot(page, 'discharge-done-zh');

  await panel.getByRole('button', { name: '打印出院小结' }).click();
  await expect(page.getByTestId('discharge-summary')).toBeVisible();
  await shot(page, 'discharge-summary-zh');
  const text = await pdfText(page, 'discharge-summary');
  expect(text).toContain('出院小结');
  expect(text).toContain(candidate.name);
  expect(text).toContain('核酸检测结果');
  expect(text).toContain('7天居家健康监测');
  expect(text).toContain('医师签名');
  expect(text).not.toContain('退出登录');

  // A patient who does not meet the criteria: refused without a reason, discharged with one.
  await page.getByRole('button', { name: '返回列表' }).click();
  await page.getByText('全部在院患者').click();
  const all = asAdmin<ReadyList>(app, 'discharge:readyList', { scope: 'all' });
  const notReady = all.facilities.flatMap((f) => f.patients).find((p) => !p.eligible)!;
  await page.getByTestId(`ready-row-${notReady.episodeId}`).click();
  await expect(panel.getByTestId('check-verdict')).toContainText('尚不符合');
  await expect(panel.getByTestId('override-hint')).toBeVisible();
  await panel.getByRole('button', { name: '确认出院' }).click();
  await expect(panel.getByText('有未满足的标准，出院须填写原因')).toBeVisible();
  expect((app.core.db.prepare(`SELECT status FROM episode WHERE id = ?`).get(notReady.episodeId) as { status: string }).status).toBe('active');
  await shot(page, 'discharge-override-required-zh');
  await panel.getByLabel('未满足标准仍予出院的原因').fill('患者要求转回户籍地定点医院继续隔离治疗，已与接收医院交接');
  await panel.getByLabel('出院去向').click();
  await page.getByRole('option', { name: '转往其他医疗机构' }).click();
  await panel.getByRole('button', { name: '确认出院' }).click();
  await expect(panel.getByTestId('discharged-banner')).toContainText('转往其他医疗机构');
  await expect(panel.getByTestId('discharged-banner')).toContainText('患者要求转回户籍地');
});

test('the daily severity report and the discharge statistics: figures, drill-down, CSV and A4 PDF', async ({ app, page }) => {
  await demoLogin(app, page, '医务科 管理员');
  await page.getByText('报表', { exact: true }).click();
  await expect(page.getByTestId('daily-report')).toBeVisible();
  const today = localDate(new Date(), 'Asia/Shanghai');
  const figures = (date: string) => asAdmin<DailyReport>(app, 'reports:daily', { date, facilityId: null }).rows.find((r) => r.facilityId === null)!.figures;
  // Just after midnight (Shanghai) the new day has no admissions yet: report the day before, chosen in the form.
  let date = today;
  if (figures(today).admissions === 0) {
    date = addDays(today, -1);
    await page.getByLabel('日期', { exact: true }).fill(date);
  }
  const network = figures(date);
  expect(network.admissions).toBeGreaterThan(0);
  await expect(page.getByTestId('census-network')).toHaveText(String(network.census));
  await expect(page.getByTestId('admissions-network')).toHaveText(String(network.admissions));
  await expect(page.getByTestId('reconcile')).toContainText(`= 日终在院 ${network.census}`);
  await page.waitForTimeout(300);
  await shot(page, 'report-daily-zh');

  await page.getByTestId('admissions-network').click();
  const modal = page.getByRole('dialog');
  await expect(modal.getByTestId('drill-count')).toHaveText(`共 ${network.admissions} 人次`);
  await expect(modal.getByTestId('drill-rows').locator('tbody tr')).toHaveCount(network.admissions);
  await shot(page, 'report-drill-zh');
  await page.keyboard.press('Escape');

  const download = page.waitForEvent('download');
  await page.getByRole('button', { name: '导出 CSV' }).click();
  const file = await (await download).path();
  const csv = fs.readFileSync(file!);
  expect([...csv.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
  const lines = csv.toString('utf8').slice(1).split('\r\n');
  expect(lines[0]).toBe('每日病情分级报告');
  expect(
    lines
      .find((l) => l.startsWith('日终在院,'))
      ?.split(',')
      .at(-1),
  ).toBe(String(network.census));

  const text = await pdfText(page, 'daily-report');
  expect(text).toContain('每日病情分级报告');
  expect(text).toContain(date);
  expect(text).toContain(`= 日终在院 ${network.census}`);
  expect(text).toContain('审核签名');
  expect(text).not.toContain('导出 CSV');

  await page.getByRole('tab', { name: '出院统计' }).click();
  await expect(page.getByTestId('discharge-stats')).toBeVisible();
  const stats = asAdmin<DischargeStats>(app, 'reports:dischargeStats', { from: addDays(today, -13), to: today, facilityId: null });
  await expect(page.getByTestId('stats-total')).toHaveText(String(stats.total));
  await page.waitForTimeout(300);
  await shot(page, 'report-stats-zh');
  const statsText = await pdfText(page, 'discharge-stats');
  expect(statsText).toContain('出院统计');
  expect(statsText).toContain(`${addDays(today, -13)} ~ ${today}`);

  await page.getByText('EN', { exact: true }).click();
  await expect(page.getByTestId('discharge-stats')).toContainText('Discharge statistics');
  await shot(page, 'report-stats-en');
});

test('from a number in the report to the patient chart, its discharge tab, and the discharge screen', async ({ app, page }) => {
  await demoLogin(app, page, '医务科 管理员');
  await page.getByText('报表', { exact: true }).click();
  await page.getByTestId('census-network').click();
  await page.getByRole('dialog').getByRole('button', { name: '病历' }).first().click();
  await page.getByRole('tab', { name: '出院' }).click();
  await expect(page.getByTestId('criteria')).toBeVisible();
  await shot(page, 'chart-discharge-tab-zh');
  await page.getByRole('button', { name: '办理出院' }).first().click();
  await expect(page.getByTestId('discharge-panel')).toBeVisible();
  await expect(page.getByTestId('criteria')).toBeVisible();
});

test('an amendment begun on a discharge that 王医生 corrects meanwhile is refused naming him and when; the reason typed stays and the current version is loaded', async ({
  app,
  page,
}) => {
  await demoLogin(app, page, '医务科 管理员');
  const candidate = makeReadyPatient(app);
  await page
    .getByRole('link', { name: '出院' })
    .or(page.getByText('出院', { exact: true }))
    .first()
    .click();
  await page.getByTestId(`ready-row-${candidate.episodeId}`).click();
  const panel = page.getByTestId('discharge-panel');
  await panel.getByRole('button', { name: '确认出院' }).click();
  await expect(panel.getByTestId('discharged-banner')).toContainText('已于');

  await panel.getByRole('button', { name: '更正出院记录' }).click();
  await panel.getByLabel('更正原因').fill('随访说明补充');
  // Another workstation corrects the same discharge first.
  const wang = app.core.db.prepare(`SELECT id, username, display_name AS displayName, role FROM app_user WHERE username = 'dr.wang'`).get() as {
    id: number;
    username: string;
    displayName: string;
    role: 'ward_doctor';
  };
  const dischargeId = app.core.db.prepare('SELECT max(id) FROM discharge WHERE episode_id = ?').pluck().get(candidate.episodeId) as number;
  const r = app.core.dispatch('discharge:amend', { dischargeId, reason: '出院情况录入有误', disposition: 'home', condition: 'improved' }, { user: wang }, new Date().toISOString());
  expect(r.ok).toBe(true);
  await panel.getByRole('button', { name: '保存更正' }).click();
  const conflict = panel.getByTestId('conflict');
  await expect(conflict).toContainText(/该出院记录已由 王医生 于 \d{4}-\d{2}-\d{2} \d{2}:\d{2} 更正/);
  await expect(panel.getByLabel('更正原因')).toHaveValue('随访说明补充');
  await shot(page, 'discharge-amend-conflict-zh');
  await conflict.getByRole('button', { name: '载入最新内容' }).click();
  await expect(conflict).toBeHidden();
  // The condition left alone now shows 王医生's correction; the reason typed stays.
  await expect(
    panel
      .getByRole('textbox', { name: '出院情况', exact: true })
      .or(panel.getByRole('combobox', { name: '出院情况', exact: true }))
      .first(),
  ).toHaveValue('好转');
  await expect(panel.getByLabel('更正原因')).toHaveValue('随访说明补充');
  await panel.getByRole('button', { name: '保存更正' }).click();
  await expect(panel.getByText(/更正（.*医务科 管理员）：随访说明补充/)).toBeVisible();
  expect(app.core.db.prepare('SELECT count(*) FROM discharge WHERE episode_id = ?').pluck().get(candidate.episodeId)).toBe(3);
});
