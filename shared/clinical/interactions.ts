// Drug interactions of ritonavir-boosted nirmatrelvir (奈玛特韦片/利托那韦片组合包装, PAXLOVID), as data.
// Ritonavir is a strong CYP3A inhibitor: medicines highly dependent on CYP3A for clearance reach
// dangerous levels, and strong CYP3A inducers make the antiviral fail. The table is curated from:
// - the PAXLOVID US Prescribing Information (Pfizer, NDA 217188), §4 CONTRAINDICATIONS for every
//   `contraindicated` row of LABEL_CONTRAINDICATED, and §7.3 (established and other potentially
//   significant drug interactions) for the `adjust_or_hold` and `monitor` rows;
// - the China protocol trial v9 §10 (一) 1, which names 哌替啶 (pethidine) beside 雷诺嗪 as not to be
//   combined — stricter than the current US label, which asks only for monitoring with pethidine;
// - NIH COVID-19 Treatment Guidelines' ritonavir-boosted nirmatrelvir interaction table for the
//   antiplatelets and alprazolam, which the US label does not list.
// Severity: `contraindicated` = do not give together (hold the medicine where the label allows it,
// otherwise choose another antiviral); `adjust_or_hold` = avoid, or change the dose or pause the
// medicine during treatment; `monitor` = give together with the monitoring or dose check named.
// A medicine absent from the table raises no clash; that is not proof there is no interaction.

import { matchMedicine } from './medicines';

/** Stored with every check, so a later edition of the table can be told apart. */
export const INTERACTION_TABLE_VERSION = 'nmv-r-2026.12.1';

/** Most severe first. */
export const INTERACTION_SEVERITIES = ['contraindicated', 'adjust_or_hold', 'monitor'] as const;
export type InteractionSeverity = (typeof INTERACTION_SEVERITIES)[number];

export interface InteractionSource {
  document: string;
  edition: string;
  section: string;
}

export interface InteractionRow {
  /** Medicine.code */
  medicine: string;
  severity: InteractionSeverity;
  advice: { zh: string; en: string };
  source: InteractionSource;
}

const US_PI = 'PAXLOVID (nirmatrelvir tablets; ritonavir tablets), co-packaged, US Prescribing Information, Pfizer Labs';
const US_PI_EDITION = 'NDA 217188 full prescribing information (first approved 05/2023), text as published by Pfizer, read 2026-12';
const PI_4: InteractionSource = { document: US_PI, edition: US_PI_EDITION, section: '4 CONTRAINDICATIONS' };
const PI_73: InteractionSource = { document: US_PI, edition: US_PI_EDITION, section: '7.3 Established and other potentially significant drug interactions' };
const CN_V9_10: InteractionSource = {
  document: '新型冠状病毒肺炎诊疗方案（试行第九版）',
  edition: '国家卫生健康委员会、国家中医药管理局，2022年3月',
  section: '十、治疗（一）抗病毒治疗 1',
};
const NIH_TABLE: InteractionSource = {
  document: 'NIH COVID-19 Treatment Guidelines: Drug-drug interactions between ritonavir-boosted nirmatrelvir (Paxlovid) and concomitant medications',
  edition: 'final edition, February 2024 (guidelines archived)',
  section: 'Table: antiplatelets and anticoagulants; benzodiazepines',
};

const row = (medicine: string, severity: InteractionSeverity, source: InteractionSource, zh: string, en: string): InteractionRow => ({
  medicine,
  severity,
  advice: { zh, en },
  source,
});

const CI_ZH = '禁止合用：可致严重或危及生命的不良反应。如无法停用，改用其他抗病毒治疗。';
const CI_EN = 'Do not combine: risk of serious or life-threatening reactions. If it cannot be stopped, use another antiviral.';
const INDUCER_ZH = '禁止合用：强效CYP3A诱导剂，使奈玛特韦/利托那韦失效并可致耐药；停药后诱导作用仍持续，不能立即开始本药。改用其他抗病毒治疗。';
const INDUCER_EN =
  'Do not combine: a strong CYP3A inducer makes nirmatrelvir/ritonavir fail and may select resistance; the effect outlasts stopping it, so the antiviral cannot start right away. Use another antiviral.';

