/**
 * Migration 17 (issue 15, "no lost updates"): every editable row that is not append-only carries a
 * version, and an edit made against an older one is refused (electron/core/records/versions.ts).
 * Plans (plan_version) and discharges (a chain of signed rows) are versioned by their own rows already.
 *
 * - `version` on bed, transfer_request, app_user and setting, 1 for every existing row.
 * - An AFTER UPDATE trigger per table bumps it whenever an UPDATE leaves it unchanged, so no writer can
 *   forget it (the demo generator, a repair script, a future handler). The trigger's own UPDATE changes
 *   the version, so its WHEN is false for it and it does not fire again.
 * - app_user is bumped only by what an administrator edits (name, role, active, password) and by its
 *   ward assignments (user_ward rows). A login, a wrong password or a session epoch also UPDATE the row;
 *   they must not make the administrator's open form stale, or every login would refuse an edit.
 * - The settings have one version: `1 + the sum of the rows' versions`. An edit bumps the rows it
 *   changes, a key set for the first time adds a row at 1, rows are never deleted: the sum grows with
 *   every change and never repeats (electron/core/settings/settings.ts).
 * - `audit_entity`: the refusal names who changed the row and when, from its newest audit row.
 */
export const MIGRATION_017 = `
ALTER TABLE bed ADD COLUMN version INTEGER NOT NULL DEFAULT 1 CHECK (version >= 1);
ALTER TABLE transfer_request ADD COLUMN version INTEGER NOT NULL DEFAULT 1 CHECK (version >= 1);
ALTER TABLE app_user ADD COLUMN version INTEGER NOT NULL DEFAULT 1 CHECK (version >= 1);
ALTER TABLE setting ADD COLUMN version INTEGER NOT NULL DEFAULT 1 CHECK (version >= 1);

CREATE TRIGGER bed_version AFTER UPDATE ON bed WHEN NEW.version = OLD.version
BEGIN UPDATE bed SET version = OLD.version + 1 WHERE id = NEW.id; END;
CREATE TRIGGER transfer_request_version AFTER UPDATE ON transfer_request WHEN NEW.version = OLD.version
BEGIN UPDATE transfer_request SET version = OLD.version + 1 WHERE id = NEW.id; END;
CREATE TRIGGER app_user_version AFTER UPDATE OF username, display_name, role, active, password_hash ON app_user WHEN NEW.version = OLD.version
BEGIN UPDATE app_user SET version = OLD.version + 1 WHERE id = NEW.id; END;
CREATE TRIGGER user_ward_added_version AFTER INSERT ON user_ward
BEGIN UPDATE app_user SET version = version + 1 WHERE id = NEW.user_id; END;
CREATE TRIGGER user_ward_removed_version AFTER DELETE ON user_ward
BEGIN UPDATE app_user SET version = version + 1 WHERE id = OLD.user_id; END;
CREATE TRIGGER setting_version AFTER UPDATE ON setting WHEN NEW.version = OLD.version
BEGIN UPDATE setting SET version = OLD.version + 1 WHERE key = NEW.key; END;

CREATE INDEX audit_entity ON audit(entity, entity_id, id);
`;
