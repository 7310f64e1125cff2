import { describe, expect, it } from 'vitest';
import { proposeClass } from '../../../shared/clinical/classify';
import {
  DEFAULT_TREND_CONFIG,
  FLAG_CODES,
  computeFlags,
  effectiveRiskFactors,
  type FlagInput,
  type LabAnalyte,
  type RiskFlag,
  type TrendConfig,
} from '../../../shared/clinical/flags';
import { computeNews2 } from '../../../shared/clinical/news2';
import { proposeAntivirals } from '../../../shared/clinical/antiviral';

const NOW = '2022-04-10T08:00:00.000Z';
const daysAgo = (d: number): string => new Date(Date.parse(NOW) - d * 86_400_000).toISOString();
const hoursAgo = (h: number): string => new Date(Date.parse(NOW) - h * 3_600_000).toISOString();

/** Results one per day, the last one this morning. */
const daily = (...values: number[]) => values.map((value, i) => ({ at: daysAgo(values.length - 1 - i), value }));

/** A 40-year-old without risk factors and no data: no flags. */
function patient(overrides: Partial<FlagInput> = {}): FlagInput {
  return { now: NOW, ageYears: 40, riskFactors: [], ...overrides };
}

const flags = (input: FlagInput, config: TrendConfig = DEFAULT_TREND_CONFIG): RiskFlag[] => computeFlags(input, config);
const flagCodes = (input: FlagInput, config?: TrendConfig): string[] => flags(input, config).map((f) => f.code);
const flag = (input: FlagInput, code: string, config?: TrendConfig): RiskFlag | undefined => flags(input, config).find((f) => f.code === code);

describe('high-risk factors (v9 §7)', () => {
  it('a 40-year-old with no recorded conditions has no flags at all', () => {
    expect(flags(patient())).toEqual([]);
  });

  it.each([
    [60, []],
    [61, ['age_over_60']],
    [60.5, ['age_over_60']],
  ] as const)('age %d gives risk factors %j (older than 60, strictly)', (age, expected) => {
    expect(effectiveRiskFactors(age, [])).toEqual(expected);
  });

  it('a 72-year-old diabetic is flagged with both factors and the age', () => {
    expect(flag(patient({ ageYears: 72, riskFactors: ['diabetes'] }), 'risk_factors')).toEqual({
      code: 'risk_factors',
      since: null,
      evidence: { factors: 'age_over_60,diabetes', count: 2, ageYears: 72 },
    });
  });

  it('a stale age_over_60 code on a 55-year-old is ignored; with the age unknown it is kept', () => {
    expect(flagCodes(patient({ ageYears: 55, riskFactors: ['age_over_60'] }))).toEqual([]);
    expect(flag(patient({ ageYears: null, riskFactors: ['age_over_60'] }), 'risk_factors')?.evidence.factors).toBe('age_over_60');
  });
});

