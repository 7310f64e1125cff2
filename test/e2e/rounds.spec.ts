import type { Locator, Page } from '@playwright/test';
import { test, expect, shot, loginWithUsername, coreAs, type App } from './harness';
import { hashPassword } from '../../electron/core/auth/password';
import { DEMO_PASSWORD } from '../../electron/core/demo/generate';
import type { SessionBox } from '../../electron/core';

const PASSWORD = 'correct-horse';

/** One designated-hospital ward with two admitted patients, a nurse and a doctor. */
function smallWard(app: App): { wardId: number; episodes: number[] } {
  const session: SessionBox = { user: null };
  const call = <T>(channel: string, input: unknown): T => {
    const r = app.core.dispatch(channel, input, session, new Date().toISOString());
    if (!r.ok) throw new Error(`${channel}: ${JSON.stringify(r.error)}`);
    return r.value as T;
  };
  call('setup:createAdmin', { username: 'admin', displayName: '管理员', password: PASSWORD });
  const db = app.core.db;
  const fac = Number(db.prepare(`INSERT INTO facility (code, name, kind) VALUES ('DH', '区定点医院', 'designated')`).run().lastInsertRowid);
  const wardId = Number(db.prepare(`INSERT INTO ward (facility_id, code, name, kind) VALUES (?, 'G05', '感染5病区', 'general')`).run(fac).lastInsertRowid);
  const bed = db.prepare(`INSERT INTO bed (ward_id, label, sort) VALUES (?, ?, ?)`);
  const beds = ['G05-001', 'G05-002', 'G05-003'].map((label, i) => Number(bed.run(wardId, label, i).lastInsertRowid));
  const user = db.prepare(`INSERT INTO app_user (username, display_name, role, password_hash, created_at) VALUES (?, ?, ?, ?, ?)`);
  const hash = hashPassword(PASSWORD);
  user.run('nurse.li', '李护士', 'nurse', hash, new Date().toISOString());
  user.run('dr.sun', '孙医生', 'ward_doctor', hash, new Date().toISOString());
  const admittedAt = new Date(Date.now() - 3 * 3600_000).toISOString();
  const episodes = [
    { name: '刘建华', sex: 'M', ageYears: 66, riskFactors: ['diabetes'] },
    { name: '陈秀兰', sex: 'F', ageYears: 58, riskFactors: [] },
  ].map((patient, i) => call<{ episodeId: number }>('patients:admit', { patient, wardId, bedId: beds[i], admittedAt, source: 'community_screening' }).episodeId);
  return { wardId, episodes };
}

const login = (page: Page, username: string, password = PASSWORD) => loginWithUsername(page, username, password);

const nav = (page: Page, label: string) => page.locator('.mantine-AppShell-navbar').getByText(label, { exact: true }).click();
const roundCount = (app: App) => app.core.db.prepare('SELECT count(*) FROM round').pluck().get() as number;

