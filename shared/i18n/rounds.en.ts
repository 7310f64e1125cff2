import type { roundsZh } from './rounds.zh-CN';

/** English for rounds.zh-CN.ts; must cover every key. */
export const roundsEn: Record<keyof typeof roundsZh, string> = {
  'records.episode_not_found': 'Admission not found',
  'records.episode_closed': 'The patient has been discharged: no new records (existing ones can still be corrected)',
  'records.before_admission': 'Cannot be before the admission time',
  'records.not_found': 'Record not found',
  'records.not_current': 'This record has been corrected or marked entered in error; work on its latest version',
  'records.not_author': 'Only the author or a doctor may correct this record',

  'rounds.device_needs_oxygen': 'No oxygen device on room air',
  'rounds.flow_needs_oxygen': 'No oxygen flow on room air',
  'rounds.diastolic_not_below_systolic': 'Diastolic must be below systolic',
  'rounds.empty': 'Enter at least one observation',
  'rounds.confirm_extremes': 'Some values are outside the usual range: check and confirm each one before saving',
  'rounds.extreme_unconfirmed': 'Unusual value (usually {plausibleMin}–{plausibleMax}): check and confirm',
  'rounds.scale_doctor_only': 'Only a doctor may change the SpO2 scale',

  'results.ct_or_qualitative': 'Enter Ct values or a qualitative result',
  'results.ct_pair': 'A quantitative test needs both the N and the ORF1ab Ct',
  'results.empty': 'Enter at least one result',

  'classes.override_same': 'An override must choose a class other than the proposal',
  'classes.reason_required': 'An override needs a reason',
  'classes.proposal_changed': 'The proposal has changed (now {proposed}); review it again before confirming',

  'tiers.unchanged': 'Same as the current tier',

  'plans.duplicate_item': 'Only one item of each kind',
  'plans.antiviral_start': 'An antiviral course needs its start date',
  'plans.version_conflict': 'The plan was updated meanwhile (now version {version}); reload before editing',
  'plans.team_role': 'This person does not hold that role or is inactive',
  'plans.review_in_past': 'The next review must be in the future',
};
