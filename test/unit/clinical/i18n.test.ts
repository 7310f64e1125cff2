import { describe, expect, it } from 'vitest';
import { proposeAntivirals } from '../../../shared/clinical/antiviral';
import {
  ACVPU,
  CLASS_CRITERION_CODES,
  CLASS_MISSING_CODES,
  CLASS_ORDER,
  DEFAULT_TREND_CONFIG,
  FLAG_CODES,
  HYPOXAEMIA_REASONS,
  LIMITS,
  NEWS2_FLAG_REASONS,
  NEWS2_PARAMS,
  PLACEMENTS,
  RELEASE_CRITERION_CODES,
  RELEASE_REASONS,
  RISK_FACTORS,
  SYMPTOM_CODES,
  TEST_VERDICT_REASONS,
  TIER_CODES,
  TIER_REASONS,
  computeFlags,
  computeNews2,
  proposeClass,
} from '../../../shared/clinical';
import { clinicalEn } from '../../../shared/i18n/clinical.en';
import { clinicalZh } from '../../../shared/i18n/clinical.zh-CN';
import { expectSameMessages, placeholders } from '../../support/i18n';

const zh: Record<string, string> = clinicalZh;
const en: Record<string, string> = clinicalEn;

describe('clinical translations', () => {
  it('have the same keys in Chinese and English, none empty, with the same placeholders', () => {
    expectSameMessages(zh, en);
  });

  it('name every code the rules can return', () => {
    const keys = [
      ...CLASS_ORDER.map((c) => `class.${c}`),
      ...CLASS_CRITERION_CODES.map((c) => `criterion.${c}`),
      ...CLASS_MISSING_CODES.map((c) => `missing.${c}`),
      ...['low', 'low_medium', 'medium', 'high'].map((b) => `news2.band.${b}`),
      ...['q12h', 'q4to6h', 'hourly', 'continuous'].map((m) => `news2.monitoring.${m}`),
      ...['under16', 'pregnancy', 'incomplete'].map((c) => `news2.caveat.${c}`),
      ...NEWS2_PARAMS.map((p) => `news2.param.${p}`),
      ...ACVPU.map((a) => `news2.acvpu.${a}`),
      ...RISK_FACTORS.map((r) => `risk.${r}`),
      ...SYMPTOM_CODES.map((s) => `symptom.${s}`),
      ...FLAG_CODES.flatMap((f) => [`flag.${f}`, `flag.${f}.detail`]),
      ...HYPOXAEMIA_REASONS.map((r) => `flag.hypoxaemia_worsening.reason.${r}`),
      ...NEWS2_FLAG_REASONS.map((r) => `flag.news2_high.reason.${r}`),
      ...TIER_CODES.map((t) => `tier.${t}`),
      ...TIER_REASONS.map((r) => `tier.reason.${r}`),
      ...PLACEMENTS.map((p) => `placement.${p}`),
      ...RELEASE_CRITERION_CODES.map((c) => `release.${c}`),
      ...RELEASE_REASONS.map((r) => `release.reason.${r}`),
      ...TEST_VERDICT_REASONS.map((r) => `release.test.${r}`),
      ...['met', 'not_met', 'unknown'].map((s) => `release.status.${s}`),
      ...Object.keys(LIMITS).map((f) => `field.${f}`),
      'validation.out_of_range',
      'validation.implausible',
    ];
    expect(keys.filter((k) => !(k in zh))).toEqual([]);
  });

  it('uses the protocol’s Chinese class names', () => {
    expect([zh['class.asymptomatic'], zh['class.mild'], zh['class.moderate'], zh['class.severe'], zh['class.critical']]).toEqual([
      '无症状感染者',
      '轻型',
      '普通型',
      '重型',
      '危重型',
    ]);
  });

  it('fills every flag detail placeholder from that flag’s evidence', () => {
    const now = '2022-04-10T08:00:00.000Z';
    const day = (d: number): string => new Date(Date.parse(now) - d * 86_400_000).toISOString();
    const series = (...values: number[]) => values.map((value, i) => ({ at: day(values.length - 1 - i), value }));
    const flags = computeFlags(
      {
        now,
        ageYears: 70,
        riskFactors: [],
        labs: {
          lymphocytes: series(1.2, 0.9, 0.6),
          crp: series(10, 25, 60),
          il6: series(8, 20, 55),
          ferritin: series(400, 700, 1200),
          lactate: series(1.2, 1.8, 2.6),
          ddimer: series(3.0),
        },
        spo2: series(97, 94, 90).map((p) => ({ ...p, onOxygen: false })),
        imaging: [{ at: day(0), progressionPct: 40 }],
        news2: computeNews2([{ measuredAt: day(0), respRate: 28, consciousness: 'C' }], { at: now, spo2Scale: 1 }),
        proposal: proposeClass({ ageYears: 70, positive: true, symptoms: [], pneumoniaOnImaging: true, spo2: 90, onOxygen: false }),
        confirmedClass: 'moderate',
        classAtLastReview: 'mild',
        reviewDueAt: day(1),
        referral: { at: day(0), note: '请会诊' },
        antiviral: {
          proposal: proposeAntivirals({
            now,
            timeZone: 'Asia/Shanghai',
            onsetDate: '2022-04-08',
            clinicalClass: 'mild',
            ageYears: 70,
            weightKg: null,
            riskFactors: ['age_over_60'],
            pregnancy: null,
            egfr: { value: 75, source: 'manual', at: now },
            severeLiverImpairment: false,
          }),
          started: false,
          decided: false,
          clashes: () => [{ severity: 'contraindicated' }, { severity: 'adjust_or_hold' }],
          medicationsFrom: 'list',
        },
      },
      DEFAULT_TREND_CONFIG,
    );
    expect(flags.map((f) => f.code)).toEqual([...FLAG_CODES]);
    for (const f of flags) {
      for (const name of placeholders(zh[`flag.${f.code}.detail`] ?? '')) {
        expect(Object.keys(f.evidence), `${f.code}: {${name}}`).toContain(name);
      }
    }
  });

  it('fills every criterion detail placeholder from the criterion’s values', () => {
    const fired = [
      ...proposeClass({
        ageYears: 40,
        positive: true,
        symptoms: ['breathlessness'],
        pneumoniaOnImaging: true,
        respRate: 32,
        spo2: 91,
        onOxygen: false,
        pao2Fio2: 250,
        lesionProgressionPct: 60,
        symptomsWorsening: true,
      }).criteria,
      ...proposeClass({ ageMonths: 8, positive: true, symptoms: ['fever'], pneumoniaOnImaging: false, respRate: 55, feverDays: 4 }).criteria,
    ];
    const detailed = Object.keys(zh).filter((k) => k.startsWith('criterion.') && k.endsWith('.detail'));
    expect(detailed).toHaveLength(6);
    for (const key of detailed) {
      const code = key.slice('criterion.'.length, -'.detail'.length);
      const criterion = fired.find((c) => c.code === code);
      expect(criterion, code).toBeDefined();
      for (const name of placeholders(zh[key] ?? '')) expect(Object.keys(criterion?.values ?? {}), `${code}: {${name}}`).toContain(name);
    }
  });
});
