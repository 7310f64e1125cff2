/**
 * Migration 7 (issue 8): search keys for "find a patient as you type", case-list imports and their
 * saved column mappings, and the indexes the patient search needs.
 *
 * - patient.name_initials / id_card_rev: filled in JS (pinyin cannot be computed in SQL) by every
 *   insert through electron/core/patients/search-keys.ts, and backfilled at start-up for older rows.
 * - import_batch: one row per committed import, with the report of what was skipped and why.
 * - import_preset: a named column mapping (field → header text) an admin saves for a source's lists.
 */
export const MIGRATION_007 = `
CREATE TABLE import_batch (
  id INTEGER PRIMARY KEY,
  file_name TEXT NOT NULL,
  encoding TEXT NOT NULL,
  imported_at TEXT NOT NULL,
  imported_by INTEGER NOT NULL REFERENCES app_user(id),
  ward_id INTEGER NOT NULL REFERENCES ward(id),
  admitted_at TEXT NOT NULL,
  rows_in_file INTEGER NOT NULL CHECK (rows_in_file >= 0),
  rows_imported INTEGER NOT NULL CHECK (rows_imported >= 0),
  rows_skipped INTEGER NOT NULL CHECK (rows_skipped >= 0),
  mapping TEXT NOT NULL CHECK (json_valid(mapping)),
  report TEXT NOT NULL CHECK (json_valid(report))
) STRICT;
CREATE INDEX import_batch_at ON import_batch(imported_at);
CREATE TRIGGER import_batch_immutable BEFORE UPDATE ON import_batch BEGIN SELECT RAISE(ABORT, 'import records are immutable'); END;
CREATE TRIGGER import_batch_no_delete BEFORE DELETE ON import_batch BEGIN SELECT RAISE(ABORT, 'import records are immutable'); END;

CREATE TABLE import_preset (
  name TEXT PRIMARY KEY,
  columns TEXT NOT NULL CHECK (json_valid(columns)),
  updated_at TEXT NOT NULL,
  updated_by INTEGER NOT NULL REFERENCES app_user(id)
) STRICT;

ALTER TABLE patient ADD COLUMN name_initials TEXT;
ALTER TABLE patient ADD COLUMN id_card_rev TEXT;
ALTER TABLE patient ADD COLUMN import_batch_id INTEGER REFERENCES import_batch(id);
CREATE INDEX patient_name_initials ON patient(name_initials);
CREATE INDEX patient_id_card_rev ON patient(id_card_rev) WHERE id_card_rev IS NOT NULL;
-- Rows still waiting for their keys (written before this migration): the start-up backfill finds them without a scan.
CREATE INDEX patient_search_pending ON patient(id) WHERE name_initials IS NULL;
-- Duplicate check of an import: same name, birth date and phone.
CREATE INDEX patient_name_birth_phone ON patient(name, birth_date, phone);

-- A patient's episodes, newest first (search results, FHIR export); beds by label across wards (search).
CREATE INDEX episode_patient ON episode(patient_id, admitted_at);
CREATE INDEX bed_label ON bed(label);
`;
