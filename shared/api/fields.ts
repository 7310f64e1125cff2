import { z } from 'zod';
import { SEXES } from '../domain/enums';

/** Field schemas reused across the contract. Error messages are i18n keys resolved in the renderer. */
export const Id = z.number().int().positive();

/**
 * Bounds of every date and instant that enters the contract (DESIGN.md §6; issue 12 finding 2): birth
 * dates from 1900, clinical times and dates from 2000, nothing after 2099. An instant before the year
 * 1000 once made the shared screens fail for everyone. Whether a time may lie in the future depends on
 * the field and on `now`, which a schema does not know: the core checks that (e.g. validation.future).
 */
export const EARLIEST_BIRTH_DATE = '1900-01-01';
export const EARLIEST_CLINICAL_DATE = '2000-01-01';
export const LATEST_DATE = '2099-12-31';
const EARLIEST_CLINICAL_MS = Date.parse(`${EARLIEST_CLINICAL_DATE}T00:00:00Z`);
const AFTER_LATEST_MS = Date.parse('2100-01-01T00:00:00Z');

const tooEarly = (min: string) => ({ error: 'validation.date_too_early', params: { min } });
const tooLate = { error: 'validation.date_too_late', params: { max: LATEST_DATE } };

/** An instant, stored and transported as UTC ISO-8601 (`2022-03-20T06:05:00.000Z`): a clinical time, 2000–2099. */
export const Instant = z.iso
  .datetime({ offset: true })
  .transform((s) => new Date(s).toISOString())
  .refine((s) => Date.parse(s) >= EARLIEST_CLINICAL_MS, tooEarly(EARLIEST_CLINICAL_DATE))
  .refine((s) => Date.parse(s) < AFTER_LATEST_MS, tooLate);
export const InstantOut = z.string();
/** An instant without the bounds, for previews computed while a time is still being typed (never stored). */
export const UncheckedInstant = z.iso.datetime({ offset: true }).transform((s) => new Date(s).toISOString());

/** A calendar date (`YYYY-MM-DD`) of clinical or report use: 2000–2099. */
export const LocalDate = z.iso
  .date()
  .refine((s) => s >= EARLIEST_CLINICAL_DATE, tooEarly(EARLIEST_CLINICAL_DATE))
  .refine((s) => s <= LATEST_DATE, tooLate);

/** A birth date: from 1900 (the ID card's own lower bound, shared/domain/idcard.ts). */
export const BirthDate = z.iso
  .date()
  .refine((s) => s >= EARLIEST_BIRTH_DATE, tooEarly(EARLIEST_BIRTH_DATE))
  .refine((s) => s <= LATEST_DATE, tooLate);

/**
 * True unless the string holds a lone UTF-16 surrogate: such text has no UTF-8 form, and SQLite would
 * store replacement characters instead of what was sent. Refused rather than silently changed.
 */
export const isWellFormed = (s: string) => !/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.test(s);

export const Text = (max: number) => z.string().trim().min(1).max(max).refine(isWellFormed, { error: 'validation.invalid_text' });

/** Bidi embeddings, overrides and isolates (U+202A–U+202E, U+2066–U+2069): they make a name read differently from what is stored. */
const BIDI_CONTROL = /[\u202A-\u202E\u2066-\u2069]/;
/** Nothing a reader can see: only format characters (zero-width space, joiners, BOM, soft hyphen…) and spaces. */
const INVISIBLE = /^[\p{Cf}\p{Z}\s]*$/u;

/**
 * A person's name (patient, user display name): text a reader can see and that reads as stored
 * (issue 12, finding 12), so two people can never look alike on a list or a signed record.
 */
export const Name = (max: number) =>
  Text(max)
    .refine((s) => !BIDI_CONTROL.test(s), { error: 'validation.bidi_control' })
    .refine((s) => !INVISIBLE.test(s), { error: 'validation.invisible_text' });
export const OptionalText = (max: number) =>
  z
    .string()
    .trim()
    .max(max)
    .refine(isWellFormed, { error: 'validation.invalid_text' })
    .transform((s) => (s === '' ? null : s))
    .nullable()
    .optional()
    .transform((s) => s ?? null);

/** An optional input that may also be sent as null: left out, it arrives as null, so the core sees one "no value". */
export const orNull = <S extends z.ZodType>(schema: S) =>
  schema
    .nullable()
    .optional()
    .transform((v) => v ?? null);

/** A person as every list, header and printout names them: name, sex and age in whole years. */
export const PersonShape = {
  name: z.string(),
  sex: z.enum(SEXES),
  ageYears: z.number().int().nullable(),
};

/** The first fields of every row about a patient in hospital: the episode, the patient and who they are. */
export const PatientRowShape = {
  episodeId: Id,
  patientId: Id,
  ...PersonShape,
};

/** Empty input in an object schema: calls with no arguments still take `{}` so extra keys are refused. */
export const NoInput = z.strictObject({});

export const Ok = z.object({ ok: z.literal(true) });
