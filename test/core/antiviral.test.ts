import { describe, expect, it } from 'vitest';
import type { AntiviralView } from '../../shared/api/antiviral';
import type { DischargeSummary } from '../../shared/api/summary';
import type { DailyReport } from '../../shared/api/reports';
import type { Queue as QueuePage } from '../../shared/api/queue';
import type { ErrorPayload } from '../../shared/errors';
import { INTERACTION_TABLE_VERSION } from '../../shared/clinical';
import { makeNetwork, NOW } from '../support/core';
import { actAs, admitted, at, FULL_ROUND } from '../support/clinical';

/**
 * Antiviral treatment support (issue 19) through the real core on a real database file: the
 * medicine list and profile, the proposal and the interaction check as the chart reads them, the
 * decision with its reasons written into the plan, the queue flag, the summary and the daily report.
 * NOW is 14:05 Shanghai on 2022-03-20; onset 2022-03-17 is day 3.
 */
const LEGACY = '辛伐他汀 20mg qn，氨氯地平 5mg qd';

function setup(patient: Record<string, unknown> = {}) {
  const c = makeNetwork();
  const { episodeId, patientId } = admitted(c, { ageYears: 72, riskFactors: ['cardio_cerebrovascular'], chronicMedications: LEGACY, ...patient });
  actAs(c, 'dr.li', 'ward_doctor', '李医生');
  c.ok('rounds:record', { episodeId, measuredAt: at(60), ...FULL_ROUND });
  return { c, episodeId, patientId };
}

const view = (c: ReturnType<typeof setup>['c'], episodeId: number, now = NOW) => c.ok<AntiviralView>('antiviral:get', { episodeId }, now);
const errorOf = (r: { ok: boolean; error?: unknown }) => (r.ok ? null : (r.error as ErrorPayload));
/** The code and the specific message key of a refusal. */
const refusal = (r: { ok: boolean; error?: unknown }) => {
  const e = errorOf(r);
  return e ? { code: e.code, key: e.details.key } : null;
};
const nmv = (v: AntiviralView) => v.proposal.options.find((o) => o.option === 'nirmatrelvir_ritonavir')!;
const flagsOf = (c: ReturnType<typeof setup>['c'], episodeId: number) =>
  (
    JSON.parse((c.db.prepare('SELECT flags FROM episode_state WHERE episode_id = ?').get(episodeId) as { flags: string }).flags) as {
      code: string;
      evidence: Record<string, unknown>;
    }[]
  ).map((f) => f.code);

function profile(c: ReturnType<typeof setup>['c'], episodeId: number, over: Record<string, unknown> = {}, baseVersion = 0) {
  return c.ok<{ version: number }>('antiviral:saveProfile', {
    episodeId,
    baseVersion,
    onsetDate: '2022-03-17',
    weightKg: 68,
    pregnancy: null,
    severeLiverImpairment: false,
    creatinine: { valueUmolL: 80, collectedAt: at(30) },
    egfrManual: null,
    changeNote: baseVersion > 0 ? 'new result' : null,
    ...over,
  });
}

function decideInput(v: AntiviralView, over: Record<string, unknown> = {}) {
  return {
    episodeId: v.episodeId,
    option: 'nirmatrelvir_ritonavir',
    decision: 'start',
    shownStatus: nmv(v).status,
    tableVersion: v.interactions.tableVersion,
    basePlanVersion: v.planVersion,
    startDate: '2022-03-20',
    reason: null,
    clashReason: null,
    ...over,
  };
}

