import { DEFAULT_TIERS } from '../../../shared/clinical/tiers';
import { sqlIn } from '../../../shared/domain/enums';
import { CLASS_ORDER } from '../../../shared/clinical/classify';
import { DISCHARGE_DISPOSITIONS, ENTRY_KINDS, LAB_ANALYTES, REVIEW_DECISIONS, TIER_SOURCES, TRANSFER_STATUSES } from '../../../shared/domain/clinical';

/** Signed clinical rows are immutable: a correction is a new row that supersedes the old one. */
function immutable(table: string): string {
  return `
CREATE TRIGGER ${table}_immutable BEFORE UPDATE ON ${table}
BEGIN SELECT RAISE(ABORT, 'signed clinical records are immutable: enter an amendment'); END;
CREATE TRIGGER ${table}_no_delete BEFORE DELETE ON ${table}
BEGIN SELECT RAISE(ABORT, 'signed clinical records are immutable: mark entered in error'); END;
CREATE UNIQUE INDEX ${table}_superseded_once ON ${table}(supersedes_id) WHERE supersedes_id IS NOT NULL;`;
}

/**
 * Columns every signed, supersedable record carries. `original` rows stand alone; an `amendment`
 * replaces the row it supersedes; `entered_in_error` withdraws it. Both need a reason.
 */
const SIGNED = `
  entered_at TEXT NOT NULL,
  author_id INTEGER NOT NULL REFERENCES app_user(id),
  entry_kind TEXT NOT NULL DEFAULT 'original' CHECK (entry_kind IN ${sqlIn(ENTRY_KINDS)}),
  supersedes_id INTEGER,
  reason TEXT,
  CHECK ((entry_kind = 'original' AND supersedes_id IS NULL) OR (entry_kind <> 'original' AND supersedes_id IS NOT NULL AND length(trim(reason)) > 0))`;

const q = (s: string) => `'${s.replaceAll("'", "''")}'`;

