/** What the server and its clients agree on over HTTP, apart from the contract itself. */
export const SESSION_COOKIE = 'echelon_session';
/** The token for clients that are not browsers (the desktop app's main process): sent back as `Authorization: Bearer`. */
export const SESSION_HEADER = 'x-echelon-session';
/** The workstation's name, percent-encoded (header values are Latin-1), recorded in every audit row of its calls. */
export const WORKSTATION_HEADER = 'x-echelon-workstation';
export const IDEMPOTENCY_HEADER = 'idempotency-key';
/** Set on a reply that is the stored result of an earlier call with the same idempotency key. */
export const REPLAYED_HEADER = 'x-echelon-replayed';

/** Accepts `AB:CD:…`, `abcd…` or with spaces; the canonical upper-case colon form, or null when it is not a SHA-256. */
export function normaliseFingerprint(text: string): string | null {
  const hex = text.replace(/[\s:]/g, '').toUpperCase();
  if (!/^[0-9A-F]{64}$/.test(hex)) return null;
  return hex.match(/../g)!.join(':');
}