describe('laboratory trends (v9 §8; definitions in trends.ts)', () => {
  const labs = (analyte: LabAnalyte, ...values: number[]): FlagInput => patient({ labs: { [analyte]: daily(...values) } });

  it.each([
    ['lymphocytes', 'lymphocytes_falling', [1.2, 0.9, 0.6], true],
    ['lymphocytes', 'lymphocytes_falling', [1.0, 0.9, 0.81], true],
    ['lymphocytes', 'lymphocytes_falling', [1.0, 0.91, 0.82], false],
    ['lymphocytes', 'lymphocytes_falling', [1.2, 0.9], false],
    ['lymphocytes', 'lymphocytes_falling', [1.2, 0.9, 0.6, 0.7], false],
    ['crp', 'crp_rising', [8, 15, 32], true],
    ['crp', 'crp_rising', [8, 15, 15], false],
    ['il6', 'il6_rising', [6, 12, 40], true],
    ['il6', 'il6_rising', [40, 12, 6], false],
    ['ferritin', 'ferritin_rising', [300, 450, 900], true],
    ['ferritin', 'ferritin_rising', [300, 450, 480], false],
    ['lactate', 'lactate_rising', [1.0, 1.6, 2.4], true],
    ['lactate', 'lactate_rising', [1.0, 1.05, 2.4], false],
  ] as const)('%s results %j → %s fires: %s', (analyte, code, values, fires) => {
    expect(flagCodes(labs(analyte, ...values)).includes(code)).toBe(fires);
  });

  it('falling lymphocytes show the values, the size of each step and since when', () => {
    expect(flag(labs('lymphocytes', 1.5, 1.2, 0.9, 0.6), 'lymphocytes_falling')).toEqual({
      code: 'lymphocytes_falling',
      since: daysAgo(2),
      evidence: { analyte: 'lymphocytes', values: '1.2, 0.9, 0.6', first: 1.2, latest: 0.6, latestAt: daysAgo(0), changes: 2, minChangePct: 10 },
    });
  });

  it('results are put in time order whatever order they arrive in, and results after now are ignored', () => {
    const crp = [
      { at: daysAgo(0), value: 40 },
      { at: daysAgo(2), value: 10 },
      { at: daysAgo(1), value: 20 },
      { at: hoursAgo(-2), value: 5 },
    ];
    expect(flag(patient({ labs: { crp } }), 'crp_rising')?.evidence.values).toBe('10, 20, 40');
  });

  it('a stricter configuration (3 changes of ≥ 20 %) needs a longer, steeper course', () => {
    const config: TrendConfig = { ...DEFAULT_TREND_CONFIG, crpRising: { consecutiveChanges: 3, minRelativeChange: 0.2 } };
    expect(flagCodes(labs('crp', 10, 20, 40), config)).toEqual([]);
    expect(flagCodes(labs('crp', 5, 10, 20, 40), config)).toEqual(['crp_rising']);
  });

  it.each([
    [[0.4, 1.0], false],
    [[0.4, 1.01], true],
  ] as const)('D-dimer %j mg/L FEU: raised (> 2 × ULN 0.5) is %s', (values, fires) => {
    expect(flagCodes(labs('ddimer', ...values)).includes('ddimer_raised')).toBe(fires);
  });

  it('raised D-dimer shows the latest value and threshold, since the first of the raised run', () => {
    expect(flag(labs('ddimer', 0.3, 1.4, 2.8), 'ddimer_raised')).toEqual({
      code: 'ddimer_raised',
      since: daysAgo(1),
      evidence: { latest: 2.8, latestAt: daysAgo(0), uln: 0.5, multiple: 2, threshold: 1 },
    });
  });

  it('a laboratory whose D-dimer ULN is 0.55 raises the threshold to 1.1', () => {
    const config: TrendConfig = { ...DEFAULT_TREND_CONFIG, ddimer: { upperLimitOfNormal: 0.55, multipleOfUln: 2 } };
    expect(flagCodes(labs('ddimer', 1.05), config)).toEqual([]);
    expect(flagCodes(labs('ddimer', 1.15), config)).toEqual(['ddimer_raised']);
  });
});

describe('worsening hypoxaemia (v9 §8 1–2)', () => {
  const air = (...values: number[]) => daily(...values).map((p) => ({ ...p, onOxygen: false }));

  it.each([
    [[99, 98, 96], true, 'falling'],
    [[99, 98, 97], false, ''],
    [[99, 96, 96], false, ''],
    [[98, 97, 95], true, 'falling,low_on_air'],
    [[97, 96], false, ''],
    [[98, 95], true, 'low_on_air'],
  ] as const)('SpO2 on air %j → flag %s (%s)', (values, fires, reasons) => {
    const f = flag(patient({ spo2: air(...values) }), 'hypoxaemia_worsening');
    expect(f !== undefined).toBe(fires);
    if (f) expect(f.evidence.reasons).toBe(reasons);
  });

  it('a fall from 99 to 96 shows the readings, the drop and since when', () => {
    expect(flag(patient({ spo2: air(99, 98, 96) }), 'hypoxaemia_worsening')).toEqual({
      code: 'hypoxaemia_worsening',
      since: daysAgo(2),
      evidence: { reasons: 'falling', values: '99, 98, 96', dropPoints: 3, latest: 96, latestAt: daysAgo(0), latestOnOxygen: false },
    });
  });

  it('a patient newly put on oxygen is flagged from the first reading on oxygen', () => {
    const spo2 = [
      { at: daysAgo(2), value: 97, onOxygen: false },
      { at: daysAgo(1), value: 96, onOxygen: true },
      { at: daysAgo(0), value: 97, onOxygen: true },
    ];
    const f = flag(patient({ spo2 }), 'hypoxaemia_worsening');
    expect(f?.evidence.reasons).toBe('new_oxygen');
    expect(f?.since).toBe(daysAgo(1));
  });

  it('a patient on oxygen since admission, or whose oxygen status was not recorded, is not flagged for new oxygen', () => {
    const onO2 = daily(97, 97).map((p) => ({ ...p, onOxygen: true }));
    expect(flagCodes(patient({ spo2: onO2 }))).toEqual([]);
    expect(flagCodes(patient({ spo2: daily(99, 97, 94) }))).toEqual([]);
  });

  it('on SpO2 scale 2 (hypercapnic, target 88–92 %) a steady 90 % on air is not flagged', () => {
    expect(flagCodes(patient({ spo2Scale: 2, spo2: air(90, 90) }))).toEqual([]);
    expect(flagCodes(patient({ spo2Scale: 1, spo2: air(90, 90) }))).toEqual(['hypoxaemia_worsening']);
  });

  it('the new-oxygen and low-SpO2 triggers can be switched off', () => {
    const config: TrendConfig = {
      ...DEFAULT_TREND_CONFIG,
      hypoxaemia: { ...DEFAULT_TREND_CONFIG.hypoxaemia, lowOnAirMax: null, newOxygenRequirement: false },
    };
    const spo2 = [
      { at: daysAgo(1), value: 94, onOxygen: false },
      { at: daysAgo(0), value: 96, onOxygen: true },
    ];
    expect(flagCodes(patient({ spo2 }), config)).toEqual([]);
  });
});