describe('antiviral treatment support', () => {
  it('before anything is recorded: the admission free text is checked for clashes, and without an onset date the proposal is unknown, not eligible', () => {
    const { c, episodeId } = setup();
    const v = view(c, episodeId);
    expect(v.legacyMedications).toBe(LEGACY);
    expect(v.medications).toBeNull();
    expect(nmv(v).status).toBe('unknown');
    expect(nmv(v).missing).toContain('onset_date');
    const severities = Object.fromEntries(v.interactions.clashes.map((x) => [x.medicine, x.severity]));
    expect(severities.simvastatin).toBe('contraindicated');
    expect(['adjust_or_hold', 'monitor']).toContain(severities.amlodipine);
    expect(v.interactions.tableVersion).toBe(INTERACTION_TABLE_VERSION);
    expect(flagsOf(c, episodeId)).not.toContain('antiviral_eligible');
  });

  it('with onset, kidney and liver function recorded, a 72-year-old mild hypertensive is eligible at the standard dose; the eGFR is CKD-EPI 2021 from the creatinine; the state carries the flag and the queue ranks it', () => {
    const { c, episodeId } = setup();
    expect(profile(c, episodeId).version).toBe(1);
    const v = view(c, episodeId);
    expect(v.proposal.daysSinceOnset).toBe(3);
    expect(nmv(v).status).toBe('eligible');
    expect(nmv(v).dose?.code).toBe('nmv_r_standard');
    // 72-year-old man, 80 µmol/L = 0.905 mg/dL: 142 × (0.905/0.9)^-1.200 × 0.9938^72 = 142 × 0.99340 × 0.63906 = 90.1
    expect(v.egfr).toMatchObject({ source: 'creatinine' });
    expect(v.egfr!.value).toBe(90.1);
    expect(flagsOf(c, episodeId)).toContain('antiviral_eligible');
    const page = c.ok<QueuePage>('queue:list', { flag: 'antiviral_eligible' });
    const row = page.rows.find((r) => r.episodeId === episodeId);
    const flag = row?.flags.find((f) => f.code === 'antiviral_eligible');
    expect(flag?.evidence).toMatchObject({ options: 'nirmatrelvir_ritonavir,amubarvimab_romlusevimab', daysSinceOnset: 3, contraindicated: 1 });
  });

  it('the flag lapses when the 5-day window closes, without a write: the queue re-ranks the stale state', () => {
    const { c, episodeId } = setup();
    profile(c, episodeId);
    const day5 = '2022-03-22T15:00:00.000Z'; // 23:00 Shanghai on 22 March: day 5
    const day6 = '2022-03-22T16:30:00.000Z'; // 00:30 on 23 March: day 6
    const on = (now: string) =>
      c
        .ok<QueuePage>('queue:list', {}, now)
        .rows.find((r) => r.episodeId === episodeId)
        ?.flags.map((f) => f.code) ?? [];
    expect(on(day5)).toContain('antiviral_eligible');
    expect(on(day6)).not.toContain('antiviral_eligible');
    // The ward board too, though the stored state still holds the flag.
    const board = (now: string) =>
      c.ok<{ beds: { occupant: { episodeId: number; flags: string[] } | null }[] }>('wards:board', { wardId: c.wardId }, now).beds.find((b) => b.occupant?.episodeId === episodeId)
        ?.occupant?.flags ?? [];
    expect(board(day5)).toContain('antiviral_eligible');
    expect(board(day6)).not.toContain('antiviral_eligible');
    expect(flagsOf(c, episodeId)).toContain('antiviral_eligible');
    expect(nmv(view(c, episodeId, day6)).status).toBe('not_eligible');
  });

  it('starting nirmatrelvir/ritonavir against a contraindicated clash needs its own reason; the course goes into the next plan version, the decision keeps the proposal, the table version and the clashes, and the flag goes', () => {
    const { c, episodeId } = setup();
    profile(c, episodeId);
    const v = view(c, episodeId);
    const refused = errorOf(c.call('antiviral:decide', decideInput(v)));
    expect(refused?.code).toBe('VALIDATION');
    expect(refused?.details.issues?.[0]).toMatchObject({ field: 'clashReason', key: 'antiviral.clash_reason_required' });
    const auditBefore = c.count('audit');
    const r = c.ok<{ decisionId: number; planVersion: number }>('antiviral:decide', decideInput(v, { clashReason: '辛伐他汀自首剂前12小时停用至疗程结束后5天' }));
    expect(r.planVersion).toBe(1);
    expect(c.count('audit') - auditBefore).toBe(2); // the plan version and the decision
    const after = view(c, episodeId);
    expect(after.course).toMatchObject({ startDate: '2022-03-20', courseDays: 5 });
    expect(after.course?.detail).toContain('300 mg');
    const d = after.decisions[0]!;
    expect(d).toMatchObject({ decision: 'start', status: 'eligible', doseCode: 'nmv_r_standard', tableVersion: INTERACTION_TABLE_VERSION, planVersion: 1 });
    expect(d.clashReason).toContain('辛伐他汀');
    expect(d.clashes.map((x) => x.medicine)).toEqual(expect.arrayContaining(['simvastatin', 'amlodipine']));
    expect(flagsOf(c, episodeId)).not.toContain('antiviral_eligible');
    // The discharge summary prints the decision and the interactions handled.
    const s = c.ok<DischargeSummary>('summary:get', { episodeId });
    expect(s.antivirals).toHaveLength(1);
    expect(s.antivirals[0]!.clashes.some((x) => x.medicine === 'simvastatin' && x.severity === 'contraindicated')).toBe(true);
    // The daily report counts the patient started today.
    actAs(c, 'admin', 'admin');
    const report = c.ok<DailyReport>('reports:daily', { date: '2022-03-20' });
    expect(report.rows.find((row) => row.facilityId === null)?.figures.antiviral_started).toBe(1);
  });

  it('a decision against the proposal needs a reason; a proposal, table or plan other than the one shown is a conflict, and nothing is written', () => {
    const { c, episodeId } = setup();
    profile(c, episodeId);
    const v = view(c, episodeId);
    const before = c.count('antiviral_decision');
    expect(errorOf(c.call('antiviral:decide', decideInput(v, { decision: 'not_start', startDate: null })))?.details.issues?.[0]).toMatchObject({
      field: 'reason',
      key: 'antiviral.reason_required',
    });
    expect(refusal(c.call('antiviral:decide', decideInput(v, { shownStatus: 'unknown', clashReason: 'x' })))).toMatchObject({
      code: 'CONFLICT',
      key: 'antiviral.proposal_changed',
    });
    expect(refusal(c.call('antiviral:decide', decideInput(v, { tableVersion: 'nmv-r-2020.1', clashReason: 'x' })))).toMatchObject({
      code: 'CONFLICT',
      key: 'antiviral.table_changed',
    });
    expect(errorOf(c.call('antiviral:decide', decideInput(v, { basePlanVersion: 3, clashReason: 'x' })))).toMatchObject({ code: 'CONFLICT' });
    expect(errorOf(c.call('antiviral:decide', decideInput(v, { startDate: '2022-04-20', clashReason: 'x' })))?.details.issues?.[0]).toMatchObject({
      field: 'startDate',
      key: 'antiviral.start_date_range',
    });
    expect(c.count('antiviral_decision')).toBe(before);
    expect(c.count('plan_version')).toBe(0);
    // Not starting, with the reason: recorded, no plan version, and the flag goes (a clinician has looked).
    c.ok('antiviral:decide', decideInput(v, { decision: 'not_start', startDate: null, reason: '患者拒绝' }));
    expect(c.count('plan_version')).toBe(0);
    expect(flagsOf(c, episodeId)).not.toContain('antiviral_eligible');
  });

  it('moderate kidney impairment halves nirmatrelvir (eGFR 30–<60); below 30 it is not eligible; a clinician eGFR overrides the computed one', () => {
    const { c, episodeId } = setup();
    profile(c, episodeId, { creatinine: null, egfrManual: 45 });
    let v = view(c, episodeId);
    expect(v.egfr).toMatchObject({ value: 45, source: 'manual' });
    expect(nmv(v)).toMatchObject({ status: 'eligible', dose: { code: 'nmv_r_renal', nirmatrelvirMg: 150 } });
    profile(c, episodeId, { creatinine: null, egfrManual: 29.9 }, 1);
    v = view(c, episodeId);
    expect(nmv(v).status).toBe('not_eligible');
    // The antibody pair needs no dose adjustment for the kidneys.
    expect(v.proposal.options.find((o) => o.option === 'amubarvimab_romlusevimab')?.status).toBe('eligible');
    expect(v.profileHistory.map((p) => p.version)).toEqual([2, 1]);
  });

  it('the medicine list: versions, a change says why, unknown codes and stale bases are refused; the list replaces the free text for the check', () => {
    const { c, episodeId, patientId } = setup();
    const items = [
      { code: 'simvastatin', text: '辛伐他汀', dose: '20 mg qn' },
      { code: 'amlodipine', text: '氨氯地平', dose: '5 mg qd' },
      { code: null, text: '复方丹参滴丸', dose: null },
    ];
    expect(c.ok<{ version: number }>('antiviral:saveMedications', { episodeId, baseVersion: 0, items, changeNote: null }).version).toBe(1);
    expect(refusal(c.call('antiviral:saveMedications', { episodeId, baseVersion: 0, items, changeNote: null }))).toMatchObject({
      code: 'CONFLICT',
      key: 'antiviral.medications_conflict',
    });
    expect(errorOf(c.call('antiviral:saveMedications', { episodeId, baseVersion: 1, items, changeNote: null }))?.details.issues?.[0]).toMatchObject({ field: 'changeNote' });
    expect(
      errorOf(c.call('antiviral:saveMedications', { episodeId, baseVersion: 1, items: [{ code: 'nonexistent', text: 'x', dose: null }], changeNote: 'x' }))?.details.issues?.[0],
    ).toMatchObject({
      field: 'items.0.code',
      key: 'antiviral.unknown_medicine',
    });
    // Simvastatin switched to pravastatin: no contraindicated clash any more.
    c.ok('antiviral:saveMedications', {
      episodeId,
      baseVersion: 1,
      items: [{ code: 'pravastatin', text: '普伐他汀', dose: '20 mg qn' }, items[1], items[2]],
      changeNote: '改用普伐他汀',
    });
    const v = view(c, episodeId);
    expect(v.medications?.version).toBe(2);
    expect(v.medicationHistory).toHaveLength(2);
    expect(v.interactions.clashes.some((x) => x.severity === 'contraindicated')).toBe(false);
    expect(v.legacyMedications).toBe(LEGACY); // kept as recorded
    const audit = c.db.prepare(`SELECT count(*) AS n FROM audit WHERE action = 'antiviral.medications' AND patient_id = ?`).get(patientId) as { n: number };
    expect(audit.n).toBe(2);
    expect(() => c.db.prepare('UPDATE medication_list SET items = ? WHERE version = 1').run('[]')).toThrow(/immutable/);
  });

  it('a plan that writes ritonavir-boosted nirmatrelvir by hand for a patient with a contraindicated clash is refused: that course goes through the decision', () => {
    const { c, episodeId } = setup();
    const r = errorOf(
      c.call('plans:save', {
        episodeId,
        baseVersion: 0,
        attendingId: null,
        nurseId: null,
        expertId: null,
        goals: null,
        items: [{ kind: 'antiviral', detail: 'Paxlovid 300/100 mg bid', startDate: '2022-03-20', courseDays: 5 }],
        monitoring: null,
        nextReviewDue: null,
        changeNote: null,
      }),
    );
    expect(r?.details.issues?.[0]).toMatchObject({ field: 'items.0.detail', key: 'antiviral.use_decision' });
  });

  it('nurses keep the medicine list but do not decide; a future onset is refused', () => {
    const { c, episodeId } = setup();
    actAs(c, 'nurse.wu', 'nurse', '吴护士');
    c.ok('antiviral:saveMedications', { episodeId, baseVersion: 0, items: [{ code: 'amlodipine', text: '氨氯地平', dose: null }], changeNote: null });
    expect(
      errorOf(
        c.call('antiviral:saveProfile', {
          episodeId,
          baseVersion: 0,
          onsetDate: '2022-03-21',
          weightKg: null,
          pregnancy: null,
          severeLiverImpairment: null,
          creatinine: null,
          egfrManual: null,
          changeNote: null,
        }),
      )?.details.issues?.[0],
    ).toMatchObject({ field: 'onsetDate', key: 'validation.future' });
    profile(c, episodeId);
    const v = view(c, episodeId);
    expect(errorOf(c.call('antiviral:decide', decideInput(v)))?.code).toBe('FORBIDDEN');
  });
});