export const MIGRATION_002 = `
ALTER TABLE episode ADD COLUMN spo2_scale INTEGER NOT NULL DEFAULT 1 CHECK (spo2_scale IN (1, 2));

CREATE TABLE tier_def (
  id INTEGER PRIMARY KEY,
  code TEXT NOT NULL,
  name_zh TEXT NOT NULL,
  name_en TEXT NOT NULL,
  description_zh TEXT NOT NULL,
  description_en TEXT NOT NULL,
  placement TEXT NOT NULL,
  sort INTEGER NOT NULL,
  valid_from TEXT NOT NULL,
  valid_to TEXT,
  author_id INTEGER REFERENCES app_user(id)
) STRICT;
CREATE UNIQUE INDEX tier_def_current ON tier_def(code) WHERE valid_to IS NULL;
${DEFAULT_TIERS.map(
  (t, i) =>
    `INSERT INTO tier_def (code, name_zh, name_en, description_zh, description_en, placement, sort, valid_from) VALUES (${q(t.code)}, ${q(t.nameZh)}, ${q(t.nameEn)}, ${q(t.descriptionZh)}, ${q(t.descriptionEn)}, ${q(t.placement)}, ${i + 1}, '2022-01-01T00:00:00.000Z');`,
).join('\n')}

CREATE TABLE round (
  id INTEGER PRIMARY KEY,
  episode_id INTEGER NOT NULL REFERENCES episode(id),
  measured_at TEXT NOT NULL,
  resp_rate INTEGER,
  spo2 INTEGER,
  spo2_scale INTEGER NOT NULL DEFAULT 1 CHECK (spo2_scale IN (1, 2)),
  on_oxygen INTEGER CHECK (on_oxygen IN (0, 1)),
  o2_device TEXT,
  o2_flow REAL,
  systolic_bp INTEGER,
  diastolic_bp INTEGER,
  pulse INTEGER,
  consciousness TEXT CHECK (consciousness IN ('A', 'C', 'V', 'P', 'U')),
  temperature REAL,
  symptoms TEXT CHECK (symptoms IS NULL OR json_valid(symptoms)),
  signs TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(signs)),
  note TEXT,
  confirmed_extremes TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(confirmed_extremes)),
  news2_total INTEGER,
  news2_complete INTEGER CHECK (news2_complete IN (0, 1)),
  news2_band TEXT,
  ${SIGNED},
  CHECK (measured_at <= entered_at)
) STRICT;
CREATE INDEX round_episode_measured ON round(episode_id, measured_at);
${immutable('round')}

CREATE TABLE lab_result (
  id INTEGER PRIMARY KEY,
  episode_id INTEGER NOT NULL REFERENCES episode(id),
  collected_at TEXT NOT NULL,
  analyte TEXT NOT NULL CHECK (analyte IN ${sqlIn(LAB_ANALYTES)}),
  value REAL,
  n_ct REAL CHECK (n_ct IS NULL OR n_ct BETWEEN 0 AND 45),
  orf1ab_ct REAL CHECK (orf1ab_ct IS NULL OR orf1ab_ct BETWEEN 0 AND 45),
  e_ct REAL CHECK (e_ct IS NULL OR e_ct BETWEEN 0 AND 45),
  qualitative TEXT CHECK (qualitative IN ('positive', 'negative')),
  note TEXT,
  ${SIGNED},
  CHECK (collected_at <= entered_at)
) STRICT;
CREATE INDEX lab_result_episode ON lab_result(episode_id, analyte, collected_at);
CREATE INDEX lab_result_collected ON lab_result(collected_at) WHERE analyte = 'nucleic_acid';
${immutable('lab_result')}

CREATE TABLE imaging (
  id INTEGER PRIMARY KEY,
  episode_id INTEGER NOT NULL REFERENCES episode(id),
  performed_at TEXT NOT NULL,
  modality TEXT NOT NULL CHECK (modality IN ('ct', 'xray')),
  pneumonia INTEGER NOT NULL CHECK (pneumonia IN (0, 1)),
  progression_pct REAL CHECK (progression_pct IS NULL OR progression_pct BETWEEN -100 AND 1000),
  improved INTEGER CHECK (improved IN (0, 1)),
  finding TEXT,
  ${SIGNED},
  CHECK (performed_at <= entered_at)
) STRICT;
CREATE INDEX imaging_episode ON imaging(episode_id, performed_at);
${immutable('imaging')}

CREATE TABLE class_assessment (
  id INTEGER PRIMARY KEY,
  episode_id INTEGER NOT NULL REFERENCES episode(id),
  assessed_at TEXT NOT NULL,
  class TEXT NOT NULL CHECK (class IN ${sqlIn(CLASS_ORDER)}),
  proposed_class TEXT CHECK (proposed_class IN ${sqlIn(CLASS_ORDER)}),
  rule_set TEXT NOT NULL,
  proposal TEXT CHECK (proposal IS NULL OR json_valid(proposal)),
  decision TEXT NOT NULL CHECK (decision IN ('confirmed', 'overridden')),
  override_reason TEXT,
  ${SIGNED},
  CHECK (decision = 'confirmed' OR length(trim(override_reason)) > 0)
) STRICT;
CREATE INDEX class_assessment_episode ON class_assessment(episode_id, assessed_at);
CREATE INDEX class_assessment_at ON class_assessment(assessed_at);
${immutable('class_assessment')}

CREATE TABLE tier_assignment (
  id INTEGER PRIMARY KEY,
  episode_id INTEGER NOT NULL REFERENCES episode(id),
  at TEXT NOT NULL,
  tier TEXT NOT NULL,
  proposed_tier TEXT,
  source TEXT NOT NULL CHECK (source IN ${sqlIn(TIER_SOURCES)}),
  review_id INTEGER,
  ${SIGNED}
) STRICT;
CREATE INDEX tier_assignment_episode ON tier_assignment(episode_id, at);
${immutable('tier_assignment')}

CREATE TABLE plan_version (
  id INTEGER PRIMARY KEY,
  episode_id INTEGER NOT NULL REFERENCES episode(id),
  version INTEGER NOT NULL,
  created_at TEXT NOT NULL,
  author_id INTEGER NOT NULL REFERENCES app_user(id),
  attending_id INTEGER REFERENCES app_user(id),
  nurse_id INTEGER REFERENCES app_user(id),
  expert_id INTEGER REFERENCES app_user(id),
  goals TEXT,
  items TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(items)),
  monitoring TEXT,
  next_review_due TEXT,
  change_note TEXT,
  UNIQUE (episode_id, version)
) STRICT;
CREATE TRIGGER plan_version_immutable BEFORE UPDATE ON plan_version
BEGIN SELECT RAISE(ABORT, 'plan versions are immutable: save a new version'); END;
CREATE TRIGGER plan_version_no_delete BEFORE DELETE ON plan_version
BEGIN SELECT RAISE(ABORT, 'plan versions are immutable: save a new version'); END;

CREATE TABLE referral (
  id INTEGER PRIMARY KEY,
  episode_id INTEGER NOT NULL REFERENCES episode(id),
  at TEXT NOT NULL,
  author_id INTEGER NOT NULL REFERENCES app_user(id),
  note TEXT NOT NULL
) STRICT;
CREATE INDEX referral_episode ON referral(episode_id, at);
CREATE TRIGGER referral_immutable BEFORE UPDATE ON referral BEGIN SELECT RAISE(ABORT, 'referrals are immutable'); END;
CREATE TRIGGER referral_no_delete BEFORE DELETE ON referral BEGIN SELECT RAISE(ABORT, 'referrals are immutable'); END;

CREATE TABLE flag_snooze (
  id INTEGER PRIMARY KEY,
  episode_id INTEGER NOT NULL REFERENCES episode(id),
  flag_code TEXT NOT NULL,
  at TEXT NOT NULL,
  until TEXT NOT NULL,
  author_id INTEGER NOT NULL REFERENCES app_user(id),
  reason TEXT NOT NULL CHECK (length(trim(reason)) > 0),
  CHECK (until > at)
) STRICT;
CREATE INDEX flag_snooze_episode ON flag_snooze(episode_id, until);
CREATE TRIGGER flag_snooze_immutable BEFORE UPDATE ON flag_snooze BEGIN SELECT RAISE(ABORT, 'snoozes are immutable'); END;
CREATE TRIGGER flag_snooze_no_delete BEFORE DELETE ON flag_snooze BEGIN SELECT RAISE(ABORT, 'snoozes are immutable'); END;

CREATE TABLE review (
  id INTEGER PRIMARY KEY,
  episode_id INTEGER NOT NULL REFERENCES episode(id),
  at TEXT NOT NULL,
  flags TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(flags)),
  decision TEXT NOT NULL CHECK (decision IN ${sqlIn(REVIEW_DECISIONS)}),
  note TEXT,
  next_review_due TEXT,
  class_at_review TEXT CHECK (class_at_review IS NULL OR class_at_review IN ${sqlIn(CLASS_ORDER)}),
  tier_after TEXT,
  ${SIGNED}
) STRICT;
CREATE INDEX review_episode ON review(episode_id, at);
CREATE INDEX review_at ON review(at);
${immutable('review')}

CREATE TABLE transfer_request (
  id INTEGER PRIMARY KEY,
  episode_id INTEGER NOT NULL REFERENCES episode(id),
  status TEXT NOT NULL CHECK (status IN ${sqlIn(TRANSFER_STATUSES)}),
  requested_at TEXT NOT NULL,
  requested_by INTEGER NOT NULL REFERENCES app_user(id),
  reason TEXT NOT NULL,
  review_id INTEGER REFERENCES review(id),
  from_placement_id INTEGER NOT NULL REFERENCES placement(id),
  to_facility_id INTEGER NOT NULL REFERENCES facility(id),
  to_ward_id INTEGER REFERENCES ward(id),
  to_bed_id INTEGER REFERENCES bed(id),
  assigned_at TEXT,
  assigned_by INTEGER REFERENCES app_user(id),
  completed_at TEXT,
  completed_by INTEGER REFERENCES app_user(id),
  cancelled_at TEXT,
  cancelled_by INTEGER REFERENCES app_user(id),
  cancel_reason TEXT,
  CHECK (status <> 'cancelled' OR length(trim(cancel_reason)) > 0)
) STRICT;
CREATE UNIQUE INDEX transfer_one_open ON transfer_request(episode_id) WHERE status IN ('requested', 'bed_assigned');
CREATE INDEX transfer_to_facility ON transfer_request(to_facility_id, status);
CREATE INDEX transfer_completed ON transfer_request(completed_at) WHERE status = 'completed';

CREATE TABLE discharge (
  id INTEGER PRIMARY KEY,
  episode_id INTEGER NOT NULL REFERENCES episode(id),
  discharged_at TEXT NOT NULL,
  disposition TEXT NOT NULL CHECK (disposition IN ${sqlIn(DISCHARGE_DISPOSITIONS)}),
  criteria TEXT NOT NULL CHECK (json_valid(criteria)),
  override_reason TEXT,
  condition TEXT,
  summary TEXT,
  follow_up TEXT,
  ${SIGNED}
) STRICT;
CREATE INDEX discharge_episode ON discharge(episode_id);
CREATE INDEX discharge_at ON discharge(discharged_at);
${immutable('discharge')}

-- Derived, recomputed in the same transaction as every clinical write: what the board and the
-- queue read. Not a clinical record; it can always be rebuilt from the signed rows.
CREATE TABLE episode_state (
  episode_id INTEGER PRIMARY KEY REFERENCES episode(id),
  computed_at TEXT NOT NULL,
  last_round_at TEXT,
  news2_total INTEGER,
  news2_complete INTEGER,
  news2_band TEXT,
  news2_monitoring TEXT,
  news2_any_three INTEGER,
  next_obs_due_at TEXT,
  proposed_class TEXT,
  current_class TEXT,
  worst_class TEXT,
  current_tier TEXT,
  flags TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(flags)),
  flag_count INTEGER NOT NULL DEFAULT 0,
  urgency INTEGER NOT NULL DEFAULT 0,
  review_due_at TEXT,
  last_review_at TEXT,
  last_review_decision TEXT
) STRICT;
CREATE INDEX episode_state_flagged ON episode_state(urgency DESC) WHERE flag_count > 0;
`;
