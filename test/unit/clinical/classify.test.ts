import { describe, expect, it } from 'vitest';
import { CLASS_ORDER, SYMPTOMS, ageInMonths, childTachypnoeaThreshold, compareClass, correctedPao2Fio2, proposeClass, type ClassInput } from '../../../shared/clinical/classify';

/** A 45-year-old with a cough, no pneumonia on CT and normal observations on air: mild. */
function adult(overrides: Partial<ClassInput> = {}): ClassInput {
  return {
    ageYears: 45,
    positive: true,
    symptoms: ['cough'],
    pneumoniaOnImaging: false,
    respRate: 18,
    spo2: 98,
    onOxygen: false,
    pao2Fio2: 420,
    ...overrides,
  };
}

/** A child of the given age in months with a cough, calm breathing for the age, SpO2 98 % on air. */
function child(ageMonths: number, overrides: Partial<ClassInput> = {}): ClassInput {
  return {
    ageMonths,
    positive: true,
    symptoms: ['cough'],
    pneumoniaOnImaging: false,
    respRate: 20,
    spo2: 98,
    onOxygen: false,
    ...overrides,
  };
}

const codes = (input: ClassInput): string[] => proposeClass(input).criteria.map((c) => c.code);

describe('class order', () => {
  it('runs from asymptomatic to critical', () => {
    expect(CLASS_ORDER).toEqual(['asymptomatic', 'mild', 'moderate', 'severe', 'critical']);
    expect(compareClass('severe', 'moderate')).toBeGreaterThan(0);
    expect(compareClass('mild', 'critical')).toBeLessThan(0);
    expect(compareClass('moderate', 'moderate')).toBe(0);
  });
});

describe('symptom list', () => {
  it('marks the respiratory symptoms that the discharge criterion refers to', () => {
    const respiratory = SYMPTOMS.filter((s) => s.respiratory).map((s) => s.code);
    expect(respiratory).toEqual(['cough', 'sputum', 'sore_throat', 'dry_throat', 'hoarseness', 'nasal_congestion', 'runny_nose', 'breathlessness', 'chest_tightness']);
    expect(SYMPTOMS.find((s) => s.code === 'fever')?.respiratory).toBe(false);
  });
});

describe('asymptomatic, mild and moderate (protocol v9 §6 (一)(二))', () => {
  it('a positive patient with no symptoms and a clear CT is an asymptomatic infection', () => {
    const p = proposeClass(adult({ symptoms: [] }));
    expect(p.ruleSet).toBe('cn-v9');
    expect(p.proposed).toBe('asymptomatic');
    expect(p.criteria).toEqual([{ code: 'asymptomatic_positive_no_symptoms', class: 'asymptomatic', values: { positive: true, pneumoniaOnImaging: false } }]);
    expect(p.missing).toEqual([]);
  });

  it('a patient with a sore throat and a clear CT is mild', () => {
    const p = proposeClass(adult({ symptoms: ['sore_throat', 'fever'] }));
    expect(p.proposed).toBe('mild');
    expect(p.criteria[0]?.values).toEqual({ symptoms: 'sore_throat,fever', pneumoniaOnImaging: false });
  });

  it('a symptomatic patient not yet imaged is proposed mild, and imaging is listed as missing', () => {
    const p = proposeClass(adult({ pneumoniaOnImaging: null }));
    expect(p.proposed).toBe('mild');
    expect(p.missing).toEqual(['imaging']);
  });

  it('a patient with pneumonia on CT is moderate', () => {
    expect(proposeClass(adult({ pneumoniaOnImaging: true })).proposed).toBe('moderate');
  });

  it('pneumonia on CT without symptoms is moderate, not asymptomatic (an asymptomatic infection has a clear CT)', () => {
    const p = proposeClass(adult({ symptoms: [], pneumoniaOnImaging: true }));
    expect(p.proposed).toBe('moderate');
    expect(p.criteria[0]).toEqual({
      code: 'moderate_pneumonia_on_imaging',
      class: 'moderate',
      values: { pneumoniaOnImaging: true, symptomCount: 0 },
    });
  });

  it('without a positive result the proposal is still made, and the missing result is listed', () => {
    expect(proposeClass(adult({ positive: false })).missing).toEqual(['positive_result']);
  });
});

