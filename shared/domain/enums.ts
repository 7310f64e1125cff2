/** Closed vocabularies shared by the contract, the database CHECK constraints and the UI. */
export const ROLES = ['ward_doctor', 'nurse', 'expert', 'admin'] as const;
export type Role = (typeof ROLES)[number];

export const FACILITY_KINDS = ['designated', 'fangcang', 'isolation'] as const;
export type FacilityKind = (typeof FACILITY_KINDS)[number];

export const WARD_KINDS = ['general', 'severe', 'icu', 'zone'] as const;
export type WardKind = (typeof WARD_KINDS)[number];

export const BED_STATES = ['free', 'reserved', 'occupied', 'cleaning', 'out_of_service'] as const;
export type BedState = (typeof BED_STATES)[number];

export const BED_TAGS = ['oxygen', 'negative_pressure', 'monitor', 'ventilator', 'paediatric', 'accessible'] as const;
export type BedTag = (typeof BED_TAGS)[number];

export const SEXES = ['M', 'F'] as const;
export type Sex = (typeof SEXES)[number];

export const EPISODE_STATUSES = ['active', 'discharged', 'deceased'] as const;
export type EpisodeStatus = (typeof EPISODE_STATUSES)[number];

export const PLACEMENT_STARTS = ['admission', 'transfer', 'move'] as const;
export type PlacementStart = (typeof PLACEMENT_STARTS)[number];

export const ADMISSION_SOURCES = ['community_screening', 'close_contact', 'fever_clinic', 'referral', 'other'] as const;
export type AdmissionSource = (typeof ADMISSION_SOURCES)[number];

/** SQL `CHECK (col IN (...))` text for one of the vocabularies above. */
export function sqlIn(values: readonly string[]): string {
  return `(${values.map((v) => `'${v}'`).join(', ')})`;
}