const ci = (medicine: string, zh = CI_ZH, en = CI_EN): InteractionRow => row(medicine, 'contraindicated', PI_4, zh, en);
const inducer = (medicine: string): InteractionRow => row(medicine, 'contraindicated', PI_4, INDUCER_ZH, INDUCER_EN);

/** The codes of every medicine the cited label's §4 contraindicates, in the label's order. */
export const LABEL_CONTRAINDICATED: readonly string[] = [
  'alfuzosin',
  'ranolazine',
  'amiodarone',
  'dronedarone',
  'flecainide',
  'propafenone',
  'quinidine',
  'colchicine',
  'lurasidone',
  'pimozide',
  'silodosin',
  'eplerenone',
  'ivabradine',
  'dihydroergotamine',
  'ergotamine',
  'methylergonovine',
  'lovastatin',
  'simvastatin',
  'voclosporin',
  'lomitapide',
  'eletriptan',
  'ubrogepant',
  'finerenone',
  'naloxegol',
  'sildenafil',
  'triazolam',
  'midazolam',
  'flibanserin',
  'tolvaptan',
  'apalutamide',
  'enzalutamide',
  'mitotane',
  'carbamazepine',
  'phenobarbital',
  'primidone',
  'phenytoin',
  'rifampicin',
  'rifapentine',
  'lumacaftor_ivacaftor',
  'st_johns_wort',
];

const HOLD_STATIN_ZH = '禁止合用：首剂前至少12小时停用，疗程中及末剂后5天内不用，之后恢复。';
const HOLD_STATIN_EN = 'Contraindicated: stop it at least 12 h before the first dose, keep it off during treatment and for 5 days after the last dose, then restart.';
const CCB_ZH = '慎用：监测血压、心率及水肿，必要时减量。';
const CCB_EN = 'Use with caution: monitor blood pressure, heart rate and oedema; lower the dose if needed.';
const IMMUNO_ZH = '如无法密切监测血药浓度，避免合用；合用须请专科调整剂量并监测血药浓度、肾功能。';
const IMMUNO_EN = 'Avoid unless blood levels can be monitored closely; if combined, the specialist adjusts the dose and monitors levels and renal function.';
const SEDATIVE_ZH = '可能需减量：监测过度镇静。';
const SEDATIVE_EN = 'A lower dose may be needed: monitor for over-sedation.';
const OPIOID_ZH = '密切监测疗效与不良反应，尤其是呼吸抑制；必要时减量。';
const OPIOID_EN = 'Monitor effect and adverse reactions closely, especially respiratory depression; lower the dose if needed.';
const STEROID_ZH = '可致皮质醇增多及肾上腺抑制：短疗程一般可继续，监测；长期使用考虑换用泼尼松龙等。';
const STEROID_EN = 'Risk of Cushing’s syndrome and adrenal suppression: usually continue for a short course with monitoring; consider prednisolone for long-term use.';

