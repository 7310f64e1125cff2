/** A number, or a dash when not measured; `digits` fixes decimals (temperature 36.8). */
export function fmt(v: number | null | undefined, digits?: number): string {
  if (v === null || v === undefined) return '—';
  return digits === undefined ? String(v) : v.toFixed(digits);
}

/** A number with one decimal by default (a rate, a mean), or a dash. */
export const fmtNum = (v: number | null | undefined, digits = 1) => fmt(v, digits);

/**
 * Groups the versions of signed records for display: each head (the version in force, or a
 * withdrawn original) with the older versions it replaced and, when withdrawn, the marker saying why.
 */
export function versionGroups<R extends { id: number; status: string; supersedesId: number | null }>(rows: readonly R[]): { head: R; older: R[]; withdrawal: R | null }[] {
  const byId = new Map(rows.map((r) => [r.id, r]));
  const replacedBy = new Map<number, R>();
  for (const r of rows) if (r.supersedesId !== null) replacedBy.set(r.supersedesId, r);
  const out: { head: R; older: R[]; withdrawal: R | null }[] = [];
  for (const r of rows) {
    if (r.status === 'superseded' || r.status === 'error_marker') continue;
    const older: R[] = [];
    for (let prev = r.supersedesId !== null ? byId.get(r.supersedesId) : undefined; prev; prev = prev.supersedesId !== null ? byId.get(prev.supersedesId) : undefined)
      older.push(prev);
    out.push({ head: r, older, withdrawal: r.status === 'withdrawn' ? (replacedBy.get(r.id) ?? null) : null });
  }
  return out;
}
