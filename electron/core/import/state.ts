import { effectiveRiskFactors, getRuleSet, type ClinicalClass, type RiskFlag } from '../../../shared/clinical';
import { classInputOf, urgencyOf, waitingSince } from '../clinical/state';
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
 * tier, review, plan, referral or snooze — the same rule calls as computeSnapshot on those empty
 * inputs. The answer then depends only on the age, in years and months (the batch shares one admission time), so a
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
    const ageYears = age.years;
    const proposal = rules.proposeClass(classInputOf(undefined, age, [], []));
    const flags: RiskFlag[] = rules.computeFlags({
      now,
      ageYears,
      riskFactors: effectiveRiskFactors(ageYears, []),
      labs: { lymphocytes: [], crp: [], il6: [], ferritin: [], ddimer: [], lactate: [] },
      spo2: [],
      spo2Scale: 1,
      imaging: [],
      news2: null,
      proposal,
      confirmedClass: null,
      classAtLastReview: null,
      reviewDueAt: null,
      referral: null,
    });
    s = {
      proposed: proposal.proposed,
      flags: JSON.stringify(flags),
      flagCount: flags.length,
      urgency: urgencyOf(proposal, null, flags),
      // Written here, as refreshEpisodeState does, rather than left to migration 9's trigger (one UPDATE a row).
      waitingSince: waitingSince(admittedAt, flags),
    };
    memo.set(key, s);
    return s;
  };
}