describe('severe, adult (v9 §6 (三) 成人)', () => {
  it.each([
    [29, ['breathlessness'], 'mild'],
    [30, ['breathlessness'], 'severe'],
    [34, ['cough'], 'mild'],
  ] as const)('RR %d with symptoms %j is %s (the criterion needs both breathlessness and RR ≥ 30)', (rr, symptoms, cls) => {
    expect(proposeClass(adult({ respRate: rr, symptoms: [...symptoms] })).proposed).toBe(cls);
  });

  it('breathlessness recorded as a sign counts like the symptom', () => {
    const p = proposeClass(adult({ respRate: 30, breathless: true }));
    expect(p.criteria.find((c) => c.code === 'severe_adult_rr_breathless')?.values).toEqual({ respRate: 30, breathless: true });
  });

  it.each([
    [94, false, 'mild'],
    [93, false, 'severe'],
    [88, true, 'severe'],
  ] as const)('SpO2 %d %% (on oxygen: %s) at rest is %s', (spo2, onOxygen, cls) => {
    expect(proposeClass(adult({ spo2, onOxygen })).proposed).toBe(cls);
  });

  it('SpO2 93 % with the oxygen status unknown still meets the criterion: on air it could only be lower', () => {
    const p = proposeClass(adult({ spo2: 93, onOxygen: null }));
    expect(p.criteria.find((c) => c.code === 'severe_spo2_at_rest_on_air')?.values).toEqual({ spo2: 93 });
  });

  it('SpO2 96 % on oxygen cannot rule the criterion out, so an on-air reading is asked for', () => {
    const p = proposeClass(adult({ spo2: 96, onOxygen: true }));
    expect(p.proposed).toBe('mild');
    expect(p.missing).toEqual(['spo2_on_air']);
  });

  it.each([
    [301, 'mild'],
    [300, 'severe'],
  ] as const)('PaO2/FiO2 %d mmHg at sea level is %s', (pf, cls) => {
    expect(proposeClass(adult({ pao2Fio2: pf, altitudeMetres: 10, atmosphericPressureMmHg: 760 })).proposed).toBe(cls);
  });

  it('at 1,000 m exactly no correction is made: 290 mmHg is severe', () => {
    const p = proposeClass(adult({ pao2Fio2: 290, altitudeMetres: 1000, atmosphericPressureMmHg: 674 }));
    expect(p.proposed).toBe('severe');
    expect(p.criteria.find((c) => c.code === 'severe_adult_pao2_fio2')?.values).toEqual({
      pao2Fio2: 290,
      corrected: false,
      pao2Fio2Used: 290,
      altitudeMetres: 1000,
    });
  });

  it('above 1,000 m the ratio is multiplied by 760/pressure: 290 mmHg at 600 mmHg becomes 367 and is not severe', () => {
    expect(proposeClass(adult({ pao2Fio2: 290, altitudeMetres: 1001, atmosphericPressureMmHg: 600 })).proposed).toBe('mild');
  });

  it.each([
    [240, 'severe'],
    [241, 'mild'],
  ] as const)('at 2,000 m (608 mmHg) a measured %d mmHg corrects to 300 / 301.25 and is %s', (pf, cls) => {
    const p = proposeClass(adult({ pao2Fio2: pf, altitudeMetres: 2000, atmosphericPressureMmHg: 608 }));
    expect(p.proposed).toBe(cls);
    expect(correctedPao2Fio2(pf, 2000, 608).value).toBe(pf === 240 ? 300 : 301.25);
  });

  it('the fired PaO2/FiO2 criterion shows the measured, corrected and pressure values', () => {
    const p = proposeClass(adult({ pao2Fio2: 236, altitudeMetres: 1500, atmosphericPressureMmHg: 600 }));
    expect(p.criteria.find((c) => c.code === 'severe_adult_pao2_fio2')?.values).toEqual({
      pao2Fio2: 236,
      corrected: true,
      pao2Fio2Used: 298.9,
      altitudeMetres: 1500,
      atmosphericPressureMmHg: 600,
    });
  });

  it('above 1,000 m without a pressure the uncorrected ratio is used (errs towards severe) and the pressure is asked for', () => {
    const p = proposeClass(adult({ pao2Fio2: 290, altitudeMetres: 2200, atmosphericPressureMmHg: null }));
    expect(p.proposed).toBe('severe');
    expect(p.missing).toEqual(['atmospheric_pressure']);
  });

  it.each([
    [50, true, null, 'moderate'],
    [51, true, null, 'severe'],
    [80, false, null, 'moderate'],
    [80, true, 48, 'severe'],
    [80, true, 49, 'moderate'],
    [80, true, 12, 'severe'],
  ] as const)('lesion progression %d %% (symptoms worsening: %s, over %s h) in a moderate patient is %s', (pct, worsening, hours, cls) => {
    const input = adult({ pneumoniaOnImaging: true, lesionProgressionPct: pct, symptomsWorsening: worsening, lesionProgressionHours: hours });
    expect(proposeClass(input).proposed).toBe(cls);
  });

  it('worsening symptoms without a progression figure ask for one', () => {
    expect(proposeClass(adult({ pneumoniaOnImaging: true, symptomsWorsening: true })).missing).toEqual(['lesion_progression']);
  });

  it('a patient without observations lists what is needed to judge severity', () => {
    const p = proposeClass({ ageYears: 50, positive: true, symptoms: ['cough'], pneumoniaOnImaging: false });
    expect(p.proposed).toBe('mild');
    expect(p.missing).toEqual(['resp_rate', 'spo2', 'pao2_fio2']);
  });

  it('a patient of unknown age is judged on the adult criteria and the age is reported missing', () => {
    const p = proposeClass({ positive: true, symptoms: ['breathlessness'], pneumoniaOnImaging: false, respRate: 31, spo2: 97, onOxygen: false, pao2Fio2: 400 });
    expect(p.ageGroup).toBe('unknown');
    expect(p.proposed).toBe('severe');
    expect(p.missing).toEqual(['age']);
  });
});

