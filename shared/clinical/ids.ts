// Rule-set identifiers. A rule set is the versioned bundle of clinical rules a proposal was made
// with; the id travels with every proposal so a stored result always says which rules produced it.
// Adding the tenth edition of the protocol means adding 'cn-v10' here and a bundle in index.ts.

/** China, Diagnosis and Treatment Protocol for COVID-19 (trial version 9), NHC, 14 March 2022. */
export const CN_V9 = 'cn-v9' as const;

export type RuleSetId = typeof CN_V9;

export const RULE_SET_IDS: readonly RuleSetId[] = [CN_V9];

export function isRuleSetId(id: string): id is RuleSetId {
  return (RULE_SET_IDS as readonly string[]).includes(id);
}
