import { describe, expect, it } from 'vitest';
import { DEFAULT_TIERS, TIER_CODES, proposeTier } from '../../../shared/clinical/tiers';

describe('tier proposal (DESIGN.md §4 tiers; v9 §11 (一) placement)', () => {
  it.each([
    ['asymptomatic', false, 'T1', 'isolation_or_fangcang', ['class_asymptomatic', 'no_risk_factors']],
    ['asymptomatic', true, 'T2', 'fangcang', ['class_asymptomatic', 'risk_factors_closer_monitoring']],
    ['mild', false, 'T2', 'fangcang', ['class_mild', 'no_risk_factors']],
    ['mild', true, 'T3', 'designated', ['class_mild', 'risk_factors_designated_hospital']],
    ['moderate', false, 'T3', 'designated', ['class_moderate']],
    ['moderate', true, 'T3', 'designated', ['class_moderate']],
    ['severe', false, 'T4', 'designated_severe', ['class_severe', 'consider_icu']],
    ['severe', true, 'T4', 'designated_severe', ['class_severe', 'consider_icu']],
    ['critical', false, 'T5', 'icu', ['class_critical']],
    ['critical', true, 'T5', 'icu', ['class_critical']],
  ] as const)('a %s patient (risk factors: %s) is proposed %s in %s', (clinicalClass, hasRiskFactors, tier, placement, reasons) => {
    expect(proposeTier({ clinicalClass, hasRiskFactors })).toEqual({ tier, placement, reasons, transferNeeded: false });
  });

  it('a moderate patient in a fangcang needs transfer to the designated hospital', () => {
    expect(proposeTier({ clinicalClass: 'moderate', hasRiskFactors: false, facilityKind: 'fangcang' })).toEqual({
      tier: 'T3',
      placement: 'designated',
      reasons: ['class_moderate', 'transfer_to_designated_hospital'],
      transferNeeded: true,
    });
  });

  it('a mild diabetic at an isolation point is proposed for the designated hospital', () => {
    const p = proposeTier({ clinicalClass: 'mild', hasRiskFactors: true, facilityKind: 'isolation' });
    expect(p.tier).toBe('T3');
    expect(p.transferNeeded).toBe(true);
  });

  it('a severe patient already in the designated hospital needs no transfer', () => {
    expect(proposeTier({ clinicalClass: 'severe', hasRiskFactors: false, facilityKind: 'designated' }).transferNeeded).toBe(false);
  });

  it('an asymptomatic patient in the designated hospital is not told to transfer (stepping down is the panel’s call)', () => {
    expect(proposeTier({ clinicalClass: 'asymptomatic', hasRiskFactors: false, facilityKind: 'designated' }).transferNeeded).toBe(false);
  });
});

describe('tier reference data', () => {
  it('seeds five tiers T1–T5 with names in both languages and the placement the proposal uses', () => {
    expect(DEFAULT_TIERS.map((t) => t.code)).toEqual([...TIER_CODES]);
    expect(DEFAULT_TIERS.map((t) => t.placement)).toEqual(['isolation_or_fangcang', 'fangcang', 'designated', 'designated_severe', 'icu']);
    for (const t of DEFAULT_TIERS) {
      expect(t.nameZh.length).toBeGreaterThan(0);
      expect(t.nameEn.length).toBeGreaterThan(0);
      expect(t.descriptionZh.length).toBeGreaterThan(0);
      expect(t.descriptionEn.length).toBeGreaterThan(0);
    }
    expect(DEFAULT_TIERS.find((t) => t.code === 'T5')?.nameZh).toBe('重症监护病房');
  });
});
