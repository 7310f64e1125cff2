/**
 * Migration 16 (issue 14): one record for many workstations.
 *
 * - `audit.workstation`: which workstation made the change (the client address and the name it gave,
 *   e.g. `10.1.2.3 病区一护士站`), null for rows written by a standalone workstation and for every row
 *   written before this migration. The audit hash covers it only when it is set (audit/audit.ts), so the
 *   chains written before still verify.
 * - `idempotency`: the result of each write that carried an idempotency key, written in the same
 *   transaction as the write itself (core/idempotency.ts): a retry after a lost answer, even across a
 *   crash or restart of the server, returns the stored result instead of writing twice. Rows older than
 *   a day are pruned as new ones are written.
 */
export const MIGRATION_016 = `
ALTER TABLE audit ADD COLUMN workstation TEXT CHECK (workstation IS NULL OR length(workstation) BETWEEN 1 AND 200);

CREATE TABLE idempotency (
  key TEXT PRIMARY KEY CHECK (length(key) BETWEEN 8 AND 128),
  user_id INTEGER,
  channel TEXT NOT NULL,
  input_hash TEXT NOT NULL,
  result TEXT NOT NULL,
  at TEXT NOT NULL
) STRICT;
CREATE INDEX idempotency_at ON idempotency(at);
`;
