/**
 * SQL for "the current version" of supersedable signed rows: not withdrawn as entered in error,
 * and not replaced by a later amendment. `alias` is the table alias used in the query.
 */
export function currentRow(table: string, alias: string): string {
  return `${alias}.entry_kind <> 'entered_in_error' AND NOT EXISTS (SELECT 1 FROM ${table} s WHERE s.supersedes_id = ${alias}.id)`;
}
