/**
 * Migration 3: ward assignments for ward-scoped users, and the indexes behind the audit viewer's
 * filters (by date, by action; by patient and by user exist since migration 1).
 */
export const MIGRATION_003 = `
CREATE TABLE user_ward (
  user_id INTEGER NOT NULL REFERENCES app_user(id),
  ward_id INTEGER NOT NULL REFERENCES ward(id),
  assigned_at TEXT NOT NULL,
  assigned_by INTEGER REFERENCES app_user(id),
  PRIMARY KEY (user_id, ward_id)
) STRICT;
CREATE INDEX user_ward_ward ON user_ward(ward_id);

CREATE INDEX audit_at ON audit(at);
CREATE INDEX audit_action ON audit(action, id);
`;
