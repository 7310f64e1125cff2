import { z } from 'zod';

/** Field schemas reused across the contract. Error messages are i18n keys resolved in the renderer. */
export const Id = z.number().int().positive();

/** An instant, stored and transported as UTC ISO-8601 (`2022-03-20T06:05:00.000Z`). */
export const Instant = z.iso.datetime({ offset: true }).transform((s) => new Date(s).toISOString());
export const InstantOut = z.string();

export const LocalDate = z.iso.date();

/**
 * True unless the string holds a lone UTF-16 surrogate: such text has no UTF-8 form, and SQLite would
 * store replacement characters instead of what was sent. Refused rather than silently changed.
 */
export const isWellFormed = (s: string) => !/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.test(s);

export const Text = (max: number) => z.string().trim().min(1).max(max).refine(isWellFormed, { error: 'validation.invalid_text' });
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

/** Empty input in an object schema: calls with no arguments still take `{}` so extra keys are refused. */
export const NoInput = z.strictObject({});

export const Ok = z.object({ ok: z.literal(true) });
