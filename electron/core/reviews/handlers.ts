import type { DomainHandlers } from '../context';
import { amendable, signReview } from './record';
import { reviewsOfDay, reviewsOfEpisode } from './list';

export const reviewHandlers: DomainHandlers<'reviews'> = {
  record(ctx, { episodeId, ...fields }) {
    return signReview(ctx, episodeId, fields);
  },
  amend(ctx, { reviewId, reason, ...fields }) {
    const { row, chain } = amendable(ctx, reviewId);
    return signReview(ctx, row.episode_id, fields, { of: row, reason, chain });
  },
  list(ctx, { episodeId }) {
    return reviewsOfEpisode(ctx, episodeId);
  },
  day(ctx, { date }) {
    return reviewsOfDay(ctx, date);
  },
};
