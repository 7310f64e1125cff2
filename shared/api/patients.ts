import { z } from 'zod';
import { command, query, inWardsOf, READS_NETWORK } from './define';
import { BirthDate, Id, Instant, InstantOut, Name, OptionalText, PersonShape } from './fields';
import { ADMISSION_SOURCES, SEXES } from '../domain/enums';
import { isValidIdCard } from '../domain/idcard';
import { AGE_MONTHS_BELOW } from '../domain/age';
import { RISK_FACTORS } from '../clinical/flags';
import { searchPatientsCall } from './patientSearch';

/** Risk factors a clinician records; `age_over_60` is derived from the age, never entered. */
export const RECORDED_RISK_FACTORS = RISK_FACTORS.filter((f) => f !== 'age_over_60');
export const RecordedRiskFactor = z.enum(RECORDED_RISK_FACTORS as [string, ...string[]]);

export const PatientIdentitySchema = z
  .strictObject({
    name: Name(50),
    sex: z.enum(SEXES),
    birthDate: BirthDate.nullable().optional(),
    ageYears: z.number().int().min(0).max(130).nullable().optional(),
    /** An infant's or young child's age in completed months, instead of ageYears when there is no birth date. */
    ageMonths: z
      .number()
      .int()
      .min(0)
      .max(AGE_MONTHS_BELOW - 1)
      .nullable()
      .optional(),
    idCard: z
      .string()
      .trim()
      .toUpperCase()
      .refine((s) => s === '' || isValidIdCard(s), { error: 'validation.id_card' })
      .transform((s) => (s === '' ? null : s))
      .nullable()
      .optional(),
    phone: z
      .string()
      .trim()
      .regex(/^(?:\+?86)?(?:1\d{10}|0\d{2,3}-?\d{7,8})?$/, { error: 'validation.phone' })
      .transform((s) => (s === '' ? null : s))
      .nullable()
      .optional(),
    address: OptionalText(200),
    community: OptionalText(100),
    riskFactors: z.array(RecordedRiskFactor).max(RECORDED_RISK_FACTORS.length).default([]),
    vaccinationDoses: z.number().int().min(0).max(6).nullable().optional(),
    allergies: OptionalText(500),
    chronicMedications: OptionalText(1000),
  })
  .refine((p) => p.birthDate != null || p.ageYears != null || p.ageMonths != null || p.idCard != null, {
    path: ['ageYears'],
    error: 'validation.age_or_birth_date',
  })
  .refine((p) => p.ageYears == null || p.ageMonths == null, {
    path: ['ageMonths'],
    error: 'validation.age_years_and_months',
  });
export type PatientIdentityInput = z.input<typeof PatientIdentitySchema>;

export const AdmitInputSchema = z.strictObject({
  patient: PatientIdentitySchema,
  wardId: Id,
  bedId: Id,
  admittedAt: Instant,
  source: z.enum(ADMISSION_SOURCES),
});
export type AdmitInput = z.input<typeof AdmitInputSchema>;

export const PatientSummarySchema = z.object({
  id: Id,
  ...PersonShape,
  /** Completed months when known (birth date, or an age stated in months). */
  ageMonths: z.number().int().nullable(),
  birthDate: z.string().nullable(),
  idCardMasked: z.string().nullable(),
  phone: z.string().nullable(),
  community: z.string().nullable(),
  riskFactors: z.array(z.string()),
});

export const AdmissionResultSchema = z.object({
  patientId: Id,
  episodeId: Id,
  placementId: Id,
  bedId: Id,
  admittedAt: InstantOut,
});

export const patients = {
  admit: command({ input: AdmitInputSchema, output: AdmissionResultSchema, scope: inWardsOf({ wardId: 'ward', bedId: 'bed' }), access: ['admin', 'ward_doctor'] }),
  get: query({ input: z.strictObject({ patientId: Id }), output: PatientSummarySchema, scope: READS_NETWORK, access: 'authenticated' }),
  /** Find a patient as you type (issue 8): name, pinyin initials, bed label, ID-card tail. */
  search: searchPatientsCall,
};
