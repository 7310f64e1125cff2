// The clinical rules engine: pure, versioned functions that propose, never decide.
// Callers take a rule set by id (stored with each proposal) and call its functions; a later protocol
// edition is a new entry in RULE_SETS, and callers keep working unchanged.

import { proposeAntivirals, type AntiviralInput, type AntiviralProposal } from './antiviral';
import { proposeClass, type ClassInput, type ClassProposal } from './classify';
import { computeFlags, type FlagInput, type RiskFlag } from './flags';
import { CN_V9, RULE_SET_IDS, isRuleSetId, type RuleSetId } from './ids';
import { LAB_LIMITS, LIMITS, VITAL_LIMITS, VITAL_SIGN_LIMITS, type Limit, type LimitField } from './limits';
import { computeNews2, type News2Options, type News2Result, type VitalsObservation } from './news2';
import { checkRelease, DEFAULT_RELEASE_CONFIG, type ReleaseCheck, type ReleaseConfig, type ReleaseInput } from './release';
import { DEFAULT_TIERS, proposeTier, type TierDef, type TierInput, type TierProposal } from './tiers';
import { DEFAULT_TREND_CONFIG, type TrendConfig } from './trends';

export * from './antiviral';
export * from './classify';
export * from './egfr';
export * from './flags';
export * from './ids';
export * from './interactions';
export * from './limits';
export * from './medicines';
export * from './news2';
export * from './release';
export * from './risk';
export * from './tiers';
export * from './trends';
export * from './validate';

export interface RuleSet {
  id: RuleSetId;
  /** Human-readable source of the rules, for reports and audit. */
  source: string;
  news2: (observations: readonly VitalsObservation[], opts: News2Options) => News2Result;
  proposeClass: (input: ClassInput) => ClassProposal;
  computeFlags: (input: FlagInput, config?: TrendConfig) => RiskFlag[];
  proposeTier: (input: TierInput) => TierProposal;
  checkRelease: (input: ReleaseInput, config?: ReleaseConfig) => ReleaseCheck;
  proposeAntivirals: (input: AntiviralInput) => AntiviralProposal;
  limits: Readonly<Record<LimitField, Limit>>;
  vitalLimits: typeof VITAL_LIMITS;
  vitalSignLimits: typeof VITAL_SIGN_LIMITS;
  labLimits: typeof LAB_LIMITS;
  defaultTrendConfig: TrendConfig;
  defaultReleaseConfig: ReleaseConfig;
  tiers: readonly TierDef[];
}

const cnV9: RuleSet = {
  id: CN_V9,
  source: 'Diagnosis and Treatment Protocol for COVID-19 (trial version 9), National Health Commission of China, March 2022; ' + 'NEWS2, Royal College of Physicians, 2017',
  news2: computeNews2,
  proposeClass,
  computeFlags: (input, config = DEFAULT_TREND_CONFIG) => computeFlags(input, config),
  proposeTier,
  checkRelease: (input, config = DEFAULT_RELEASE_CONFIG) => checkRelease(input, config),
  proposeAntivirals,
  limits: LIMITS,
  vitalLimits: VITAL_LIMITS,
  vitalSignLimits: VITAL_SIGN_LIMITS,
  labLimits: LAB_LIMITS,
  defaultTrendConfig: DEFAULT_TREND_CONFIG,
  defaultReleaseConfig: DEFAULT_RELEASE_CONFIG,
  tiers: DEFAULT_TIERS,
};

export const RULE_SETS: Readonly<Record<RuleSetId, RuleSet>> = { [CN_V9]: cnV9 };

export const DEFAULT_RULE_SET_ID: RuleSetId = CN_V9;

/** The rule set with this id; throws for an unknown id (a stored id from a newer version of the app). */
export function getRuleSet(id: string = DEFAULT_RULE_SET_ID): RuleSet {
  if (!isRuleSetId(id)) throw new RangeError(`Unknown clinical rule set: ${id} (known: ${RULE_SET_IDS.join(', ')})`);
  return RULE_SETS[id];
}
