import type { DomainHandlers } from '../context';
import { assignBed, cancelTransfer, completeTransfer, requestTransfer } from './service';
import { getTransfer, transfersOfEpisode } from './repo';
import { listIncoming } from './incoming';
import { settingsOf } from '../settings/settings';

/**
 * Ward scope, declared in shared/api/transfers.ts and enforced by dispatch: a ward doctor assigned to
 * wards requests transfers of their own patients and receives into their own wards; either side may
 * cancel. Experts and administrators work network-wide.
 */
export const transferHandlers: DomainHandlers<'transfers'> = {
  request(ctx, input) {
    return getTransfer(ctx, requestTransfer(ctx, { episodeId: input.episodeId, toFacilityId: input.toFacilityId, toWardId: input.toWardId ?? null, reason: input.reason }));
  },
  assignBed(ctx, { transferId, bedId }) {
    assignBed(ctx, transferId, bedId);
    return getTransfer(ctx, transferId);
  },
  complete(ctx, { transferId }) {
    completeTransfer(ctx, transferId);
    return getTransfer(ctx, transferId);
  },
  cancel(ctx, { transferId, reason }) {
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