test('a nurse does a full round of two beds with the keyboard only; the chart shows the new values and the trend', async ({ app, page }) => {
  const { episodes } = smallWard(app);
  await app.open(page);
  await login(page, 'nurse.li');
  await nav(page, '查房');
  await expect(page.getByTestId('round-bed')).toHaveText('G05-001 · 刘建华');
  await expect(page.getByTestId('round-progress')).toHaveText('已完成 0/2');

  // Bed 1, in paper-chart order: RR, SpO2, (scale: a doctor's decision, skipped), air/O2, BP, pulse, ACVPU, temperature, symptoms, note.
  const k = page.keyboard;
  await expect(page.locator('input[data-field="respRate"]')).toBeFocused();
  await k.type('18');
  await k.press('Tab');
  await k.type('97');
  await k.press('Tab'); // air or oxygen: "air" carried over
  await k.press('Tab');
  await k.type('128');
  await k.press('Tab');
  await k.type('82');
  await k.press('Tab');
  await k.type('88');
  await k.press('Tab'); // ACVPU: Space ticks A (alert)
  await k.press('Space');
  await k.press('Tab');
  await k.type('37.2');
  await k.press('Tab'); // the symptom grid is one tab stop: arrows move, Space ticks
  await k.press('ArrowRight');
  await k.press('ArrowRight');
  await k.press('Space'); // cough
  await k.press('Tab');
  await k.type('轻咳，无气促');
  const preview = page.getByTestId('round-preview');
  await expect(preview).toContainText('NEWS2 0');
  await expect(preview).toContainText('轻型');
  await k.press('Enter');

  // Saved: the next bed opens with the cursor on RR.
  await expect(page.getByTestId('round-bed')).toHaveText('G05-002 · 陈秀兰');
  await expect(page.getByTestId('round-progress')).toHaveText('已完成 1/2');
  await expect(page.locator('[data-bed="G05-001"]')).toHaveAttribute('data-mark', 'done');

  // Bed 2: on oxygen, fast breathing, a temperature; the live preview scores it before saving.
  await k.type('24');
  await k.press('Tab');
  await k.type('93');
  await k.press('Tab');
  await k.press('ArrowRight'); // oxygen
  await k.press('Tab'); // device: required on oxygen (issue 13); ArrowDown opens the list, Enter picks "nasal cannula"
  await k.press('ArrowDown');
  await k.press('Enter');
  await expect(page.getByTestId('round-form').locator('input[data-field="o2Device"]')).toHaveValue('鼻导管');
  await k.press('Tab');
  await k.type('3');
  await k.press('Tab');
  await k.type('110');
  await k.press('Tab');
  await k.type('70');
  await k.press('Tab');
  await k.type('104');
  await k.press('Tab');
  await k.press('Space');
  await k.press('Tab');
  await k.type('38.4');
  // RR 24 → 2, SpO2 93 → 2, oxygen → 2, SBP 110 → 1, pulse 104 → 1, alert → 0, 38.4 °C → 1 (RCP NEWS2 chart 1).
  await expect(preview).toContainText('NEWS2 9');
  await expect(preview).toContainText('高风险');
  await expect(preview).toContainText('NEWS2 评分达预警阈值');
  await shot(page, 'rounds-mode-zh');
  await k.press('Enter');
  // NEWS2 9 ≥ 7: round mode stops on the escalation step (RCP Chart 4, emergency response) until it is answered.
  const step = page.getByTestId('escalation-step');
  await expect(step).toHaveAttribute('data-level', 'emergency');
  await expect(page.getByRole('dialog')).toContainText('需立即抢救性处理：NEWS2 9');
  await k.press('Space'); // "doctor informed", focused first
  await k.press('Tab');
  await k.type('孙医生');
  await k.press('Enter');
  await expect(step).toBeHidden();
  await expect(page.getByTestId('round-complete')).toBeVisible();
  await expect(page.getByTestId('round-progress')).toHaveText('已完成 2/2');

  const rows = app.core.db
    .prepare(
      `SELECT r.episode_id, r.resp_rate, r.spo2, r.on_oxygen, r.o2_flow, r.consciousness, r.temperature, r.symptoms, r.note, r.news2_total, u.username
              FROM round r JOIN app_user u ON u.id = r.author_id ORDER BY r.id`,
    )
    .all();
  expect(rows).toEqual([
    {
      episode_id: episodes[0],
      resp_rate: 18,
      spo2: 97,
      on_oxygen: 0,
      o2_flow: null,
      consciousness: 'A',
      temperature: 37.2,
      symptoms: '["cough"]',
      note: '轻咳，无气促',
      news2_total: 0,
      username: 'nurse.li',
    },
    {
      episode_id: episodes[1],
      resp_rate: 24,
      spo2: 93,
      on_oxygen: 1,
      o2_flow: 3,
      consciousness: 'A',
      temperature: 38.4,
      symptoms: '[]',
      note: null,
      news2_total: 9,
      username: 'nurse.li',
    },
  ]);
  expect(app.core.db.prepare('SELECT o2_device FROM round WHERE episode_id = ?').pluck().get(episodes[1])).toBe('nasal_cannula');
  expect(app.core.db.prepare('SELECT level, response, informed_who FROM round_escalation').all()).toEqual([
    { level: 'emergency', response: 'doctor_informed', informed_who: '孙医生' },
  ]);

  // A nucleic-acid result and a lymphocyte count, entered from round mode.
  await page.getByRole('button', { name: '检验' }).click();
  const labs = page.getByRole('dialog', { name: '录入检验结果' });
  await labs.getByLabel(/N基因Ct值/).fill('36.1');
  await labs.getByLabel(/ORF1ab基因Ct值/).fill('36.8');
  await labs.getByLabel(/淋巴细胞计数/).fill('1.2');
  await labs.getByRole('button', { name: '保存' }).click();
  await expect(labs).toBeHidden();
  expect(app.core.db.prepare(`SELECT analyte, n_ct, orf1ab_ct, value FROM lab_result WHERE episode_id = ? ORDER BY id`).all(episodes[1])).toEqual([
    { analyte: 'nucleic_acid', n_ct: 36.1, orf1ab_ct: 36.8, value: null },
    { analyte: 'lymphocytes', n_ct: null, orf1ab_ct: null, value: 1.2 },
  ]);

  // The ward board and the chart show the new values; the trend is drawn.
  await nav(page, '病区看板');
  const card = page.getByTestId('bed-G05-002');
  await expect(card).toContainText('NEWS2 9');
  await card.getByRole('button', { name: /打开 G05-002 床 陈秀兰 的病历/ }).click();
  await expect(page.getByTestId('chart-name')).toHaveText('陈秀兰');
  await expect(page.getByTestId('chart-header')).toContainText('NEWS2 9 · 高风险');
  await expect(page.getByTestId('chart-trends').locator('.recharts-line-curve, .recharts-line-dots circle, .recharts-dot').first()).toBeVisible();
  await expect(page.getByTestId('ct-trend')).toBeVisible();
  await page.getByRole('tab', { name: '检验检查' }).click();
  await expect(page.getByTestId('nucleic-acid-table')).toContainText('36.1 ≥35');
  await shot(page, 'chart-results-zh');
  await page.getByRole('tab', { name: /查房记录/ }).click();
  const table = page.getByTestId('rounds-table');
  await expect(table).toContainText('38.4');
  await expect(table.locator('[data-score="3"], [data-score="2"]').first()).toBeVisible();
  await shot(page, 'chart-rounds-zh');
});

test('impossible vitals are refused on their fields and nothing is written; an unusual value needs a confirmation', async ({ app, page }) => {
  smallWard(app);
  await app.open(page);
  await login(page, 'nurse.li');
  await nav(page, '查房');
  const form = page.getByTestId('round-form');
  await form.getByLabel(/呼吸频率/).fill('180');
  await form.getByLabel(/SpO2（%）/).fill('97');
  await form.getByLabel(/体温/).fill('3.7');
  await expect(form.getByText('呼吸频率超出允许范围（0～100）')).toBeVisible();
  await form.getByLabel(/体温/).press('Enter');
  await expect(form.getByText('不能大于 100')).toBeVisible();
  await expect(form.getByText('不能小于 25')).toBeVisible();
  await shot(page, 'rounds-field-errors-zh');
  expect(roundCount(app)).toBe(0);

  // Plausible but extreme: SpO2 68 % asks for a confirmation, and the confirmation is stored.
  await form.getByLabel(/呼吸频率/).fill('22');
  await form.getByLabel(/体温/).fill('37.0');
  await form.getByLabel(/SpO2（%）/).fill('68');
  await form.getByLabel(/SpO2（%）/).press('Enter');
  const dialog = page.getByRole('dialog', { name: '请确认少见数值' });
  await expect(dialog).toContainText('68（通常 70～100）');
  expect(roundCount(app)).toBe(0);
  await dialog.getByRole('button', { name: '确认无误并保存' }).click();
  // RR 22 → 2, SpO2 68 → 3: NEWS2 5 with a single 3, an urgent response (RCP Chart 4) before the next bed.
  await expect(page.getByTestId('escalation-step')).toHaveAttribute('data-level', 'urgent');
  await page.getByRole('radio', { name: '已提交专家组' }).check();
  await page.getByTestId('escalation-confirm').click();
  await expect(page.getByTestId('round-progress')).toHaveText('已完成 1/2');
  expect(app.core.db.prepare('SELECT spo2, confirmed_extremes FROM round').get()).toEqual({ spo2: 68, confirmed_extremes: '["spo2"]' });
});

