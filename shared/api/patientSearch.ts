import { z } from 'zod';
import { query, READS_NETWORK } from './define';
import { Id, InstantOut } from './fields';
import { EPISODE_STATUSES, SEXES } from '../domain/enums';

/** Suggestions under the header search box; the patient list shows up to SEARCH_LIST_LIMIT. */
export const SEARCH_SUGGEST_LIMIT = 20;
export const SEARCH_LIST_LIMIT = 5000;

export const PatientSearchInputSchema = z.strictObject({
  /** A name prefix, pinyin initials (zw), a bed label prefix (A1-0) or the last 4–6 characters of the ID card. */
  q: z.string().trim().max(50),
  /** `list` with an empty q lists every patient in hospital, newest admission first. */
  mode: z.enum(['suggest', 'list']).default('suggest'),
});
export type PatientSearchInput = z.output<typeof PatientSearchInputSchema>;

export const PatientSearchHitSchema = z.object({
  patientId: Id,
  episodeId: Id.nullable(),
  name: z.string(),
  sex: z.enum(SEXES),
  ageYears: z.number().int().nullable(),
  idCardMasked: z.string().nullable(),
  status: z.enum(EPISODE_STATUSES).nullable(),
  admittedAt: InstantOut.nullable(),
  bedLabel: z.string().nullable(),
  wardName: z.string().nullable(),
  facilityName: z.string().nullable(),
  matchedBy: z.enum(['name', 'initials', 'bed', 'idTail', 'active']),
});
export type PatientSearchHit = z.infer<typeof PatientSearchHitSchema>;

export const searchPatientsCall = query({
  input: PatientSearchInputSchema,
  output: z.object({ results: z.array(PatientSearchHitSchema), more: z.boolean() }),
  scope: READS_NETWORK,
  access: 'authenticated',
});
