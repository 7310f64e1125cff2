// Symptom codes recorded on a round. The list follows the clinical features of the China protocol
// trial v9, §4 (一) 临床表现: fever, dry cough and fatigue as the main features; some patients with
// nasal congestion, runny nose, sore throat, loss of smell or taste, conjunctivitis, myalgia and
// diarrhoea; severe patients with breathlessness (Omicron: mostly upper-respiratory symptoms).
// `respiratory` marks the symptoms that the discharge criterion "respiratory symptoms clearly
// improved" (§12) refers to.

export interface SymptomDef {
  readonly code: string;
  readonly respiratory: boolean;
}

export const SYMPTOMS = [
  { code: 'fever', respiratory: false },
  { code: 'chills', respiratory: false },
  { code: 'cough', respiratory: true },
  { code: 'sputum', respiratory: true },
  { code: 'sore_throat', respiratory: true },
  { code: 'dry_throat', respiratory: true },
  { code: 'hoarseness', respiratory: true },
  { code: 'nasal_congestion', respiratory: true },
  { code: 'runny_nose', respiratory: true },
  { code: 'breathlessness', respiratory: true },
  { code: 'chest_tightness', respiratory: true },
  { code: 'loss_of_smell_taste', respiratory: false },
  { code: 'fatigue', respiratory: false },
  { code: 'myalgia', respiratory: false },
  { code: 'headache', respiratory: false },
  { code: 'conjunctivitis', respiratory: false },
  { code: 'diarrhoea', respiratory: false },
  { code: 'nausea_vomiting', respiratory: false },
  { code: 'poor_appetite', respiratory: false },
] as const satisfies readonly SymptomDef[];

export type SymptomCode = (typeof SYMPTOMS)[number]['code'];

export const SYMPTOM_CODES: readonly SymptomCode[] = SYMPTOMS.map((s) => s.code);

export const RESPIRATORY_SYMPTOMS: readonly SymptomCode[] = SYMPTOMS.filter((s) => s.respiratory).map((s) => s.code);

export function isSymptomCode(code: string): code is SymptomCode {
  return (SYMPTOM_CODES as readonly string[]).includes(code);
}