test('a doctor overrides the class proposal with a reason, and a plan edit creates version 2 showing what changed', async ({ app, page }) => {
  const { episodes } = smallWard(app);
  await app.open(page);
  await login(page, 'dr.sun');
  await page
    .getByTestId('bed-G05-001')
    .getByRole('button', { name: /刘建华/ })
    .click();
  await expect(page.getByTestId('chart-name')).toHaveText('刘建华');

  await page.getByRole('tab', { name: '分型与梯队' }).click();
  const decision = page.getByTestId('class-decision');
  await decision.getByRole('button', { name: '更改分型…' }).click();
  await decision.getByRole('button', { name: '保存更改' }).click();
  await expect(decision.getByText('必填项')).toBeVisible();
  await expect(decision.getByText('更改分型须填写理由')).toBeVisible();
  await decision.getByRole('combobox', { name: '更改为' }).click();
  await page.getByRole('option', { name: '普通型' }).click();
  await decision.getByLabel('更改理由').fill('床旁肺部超声提示双下肺B线，CT待查');
  await decision.getByRole('button', { name: '保存更改' }).click();
  const history = page.getByTestId('class-history');
  await expect(history).toContainText('医生更改');
  await expect(history).toContainText('床旁肺部超声提示双下肺B线，CT待查');
  await expect(page.getByTestId('chart-header')).toContainText('普通型');
  expect(app.core.db.prepare('SELECT class, proposed_class, decision, override_reason, rule_set FROM class_assessment WHERE episode_id = ?').get(episodes[0])).toEqual({
    class: 'moderate',
    proposed_class: 'asymptomatic',
    decision: 'overridden',
    override_reason: '床旁肺部超声提示双下肺B线，CT待查',
    rule_set: 'cn-v9',
  });
  await shot(page, 'chart-class-override-zh');

  // 一人一策: version 1, then an edit that adds oxygen therapy → version 2 with the change listed.
  await page.getByRole('tab', { name: '诊疗计划' }).click();
  await page.getByTestId('edit-plan').click();
  await page.getByTestId('plan-goals').fill('对症治疗，监测血糖，预防重症');
  await page.locator('[data-item="chronic_medication"]').check();
  await page.getByRole('button', { name: '保存新版本' }).click();
  await expect(page.getByText('一人一策 · 第 1 版')).toBeVisible();
  await page.getByTestId('edit-plan').click();
  await page.locator('[data-item="oxygen_therapy"]').check();
  await page.getByLabel('修订说明').fill('夜间SpO2 94%，予低流量吸氧');
  await page.getByRole('button', { name: '保存新版本' }).click();
  await expect(page.getByText('一人一策 · 第 2 版')).toBeVisible();
  const v2 = page.locator('[data-plan-version="2"]');
  await expect(v2).toContainText('新增 氧疗');
  await expect(v2).toContainText('夜间SpO2 94%，予低流量吸氧');
  expect(app.core.db.prepare('SELECT version FROM plan_version WHERE episode_id = ? ORDER BY version').pluck().all(episodes[0])).toEqual([1, 2]);
  await shot(page, 'chart-plan-v2-zh');
});

test('the demo network: ward board sickest first, round mode and the chart of a severe patient, in Chinese and English', async ({ app, page }) => {
  test.setTimeout(180_000);
  const r = app.core.dispatch('setup:loadDemo', { seed: 20220320 }, { user: null }, new Date().toISOString());
  if (!r.ok) throw new Error(JSON.stringify(r.error));
  const severe = app.core.db
    .prepare(
      `SELECT es.episode_id, pl.ward_id FROM episode_state es JOIN episode e ON e.id = es.episode_id JOIN placement pl ON pl.episode_id = e.id AND pl.end_at IS NULL
       WHERE e.status = 'active' AND es.current_class IN ('severe', 'moderate') AND pl.bed_id IS NOT NULL ORDER BY es.current_class = 'severe' DESC, es.urgency DESC LIMIT 1`,
    )
    .get() as { episode_id: number; ward_id: number };
  await app.open(page);
  await page.getByRole('button', { name: /王医生/ }).click();
  await page.getByLabel('密码').fill(DEMO_PASSWORD);
  await page.getByRole('button', { name: '登录' }).click();
  await expect(page.getByTestId('current-user')).toHaveText('王医生');

  // The ward of a severe patient, sickest first.
  const wardName = app.core.db.prepare('SELECT name FROM ward WHERE id = ?').pluck().get(severe.ward_id) as string;
  await page.getByRole('combobox', { name: '病区 / 舱区' }).click();
  await page.getByRole('option', { name: new RegExp(`^${wardName}（`) }).click();
  await page.getByTestId('board-order').getByText('病情最重优先').click();
  const first = page.getByTestId('ward-board').locator('[data-state="occupied"]').first();
  await expect(first).toHaveAttribute('data-class', /severe|moderate/);
  await shot(page, 'ward-board-sickest-zh');

  await first.getByRole('button').first().click();
  await expect(page.getByTestId('chart-header')).toBeVisible();
  await expect(page.getByTestId('ct-trend')).toBeVisible();
  await shot(page, 'chart-zh');

  await page.getByText('EN', { exact: true }).click();
  await expect(page.getByRole('tab', { name: 'Trends' })).toBeVisible();
  await shot(page, 'chart-en');
  await page.getByRole('button', { name: 'Back to the ward board' }).click();
  await page.getByTestId('board-order').getByText('Sickest first').click();
  await shot(page, 'ward-board-en');
  await page.getByRole('button', { name: 'Start round' }).click();
  await expect(page.getByTestId('round-form')).toBeVisible();
  await page
    .getByTestId('round-form')
    .getByLabel(/Respiratory rate/)
    .fill('26');
  await expect(page.getByTestId('round-preview')).toContainText('NEWS2');
  await shot(page, 'rounds-mode-en');

  await page.getByTestId('ppe-switch').click();
  await expect(page.locator('html')).toHaveAttribute('data-ppe', 'on');
  await shot(page, 'rounds-mode-ppe-en');
});

