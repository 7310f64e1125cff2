import { describe, expect, it } from 'vitest';
import type { DischargeCheck, ReadyList } from '../../shared/api/discharge';
import type { DischargeStats } from '../../shared/api/reports';
import type { DischargeSummary } from '../../shared/api/summary';
import { admission, makeNetwork } from '../support/core';
import { sh } from '../support/timeline';

/**
 * Issue 13 item 9: the discharge list said 20 days and the summary 19 for the same patient. Both now
 * show shared/domain/time.ts lengthOfStayDays (住院天数: discharge date − admission date in the
 * hospital's time zone), as do the discharge screen's header and the discharge statistics.
 */
describe('length of stay, one definition', () => {
  it('a patient admitted late in the evening and discharged early in the morning has the same length of stay on the list, the check, the summary and the statistics', () => {
    const c = makeNetwork();
    const admittedAt = sh('2022-03-01T23:50');
    const dischargedAt = sh('2022-03-20T00:10');
    const { episodeId } = c.ok<{ episodeId: number }>('patients:admit', admission({ bedId: c.zoneBeds[0]!, wardId: c.zoneId, admittedAt }, { riskFactors: [] }), admittedAt);

    // The list at the moment of discharge shows the length the summary will print.
    const list = c.ok<ReadyList>('discharge:readyList', { scope: 'all' }, dischargedAt);
    const row = list.facilities.flatMap((f) => f.patients).find((p) => p.episodeId === episodeId);
    expect(row?.lengthOfStayDays).toBe(19);
    const check = c.ok<DischargeCheck>('discharge:check', { episodeId, at: dischargedAt }, dischargedAt);
    expect(check.episode.lengthOfStayDays).toBe(19);

    c.ok(
      'discharge:record',
      {
        episodeId,
        dischargedAt,
        disposition: 'home',
        condition: 'improved',
        overrideReason: '核酸未复查，转居家隔离',
        shown: check.check.criteria.map((x) => ({ code: x.code, status: x.status })),
      },
      dischargedAt,
    );
    // Read a day later: the stay is over, the figure does not grow with the clock.
    const later = sh('2022-03-21T09:00');
    expect(c.ok<DischargeSummary>('summary:get', { episodeId }, later).lengthOfStayDays).toBe(19);
    expect(c.ok<DischargeCheck>('discharge:check', { episodeId }, later).episode.lengthOfStayDays).toBe(19);
    const stats = c.ok<DischargeStats>('reports:dischargeStats', { from: '2022-03-20', to: '2022-03-20', facilityId: null }, later);
    expect(stats.lengthOfStay).toMatchObject({ n: 1, median: 19, min: 19, max: 19 });
  });
});
