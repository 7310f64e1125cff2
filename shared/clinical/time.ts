// Time helpers for the clinical rules. Instants arrive as ISO-8601 UTC strings and
// are compared as epoch milliseconds; the rules never read the clock themselves.

export const MINUTE_MS = 60_000;
export const HOUR_MS = 60 * MINUTE_MS;

/** Epoch milliseconds of an ISO-8601 instant, or null when it cannot be parsed. */
export function toMs(iso: string | null | undefined): number | null {
  if (iso === null || iso === undefined) return null;
  const ms = Date.parse(iso);
  return Number.isFinite(ms) ? ms : null;
}

/** Like toMs, but for instants the caller must supply (e.g. `now`): a bad one is a programming error. */
export function requireMs(iso: string, name: string): number {
  const ms = toMs(iso);
  if (ms === null) throw new RangeError(`${name} is not a valid ISO-8601 instant: ${iso}`);
  return ms;
}

/** A finite number, or null for null, undefined and NaN/Infinity (treated as "not measured"). */
export function finiteOrNull(value: number | null | undefined): number | null {
  return typeof value === 'number' && Number.isFinite(value) ? value : null;
}

/** Rounds to a fixed number of decimals for display in evidence (avoids 0.30000000000000004). */
export function roundTo(value: number, decimals: number): number {
  const factor = 10 ** decimals;
  return Math.round(value * factor) / factor;
}