// ---- Issue 13: no measurement no score, the escalation step, oxygen devices, an honest preview ----

/** Dispatches to the real core as `username` (a round recorded at another workstation). */
const coreAsUser = (app: App, username: string) => coreAs(app, username, PASSWORD);

const minutesAgo = (n: number) => new Date(Date.now() - n * 60_000).toISOString();
const shanghaiTime = (iso: string) => new Intl.DateTimeFormat('en-GB', { timeZone: 'Asia/Shanghai', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(new Date(iso));

test('Enter on an untouched form saves nothing and says so; "Not measured" with a reason marks the bed done', async ({ app, page }) => {
  smallWard(app);
  await app.open(page);
  await login(page, 'nurse.li');
  await nav(page, '查房');
  const form = page.getByTestId('round-form');
  await expect(form.locator('input[data-field="respRate"]')).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(form.getByRole('alert')).toHaveText('未录入任何内容，未保存。请录入生命体征，或点击“未测量”记录原因。');
  await expect(page.getByTestId('round-bed')).toHaveText('G05-001 · 刘建华');
  await expect(page.getByTestId('round-progress')).toHaveText('已完成 0/2');
  expect(roundCount(app)).toBe(0);
  await shot(page, 'rounds-untouched-zh');

  await page.getByTestId('not-done').click();
  const dialog = page.getByRole('dialog', { name: '记录未测量原因' });
  await dialog.getByRole('combobox', { name: '原因' }).click();
  await page.getByRole('option', { name: '患者不在病区' }).click();
  await dialog.getByLabel('备注').fill('外出做 CT');
  await dialog.getByRole('button', { name: '保存并下一床' }).click();
  await expect(page.getByTestId('round-bed')).toHaveText('G05-002 · 陈秀兰');
  await expect(page.locator('[data-bed="G05-001"]')).toHaveAttribute('data-mark', 'done');
  await expect(page.locator('[data-bed="G05-001"]').getByTestId('bed-not-done')).toHaveText('未测：患者不在病区');
  expect(roundCount(app)).toBe(0);
  expect(app.core.db.prepare('SELECT reason, note FROM round_not_done').all()).toEqual([{ reason: 'off_ward', note: '外出做 CT' }]);
});

test('a NEWS2 7 bed stops on the escalation step; the ward board shows an unanswered alert until someone answers it', async ({ app, page }) => {
  const { episodes } = smallWard(app);
  // Bed 2 scored 6 at another workstation ten minutes ago, and nobody has answered: RR 22 → 2, SpO2 94 → 1, pulse 112 → 2, 38.5 °C → 1.
  coreAsUser(app, 'dr.sun')('rounds:record', {
    episodeId: episodes[1],
    measuredAt: minutesAgo(10),
    respRate: 22,
    spo2: 94,
    onOxygen: false,
    systolicBp: 128,
    pulse: 112,
    consciousness: 'A',
    temperature: 38.5,
  });
  await app.open(page);
  await login(page, 'nurse.li');
  await nav(page, '查房');
  await expect(page.locator('[data-bed="G05-002"]').getByTestId('bed-escalation')).toHaveText('待处理：紧急（NEWS2 6）');

  // Bed 1, keyboard only: RR 25 → 3, SpO2 93 → 2, pulse 115 → 2, the rest 0: NEWS2 7.
  const k = page.keyboard;
  await k.type('25');
  await k.press('Tab');
  await k.type('93');
  await k.press('Tab');
  await k.press('Tab');
  await k.type('128');
  await k.press('Tab');
  await k.type('80');
  await k.press('Tab');
  await k.type('115');
  await k.press('Tab');
  await k.press('Space');
  await k.press('Tab');
  await k.type('37.0');
  await expect(page.getByTestId('round-preview')).toContainText('NEWS2 7 · 高风险');
  await k.press('Enter');
  const step = page.getByTestId('escalation-step');
  await expect(step).toHaveAttribute('data-level', 'emergency');
  const dialog = page.getByRole('dialog');
  await expect(dialog).toContainText('需立即抢救性处理：NEWS2 7');
  // The bed does not move on, and Escape does not dismiss the step.
  await k.press('Escape');
  await expect(step).toBeVisible();
  await expect(page.getByTestId('round-bed')).toHaveText('G05-001 · 刘建华');
  await shot(page, 'rounds-escalation-step-zh');

  // "Doctor informed" without who is refused on that field; then answered.
  await k.press('Space');
  await k.press('Enter');
  await expect(dialog.getByText('请填写已通知的医生')).toBeVisible();
  expect(app.core.db.prepare('SELECT count(*) FROM round_escalation').pluck().get()).toBe(0);
  await k.press('Tab');
  await k.type('孙医生');
  await k.press('Enter');
  await expect(step).toBeHidden();
  await expect(page.getByTestId('round-bed')).toHaveText('G05-002 · 陈秀兰');
  await expect(page.locator('[data-bed="G05-001"]')).toHaveAttribute('data-mark', 'done');
  await expect(page.getByTestId('current-escalation')).toContainText('需紧急处理：NEWS2 6');

  // The board: bed 1 answered, bed 2 still unanswered.
  await nav(page, '病区看板');
  await expect(page.getByTestId('bed-G05-002').getByTestId('bed-escalation')).toHaveText('待处理：紧急（NEWS2 6）');
  await expect(page.getByTestId('bed-G05-001')).toContainText('NEWS2 7 · 高风险');
  await expect(page.getByTestId('bed-G05-001').getByTestId('bed-escalation')).toHaveCount(0);
  await shot(page, 'ward-board-escalation-zh');

  // Answered from round mode: the alert leaves the board.
  await nav(page, '查房');
  await page.locator('[data-bed="G05-002"]').click();
  await page.getByTestId('answer-escalation').click();
  await page.getByRole('radio', { name: '已在医生评估中' }).check();
  await page.getByTestId('escalation-confirm').click();
  await expect(page.getByTestId('current-escalation')).toHaveCount(0);
  await nav(page, '病区看板');
  await expect(page.getByTestId('bed-G05-002')).toContainText('NEWS2 6 · 中风险');
  await expect(page.getByTestId('bed-G05-002').getByTestId('bed-escalation')).toHaveCount(0);
  expect(app.core.db.prepare('SELECT level, response, informed_who FROM round_escalation ORDER BY id').all()).toEqual([
    { level: 'emergency', response: 'doctor_informed', informed_who: '孙医生' },
    { level: 'urgent', response: 'under_review', informed_who: null },
  ]);
});

test('a carried oxygen device survives ArrowDown plus Enter, and "on oxygen" without a device is refused on the device field', async ({ app, page }) => {
  const { episodes } = smallWard(app);
  coreAsUser(app, 'dr.sun')('rounds:record', {
    episodeId: episodes[0],
    measuredAt: minutesAgo(120),
    respRate: 18,
    spo2: 96,
    onOxygen: true,
    o2Device: 'nasal_cannula',
    o2Flow: 5,
    systolicBp: 124,
    pulse: 80,
    consciousness: 'A',
    temperature: 36.9,
  });
  await app.open(page);
  await login(page, 'nurse.li');
  await nav(page, '查房');
  const form = page.getByTestId('round-form');
  const device = form.locator('input[data-field="o2Device"]');
  await expect(device).toHaveValue('鼻导管');
  await device.focus();
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('Enter');
  await expect(device).toHaveValue('鼻导管');
  await page.keyboard.press('Alt+C'); // the carried oxygen therapy, confirmed unchanged
  await form.locator('input[data-field="respRate"]').fill('18');
  await form.locator('input[data-field="spo2"]').fill('96');
  await form.locator('input[data-field="pulse"]').fill('80');
  await form.locator('input[data-field="respRate"]').press('Enter');
  await expect(page.getByTestId('round-bed')).toHaveText('G05-002 · 陈秀兰');
  expect(app.core.db.prepare('SELECT on_oxygen, o2_device, o2_flow FROM round WHERE episode_id = ? ORDER BY id DESC LIMIT 1').get(episodes[0])).toEqual({
    on_oxygen: 1,
    o2_device: 'nasal_cannula',
    o2_flow: 5,
  });

  // Bed 2: oxygen chosen, no device: the form refuses it on the device field and nothing is written.
  const rounds = roundCount(app);
  await form.locator('input[data-field="respRate"]').fill('18');
  await form.locator('[data-field="air"]').getByText('吸氧').click();
  await form.locator('input[data-field="respRate"]').press('Enter');
  await expect(form.getByText('吸氧时请选择给氧装置')).toBeVisible();
  expect(roundCount(app)).toBe(rounds);
});

test('the preview scores what is typed: a blank form has no score, a value from 10 minutes ago is shown as borrowed with its time, an invalid SpO2 is never replaced', async ({
  app,
  page,
}) => {
  const { episodes } = smallWard(app);
  const earlier = minutesAgo(10);
  coreAsUser(app, 'dr.sun')('rounds:record', {
    episodeId: episodes[0],
    measuredAt: earlier,
    respRate: 26,
    spo2: 91,
    onOxygen: false,
    systolicBp: 95,
    pulse: 125,
    consciousness: 'A',
    temperature: 39.4,
  });
  await app.open(page);
  await login(page, 'nurse.li');
  await nav(page, '查房');
  const preview = page.getByTestId('round-preview');
  await expect(preview.getByTestId('news2-none')).toHaveText('尚未录入生命体征：不计 NEWS2');
  await expect(preview).not.toContainText('高风险');

  await page.keyboard.type('18'); // RR typed; the rest of the score comes from the round 10 minutes ago
  const borrowedSpo2 = preview.locator('[data-param="spo2"]');
  await expect(borrowedSpo2).toHaveAttribute('data-borrowed', 'true');
  await expect(borrowedSpo2).toContainText(`取自 ${shanghaiTime(earlier)}`);
  await expect(borrowedSpo2).toContainText('91');
  await expect(preview.locator('[data-param="respRate"]')).not.toHaveAttribute('data-borrowed', /./);
  await shot(page, 'rounds-preview-borrowed-zh');

  await page.getByTestId('round-form').locator('input[data-field="spo2"]').fill('150');
  await expect(preview.locator('[data-param="spo2"]')).toHaveAttribute('data-invalid', 'true');
  await expect(preview.locator('[data-param="spo2"]')).toContainText('数值无效，未计分');
  await expect(preview.locator('[data-param="spo2"]')).not.toContainText('91');
});

// ---- Issue 13: carried values, one toast out of the way, the keyboard path, clear errors ----

/** Admits `n` more patients into the small ward (new beds G05-1xx), admitted two days ago. */
function morePatients(app: App, wardId: number, n: number): number[] {
  const call = coreAsUser(app, 'admin');
  const bed = app.core.db.prepare(`INSERT INTO bed (ward_id, label, sort) VALUES (?, ?, ?)`);
  const admittedAt = new Date(Date.now() - 2 * 86_400_000).toISOString();
  return Array.from({ length: n }, (_, i) => {
    const bedId = Number(bed.run(wardId, `G05-1${String(i).padStart(2, '0')}`, 100 + i).lastInsertRowid);
    return call<{ episodeId: number }>('patients:admit', {
      patient: { name: `患者${i + 1}`, sex: i % 2 ? 'F' : 'M', ageYears: 40 + i, riskFactors: [] },
      wardId,
      bedId,
      admittedAt,
      source: 'community_screening',
    }).episodeId;
  });
}

const hhmm = (iso: string) => new Intl.DateTimeFormat('en-GB', { timeZone: 'Asia/Shanghai', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(new Date(iso));
const shanghaiDate = (iso: string) => new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(new Date(iso));
/** How the form names a time: the time alone today, with the date before it when the round was on another day (a run just after midnight). */
const whenShown = (iso: string) => (shanghaiDate(iso) === shanghaiDate(new Date().toISOString()) ? hhmm(iso) : `${shanghaiDate(iso)} ${hhmm(iso)}`);

/** Every control and badge on screen whose box intersects the box of this toast. */
async function coveredBy(page: Page, toast: Locator): Promise<string[]> {
  const t = await toast.boundingBox();
  if (!t) return ['(no toast)'];
  const hits: string[] = [];
  const all = page.locator(`button, a, input, [role="button"], [role="radio"], [role="combobox"], .mantine-Badge-root, [data-testid="round-bed"]`);
  for (const el of await all.all()) {
    if ((await el.locator(`xpath=ancestor-or-self::*[contains(@class, "mantine-Notification-root")]`).count()) > 0) continue;
    const r = await el.boundingBox();
    if (!r || r.width === 0 || r.height === 0) continue;
    if (r.x < t.x + t.width && t.x < r.x + r.width && r.y < t.y + t.height && t.y < r.y + r.height)
      hits.push(`${await el.evaluate((e) => e.tagName)} ${(await el.textContent())?.trim().slice(0, 20) ?? ''}`);
  }
  return hits;
}

test('values carried from the last round are marked as carried; unticking one shows; Alt+C confirms them unchanged', async ({ app, page }) => {
  const { episodes } = smallWard(app);
  const lastAt = new Date(Date.now() - 2 * 3600_000).toISOString();
  const doctor = coreAsUser(app, 'dr.sun');
  doctor('rounds:record', {
    episodeId: episodes[0],
    measuredAt: lastAt,
    respRate: 18,
    spo2: 96,
    onOxygen: true,
    o2Device: 'nasal_cannula',
    o2Flow: 2,
    systolicBp: 124,
    pulse: 80,
    consciousness: 'A',
    temperature: 36.9,
    symptoms: ['fever', 'cough'],
  });
  doctor('rounds:record', {
    episodeId: episodes[1],
    measuredAt: lastAt,
    respRate: 16,
    spo2: 97,
    onOxygen: false,
    systolicBp: 118,
    pulse: 72,
    consciousness: 'A',
    temperature: 36.6,
    symptoms: ['cough'],
  });
  await app.open(page);
  await login(page, 'nurse.li');
  await nav(page, '查房');
  const form = page.getByTestId('round-form');
  const bar = form.getByTestId('carried-bar');
  await expect(bar).toContainText(`上次查房 ${whenShown(lastAt)}`);
  await expect(form.locator('[data-field="air"]')).toHaveAttribute('data-carried', 'kept');
  await expect(form.locator('[data-symptom="fever"]')).toHaveAttribute('data-carried', 'kept');
  await expect(form.locator('[data-symptom="cough"]')).toHaveAttribute('data-carried', 'kept');
  await expect(form.locator('[data-symptom="chills"]')).not.toHaveAttribute('data-carried', /./);

  // The whole bed from the keyboard: RR, SpO2, (air/O2, device, flow carried), BP, pulse, ACVPU, temperature, symptoms.
  const k = page.keyboard;
  await expect(form.locator('input[data-field="respRate"]')).toBeFocused();
  await k.type('18');
  await k.press('Tab');
  await k.type('95');
  for (let i = 0; i < 4; i += 1) await k.press('Tab'); // air/O2, device, flow, systolic
  await k.type('122');
  await k.press('Tab');
  await k.type('78');
  await k.press('Tab');
  await k.type('84');
  await k.press('Tab');
  await k.press('Space'); // A
  await k.press('Tab');
  await k.type('37.0');
  await k.press('Tab'); // the symptom grid, on "fever"
  await k.press('Space'); // fever is gone today: unticked, and it shows
  await expect(form.locator('[data-symptom="fever"]')).toHaveAttribute('data-carried', 'removed');
  await expect(form.locator('[data-symptom="fever"]')).not.toBeChecked();
  await expect(form.locator('.mantine-Checkbox-root:has([data-symptom="fever"]) label')).toHaveCSS('text-decoration-line', 'line-through');
  await shot(page, 'rounds-carried-zh');
  await page.getByTestId('ppe-switch').focus();
  await k.press('Space');
  await expect(page.locator('html')).toHaveAttribute('data-ppe', 'on');
  await page.evaluate('window.scrollTo(0, 0)');
  await shot(page, 'rounds-carried-ppe-zh');
  await form.locator('[data-symptom="fever"]').focus();

  // Enter with carried values not yet checked saves nothing and puts the cursor on "confirm unchanged".
  await k.press('Enter');
  await expect(bar).toContainText('请先核对上次查房带入的值');
  await expect(form.getByTestId('confirm-carried')).toBeFocused();
  expect(roundCount(app)).toBe(2);

  await k.press('Alt+C');
  await expect(bar).toBeHidden();
  await expect(form.locator('[data-carried]')).toHaveCount(0);
  await k.press('Enter');
  await expect(page.getByTestId('round-bed')).toHaveText('G05-002 · 陈秀兰');
  await expect(page.locator('[data-bed="G05-001"]')).toHaveAttribute('data-mark', 'done');
  expect(app.core.db.prepare('SELECT on_oxygen, o2_device, o2_flow, symptoms FROM round WHERE episode_id = ? ORDER BY id DESC LIMIT 1').get(episodes[0])).toEqual({
    on_oxygen: 1,
    o2_device: 'nasal_cannula',
    o2_flow: 2,
    symptoms: '["cough"]',
  });

  // Bed 2: nothing typed, Enter saves nothing; confirming the carried values (air, cough) is an
  // observation: it is saved, without a score, and the bed stays open for its vital signs.
  await expect(form.getByTestId('carried-bar')).toBeVisible();
  await k.press('Enter');
  await expect(page.getByText('未录入任何内容，未保存')).toBeVisible();
  expect(roundCount(app)).toBe(3);
  await k.press('Alt+C');
  await k.press('Enter');
  await expect(page.getByTestId('round-toast')).toContainText('已保存症状，但本床尚未完成');
  expect(app.core.db.prepare('SELECT on_oxygen, symptoms, news2_total FROM round WHERE episode_id = ? ORDER BY id DESC LIMIT 1').get(episodes[1])).toEqual({
    on_oxygen: 0,
    symptoms: '["cough"]',
    news2_total: null,
  });
  await expect(page.locator('[data-bed="G05-002"]')).toHaveAttribute('data-mark', 'open');
});

test('during a fast round one save message at a time, and it never covers a control (PPE off and on)', async ({ app, page }) => {
  const { wardId } = smallWard(app);
  morePatients(app, wardId, 4);
  await app.open(page);
  await login(page, 'nurse.li');
  await nav(page, '查房');
  const k = page.keyboard;
  const form = page.getByTestId('round-form');
  const saveBed = async (n: number) => {
    await expect(form.locator('input[data-field="respRate"]')).toBeFocused();
    await k.type('18');
    await k.press('Tab');
    await k.type('96');
    await k.press('Enter');
    await expect(page.getByTestId('round-progress')).toHaveText(`已完成 ${n}/6`);
  };
  for (const n of [1, 2, 3]) await saveBed(n);
  await expect(page.getByTestId('round-toast')).toHaveCount(1);
  await expect(page.getByTestId('round-toast')).toContainText('已保存');
  expect(await coveredBy(page, page.getByTestId('round-toast'))).toEqual([]);
  await expect(page.locator('[data-bed="G05-001"]')).toContainText('已查');

  await page.getByTestId('ppe-switch').focus();
  await k.press('Space');
  await expect(page.locator('html')).toHaveAttribute('data-ppe', 'on');
  await form.locator('input[data-field="respRate"]').focus();
  for (const n of [4, 5, 6]) {
    await k.type('18');
    await k.press('Tab');
    await k.type('96');
    await k.press('Enter');
    await expect(page.getByTestId('round-progress')).toHaveText(`已完成 ${n}/6`);
    if (n < 6) await form.locator('input[data-field="respRate"]').focus();
  }
  await expect(page.getByTestId('round-toast')).toHaveCount(1);
  expect(await coveredBy(page, page.getByTestId('round-toast'))).toEqual([]);
  await shot(page, 'rounds-toast-ppe-zh');

  // Toasts of other actions (a lab result saved from round mode) sit in the navigation column, below the menu.
  await page.getByRole('button', { name: '检验' }).focus();
  await k.press('Enter');
  const labs = page.getByRole('dialog', { name: '录入检验结果' });
  await labs.getByLabel(/淋巴细胞计数/).focus();
  await k.type('1.1');
  await labs.getByRole('button', { name: '保存' }).focus();
  await k.press('Enter');
  await expect(labs).toBeHidden();
  const other = page.locator('.mantine-Notification-root:not([data-testid="round-toast"])');
  await expect(other).toContainText('检验结果已保存');
  expect(await coveredBy(page, other)).toEqual([]);
  await shot(page, 'rounds-other-toast-ppe-zh');
});

test('the keyboard path: Previous, Next and Skip by shortcut and by Tab; "?" lists every shortcut', async ({ app, page }) => {
  smallWard(app);
  await app.open(page);
  await login(page, 'nurse.li');
  await nav(page, '查房');
  const k = page.keyboard;
  const bed = page.getByTestId('round-bed');
  await expect(bed).toHaveText('G05-001 · 刘建华');
  await k.press('Alt+ArrowRight');
  await expect(bed).toHaveText('G05-002 · 陈秀兰');
  await k.press('Alt+ArrowLeft');
  await expect(bed).toHaveText('G05-001 · 刘建华');
  await k.press('Alt+S');
  await expect(page.locator('[data-bed="G05-001"]')).toHaveAttribute('data-mark', 'skipped');
  await expect(bed).toHaveText('G05-002 · 陈秀兰');

  // "?" in a number field is just a character; the buttons above the form are reachable with Shift+Tab.
  const rr = page.getByTestId('round-form').locator('input[data-field="respRate"]');
  await expect(rr).toBeFocused();
  await k.type('?');
  await expect(page.getByTestId('shortcut-overlay')).toBeHidden();
  await k.press('Backspace');
  let skip = false;
  for (let i = 0; i < 8 && !skip; i += 1) {
    await k.press('Shift+Tab');
    skip = (await page.evaluate('document.activeElement && document.activeElement.textContent')) === '跳过';
  }
  expect(skip).toBe(true);
  await k.press('?');
  const overlay = page.getByTestId('shortcut-overlay');
  await expect(overlay).toBeVisible();
  for (const key of ['Enter', 'Alt+C', 'Alt+←', 'Alt+→', 'Alt+S', '?']) await expect(overlay.getByText(key, { exact: true })).toBeVisible();
  await shot(page, 'rounds-shortcuts-zh');
  await k.press('Escape');
  await expect(overlay).toBeHidden();
  await k.press('Enter'); // on the focused Skip button
  await expect(page.locator('[data-bed="G05-002"]')).toHaveAttribute('data-mark', 'skipped');
  expect(roundCount(app)).toBe(0);
});

test('the menu is reached with Tab; "30" + Enter in the ward select picks ward 30, and Start round opens it', async ({ app, page }) => {
  const { wardId } = smallWard(app);
  const facilityId = app.core.db.prepare('SELECT facility_id FROM ward WHERE id = ?').pluck().get(wardId) as number;
  const ward30 = Number(app.core.db.prepare(`INSERT INTO ward (facility_id, code, name, kind) VALUES (?, 'G30', '感染30病区', 'general')`).run(facilityId).lastInsertRowid);
  const bedId = Number(app.core.db.prepare(`INSERT INTO bed (ward_id, label, sort) VALUES (?, 'G30-001', 1)`).run(ward30).lastInsertRowid);
  coreAsUser(app, 'admin')('patients:admit', {
    patient: { name: '赵三十', sex: 'M', ageYears: 50, riskFactors: [] },
    wardId: ward30,
    bedId,
    admittedAt: new Date(Date.now() - 3600_000).toISOString(),
    source: 'community_screening',
  });
  await app.open(page);
  await login(page, 'nurse.li');
  const k = page.keyboard;

  let menu = false;
  for (let i = 0; i < 25 && !menu; i += 1) {
    await k.press('Tab');
    menu = (await page.evaluate(`(() => { const a = document.activeElement; return !!a && !!a.closest('.mantine-AppShell-navbar') && a.textContent === '病区看板'; })()`)) === true;
  }
  expect(menu).toBe(true);

  const select = page.getByRole('combobox', { name: '病区 / 舱区' });
  await select.focus();
  await k.type('30');
  await k.press('Enter');
  await expect(select).toHaveValue(/^感染30病区/);
  await page.getByRole('button', { name: '开始查房' }).focus();
  await k.press('Enter');
  await expect(page.getByTestId('round-bed')).toHaveText('G30-001 · 赵三十');
});

test('"abc" in pulse says what is expected; a refused save moves to the first error; a late measured-at asks first', async ({ app, page }) => {
  const { episodes } = smallWard(app);
  const admin = coreAsUser(app, 'admin');
  admin('settings:update', { lateEntryHours: 1, version: admin<{ version: number }>('settings:get', {}).version });
  await app.open(page);
  await login(page, 'nurse.li');
  await nav(page, '查房');
  const form = page.getByTestId('round-form');
  const k = page.keyboard;
  // The nurse starts typing once the form is there (the round screen's code may still be arriving).
  await expect(form.locator('input[data-field="respRate"]')).toBeFocused();
  await k.type('18');
  await k.press('Tab');
  await k.type('150');
  await form.locator('input[data-field="pulse"]').focus();
  await k.type('abc');
  await expect(form.getByText('请输入整数，单位 次/分（如 72）')).toBeVisible();
  await form.locator('input[data-field="temperature"]').focus();
  await k.type('37.1');
  await k.press('Enter');
  await expect(form.locator('input[data-field="spo2"]')).toBeFocused();
  await expect(form.getByText('不能大于 100')).toBeVisible();
  expect(roundCount(app)).toBe(0);
  await shot(page, 'rounds-type-errors-zh');

  await k.press('Control+A');
  await k.type('96');
  await form.locator('input[data-field="pulse"]').fill('');
  await form.locator('input[data-field="pulse"]').focus();
  await k.type('80');
  const twoHoursAgo = new Date(Date.now() - 2 * 3600_000);
  const wall = new Intl.DateTimeFormat('sv-SE', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit' })
    .format(twoHoursAgo)
    .replace(' ', 'T');
  // The measured-at field is a date and a 24-hour time as the UI's language writes them (issue 18).
  const measuredAt = form.locator('[data-field="measuredAt"]');
  await measuredAt.getByRole('textbox', { name: '日期' }).fill(wall.slice(0, 10));
  await measuredAt.getByLabel('时', { exact: true }).fill(wall.slice(11, 13));
  await measuredAt.getByLabel('分', { exact: true }).fill(wall.slice(14, 16));
  await expect(measuredAt.getByRole('textbox', { name: '日期' })).toHaveValue(wall.slice(0, 10));
  await form.locator('input[data-field="pulse"]').press('Enter');
  const dialog = page.getByRole('dialog', { name: '测量时间较早，请确认' });
  await expect(dialog).toContainText('超过 1 小时');
  expect(roundCount(app)).toBe(0);
  await k.press('Enter'); // "Yes, a late entry: save" has the focus
  await expect(page.getByTestId('round-progress')).toHaveText('已完成 1/2');
  const row = app.core.db.prepare('SELECT measured_at, spo2, pulse FROM round WHERE episode_id = ?').get(episodes[0]) as { measured_at: string; spo2: number; pulse: number };
  expect([row.spo2, row.pulse]).toEqual([96, 80]);
  expect(Math.abs(Date.parse(row.measured_at) - twoHoursAgo.getTime())).toBeLessThan(60_000);
});

test('in the chart too, carried values are marked, and Alt+C confirms them inside the round drawer', async ({ app, page }) => {
  const { episodes } = smallWard(app);
  coreAsUser(app, 'dr.sun')('rounds:record', {
    episodeId: episodes[0],
    measuredAt: new Date(Date.now() - 3600_000).toISOString(),
    respRate: 17,
    spo2: 97,
    onOxygen: false,
    pulse: 76,
    symptoms: ['cough'],
  });
  await app.open(page);
  await login(page, 'nurse.li');
  await page
    .getByTestId('bed-G05-001')
    .getByRole('button', { name: /刘建华/ })
    .click();
  await page.getByRole('button', { name: '录入查房' }).click();
  const form = page.getByTestId('round-form');
  await expect(form.getByTestId('carried-bar')).toBeVisible();
  await expect(form.locator('[data-symptom="cough"]')).toHaveAttribute('data-carried', 'kept');
  const k = page.keyboard;
  await form.locator('input[data-field="respRate"]').focus();
  await k.type('18');
  await k.press('Tab');
  await k.type('96');
  await k.press('Alt+C');
  await expect(form.getByTestId('carried-bar')).toBeHidden();
  await k.press('Enter');
  await expect(form).toBeHidden();
  expect(app.core.db.prepare('SELECT resp_rate, spo2, on_oxygen, symptoms FROM round WHERE episode_id = ? ORDER BY id DESC LIMIT 1').get(episodes[0])).toEqual({
    resp_rate: 18,
    spo2: 96,
    on_oxygen: 0,
    symptoms: '["cough"]',
  });
});
