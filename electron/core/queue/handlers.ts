import { AppError } from '../../../shared/errors';
import { MAX_SNOOZE_HOURS } from '../../../shared/api/queue';
import { HOUR_MS } from '../../../shared/clinical/time';
import type { DomainHandlers } from '../context';
import { computeSnapshot } from '../clinical/state';
import { openPlacement } from '../beds/moves';
import { listQueue } from './list';

export const queueHandlers: DomainHandlers<'queue'> = {
  list(ctx, filter) {
    return listQueue(ctx, filter);
  },

  refer(ctx, { episodeId, note }) {
    const place = openPlacement(ctx, episodeId);
    const referralId = Number(
      ctx.stmt<[number, string, number, string]>('INSERT INTO referral (episode_id, at, author_id, note) VALUES (?, ?, ?, ?)').run(episodeId, ctx.now, ctx.actor.id, note)
        .lastInsertRowid,
    );
    ctx.audit({ action: 'queue.refer', entity: 'referral', entityId: referralId, patientId: place.patient_id, after: { note } });
    ctx.touchEpisode(episodeId);
    return { referralId };
  },

  snooze(ctx, { episodeId, flagCode, until, reason }) {
    const place = openPlacement(ctx, episodeId);
    if (until <= ctx.now) throw AppError.field('until', 'panel.snooze_not_future');
    if (Date.parse(until) - Date.parse(ctx.now) > MAX_SNOOZE_HOURS * HOUR_MS) throw AppError.field('until', 'panel.snooze_too_long', { hours: MAX_SNOOZE_HOURS });
    // Only a flag that is showing now can be snoozed; a snoozed one shows again when its snooze ends.
    if (!computeSnapshot(ctx, episodeId).flags.some((f) => f.code === flagCode)) throw AppError.field('flagCode', 'panel.flag_not_active');
    const snoozeId = Number(
      ctx
        .stmt<[number, string, string, string, number, string]>('INSERT INTO flag_snooze (episode_id, flag_code, at, until, author_id, reason) VALUES (?, ?, ?, ?, ?, ?)')
        .run(episodeId, flagCode, ctx.now, until, ctx.actor.id, reason).lastInsertRowid,
    );
    ctx.audit({ action: 'queue.snooze', entity: 'flag_snooze', entityId: snoozeId, patientId: place.patient_id, after: { flagCode, until }, reason });
    ctx.touchEpisode(episodeId);
    return { snoozeId };
  },
};
