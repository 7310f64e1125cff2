import type { z } from 'zod';
import type { FieldIssue } from '../errors';

/**
 * Turns zod issues into field issues with i18n keys. Custom checks in the contract give an i18n key
 * (`validation.…`) as their message; built-in checks are mapped by code. Used by dispatch (the
 * VALIDATION error) and by renderer forms (the same errors before a round trip).
 */
export function toFieldIssues(issues: readonly z.core.$ZodIssue[]): FieldIssue[] {
  const out: FieldIssue[] = [];
  for (const issue of issues) {
    const field = issue.path.map(String).join('.');
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) out.push({ field: field ? `${field}.${key}` : key, key: 'validation.unknown_field' });
      continue;
    }
    out.push({ field, ...describe(issue) });
  }
  return out;
}

function describe(issue: z.core.$ZodIssue): Omit<FieldIssue, 'field'> {
  if (typeof issue.message === 'string' && issue.message.startsWith('validation.')) {
    const params = issue.code === 'custom' ? (issue.params as Record<string, string | number> | undefined) : undefined;
    return params ? { key: issue.message, params } : { key: issue.message };
  }
  switch (issue.code) {
    case 'invalid_type':
      // zod leaves `input` out of its issues unless asked, so a bad value would read as missing:
      // a whole-number check only runs on a number, and NaN (a form's "abc") is named as received.
      if (issue.expected === 'int') return { key: 'validation.integer' };
      if ('received' in issue && issue.received === 'NaN') return { key: 'validation.number' };
      if (issue.input === undefined || issue.input === null) return { key: 'validation.required' };
      if (issue.expected === 'number') return { key: 'validation.number' };
      return { key: 'validation.invalid_type' };
    case 'too_small': {
      const min = Number(issue.minimum);
      if (issue.origin === 'string') return min <= 1 ? { key: 'validation.required' } : { key: 'validation.too_short', params: { min } };
      if (issue.origin === 'array' || issue.origin === 'set') return { key: 'validation.too_few', params: { min } };
      return { key: issue.inclusive === false ? 'validation.above' : 'validation.too_small', params: { min } };
    }
    case 'too_big': {
      const max = Number(issue.maximum);
      if (issue.origin === 'string') return { key: 'validation.too_long', params: { max } };
      if (issue.origin === 'array' || issue.origin === 'set') return { key: 'validation.too_many', params: { max } };
      return { key: issue.inclusive === false ? 'validation.below' : 'validation.too_big', params: { max } };
    }
    case 'invalid_format':
      if (issue.format === 'datetime' || issue.format === 'date') return { key: 'validation.invalid_date' };
      return { key: 'validation.invalid_format' };
    case 'invalid_value':
      return { key: 'validation.invalid_option' };
    case 'not_multiple_of':
      return { key: 'validation.integer' };
    default:
      return { key: 'validation.invalid' };
  }
}
