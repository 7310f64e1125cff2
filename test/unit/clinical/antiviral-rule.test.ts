import { describe, expect, it } from 'vitest';
import {
  ANTIVIRAL_CAUTIONS,
  ANTIVIRAL_CRITERION_CODES,
  ANTIVIRAL_DOSE_CODES,
  ANTIVIRAL_MISSING_CODES,
  ANTIVIRAL_ONSET_REASONS,
  ANTIVIRAL_OPTIONS,
  ANTIVIRAL_RULE_VERSION,
  DRUG_CLASSES,
  INTERACTION_SEVERITIES,
  anyEligibleInWindow,
  daysSinceOnset,
  getRuleSet,
  proposeAntivirals,
  type AntiviralInput,
  type AntiviralOption,
  type AntiviralProposal,
  type OptionProposal,
} from '../../../shared/clinical';
import { antiviralEn } from '../../../shared/i18n/antiviral.en';
import { antiviralZh } from '../../../shared/i18n/antiviral.zh-CN';
import { expectSameMessages, placeholders } from '../../support/i18n';

const TZ = 'Asia/Shanghai';
// 12:00 in Shanghai on 2026-03-10.
const NOW = '2026-03-10T04:00:00Z';

/** A 65-year-old with hypertension, moderate, day 2, normal kidneys and liver: eligible for both. */
const base: AntiviralInput = {
  now: NOW,
  timeZone: TZ,
  onsetDate: '2026-03-08',
  clinicalClass: 'moderate',
  ageYears: 65,
  weightKg: 62,
  riskFactors: ['age_over_60', 'cardio_cerebrovascular'],
  pregnancy: 'none',
  egfr: { value: 85, source: 'creatinine', at: '2026-03-09T01:00:00Z' },
  severeLiverImpairment: false,
};

const propose = (over: Partial<AntiviralInput> = {}): AntiviralProposal => proposeAntivirals({ ...base, ...over });
const opt = (p: AntiviralProposal, o: AntiviralOption): OptionProposal => {
  const found = p.options.find((x) => x.option === o);
  if (!found) throw new Error(`no option ${o}`);
  return found;
};
const nmv = (over: Partial<AntiviralInput> = {}) => opt(propose(over), 'nirmatrelvir_ritonavir');
const mab = (over: Partial<AntiviralInput> = {}) => opt(propose(over), 'amubarvimab_romlusevimab');
const criterion = (o: OptionProposal, code: string) => o.criteria.find((c) => c.code === code);

