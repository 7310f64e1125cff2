import type { Round } from '../../../../shared/api/rounds';
import { ACVPU, SYMPTOM_CODES, type Acvpu, type SymptomCode, type VitalField } from '../../../../shared/clinical';
import { CLINICAL_SIGNS, OXYGEN_DEVICES, type ClinicalSign, type OxygenDevice } from '../../../../shared/domain/clinical';
import { toLocalInput } from '../../../../shared/domain/time';

/** The round form as typed: every number a string until saved ('' is "not measured"). */
export interface RoundValues {
  respRate: string;
  spo2: string;
  spo2Scale: '1' | '2';
  air: '' | 'air' | 'oxygen';
  o2Device: OxygenDevice | null;
  o2Flow: string;
  systolicBp: string;
  diastolicBp: string;
  pulse: string;
  consciousness: '' | Acvpu;
  temperature: string;
  symptoms: SymptomCode[];
  signs: ClinicalSign[];
  note: string;
  measuredAt: string;
  reason: string;
}

export const isSymptom = (c: string): c is SymptomCode => SYMPTOM_CODES.some((x) => x === c);
export const isSign = (c: string): c is ClinicalSign => CLINICAL_SIGNS.some((x) => x === c);
export const asDevice = (c: string | null): OxygenDevice | null => OXYGEN_DEVICES.find((x) => x === c) ?? null;
export const asAcvpu = (c: string): '' | Acvpu => ACVPU.find((x) => x === c) ?? '';

export const text = (v: number | null | undefined) => (v === null || v === undefined ? '' : String(v));
/** '' is "not measured"; anything else is parsed (NaN, an invalid number, is refused by the contract). */
export const num = (v: string): number | null => (v.trim() === '' ? null : Number(v.trim().replace(',', '.')));
/** For the preview: what does not parse is not measured. */
export const loose = (v: string): number | null => {
  const n = num(v);
  return n === null || Number.isNaN(n) ? null : n;
};

/**
 * The starting values. A new round carries over the oxygen therapy and the symptom list of the last
 * one (to check); measurements always start empty. An amendment starts from the round amended.
 */
export function initialValues(p: { amend?: Round; last: Round | null; spo2Scale: 1 | 2; timeZone: string }): RoundValues {
  const src = p.amend ?? null;
  const carry = p.amend ?? p.last;
  return {
    respRate: text(src?.respRate),
    spo2: text(src?.spo2),
    spo2Scale: (src?.spo2Scale ?? p.spo2Scale) === 2 ? '2' : '1',
    air: carry?.onOxygen === true ? 'oxygen' : 'air',
    o2Device: carry?.onOxygen ? asDevice(carry.o2Device) : null,
    o2Flow: carry?.onOxygen ? text(carry.o2Flow) : '',
    systolicBp: text(src?.systolicBp),
    diastolicBp: text(src?.diastolicBp),
    pulse: text(src?.pulse),
    consciousness: asAcvpu(src?.consciousness ?? ''),
    temperature: text(src?.temperature),
    symptoms: (carry?.symptoms ?? []).filter(isSymptom),
    signs: (src?.signs ?? []).filter(isSign),
    note: src?.note ?? '',
    measuredAt: toLocalInput(src?.measuredAt ?? new Date(), p.timeZone),
    reason: '',
  };
}

/** What a round records, without when it was measured: equal to the start means nothing was entered. */
export function observed(v: RoundValues): string {
  return JSON.stringify([
    v.respRate,
    v.spo2,
    v.air,
    v.o2Device,
    v.o2Flow,
    v.systolicBp,
    v.diastolicBp,
    v.pulse,
    v.consciousness,
    v.temperature,
    v.symptoms,
    v.signs,
    v.note.trim(),
  ]);
}

const NUMERIC_FIELDS = [
  ['respRate', 'respRate'],
  ['spo2', 'spo2'],
  ['o2Flow', 'oxygenFlow'],
  ['systolicBp', 'systolicBp'],
  ['diastolicBp', 'diastolicBp'],
  ['pulse', 'pulse'],
  ['temperature', 'temperature'],
] as const;

/** Fields typed but not a number ("abc"): the preview scores them as missing, never from an older round. */
export function unparsedFields(v: RoundValues): VitalField[] {
  return NUMERIC_FIELDS.filter(([k]) => Number.isNaN(num(v[k]) ?? 0)).map(([, field]) => field);
}

/** The observation as the contract takes it (rounds:record and rounds:amend share these fields). */
export function observation(v: RoundValues, measuredAt: string, confirmedExtremes: VitalField[]) {
  return {
    measuredAt,
    respRate: num(v.respRate),
    spo2: num(v.spo2),
    spo2Scale: v.spo2Scale === '2' ? (2 as const) : (1 as const),
    onOxygen: v.air === '' ? null : v.air === 'oxygen',
    o2Device: v.air === 'oxygen' ? v.o2Device : null,
    o2Flow: v.air === 'oxygen' ? num(v.o2Flow) : null,
    systolicBp: num(v.systolicBp),
    diastolicBp: num(v.diastolicBp),
    pulse: num(v.pulse),
    consciousness: v.consciousness || null,
    temperature: num(v.temperature),
    symptoms: v.symptoms,
    signs: v.signs,
    note: v.note,
    confirmedExtremes,
  };
}