describe('severe, child (v9 §6 (三) 儿童)', () => {
  it.each([
    [0, 60],
    [1.9, 60],
    [2, 50],
    [11.9, 50],
    [12, 40],
    [60, 40],
    [61, 30],
    [204, 30],
  ])('at %d months the fast-breathing threshold is %d /min', (months, threshold) => {
    expect(childTachypnoeaThreshold(months)).toBe(threshold);
  });

  it.each([
    [1, 59, 'mild'],
    [1, 60, 'severe'],
    [6, 49, 'mild'],
    [6, 50, 'severe'],
    [36, 39, 'mild'],
    [36, 40, 'severe'],
    [120, 29, 'mild'],
    [120, 30, 'severe'],
  ] as const)('a child of %d months breathing %d /min is %s', (months, rr, cls) => {
    expect(proposeClass(child(months, { respRate: rr })).proposed).toBe(cls);
  });

  it('the tachypnoea criterion shows the rate, the age and the threshold used', () => {
    const p = proposeClass(child(6, { respRate: 52 }));
    expect(p.ageGroup).toBe('child');
    expect(p.criteria.find((c) => c.code === 'severe_child_tachypnoea')?.values).toEqual({ respRate: 52, ageMonths: 6, threshold: 50 });
  });

  it('age in years is used when months are not given: a 3-year-old at 40 /min is severe', () => {
    expect(ageInMonths({ ageYears: 3 })).toBe(36);
    expect(proposeClass({ ...child(0, { respRate: 40 }), ageMonths: null, ageYears: 3 }).proposed).toBe('severe');
  });

  it('a 17-year-old is a child: RR 30 is severe without breathlessness; an 18-year-old needs breathlessness', () => {
    expect(proposeClass(child(17 * 12, { respRate: 30 })).proposed).toBe('severe');
    expect(proposeClass(child(18 * 12, { respRate: 30, pao2Fio2: 420 })).proposed).toBe('mild');
  });

  it.each([
    [3, 'mild'],
    [4, 'severe'],
  ] as const)('a child with high fever for %d days is %s (more than 3 days)', (days, cls) => {
    expect(proposeClass(child(30, { symptoms: ['fever'], feverDays: days })).proposed).toBe(cls);
  });

  it('a feverish child without a fever duration asks for it', () => {
    expect(proposeClass(child(30, { symptoms: ['fever'] })).missing).toEqual(['fever_days']);
  });

  it.each([
    ['nasalFlaringOrRetractions', 'severe_child_assisted_breathing'],
    ['lethargyOrConvulsions', 'severe_child_lethargy_convulsions'],
    ['refusingFeedsWithDehydration', 'severe_child_refusing_feeds_dehydration'],
  ] as const)('a child with %s is severe (%s); without it, mild', (sign, code) => {
    expect(proposeClass(child(10, { [sign]: true })).proposed).toBe('severe');
    expect(codes(child(10, { [sign]: true }))).toContain(code);
    expect(proposeClass(child(10, { [sign]: false })).proposed).toBe('mild');
  });

  it.each([
    [94, 'mild'],
    [93, 'severe'],
  ] as const)('a child with SpO2 %d %% at rest on air is %s', (spo2, cls) => {
    expect(proposeClass(child(48, { spo2 })).proposed).toBe(cls);
  });

  it('the adult PaO2/FiO2 criterion is not on the child list', () => {
    expect(codes(child(48, { pao2Fio2: 250 }))).toEqual(['mild_symptoms_no_pneumonia']);
  });
});

describe('critical (v9 §6 (四)) and worst class wins', () => {
  it.each([
    ['mechanicalVentilation', 'critical_mechanical_ventilation'],
    ['shock', 'critical_shock'],
    ['organFailureNeedingIcu', 'critical_organ_failure_icu'],
  ] as const)('%s makes the patient critical', (field, code) => {
    const p = proposeClass(adult({ pneumoniaOnImaging: true, [field]: true }));
    expect(p.proposed).toBe('critical');
    expect(p.criteria.map((c) => c.code)).toEqual(['moderate_pneumonia_on_imaging', code]);
  });

  it('a ventilated patient with SpO2 88 % and pneumonia is critical, with every fired criterion listed', () => {
    const p = proposeClass(adult({ pneumoniaOnImaging: true, spo2: 88, onOxygen: true, mechanicalVentilation: true, pao2Fio2: 150 }));
    expect(p.proposed).toBe('critical');
    expect(p.criteria.map((c) => [c.code, c.class])).toEqual([
      ['moderate_pneumonia_on_imaging', 'moderate'],
      ['severe_spo2_at_rest_on_air', 'severe'],
      ['severe_adult_pao2_fio2', 'severe'],
      ['critical_mechanical_ventilation', 'critical'],
    ]);
  });

  it('a severity sign outranks an asymptomatic base: no symptoms but SpO2 92 % on air is severe', () => {
    expect(proposeClass(adult({ symptoms: [], spo2: 92 })).proposed).toBe('severe');
  });
});
