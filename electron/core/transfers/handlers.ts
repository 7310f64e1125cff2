import type { Ctx, DomainHandlers } from '../context';
import { expectVersion } from '../records/versions';
import { assignBed, cancelTransfer, completeTransfer, requestTransfer } from './service';
import { getTransfer, transfersOfEpisode } from './repo';
import { listIncoming } from './incoming';
import { settingsOf } from '../settings/settings';

/**
 * A person's edit of a request names the version they saw; the system's own closing of a request (on
 * discharge, on an amended review) does not. A missing request passes here and is NOT_FOUND in the service.
 */
function expectTransferVersion(ctx: Ctx, transferId: number, version: number): void {
  expectVersion(ctx, { table: 'transfer_request', id: transferId, version });
}

/**
 * Ward scope, declared in shared/api/transfers.ts and enforced by dispatch: a ward doctor assigned to
 * wards requests transfers of their own patients and receives into their own wards; either side may
 * cancel. Experts and administrators work network-wide.
 */
export const transferHandlers: DomainHandlers<'transfers'> = {
  request(ctx, input) {
    return getTransfer(ctx, requestTransfer(ctx, { episodeId: input.episodeId, toFacilityId: input.toFacilityId, toWardId: input.toWardId ?? null, reason: input.reason }));
  },
  assignBed(ctx, { transferId, bedId, version }) {
    expectTransferVersion(ctx, transferId, version);
    assignBed(ctx, transferId, bedId);
    return getTransfer(ctx, transferId);
  },
  complete(ctx, { transferId, version }) {
    expectTransferVersion(ctx, transferId, version);
    completeTransfer(ctx, transferId);
    return getTransfer(ctx, transferId);
  },
  cancel(ctx, { transferId, reason, version }) {
    expectTransferVersion(ctx, transferId, version);
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
