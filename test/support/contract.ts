import type { z } from 'zod';

/** The field names a call's input schema knows (an object, a refined object, or a pipe into one). */
export function fieldNames(schema: z.ZodType): string[] {
  const s = schema as unknown as { shape?: Record<string, unknown>; def?: { in?: { shape?: Record<string, unknown> }; innerType?: { shape?: Record<string, unknown> } } };
  return Object.keys(s.shape ?? s.def?.in?.shape ?? s.def?.innerType?.shape ?? {});
}
