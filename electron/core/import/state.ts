import { getRuleSet, type ClinicalClass } from '../../../shared/clinical';
import { emptyEpisode, evaluateEpisode } from '../../../shared/clinical/evaluate';
import type { PatientAge } from '../../../shared/domain/age';

/** The episode_state columns of a freshly imported episode that depend on the patient. */
export interface FreshState {
  proposed: ClinicalClass;
  flags: string;
  flagCount: number;
  urgency: number;
  waitingSince: string;
}

/**
 * What refreshEpisodeState computes for an episode admitted moments ago by an import: no rounds, no
 * numeric results (the list's nucleic-acid test has Ct values, not a `value`), no imaging, class,
 * tier, review, plan, referral or snooze — the episode evaluator (shared/clinical/evaluate.ts) on that
 * empty data. The answer then depends only on the age, in years and months (the batch shares one admission time), so a
 * 50,000-row import computes it once per distinct age instead of running computeSnapshot's ten
 * queries per patient (~40 µs each row at full scale). test/core/import-state.test.ts holds the stored rows equal to refreshEpisodeState's.
 */
export function freshStateByAge(now: string, admittedAt: string): (age: PatientAge) => FreshState {
  const rules = getRuleSet();
  const memo = new Map<string, FreshState>();
  return (age) => {
    const key = `${age.years}|${age.months}`;
    let s = memo.get(key);
    if (s) return s;
    // An age stated at `now` in the months (or years) it has now: the evaluator reads back exactly `age`.
    const data = emptyEpisode(0, admittedAt, { birthDate: null, ageYears: age.years, ageMonths: age.months, statedAt: now });
    const snap = evaluateEpisode(data, { now, timeZone: 'UTC', rules });
    s = {
      proposed: snap.proposal.proposed,
      flags: JSON.stringify(snap.flags),
      flagCount: snap.flags.length,
      urgency: snap.urgency,
      // Written here, as refreshEpisodeState does, rather than left to migration 9's trigger (one UPDATE a row).
      waitingSince: snap.waitingSince,
    };
    memo.set(key, s);
    return s;
  };
}
