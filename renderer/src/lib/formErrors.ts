import type { z } from 'zod';
import { AppError, type FieldIssue } from '../../../shared/errors';
import { toFieldIssues } from '../../../shared/api/issues';
import type { T } from './i18n';

/**
 * Field errors for a form, keyed by the form's own field names. `prefixes` strips contract paths
 * (e.g. `patient.`) so `patient.name` lands on the form's `name`.
 */
export function fieldErrors(issues: readonly FieldIssue[], t: T, prefixes: readonly string[] = []): Record<string, string> {
  const out: Record<string, string> = {};
  for (const issue of issues) {
    let field = issue.field;
    for (const p of prefixes) if (field.startsWith(p)) field = field.slice(p.length);
    out[field || '_form'] ??= t(issue.key, issue.params);
  }
  return out;
}

export function issuesOf(err: unknown): FieldIssue[] {
  return err instanceof AppError ? (err.details.issues ?? []) : [];
}

/** Validates with the same contract schema the core uses, so the field errors match. */
export function precheck<S extends z.ZodType>(schema: S, value: unknown): { ok: true; data: z.output<S> } | { ok: false; issues: FieldIssue[] } {
  const r = schema.safeParse(value);
  return r.success ? { ok: true, data: r.data } : { ok: false, issues: toFieldIssues(r.error.issues) };
}
