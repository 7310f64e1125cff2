import type { Ctx } from '../context';
import { assertWardAccess } from '../auth/scope';

/**
 * Clinical writes are ward-scoped (DESIGN.md §6): a doctor or nurse assigned to wards may chart only
 * for patients currently placed in one of them. Reads (the chart) are not scoped.
 */
export function assertEpisodeWard(ctx: Ctx, ep: { ward_id: number | null }): void {
  if (ep.ward_id !== null) assertWardAccess(ctx, ep.ward_id, 'episodeId');
}