export const NMV_R_INTERACTIONS: readonly InteractionRow[] = [
  // §4: medicines highly dependent on CYP3A for clearance
  ci('alfuzosin', '禁止合用：可致严重低血压。', 'Do not combine: risk of severe hypotension.'),
  ci('ranolazine'),
  ci(
    'amiodarone',
    '禁止合用：可致心律失常。胺碘酮半衰期长，停药不能解决，改用其他抗病毒治疗。',
    'Do not combine: risk of arrhythmia. Amiodarone’s long half-life means stopping it does not help; use another antiviral.',
  ),
  ci('dronedarone', '禁止合用：可致心律失常。', 'Do not combine: risk of arrhythmia.'),
  ci('flecainide', '禁止合用：可致心律失常。', 'Do not combine: risk of arrhythmia.'),
  ci('propafenone', '禁止合用：可致心律失常。', 'Do not combine: risk of arrhythmia.'),
  ci('quinidine', '禁止合用：可致心律失常。', 'Do not combine: risk of arrhythmia.'),
  ci(
    'colchicine',
    '肾或肝功能损害者禁止合用；肾肝功能正常者须按秋水仙碱说明书减量，或暂停。',
    'Contraindicated with renal or hepatic impairment; otherwise reduce the colchicine dose as its label directs, or pause it.',
  ),
  ci('lurasidone'),
  ci('pimozide', '禁止合用：可致心律失常。', 'Do not combine: risk of arrhythmia.'),
  ci('silodosin', '禁止合用：可致体位性低血压。', 'Do not combine: risk of orthostatic hypotension.'),
  ci('eplerenone', '禁止合用：可致高钾血症。', 'Do not combine: risk of hyperkalaemia.'),
  ci('ivabradine', '禁止合用：可致心动过缓或传导障碍。', 'Do not combine: risk of bradycardia or conduction disturbance.'),
  ci('dihydroergotamine', '禁止合用：可致麦角中毒（血管痉挛、肢体缺血）。', 'Do not combine: risk of ergot toxicity (vasospasm, limb ischaemia).'),
  ci('ergotamine', '禁止合用：可致麦角中毒（血管痉挛、肢体缺血）。', 'Do not combine: risk of ergot toxicity (vasospasm, limb ischaemia).'),
  ci('methylergonovine', '禁止合用：可致麦角中毒（血管痉挛、肢体缺血）。', 'Do not combine: risk of ergot toxicity (vasospasm, limb ischaemia).'),
  ci('lovastatin', HOLD_STATIN_ZH, HOLD_STATIN_EN),
  ci('simvastatin', HOLD_STATIN_ZH, HOLD_STATIN_EN),
  ci('voclosporin'),
  ci('lomitapide'),
  ci('eletriptan'),
  ci('ubrogepant'),
  ci('finerenone', '禁止合用：可致高钾血症、低血压。', 'Do not combine: risk of hyperkalaemia and hypotension.'),
  ci('naloxegol', '禁止合用：可致阿片戒断症状。', 'Do not combine: risk of opioid withdrawal.'),
  ci(
    'sildenafil',
    '用于肺动脉高压时禁止合用；用于勃起功能障碍时，48小时内不超过25 mg。',
    'Contraindicated when taken for pulmonary arterial hypertension; for erectile dysfunction, at most 25 mg in 48 h.',
  ),
  ci('triazolam', '禁止合用：可致过度镇静和呼吸抑制。', 'Do not combine: risk of profound sedation and respiratory depression.'),
  ci(
    'midazolam',
    '口服咪达唑仑禁止合用；静脉用药须在可密切监测呼吸、可处理呼吸抑制的条件下，并考虑减量。',
    'Oral midazolam is contraindicated; give it IV only where breathing is closely monitored and respiratory depression can be managed, and consider a lower dose.',
  ),
  ci('flibanserin', '禁止合用：可致低血压、晕厥。', 'Do not combine: risk of hypotension and syncope.'),
  ci('tolvaptan', '禁止合用：可致脱水、低血容量和高钾血症。', 'Do not combine: risk of dehydration, hypovolaemia and hyperkalaemia.'),
  // §4: strong CYP3A inducers
  inducer('apalutamide'),
  inducer('enzalutamide'),
  inducer('mitotane'),
  inducer('carbamazepine'),
  inducer('phenobarbital'),
  inducer('primidone'),
  inducer('phenytoin'),
  inducer('rifampicin'),
  inducer('rifapentine'),
  inducer('lumacaftor_ivacaftor'),
  inducer('st_johns_wort'),
  // Protocol v9 §10 (一) 1
  row(
    'pethidine',
    'contraindicated',
    CN_V9_10,
    '禁止合用（第九版方案点名）：改用其他镇痛药或其他抗病毒治疗。',
    'Do not combine (named by protocol v9): use another analgesic or another antiviral.',
  ),
  // §7.3: avoid, or adjust or hold
  row(
    'atorvastatin',
    'adjust_or_hold',
    PI_73,
    '考虑在疗程中暂停阿托伐他汀，疗程结束后恢复；无需提前停药。',
    'Consider pausing atorvastatin during treatment and restarting after; no need to stop it beforehand.',
  ),
  row(
    'rosuvastatin',
    'adjust_or_hold',
    PI_73,
    '考虑在疗程中暂停瑞舒伐他汀，疗程结束后恢复；无需提前停药。',
    'Consider pausing rosuvastatin during treatment and restarting after; no need to stop it beforehand.',
  ),
  row(
    'rivaroxaban',
    'adjust_or_hold',
    PI_73,
    '避免合用：出血风险增加。考虑换用其他抗凝药或其他抗病毒治疗。',
    'Avoid: higher bleeding risk. Consider another anticoagulant or another antiviral.',
  ),
  row(
    'apixaban',
    'adjust_or_hold',
    PI_73,
    '按阿哌沙班说明书调整：每日2次5 mg或10 mg者减量50%；已为2.5 mg每日2次者避免合用。',
    'Adjust per the apixaban label: on 5 mg or 10 mg twice daily, halve the dose; on 2.5 mg twice daily, avoid the combination.',
  ),
  row(
    'dabigatran',
    'adjust_or_hold',
    PI_73,
    '按适应证和肾功能参照达比加群说明书减量或避免合用，监测出血。',
    'Reduce or avoid per the dabigatran label for the indication and renal function; watch for bleeding.',
  ),
  row(
    'clopidogrel',
    'adjust_or_hold',
    NIH_TABLE,
    '氯吡格雷活性代谢物减少，抗血小板作用减弱：近期支架等高血栓风险者考虑其他抗病毒治疗或换用普拉格雷。',
    'Less active clopidogrel metabolite, weaker platelet inhibition: with high thrombotic risk (e.g. recent stent) consider another antiviral or prasugrel.',
  ),
  row(
    'ticagrelor',
    'adjust_or_hold',
    NIH_TABLE,
    '替格瑞洛浓度升高，出血风险增加：避免合用，考虑其他抗病毒治疗或换用普拉格雷。',
    'Raised ticagrelor levels, higher bleeding risk: avoid; consider another antiviral or prasugrel.',
  ),
  row('amlodipine', 'adjust_or_hold', PI_73, CCB_ZH, CCB_EN),
  row('nifedipine', 'adjust_or_hold', PI_73, CCB_ZH, CCB_EN),
  row('felodipine', 'adjust_or_hold', PI_73, CCB_ZH, CCB_EN),
  row('nicardipine', 'adjust_or_hold', PI_73, CCB_ZH, CCB_EN),
  row('diltiazem', 'adjust_or_hold', PI_73, CCB_ZH, CCB_EN),
  row('verapamil', 'adjust_or_hold', PI_73, CCB_ZH, CCB_EN),
  row('tamsulosin', 'adjust_or_hold', PI_73, '避免合用：可致低血压。疗程中暂停。', 'Avoid: risk of hypotension. Pause it during treatment.'),
  row('tacrolimus', 'adjust_or_hold', PI_73, IMMUNO_ZH, IMMUNO_EN),
  row('cyclosporine', 'adjust_or_hold', PI_73, IMMUNO_ZH, IMMUNO_EN),
  row('sirolimus', 'adjust_or_hold', PI_73, IMMUNO_ZH, IMMUNO_EN),
  row('everolimus', 'adjust_or_hold', PI_73, IMMUNO_ZH, IMMUNO_EN),
  row(
    'quetiapine',
    'adjust_or_hold',
    PI_73,
    '如需合用，喹硫平减至原剂量的1/6并监测不良反应；疗程结束后恢复。',
    'If combined, reduce quetiapine to one sixth of the current dose and monitor; restore it after treatment.',
  ),
  row('clozapine', 'adjust_or_hold', PI_73, '如需合用，考虑减少氯氮平剂量并监测不良反应。', 'If combined, consider a lower clozapine dose and monitor for adverse reactions.'),
  row('salmeterol', 'adjust_or_hold', PI_73, '避免合用：可致QT延长、心悸、窦性心动过速。', 'Avoid: risk of QT prolongation, palpitations and sinus tachycardia.'),
  row(
    'tadalafil',
    'adjust_or_hold',
    PI_73,
    '肺动脉高压：避免合用或参照他达拉非说明书调整；勃起功能障碍：72小时内不超过10 mg。',
    'PAH: avoid, or adjust as the tadalafil label directs; erectile dysfunction: at most 10 mg in 72 h.',
  ),
  row('voriconazole', 'adjust_or_hold', PI_73, '避免合用，除非获益大于风险。', 'Avoid unless the benefit outweighs the risk.'),
  row('itraconazole', 'adjust_or_hold', PI_73, '避免合用；如必须合用，伊曲康唑不超过每日200 mg。', 'Avoid; if it must be combined, at most 200 mg itraconazole a day.'),
  row('ketoconazole', 'adjust_or_hold', PI_73, '避免合用；如必须合用，酮康唑不超过每日200 mg。', 'Avoid; if it must be combined, at most 200 mg ketoconazole a day.'),
  row('rifabutin', 'adjust_or_hold', PI_73, '按利福布汀说明书减量（与强效CYP3A抑制剂合用）。', 'Reduce the rifabutin dose as its label directs for strong CYP3A inhibitors.'),
  // §7.3: combine with monitoring
  row('warfarin', 'monitor', PI_73, '密切监测INR。', 'Monitor INR closely.'),
  row('digoxin', 'monitor', PI_73, '慎用，监测地高辛血药浓度。', 'Use with caution; monitor digoxin levels.'),
  row('lidocaine', 'monitor', PI_73, '全身用药时慎用，建议监测血药浓度。', 'Systemic use: caution, with therapeutic drug monitoring.'),
  row('clonazepam', 'monitor', PI_73, SEDATIVE_ZH, SEDATIVE_EN),
  row('diazepam', 'monitor', PI_73, SEDATIVE_ZH, SEDATIVE_EN),
  row('estazolam', 'monitor', PI_73, SEDATIVE_ZH, SEDATIVE_EN),
  row('zolpidem', 'monitor', PI_73, SEDATIVE_ZH, SEDATIVE_EN),
  row('buspirone', 'monitor', PI_73, SEDATIVE_ZH, SEDATIVE_EN),
  row('alprazolam', 'monitor', NIH_TABLE, SEDATIVE_ZH, SEDATIVE_EN),
  row('fentanyl', 'monitor', PI_73, OPIOID_ZH, OPIOID_EN),
  row('oxycodone', 'monitor', PI_73, OPIOID_ZH, OPIOID_EN),
  row('hydrocodone', 'monitor', PI_73, OPIOID_ZH, OPIOID_EN),
  row('methadone', 'monitor', PI_73, '美沙酮浓度可能降低：监测戒断症状，必要时调整剂量。', 'Methadone levels may fall: watch for withdrawal and adjust the dose if needed.'),
  row(
    'trazodone',
    'monitor',
    PI_73,
    '慎用，考虑减量：可致恶心、头晕、低血压、晕厥。',
    'Use with caution and consider a lower dose: risk of nausea, dizziness, hypotension, syncope.',
  ),
  row('clarithromycin', 'monitor', PI_73, '参照克拉霉素说明书，肾功能损害时减量。', 'Follow the clarithromycin label; reduce the dose in renal impairment.'),
  row('erythromycin', 'monitor', PI_73, '参照红霉素说明书，监测QT及不良反应。', 'Follow the erythromycin label; watch the QT interval and adverse reactions.'),
  row('dexamethasone', 'monitor', PI_73, STEROID_ZH, STEROID_EN),
  row('methylprednisolone', 'monitor', PI_73, STEROID_ZH, STEROID_EN),
  row('budesonide', 'monitor', PI_73, STEROID_ZH, STEROID_EN),
  row('fluticasone', 'monitor', PI_73, STEROID_ZH, STEROID_EN),
];

