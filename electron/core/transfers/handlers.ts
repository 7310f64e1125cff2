import type { DomainHandlers } from '../context';
import { assignBed, cancelTransfer, completeTransfer, requestTransfer } from './service';
import { getTransfer, transfersOfEpisode } from './repo';
import { listIncoming } from './incoming';
import { settingsOf } from '../settings/settings';
import { assertWardAccess, wardScope } from '../auth/scope';
import { bedById, openPlacement } from '../beds/moves';

/**
 * Ward scope (electron/core/auth/scope.ts): a ward doctor assigned to wards requests transfers of
 * their own patients and receives into their own wards; either side may cancel. Experts and
 * administrators work network-wide.
 */
export const transferHandlers: DomainHandlers<'transfers'> = {
  request(ctx, input) {
    assertWardAccess(ctx, openPlacement(ctx, input.episodeId).ward_id, 'episodeId');
    return getTransfer(ctx, requestTransfer(ctx, { episodeId: input.episodeId, toFacilityId: input.toFacilityId, toWardId: input.toWardId ?? null, reason: input.reason }));
  },
  assignBed(ctx, { transferId, bedId }) {
    assertWardAccess(ctx, bedById(ctx, bedId).ward_id, 'bedId');
    assignBed(ctx, transferId, bedId);
    return getTransfer(ctx, transferId);
  },
  complete(ctx, { transferId }) {
    const to = getTransfer(ctx, transferId).to.ward;
    if (to) assertWardAccess(ctx, to.id, 'transferId');
    completeTransfer(ctx, transferId);
    return getTransfer(ctx, transferId);
  },
  cancel(ctx, { transferId, reason }) {
    const t = getTransfer(ctx, transferId);
    const scope = wardScope(ctx);
    if (scope !== 'all' && !scope.has(t.from.ward.id) && !(t.to.ward && scope.has(t.to.ward.id))) assertWardAccess(ctx, t.from.ward.id, 'transferId');
    cancelTransfer(ctx, transferId, reason);
    return getTransfer(ctx, transferId);
  },
  listIncoming(ctx, { facilityId, wardId }) {
    return { timeZone: settingsOf(ctx).timeZone, transfers: listIncoming(ctx, facilityId, wardId ?? null) };
  },
  forEpisode(ctx, { episodeId }) {
    return transfersOfEpisode(ctx, episodeId);
  },
};
