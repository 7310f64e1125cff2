import type { Incoming } from '../../../shared/api/transfers';
import type { FlagCode } from '../../../shared/clinical';
import { dayOfStay } from '../../../shared/domain/time';
import type { Ctx } from '../context';
import { currentAge } from '../patients/repo';
import { settingsOf } from '../settings/settings';
import { openTransfersTo } from './repo';
import { currentRow } from '../clinical/current';

interface SummaryRow {
  name: string;
  sex: 'M' | 'F';
  birth_date: string | null;
  age_years: number | null;
  risk_factors: string;
  allergies: string | null;
  chronic_medications: string | null;
  admitted_at: string;
  current_class: string | null;
  proposed_class: string | null;
  current_tier: string | null;
  news2_total: number | null;
  news2_band: string | null;
  flags: string | null;
  on_oxygen: 0 | 1 | null;
}

/**
 * Open requests towards a facility with what the receiving ward needs before the patient arrives:
 * identity, risk factors, allergies, medications that must not lapse, class, tier, NEWS2, flags, oxygen.
 * With a ward, also the requests that do not name a ward yet (the facility will choose one).
 */
export function listIncoming(ctx: Ctx, facilityId: number, wardId: number | null): Incoming[] {
  const tz = settingsOf(ctx).timeZone;
  const summary = ctx.stmt<[number], SummaryRow>(
    `SELECT p.name, p.sex, p.birth_date, p.age_years, p.risk_factors, p.allergies, p.chronic_medications, e.admitted_at,
            s.current_class, s.proposed_class, s.current_tier, s.news2_total, s.news2_band, s.flags,
            (SELECT r.on_oxygen FROM round r WHERE r.episode_id = e.id AND ${currentRow('round', 'r')} ORDER BY r.measured_at DESC LIMIT 1) AS on_oxygen
     FROM episode e JOIN patient p ON p.id = e.patient_id LEFT JOIN episode_state s ON s.episode_id = e.id WHERE e.id = ?`,
  );
  return openTransfersTo(ctx, facilityId)
    .filter((t) => wardId === null || t.to.ward === null || t.to.ward.id === wardId)
    .map((t) => {
      const r = summary.get(t.episodeId);
      if (!r) throw new RangeError(`episode ${t.episodeId} of transfer ${t.id} not found`);
      return {
        ...t,
        patient: {
          name: r.name,
          sex: r.sex,
          ageYears: currentAge(r, ctx.now, tz),
          riskFactors: JSON.parse(r.risk_factors) as string[],
          allergies: r.allergies,
          chronicMedications: r.chronic_medications,
          admittedAt: r.admitted_at,
          dayOfStay: dayOfStay(r.admitted_at, ctx.now, tz),
        },
        currentClass: r.current_class,
        proposedClass: r.proposed_class,
        tier: r.current_tier,
        news2Total: r.news2_total,
        news2Band: r.news2_band,
        flagCodes: r.flags ? (JSON.parse(r.flags) as { code: FlagCode }[]).map((f) => f.code) : [],
        onOxygen: r.on_oxygen === null ? null : r.on_oxygen === 1,
      };
    });
}
