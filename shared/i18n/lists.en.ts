import type { listsZh } from './lists.zh-CN';

export const listsEn: Record<keyof typeof listsZh, string> = {
  'lists.board_label': '{ward} beds ({n})',
  'lists.bed_item': 'Bed {bed} · {state}',
  'lists.queue_label': 'Expert panel queue ({n} patients)',
  'lists.queue_loading_row': 'Loading patients from rank {rank}…',
  /** Punctuation that differs between the languages: a list, a label before its value, an aside. */
  'lists.sep': ', ',
  'lists.sep_clauses': '; ',
  'lists.label': '{label}: {value}',
  'lists.aside': '{text} ({aside})',
  'lists.queue_capped': 'The {shown} most urgent of {total} patients are listed. Filter by facility, ward, flag or tier to see the others.',
};