describe('antiviral proposal (protocol v9 §10 (一))', () => {
  it('a moderate 65-year-old with hypertension on day 2 is eligible for both, at the standard dose', () => {
    const p = propose();
    expect(p.ruleVersion).toBe(ANTIVIRAL_RULE_VERSION);
    expect(p.daysSinceOnset).toBe(2);
    expect(p.options.map((o) => [o.option, o.status])).toEqual([
      ['nirmatrelvir_ritonavir', 'eligible'],
      ['amubarvimab_romlusevimab', 'eligible'],
    ]);
    expect(opt(p, 'nirmatrelvir_ritonavir').dose).toEqual({ code: 'nmv_r_standard', nirmatrelvirMg: 300, ritonavirMg: 100, everyHours: 12, days: 5 });
    expect(opt(p, 'amubarvimab_romlusevimab').dose).toEqual({ code: 'amubarvimab_romlusevimab_single' });
    expect(opt(p, 'nirmatrelvir_ritonavir').criteria.map((c) => c.code)).toEqual([...ANTIVIRAL_CRITERION_CODES]);
    expect(opt(p, 'amubarvimab_romlusevimab').criteria.map((c) => c.code)).toEqual(['onset_within_window', 'class_mild_or_moderate', 'high_risk_factor', 'age_and_weight']);
    expect(anyEligibleInWindow(p)).toBe(true);
  });

  it.each([
    { onsetDate: '2026-03-10', days: 0, status: 'met', eligible: 'eligible' },
    { onsetDate: '2026-03-05', days: 5, status: 'met', eligible: 'eligible' },
    { onsetDate: '2026-03-04', days: 6, status: 'not_met', eligible: 'not_eligible' },
  ])('onset $onsetDate is day $days: $status', ({ onsetDate, days, status, eligible }) => {
    const p = propose({ onsetDate });
    expect(p.daysSinceOnset).toBe(days);
    for (const o of p.options) {
      expect(criterion(o, 'onset_within_window')?.status).toBe(status);
      expect(o.status).toBe(eligible);
    }
    expect(anyEligibleInWindow(p)).toBe(eligible === 'eligible');
  });

  it('counts days on Shanghai calendar dates: 23:59:59 local is still day 5, midnight is day 6', () => {
    // 2026-03-10T15:59:59Z is 23:59:59 on 03-10 in Shanghai; 16:00:00Z is 00:00 on 03-11.
    expect(daysSinceOnset('2026-03-05', '2026-03-10T15:59:59Z', TZ)).toBe(5);
    expect(daysSinceOnset('2026-03-05', '2026-03-10T16:00:00Z', TZ)).toBe(6);
    // The same instant is still 03-10 in UTC: the zone decides, not UTC.
    expect(daysSinceOnset('2026-03-05', '2026-03-10T16:00:00Z', 'UTC')).toBe(5);
    const last = propose({ onsetDate: '2026-03-05', now: '2026-03-10T15:59:59Z' });
    const past = propose({ onsetDate: '2026-03-05', now: '2026-03-10T16:00:00Z' });
    expect(last.windowEndsAt).toBe('2026-03-10T16:00:00.000Z');
    expect(opt(last, 'nirmatrelvir_ritonavir').status).toBe('eligible');
    expect(opt(past, 'nirmatrelvir_ritonavir').status).toBe('not_eligible');
    expect(anyEligibleInWindow(past)).toBe(false);
  });

  it('an unknown onset makes both options unknown, never eligible, and asks for the onset date', () => {
    const p = propose({ onsetDate: null });
    expect(p.daysSinceOnset).toBeNull();
    expect(p.windowEndsAt).toBeNull();
    for (const o of p.options) {
      expect(o.status).toBe('unknown');
      expect(o.missing).toEqual(['onset_date']);
      expect(o.dose).toBeNull();
      expect(criterion(o, 'onset_within_window')?.evidence.reason).toBe('no_onset_date');
    }
    expect(anyEligibleInWindow(p)).toBe(false);
  });

  it('an onset date after today is a data error: unknown, with the reason, not a refusal', () => {
    const o = nmv({ onsetDate: '2026-03-12' });
    expect(criterion(o, 'onset_within_window')).toMatchObject({ status: 'unknown', evidence: { reason: 'onset_in_future', daysSinceOnset: -2 } });
    expect(o.status).toBe('unknown');
    expect(nmv({ onsetDate: '2026-02-30' }).status).toBe('unknown');
    expect(() => daysSinceOnset('2026-02-30', NOW, TZ)).toThrow(RangeError);
  });

  it.each([
    { clinicalClass: 'mild', status: 'eligible' },
    { clinicalClass: 'moderate', status: 'eligible' },
    { clinicalClass: 'asymptomatic', status: 'not_eligible' },
    { clinicalClass: 'severe', status: 'not_eligible' },
    { clinicalClass: 'critical', status: 'not_eligible' },
  ] as const)('a $clinicalClass patient: $status for both options', ({ clinicalClass, status }) => {
    for (const o of propose({ clinicalClass }).options) expect(o.status).toBe(status);
  });

  it('an unknown class is unknown and asks for the class', () => {
    for (const o of propose({ clinicalClass: null }).options) {
      expect(o.status).toBe('unknown');
      expect(o.missing).toEqual(['class']);
    }
  });

  it('a patient with no high-risk factor is not eligible for either option', () => {
    for (const o of propose({ ageYears: 40, riskFactors: [] }).options) {
      expect(criterion(o, 'high_risk_factor')?.status).toBe('not_met');
      expect(o.status).toBe('not_eligible');
    }
  });

  it.each([
    { ageYears: 11, weightKg: 50, status: 'not_met' },
    { ageYears: 12, weightKg: 40, status: 'met' },
    { ageYears: 15, weightKg: 39.9, status: 'not_met' },
    { ageYears: 15, weightKg: 40, status: 'met' },
    { ageYears: 17, weightKg: 39.9, status: 'not_met' },
    { ageYears: 17, weightKg: 45, status: 'met' },
    { ageYears: 18, weightKg: 35, status: 'met' },
    { ageYears: 18, weightKg: null, status: 'met' },
  ])('age $ageYears, weight $weightKg kg: $status', ({ ageYears, weightKg, status }) => {
    for (const o of propose({ ageYears, weightKg, riskFactors: ['immunodeficiency'] }).options) {
      expect(criterion(o, 'age_and_weight')?.status).toBe(status);
    }
  });

  it('an adolescent without a weight, or a patient without an age, is unknown with what is missing', () => {
    const teen = nmv({ ageYears: 15, weightKg: null, riskFactors: ['obesity_bmi30'] });
    expect(teen.status).toBe('unknown');
    expect(teen.missing).toEqual(['weight']);
    const noAge = mab({ ageYears: null });
    expect(noAge.status).toBe('unknown');
    expect(noAge.missing).toEqual(['age']);
  });

  it.each([
    { egfr: 29.9, status: 'not_met', option: 'not_eligible', dose: null, halved: false },
    { egfr: 30, status: 'met', option: 'eligible', dose: 'nmv_r_renal', halved: true },
    { egfr: 59.9, status: 'met', option: 'eligible', dose: 'nmv_r_renal', halved: true },
    { egfr: 60, status: 'met', option: 'eligible', dose: 'nmv_r_standard', halved: false },
  ])('eGFR $egfr: renal $status, nirmatrelvir/ritonavir $option at $dose', ({ egfr, status, option, dose, halved }) => {
    const o = nmv({ egfr: { value: egfr, source: 'manual', at: '2026-03-09T01:00:00Z' } });
    expect(criterion(o, 'renal_function')?.status).toBe(status);
    expect(o.status).toBe(option);
    expect(o.dose?.code ?? null).toBe(dose);
    expect(o.cautions.includes('renal_dose_halved')).toBe(halved);
    if (dose === 'nmv_r_renal') expect(o.dose).toMatchObject({ nirmatrelvirMg: 150, ritonavirMg: 100, everyHours: 12, days: 5 });
  });

  it('without an eGFR nirmatrelvir/ritonavir is unknown and asks for it; the antibodies are not affected by renal function', () => {
    const o = nmv({ egfr: null });
    expect(o.status).toBe('unknown');
    expect(o.missing).toEqual(['egfr']);
    expect(o.dose).toBeNull();
    for (const egfr of [null, { value: 12, source: 'creatinine' as const, at: '2026-03-09T01:00:00Z' }]) {
      const m = mab({ egfr });
      expect(m.status).toBe('eligible');
      expect(m.missing).toEqual([]);
    }
  });

  it('severe liver impairment rules out nirmatrelvir/ritonavir only; unrecorded liver function is unknown', () => {
    expect(nmv({ severeLiverImpairment: true }).status).toBe('not_eligible');
    expect(mab({ severeLiverImpairment: true }).status).toBe('eligible');
    const unknown = nmv({ severeLiverImpairment: null });
    expect(unknown.status).toBe('unknown');
    expect(unknown.missing).toEqual(['hepatic_function']);
  });

  it('pregnancy and breastfeeding give cautions but never block', () => {
    const pregnant = nmv({ pregnancy: 'pregnant', riskFactors: ['late_pregnancy_perinatal'], ageYears: 30 });
    expect(pregnant.status).toBe('eligible');
    expect(pregnant.cautions).toEqual(['pregnancy_benefit_risk']);
    const feeding = nmv({ pregnancy: 'breastfeeding' });
    expect(feeding.status).toBe('eligible');
    expect(feeding.cautions).toEqual(['breastfeeding_not_recommended']);
    expect(nmv({ pregnancy: null }).cautions).toEqual([]);
  });

  it('a not-met criterion wins over an unknown one, and lists every missing item once', () => {
    const o = nmv({ clinicalClass: 'severe', egfr: null, severeLiverImpairment: null });
    expect(o.status).toBe('not_eligible');
    expect(o.dose).toBeNull();
    expect(o.missing).toEqual(['egfr', 'hepatic_function']);
    expect(nmv({ onsetDate: null, clinicalClass: null, ageYears: null, egfr: null, severeLiverImpairment: null }).missing).toEqual([
      'onset_date',
      'class',
      'age',
      'egfr',
      'hepatic_function',
    ]);
  });

  it('is part of the v9 rule set', () => {
    expect(getRuleSet().proposeAntivirals(base)).toEqual(propose());
  });
});