describe('imaging progression (v9 §8 5)', () => {
  it.each([
    [[10], true],
    [[0], false],
    [[30, -20], false],
  ] as const)('lesion change %j %% → flagged %s (latest image only)', (values, fires) => {
    const imaging = daily(...values).map((p) => ({ at: p.at, progressionPct: p.value }));
    expect(flagCodes(patient({ imaging })).includes('imaging_progression')).toBe(fires);
  });
});

describe('NEWS2 (RCP 2017 Chart 2 triggers)', () => {
  const news2For = (overrides: Record<string, unknown>) =>
    computeNews2([{ measuredAt: hoursAgo(1), respRate: 16, spo2: 97, onOxygen: false, systolicBp: 120, pulse: 70, consciousness: 'A', temperature: 37, ...overrides }], {
      at: NOW,
      spo2Scale: 1,
    });

  it('NEWS2 4 without a single 3 is not flagged', () => {
    expect(flagCodes(patient({ news2: news2For({ respRate: 22, pulse: 95, temperature: 38.5 }) }))).toEqual([]);
  });

  it('NEWS2 5 is flagged for its total', () => {
    const f = flag(patient({ news2: news2For({ respRate: 22, pulse: 95, temperature: 38.5, spo2: 95 }) }), 'news2_high');
    expect(f).toEqual({
      code: 'news2_high',
      since: hoursAgo(1),
      evidence: { reason: 'total', total: 5, totalAtLeast: 5, anySingleThree: false, singleThreeParams: '', band: 'medium', complete: true },
    });
  });

  it('NEWS2 3 from a respiratory rate of 26 alone is flagged as a single 3', () => {
    const f = flag(patient({ news2: news2For({ respRate: 26 }) }), 'news2_high');
    expect(f?.evidence).toMatchObject({ reason: 'single_three', total: 3, singleThreeParams: 'respRate' });
  });

  it('NEWS2 8 with new confusion is flagged for both reasons', () => {
    const f = flag(patient({ news2: news2For({ consciousness: 'C', respRate: 25, pulse: 115 }) }), 'news2_high');
    expect(f?.evidence).toMatchObject({ reason: 'total_and_single_three', total: 8, singleThreeParams: 'respRate,consciousness' });
  });
});

describe('class against confirmation and last review', () => {
  const severeProposal = proposeClass({ ageYears: 50, positive: true, symptoms: ['cough'], pneumoniaOnImaging: true, spo2: 92, onOxygen: false, respRate: 20, pao2Fio2: 350 });

  it.each([
    ['moderate', true],
    [null, true],
    ['severe', false],
    ['critical', false],
  ] as const)('a severe proposal with confirmed class %s → meets_severe_criteria: %s', (confirmedClass, fires) => {
    const codes = flagCodes(patient({ proposal: severeProposal, confirmedClass }));
    expect(codes.includes('meets_severe_criteria')).toBe(fires);
  });

  it('the severe-criteria flag names the proposal, the confirmed class and the criteria that fired', () => {
    expect(flag(patient({ proposal: severeProposal, confirmedClass: 'moderate' }), 'meets_severe_criteria')?.evidence).toEqual({
      proposed: 'severe',
      confirmedClass: 'moderate',
      criteria: 'severe_spo2_at_rest_on_air',
    });
  });

  it('a moderate proposal for a mild patient does not raise the severe-criteria flag', () => {
    const moderate = proposeClass({ ageYears: 50, positive: true, symptoms: ['cough'], pneumoniaOnImaging: true });
    expect(flagCodes(patient({ proposal: moderate, confirmedClass: 'mild' }))).toEqual([]);
  });

  it.each([
    ['severe', 'moderate', true],
    ['moderate', 'moderate', false],
    ['mild', 'moderate', false],
  ] as const)('confirmed %s after a review at %s → class_worse_than_last_review: %s', (confirmedClass, classAtLastReview, fires) => {
    expect(flagCodes(patient({ confirmedClass, classAtLastReview })).includes('class_worse_than_last_review')).toBe(fires);
  });

  it('without a confirmed class the proposal is compared with the last review', () => {
    expect(flag(patient({ proposal: severeProposal, classAtLastReview: 'mild' }), 'class_worse_than_last_review')?.evidence).toEqual({
      currentClass: 'severe',
      lastReviewClass: 'mild',
      source: 'proposed',
    });
  });
});

