// Physiological limits for entered values. Outside [min, max] a value is impossible (or outside what
// the instrument can report) and is rejected; outside [plausibleMin, plausibleMax] it is possible but
// unusual enough that the bedside user must confirm it (a likely typo: 9.5 for 95 % SpO2, 3.7 °C).
// The zod schemas at the IPC boundary use these same numbers. Ranges are wide enough for children
// (respiratory and heart rates of infants) and for ICU patients.

export interface Limit {
  readonly min: number;
  readonly max: number;
  readonly plausibleMin: number;
  readonly plausibleMax: number;
  readonly unit: string;
}

export const VITAL_SIGN_LIMITS = {
  /** breaths/min; 0 = apnoea (recorded during resuscitation); infants may breathe 60+ /min. */
  respRate: { min: 0, max: 100, plausibleMin: 6, plausibleMax: 60, unit: '/min' },
  /** %; pulse oximeters read 0–100; below 70 % readings are rare and often artefact. */
  spo2: { min: 0, max: 100, plausibleMin: 70, plausibleMax: 100, unit: '%' },
  systolicBp: { min: 0, max: 300, plausibleMin: 60, plausibleMax: 250, unit: 'mmHg' },
  diastolicBp: { min: 0, max: 200, plausibleMin: 30, plausibleMax: 150, unit: 'mmHg' },
  /** beats/min; infants may reach 200+. */
  pulse: { min: 0, max: 300, plausibleMin: 30, plausibleMax: 220, unit: '/min' },
  /** °C; outside 25–45 the patient could not be on a ward round (or the thermometer is wrong). */
  temperature: { min: 25, max: 45, plausibleMin: 34, plausibleMax: 42, unit: '°C' },
  /** L/min; high-flow nasal oxygen delivers up to 60–80 L/min. */
  oxygenFlow: { min: 0, max: 80, plausibleMin: 0, plausibleMax: 60, unit: 'L/min' },
} as const satisfies Record<string, Limit>;

export const LAB_LIMITS = {
  /** PCR cycle threshold per gene: 0–45 cycles run; results above the cut-off 40 read as negative. */
  ctN: { min: 0, max: 45, plausibleMin: 10, plausibleMax: 40, unit: 'Ct' },
  ctOrf1ab: { min: 0, max: 45, plausibleMin: 10, plausibleMax: 40, unit: 'Ct' },
  ctE: { min: 0, max: 45, plausibleMin: 10, plausibleMax: 40, unit: 'Ct' },
  /** ×10⁹/L; lymphocytic leukaemia can exceed 50. */
  lymphocytes: { min: 0, max: 100, plausibleMin: 0.05, plausibleMax: 10, unit: '×10⁹/L' },
  crp: { min: 0, max: 1000, plausibleMin: 0, plausibleMax: 300, unit: 'mg/L' },
  il6: { min: 0, max: 100000, plausibleMin: 0, plausibleMax: 5000, unit: 'pg/mL' },
  ferritin: { min: 0, max: 100000, plausibleMin: 1, plausibleMax: 10000, unit: 'ng/mL' },
  /** mg/L FEU. */
  ddimer: { min: 0, max: 100, plausibleMin: 0, plausibleMax: 20, unit: 'mg/L FEU' },
  lactate: { min: 0, max: 30, plausibleMin: 0.3, plausibleMax: 15, unit: 'mmol/L' },
  /** mmHg; PaO2 cannot exceed ~700 mmHg even on 100 % oxygen at sea level. */
  pao2Fio2: { min: 10, max: 800, plausibleMin: 50, plausibleMax: 600, unit: 'mmHg' },
  /**
   * Change in lesion extent vs the previous image, %. −100 = lesions fully resolved; increases can
   * exceed 100 % (a lesion that triples has progressed by 200 %), so the hard maximum is +1000 %.
   */
  progressionPct: { min: -100, max: 1000, plausibleMin: -100, plausibleMax: 300, unit: '%' },
} as const satisfies Record<string, Limit>;

/** PCR cycle-threshold cut-off (界限值) of the quantitative assays in use (China protocol trial v9 §12). */
export const PCR_CT_CUTOFF = 40;

/**
 * Every limit, bedside observations and laboratory results together — the table the IPC schemas
 * read (`VITAL_LIMITS.spo2`, `VITAL_LIMITS.ctN`, `VITAL_LIMITS.ddimer`, ...).
 */
export const VITAL_LIMITS = { ...VITAL_SIGN_LIMITS, ...LAB_LIMITS } as const satisfies Record<string, Limit>;

export type VitalField = keyof typeof VITAL_SIGN_LIMITS;
export type LabField = keyof typeof LAB_LIMITS;
export type LimitField = keyof typeof VITAL_LIMITS;

/** Alias of VITAL_LIMITS (what the rule set exposes as `limits`). */
export const LIMITS: Readonly<Record<LimitField, Limit>> = VITAL_LIMITS;
