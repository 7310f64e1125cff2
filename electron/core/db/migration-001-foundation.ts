import { BED_STATES, EPISODE_STATUSES, FACILITY_KINDS, PLACEMENT_STARTS, ROLES, SEXES, WARD_KINDS, sqlIn } from '../../../shared/domain/enums';

/** Migration 1: settings, accounts, facilities, wards, beds, patients, episodes, placements and the hash-chained audit log. */
export const MIGRATION_001 = `
CREATE TABLE setting (
  key TEXT PRIMARY KEY,
  value TEXT NOT NULL
) STRICT;

CREATE TABLE app_user (
  id INTEGER PRIMARY KEY,
  username TEXT NOT NULL COLLATE NOCASE UNIQUE,
  display_name TEXT NOT NULL,
  role TEXT NOT NULL CHECK (role IN ${sqlIn(ROLES)}),
  password_hash TEXT NOT NULL,
  active INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
  failed_logins INTEGER NOT NULL DEFAULT 0,
  locked_until TEXT,
  last_login_at TEXT,
  created_at TEXT NOT NULL
) STRICT;

CREATE TABLE facility (
  id INTEGER PRIMARY KEY,
  code TEXT NOT NULL UNIQUE,
  name TEXT NOT NULL,
  kind TEXT NOT NULL CHECK (kind IN ${sqlIn(FACILITY_KINDS)}),
  sort INTEGER NOT NULL DEFAULT 0
) STRICT;

CREATE TABLE ward (
  id INTEGER PRIMARY KEY,
  facility_id INTEGER NOT NULL REFERENCES facility(id),
  code TEXT NOT NULL,
  name TEXT NOT NULL,
  kind TEXT NOT NULL CHECK (kind IN ${sqlIn(WARD_KINDS)}),
  sort INTEGER NOT NULL DEFAULT 0,
  UNIQUE (facility_id, code)
) STRICT;

CREATE TABLE bed (
  id INTEGER PRIMARY KEY,
  ward_id INTEGER NOT NULL REFERENCES ward(id),
  label TEXT NOT NULL,
  state TEXT NOT NULL DEFAULT 'free' CHECK (state IN ${sqlIn(BED_STATES)}),
  tags TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(tags)),
  sort INTEGER NOT NULL DEFAULT 0,
  UNIQUE (ward_id, label)
) STRICT;

CREATE TABLE patient (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL,
  sex TEXT NOT NULL CHECK (sex IN ${sqlIn(SEXES)}),
  birth_date TEXT,
  age_years INTEGER CHECK (age_years BETWEEN 0 AND 130),
  id_card TEXT,
  phone TEXT,
  address TEXT,
  community TEXT,
  risk_factors TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(risk_factors)),
  vaccination_doses INTEGER,
  allergies TEXT,
  chronic_medications TEXT,
  created_at TEXT NOT NULL,
  created_by INTEGER NOT NULL REFERENCES app_user(id),
  CHECK (birth_date IS NOT NULL OR age_years IS NOT NULL)
) STRICT;
CREATE UNIQUE INDEX patient_id_card ON patient(id_card) WHERE id_card IS NOT NULL;
CREATE INDEX patient_name ON patient(name);

CREATE TABLE episode (
  id INTEGER PRIMARY KEY,
  patient_id INTEGER NOT NULL REFERENCES patient(id),
  status TEXT NOT NULL DEFAULT 'active' CHECK (status IN ${sqlIn(EPISODE_STATUSES)}),
  admitted_at TEXT NOT NULL,
  source TEXT NOT NULL,
  ended_at TEXT,
  created_by INTEGER NOT NULL REFERENCES app_user(id),
  CHECK (ended_at IS NULL OR ended_at >= admitted_at)
) STRICT;
CREATE UNIQUE INDEX episode_one_active ON episode(patient_id) WHERE status = 'active';
CREATE INDEX episode_admitted ON episode(admitted_at);

CREATE TABLE placement (
  id INTEGER PRIMARY KEY,
  episode_id INTEGER NOT NULL REFERENCES episode(id),
  ward_id INTEGER NOT NULL REFERENCES ward(id),
  bed_id INTEGER REFERENCES bed(id),
  start_at TEXT NOT NULL,
  end_at TEXT,
  began_by TEXT NOT NULL CHECK (began_by IN ${sqlIn(PLACEMENT_STARTS)}),
  created_by INTEGER NOT NULL REFERENCES app_user(id),
  CHECK (end_at IS NULL OR end_at >= start_at)
) STRICT;
CREATE UNIQUE INDEX placement_open_per_episode ON placement(episode_id) WHERE end_at IS NULL;
CREATE UNIQUE INDEX placement_open_per_bed ON placement(bed_id) WHERE end_at IS NULL AND bed_id IS NOT NULL;
CREATE INDEX placement_ward_open ON placement(ward_id) WHERE end_at IS NULL;
CREATE INDEX placement_episode ON placement(episode_id, start_at);

-- A placement is history: once written only its end may be set, once.
CREATE TRIGGER placement_history_only BEFORE UPDATE ON placement
WHEN OLD.end_at IS NOT NULL OR NEW.episode_id IS NOT OLD.episode_id OR NEW.ward_id IS NOT OLD.ward_id
  OR NEW.bed_id IS NOT OLD.bed_id OR NEW.start_at IS NOT OLD.start_at OR NEW.began_by IS NOT OLD.began_by
BEGIN SELECT RAISE(ABORT, 'placement history is immutable'); END;
CREATE TRIGGER placement_no_delete BEFORE DELETE ON placement
BEGIN SELECT RAISE(ABORT, 'placement history is immutable'); END;

CREATE TABLE audit (
  id INTEGER PRIMARY KEY,
  at TEXT NOT NULL,
  user_id INTEGER,
  action TEXT NOT NULL,
  entity TEXT NOT NULL,
  entity_id INTEGER,
  patient_id INTEGER,
  before TEXT,
  after TEXT,
  reason TEXT,
  prev_hash TEXT NOT NULL,
  hash TEXT NOT NULL UNIQUE
) STRICT;
CREATE INDEX audit_patient ON audit(patient_id, id) WHERE patient_id IS NOT NULL;
CREATE INDEX audit_user ON audit(user_id, id);
CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit BEGIN SELECT RAISE(ABORT, 'audit rows are insert-only'); END;
CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit BEGIN SELECT RAISE(ABORT, 'audit rows are insert-only'); END;
`;