const BY_MEDICINE = new Map(NMV_R_INTERACTIONS.map((r) => [r.medicine, r]));
const SEVERITY_RANK = new Map(INTERACTION_SEVERITIES.map((s, i) => [s, i]));

export interface MedicationEntry {
  /** Medicine.code when picked from the lexicon; null for free text. */
  code: string | null;
  text: string;
}

export interface Clash {
  medicine: string;
  /** The entry's text as the user entered it. */
  entered: string;
  severity: InteractionSeverity;
  advice: { zh: string; en: string };
  source: InteractionSource;
}

export interface InteractionCheck {
  tableVersion: string;
  /** Contraindicated first, then adjust_or_hold, then monitor; entry order within each. */
  clashes: Clash[];
}

/** One clash per entry whose medicine (its code, or the medicine its free text names) is in the table. */
export function checkInteractions(meds: readonly MedicationEntry[]): InteractionCheck {
  const clashes: Clash[] = [];
  for (const entry of meds) {
    const code = entry.code ?? matchMedicine(entry.text)?.code ?? null;
    const r = code === null ? undefined : BY_MEDICINE.get(code);
    if (r) clashes.push({ medicine: r.medicine, entered: entry.text, severity: r.severity, advice: r.advice, source: r.source });
  }
  clashes.sort((a, b) => (SEVERITY_RANK.get(a.severity) ?? 0) - (SEVERITY_RANK.get(b.severity) ?? 0));
  return { tableVersion: INTERACTION_TABLE_VERSION, clashes };
}
