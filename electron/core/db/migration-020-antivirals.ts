/**
 * Migration 20 (issue 19): antiviral treatment support.
 *
 * - medication_list: a patient's chronic medicines as a list, one immutable version per save (the
 *   whole list, like a plan version). Each item is a lexicon code (shared/clinical/medicines.ts) or
 *   free text, with a dose. The free text recorded at admission (patient.chronic_medications) is kept
 *   as it was; converting it writes the first version.
 * - antiviral_profile: what the antiviral rules need that a round does not record, per episode, one
 *   immutable version per save: symptom onset, weight, pregnancy or breastfeeding, severe liver
 *   impairment, the latest serum creatinine (the eGFR is computed from it, CKD-EPI 2021) or a
 *   clinician's eGFR.
 * - antiviral_decision: the doctor's decision on one option, with the proposal it was made against
 *   (its rule version), the reason, the interaction check (its table version and the clashes), the
 *   reason for prescribing despite a contraindicated clash, and the plan version a start wrote.
 * - episode_state.antiviral_window_ends_at: set while the state carries the antiviral_eligible flag,
 *   the end of the 5-day window; the queue re-ranks a state whose window closed after it was computed,
 *   as it does one whose review fell due (queue/rank.ts).
 *
 * Literal value lists, not the live constants: a released migration never changes.
 */
const immutable = (table: string, what: string) => `
CREATE TRIGGER ${table}_immutable BEFORE UPDATE ON ${table}
BEGIN SELECT RAISE(ABORT, '${what} are immutable: save a new one'); END;
CREATE TRIGGER ${table}_no_delete BEFORE DELETE ON ${table}
BEGIN SELECT RAISE(ABORT, '${what} are immutable: save a new one'); END;`;

export const MIGRATION_020 = `
CREATE TABLE medication_list (
  id INTEGER PRIMARY KEY,
  patient_id INTEGER NOT NULL REFERENCES patient(id),
  version INTEGER NOT NULL CHECK (version >= 1),
  items TEXT NOT NULL CHECK (json_valid(items) AND json_type(items) = 'array'),
  change_note TEXT,
  created_at TEXT NOT NULL,
  author_id INTEGER NOT NULL REFERENCES app_user(id),
  UNIQUE (patient_id, version)
) STRICT;
${immutable('medication_list', 'medicine lists')}
CREATE TRIGGER medication_list_no_replace BEFORE INSERT ON medication_list
WHEN EXISTS (SELECT 1 FROM medication_list x WHERE x.id = NEW.id)
  OR EXISTS (SELECT 1 FROM medication_list x WHERE x.patient_id = NEW.patient_id AND x.version = NEW.version)
BEGIN SELECT RAISE(ABORT, 'medicine lists cannot be replaced: save a new version'); END;

CREATE TABLE antiviral_profile (
  id INTEGER PRIMARY KEY,
  episode_id INTEGER NOT NULL REFERENCES episode(id),
  version INTEGER NOT NULL CHECK (version >= 1),
  onset_date TEXT,
  weight_kg REAL CHECK (weight_kg IS NULL OR weight_kg > 0),
  pregnancy TEXT CHECK (pregnancy IN ('none', 'pregnant', 'breastfeeding')),
  severe_liver_impairment INTEGER CHECK (severe_liver_impairment IN (0, 1)),
  creatinine_umol_l REAL CHECK (creatinine_umol_l IS NULL OR creatinine_umol_l > 0),
  creatinine_at TEXT,
  egfr_manual REAL CHECK (egfr_manual IS NULL OR egfr_manual >= 0),
  change_note TEXT,
  created_at TEXT NOT NULL,
  author_id INTEGER NOT NULL REFERENCES app_user(id),
  CHECK ((creatinine_umol_l IS NULL) = (creatinine_at IS NULL)),
  UNIQUE (episode_id, version)
) STRICT;
${immutable('antiviral_profile', 'antiviral profiles')}
CREATE TRIGGER antiviral_profile_no_replace BEFORE INSERT ON antiviral_profile
WHEN EXISTS (SELECT 1 FROM antiviral_profile x WHERE x.id = NEW.id)
  OR EXISTS (SELECT 1 FROM antiviral_profile x WHERE x.episode_id = NEW.episode_id AND x.version = NEW.version)
BEGIN SELECT RAISE(ABORT, 'antiviral profiles cannot be replaced: save a new version'); END;

CREATE TABLE antiviral_decision (
  id INTEGER PRIMARY KEY,
  episode_id INTEGER NOT NULL REFERENCES episode(id),
  option TEXT NOT NULL CHECK (option IN ('nirmatrelvir_ritonavir', 'amubarvimab_romlusevimab')),
  decision TEXT NOT NULL CHECK (decision IN ('start', 'not_start')),
  status TEXT NOT NULL CHECK (status IN ('eligible', 'not_eligible', 'unknown')),
  rule_version TEXT NOT NULL,
  proposal TEXT NOT NULL CHECK (json_valid(proposal)),
  start_date TEXT,
  dose_code TEXT,
  reason TEXT,
  clash_reason TEXT,
  table_version TEXT NOT NULL,
  clashes TEXT NOT NULL CHECK (json_valid(clashes)),
  plan_version_id INTEGER REFERENCES plan_version(id),
  created_at TEXT NOT NULL,
  author_id INTEGER NOT NULL REFERENCES app_user(id),
  CHECK (decision = 'not_start' OR start_date IS NOT NULL)
) STRICT;
${immutable('antiviral_decision', 'antiviral decisions')}
CREATE TRIGGER antiviral_decision_no_replace BEFORE INSERT ON antiviral_decision
WHEN EXISTS (SELECT 1 FROM antiviral_decision x WHERE x.id = NEW.id)
BEGIN SELECT RAISE(ABORT, 'antiviral decisions cannot be replaced'); END;
CREATE INDEX antiviral_decision_episode ON antiviral_decision(episode_id, created_at);
CREATE INDEX antiviral_decision_started ON antiviral_decision(created_at) WHERE decision = 'start';

ALTER TABLE episode_state ADD COLUMN antiviral_window_ends_at TEXT;
CREATE INDEX episode_state_antiviral_window ON episode_state(antiviral_window_ends_at) WHERE antiviral_window_ends_at IS NOT NULL;
`;
