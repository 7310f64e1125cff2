import { describe, expect, it } from 'vitest';
import { DEFAULT_RULE_SET_ID, RULE_SETS, getRuleSet } from '../../../shared/clinical';

describe('versioned rule sets', () => {
  it('cn-v9 is the default and the only rule set so far', () => {
    expect(DEFAULT_RULE_SET_ID).toBe('cn-v9');
    expect(Object.keys(RULE_SETS)).toEqual(['cn-v9']);
    expect(getRuleSet().id).toBe('cn-v9');
  });

  it('an unknown rule-set id (a database from a newer app) is refused', () => {
    expect(() => getRuleSet('cn-v10')).toThrow(/Unknown clinical rule set: cn-v10/);
  });

  it('a caller goes through the rule set and every proposal records which rules made it', () => {
    const rules = getRuleSet('cn-v9');
    const now = '2022-04-01T08:00:00.000Z';
    const proposal = rules.proposeClass({ ageYears: 30, positive: true, symptoms: [], pneumoniaOnImaging: false });
    expect(proposal.ruleSet).toBe('cn-v9');
    expect(rules.news2([{ measuredAt: now, respRate: 16 }], { at: now, spo2Scale: 1 }).ruleSet).toBe('rcp-news2-2017');
    expect(rules.proposeTier({ clinicalClass: proposal.proposed, hasRiskFactors: false }).tier).toBe('T1');
    expect(rules.checkRelease({ now, facilityKind: 'fangcang', nucleicAcidTests: [], temperatures: [], respiratorySymptomsImproved: null, imagingImproved: null }).ruleSet).toBe(
      'cn-v9',
    );
    expect(rules.computeFlags({ now, ageYears: 61, riskFactors: [] }).map((f) => f.code)).toEqual(['risk_factors']);
    expect(rules.limits.spo2.max).toBe(100);
    expect(rules.limits.ctN.max).toBe(45);
    expect(rules.tiers).toHaveLength(5);
  });
});