describe('antiviral translations', () => {
  const zh: Record<string, string> = antiviralZh;
  const en: Record<string, string> = antiviralEn;

  it('have the same keys in Chinese and English, none empty, with the same placeholders', () => {
    expectSameMessages(zh, en);
  });

  it('name every code the rule, the interaction table and the lexicon can return', () => {
    const keys = [
      ...ANTIVIRAL_OPTIONS.map((o) => `antiviral.option.${o}`),
      ...['eligible', 'not_eligible', 'unknown'].map((s) => `antiviral.status.${s}`),
      ...ANTIVIRAL_CRITERION_CODES.flatMap((c) => [`antiviral.criterion.${c}`, `antiviral.criterion.${c}.detail`]),
      ...ANTIVIRAL_ONSET_REASONS.map((r) => `antiviral.reason.${r}`),
      ...ANTIVIRAL_MISSING_CODES.map((m) => `antiviral.missing.${m}`),
      ...ANTIVIRAL_CAUTIONS.map((c) => `antiviral.caution.${c}`),
      ...ANTIVIRAL_DOSE_CODES.map((d) => `antiviral.dose.${d}`),
      ...INTERACTION_SEVERITIES.map((s) => `antiviral.severity.${s}`),
      ...DRUG_CLASSES.map((c) => `drug_class.${c}`),
    ];
    expect(keys.filter((k) => !(k in zh))).toEqual([]);
  });

  it('fills every criterion detail placeholder from that criterion’s evidence', () => {
    const o = nmv({ ageYears: 15, weightKg: 50, riskFactors: ['chronic_lung'] });
    for (const c of o.criteria) {
      for (const name of placeholders(zh[`antiviral.criterion.${c.code}.detail`] ?? '')) expect(Object.keys(c.evidence), `${c.code}: {${name}}`).toContain(name);
    }
  });
});