describe('review due and referrals', () => {
  it.each([
    [hoursAgo(0), false],
    [hoursAgo(-1), false],
    [hoursAgo(2.5), true],
  ])('a review due at %s is overdue: %s', (reviewDueAt, fires) => {
    expect(flagCodes(patient({ reviewDueAt })).includes('review_overdue')).toBe(fires);
  });

  it('an overdue review says by how many hours', () => {
    expect(flag(patient({ reviewDueAt: hoursAgo(2.5) }), 'review_overdue')).toEqual({
      code: 'review_overdue',
      since: hoursAgo(2.5),
      evidence: { dueAt: hoursAgo(2.5), hoursOverdue: 2.5 },
    });
  });

  it('a doctor’s open referral is flagged with its note; none, or one dated in the future, is not', () => {
    expect(flag(patient({ referral: { at: hoursAgo(3), note: '夜间气促加重' } }), 'doctor_referral')).toEqual({
      code: 'doctor_referral',
      since: hoursAgo(3),
      evidence: { referredAt: hoursAgo(3), note: '夜间气促加重' },
    });
    expect(flagCodes(patient({ referral: null }))).toEqual([]);
    expect(flagCodes(patient({ referral: { at: hoursAgo(-1) } }))).toEqual([]);
  });
});

describe('the expert queue story', () => {
  it('a moderate patient over 60 with falling lymphocytes appears with both reasons, in a fixed order', () => {
    const codes = flagCodes(
      patient({
        ageYears: 68,
        labs: { lymphocytes: daily(1.1, 0.8, 0.6) },
        confirmedClass: 'moderate',
        classAtLastReview: 'moderate',
      }),
    );
    expect(codes).toEqual(['risk_factors', 'lymphocytes_falling']);
  });

  it('every flag code can be raised at once, and they come back in FLAG_CODES order', () => {
    const proposal = proposeClass({ ageYears: 70, positive: true, symptoms: ['cough'], pneumoniaOnImaging: true, spo2: 90, onOxygen: false, respRate: 26, pao2Fio2: 280 });
    const news2 = computeNews2([{ measuredAt: hoursAgo(1), respRate: 26, spo2: 90, onOxygen: false, systolicBp: 120, pulse: 112, consciousness: 'A', temperature: 38.4 }], {
      at: NOW,
      spo2Scale: 1,
    });
    const codes = flagCodes({
      now: NOW,
      ageYears: 70,
      riskFactors: ['chronic_lung'],
      labs: {
        lymphocytes: daily(1.2, 0.9, 0.6),
        crp: daily(10, 25, 60),
        il6: daily(8, 20, 55),
        ferritin: daily(400, 700, 1200),
        lactate: daily(1.2, 1.8, 2.6),
        ddimer: daily(0.8, 1.6, 3.0),
      },
      spo2: daily(97, 94, 90).map((p) => ({ ...p, onOxygen: false })),
      imaging: [{ at: daysAgo(0), progressionPct: 40 }],
      news2,
      proposal,
      confirmedClass: 'moderate',
      classAtLastReview: 'mild',
      reviewDueAt: hoursAgo(5),
      referral: { at: hoursAgo(2), note: null },
      // Mild, 72, hypertensive, 2 days from onset, eGFR 75: eligible, nothing started or decided.
      antiviral: {
        proposal: proposeAntivirals({
          now: NOW,
          timeZone: 'Asia/Shanghai',
          onsetDate: '2022-04-08',
          clinicalClass: 'mild',
          ageYears: 72,
          weightKg: null,
          riskFactors: ['age_over_60', 'cardio_cerebrovascular'],
          pregnancy: null,
          egfr: { value: 75, source: 'manual', at: NOW },
          severeLiverImpairment: false,
        }),
        started: false,
        decided: false,
        clashes: () => [{ severity: 'contraindicated' }],
        medicationsFrom: 'list',
      },
    });
    expect(codes).toEqual([...FLAG_CODES]);
  });
});
