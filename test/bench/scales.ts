/** Bench scales: `full` is DESIGN.md §8 (50,000 patients in hospital, 1,000,000 rounds, and 20,000 already discharged); `small` runs in CI. */
export type ScaleName = 'small' | 'full';

export interface Scale {
  patients: number;
  roundsPerPatient: number;
  days: number;
  /** Patients already discharged home during those days (the discharge statistics' load). */
  discharged: number;
  importRows: number;
  zoneBeds: number;
}

export const SCALES: Record<ScaleName, Scale> = {
  small: { patients: 2000, roundsPerPatient: 20, days: 10, discharged: 800, importRows: 2000, zoneBeds: 500 },
  full: { patients: 50_000, roundsPerPatient: 20, days: 10, discharged: 20_000, importRows: 50_000, zoneBeds: 500 },
};

/** 2022-03-20 14:05 in Shanghai: the bench's clock, so every run sees the same network. */
export const NOW = '2022-03-20T06:05:00.000Z';
export const BENCH_SEED = 20220320;
/** Bump when the generator changes, so a cached network is rebuilt. */
export const GENERATOR_VERSION = 4;

/** The values of the i-th round a bench records: normal, varied enough that no two rounds in a row are alike. */
export const vitals = (i: number) => ({
  respRate: 18 + (i % 5),
  spo2: 95 + (i % 4),
  onOxygen: false,
  systolicBp: 120 + (i % 20),
  diastolicBp: 78,
  pulse: 80 + (i % 15),
  consciousness: 'A',
  temperature: 36.8,
  symptoms: ['cough'],
});
