/**
 * Migration 13 (issue 12, finding 11): a password reset, a change of one's own password or a change
 * of role ends the account's sessions. Each account carries a session epoch, bumped by those changes;
 * a session remembers the epoch it began in (electron/core/auth/session.ts), and dispatch ends it at
 * its next call once the two differ.
 */
export const MIGRATION_013 = `
ALTER TABLE app_user ADD COLUMN session_epoch INTEGER NOT NULL DEFAULT 0 CHECK (session_epoch >= 0);
`;
