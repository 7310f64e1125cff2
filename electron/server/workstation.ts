/** The longest workstation name kept; with the address it stays under the audit column's 200 characters. */
export const MAX_WORKSTATION_NAME = 64;

/**
 * What the audit rows record as the workstation: the client address as the server saw it, then the name
 * the client gave (the `X-Echelon-Workstation` header, e.g. `病区一护士站`). The name is the client's
 * word, so it is cleaned: control, format and bidi characters removed (no forged line breaks or
 * reversed text in the audit viewer), whitespace squeezed, at most 64 characters.
 */
export function workstationOf(address: string, given: string | string[] | undefined): string {
  const addr = address.startsWith('::ffff:') ? address.slice(7) : address;
  const raw = Array.isArray(given) ? given[0] : given;
  if (!raw) return addr;
  let name = raw;
  try {
    // Header values are Latin-1 on the wire: a client sends a Chinese name percent-encoded.
    name = decodeURIComponent(raw);
  } catch {
    name = raw;
  }
  const clean = [
    ...name
      .replace(/\p{Cf}/gu, '')
      .replace(/[\p{Cc}\p{Zl}\p{Zp}\s]+/gu, ' ')
      .trim(),
  ]
    .slice(0, MAX_WORKSTATION_NAME)
    .join('');
  return clean ? `${addr} ${clean}` : addr;
}

export function isLoopback(address: string): boolean {
  return address === '127.0.0.1' || address === '::1' || address === '::ffff:127.0.0.1' || address.startsWith('127.');
}
