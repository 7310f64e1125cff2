import type { roundModeZh } from './roundmode.zh-CN';

/** English for roundmode.zh-CN.ts; must cover every key. */
export const roundModeEn: Record<keyof typeof roundModeZh, string> = {
  'rounds.shortcuts': 'Round mode keys',
  'rounds.shortcuts_button': 'Keys',
  'rounds.key.save': 'Save and open the next bed',
  'rounds.key.fields': 'Move between fields, in paper-chart order',
  'rounds.key.choices': 'Move in a choice or the symptom grid; Space ticks',
  'rounds.key.confirm_carried': 'Confirm the values carried from the last round unchanged',
  'rounds.key.previous': 'Previous bed (without saving)',
  'rounds.key.next': 'Next bed (without saving)',
  'rounds.key.skip': 'Skip this bed',
  'rounds.key.help': 'Show this list (when not typing in a field)',
  'rounds.key.close': 'Close a dialog or a list',

  'rounds.carried_from': 'last round {at}',
  'rounds.carried_kept': 'Carried from the last round ({at}), not checked yet',
  'rounds.carried_removed': 'Present at the last round ({at}), unticked now',
  'rounds.carried_pending': 'Values in dashed frames come from the last round and are not checked yet: change them, or confirm them unchanged',
  'rounds.carried_confirm': 'Confirm unchanged',
  'rounds.carried_unconfirmed': 'Check the values carried from the last round first: change them, or press Alt+C to confirm them unchanged',

  'rounds.unit.breaths': 'breaths per minute',
  'rounds.unit.beats': 'beats per minute',
  'rounds.unit.percent': 'percent',
  'rounds.unit.mmhg': 'mmHg',
  'rounds.unit.litres': 'litres per minute',
  'rounds.unit.celsius': '°C',
  'rounds.expect_whole': 'Enter a whole number, {unit} (e.g. {example})',
  'rounds.expect_number': 'Enter a number, {unit} (e.g. {example})',

  'rounds.late_title': 'Measured a while ago: please confirm',
  'rounds.late_body': 'Measured at {at}, {hours} hours ago (more than {limit} hours). Is this a late entry of an earlier measurement?',
  'rounds.late_back': 'Change the time',
  'rounds.late_save': 'Yes, a late entry: save',

  'rounds.saved_at': 'done {at}',
  'rounds.status': 'Save status',

  'settings.late_entry': 'Late entry check',
  'settings.late_entry_hint': 'A round measured longer ago than this asks for a confirmation before it is saved (4 hours by default).',
  'settings.hours': 'hours',
};
