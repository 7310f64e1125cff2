/**
 * The one error style of Echelon. Handlers throw AppError; dispatch turns it into
 * `{ok:false, error}`; the renderer rebuilds an AppError and shows the translated message.
 */
export const ERROR_CODES = [
  'VALIDATION',
  'NOT_FOUND',
  'CONFLICT',
  'FORBIDDEN',
  'UNAUTHENTICATED',
  'RULE_VIOLATION',
  'STORAGE',
  'INTERNAL',
  // The server could not be reached, or its answer was lost: nothing is known to be saved (network mode).
  'UNAVAILABLE',
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

export interface FieldIssue {
  /** Dotted path of the offending field, e.g. `vitals.spo2`; '' for the whole input. */
  field: string;
  /** i18n message key, e.g. `validation.too_big`. */
  key: string;
  params?: Record<string, string | number>;
}

export interface ErrorDetails {
  /** i18n key for a more specific message than the code's generic one. */
  key?: string;
  params?: Record<string, string | number>;
  issues?: FieldIssue[];
  [extra: string]: unknown;
}

export interface ErrorPayload {
  code: ErrorCode;
  message: string;
  details: ErrorDetails;
}

export class AppError extends Error {
  readonly code: ErrorCode;
  readonly details: ErrorDetails;

  constructor(code: ErrorCode, message: string, details: ErrorDetails = {}) {
    super(message);
    this.name = 'AppError';
    this.code = code;
    this.details = details;
  }

  toPayload(): ErrorPayload {
    return { code: this.code, message: this.message, details: this.details };
  }

  static fromPayload(p: ErrorPayload): AppError {
    return new AppError(p.code, p.message, p.details ?? {});
  }

  /** A single-field validation error, the common case for rule checks in services. */
  static field(field: string, key: string, params?: Record<string, string | number>): AppError {
    return new AppError('VALIDATION', `${field}: ${key}`, { issues: [{ field, key, ...(params ? { params } : {}) }] });
  }
}

export type Result<T> = { ok: true; value: T } | { ok: false; error: ErrorPayload };

export function isErrorPayload(v: unknown): v is ErrorPayload {
  return typeof v === 'object' && v !== null && typeof (v as { code?: unknown }).code === 'string' && (ERROR_CODES as readonly string[]).includes((v as { code: string }).code);
}
