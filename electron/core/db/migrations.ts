import { MIGRATION_001 } from './migration-001-foundation';
import { MIGRATION_002 } from './migration-002-clinical';
import { MIGRATION_003 } from './migration-003-trust';
import { MIGRATION_005 } from './migration-005-panel';
import { MIGRATION_007 } from './migration-007-scale';
import { MIGRATION_008 } from './migration-008-reports';
import { MIGRATION_009 } from './migration-009-queue';
import { MIGRATION_011 } from './migration-011-stats';
import { MIGRATION_012 } from './migration-012-replace';
import { MIGRATION_013 } from './migration-013-sessions';
import { MIGRATION_014 } from './migration-014-round-safety';
import { MIGRATION_015 } from './migration-015-age-months';
import { MIGRATION_016 } from './migration-016-network';
import { MIGRATION_017 } from './migration-017-versions';
import { MIGRATION_018 } from './migration-018-report-placement';
import { MIGRATION_019 } from './migration-019-awaiting-history';
import { MIGRATION_020 } from './migration-020-antivirals';

export interface Migration {
  version: number;
  name: string;
  sql: string;
}

/**
 * Numbered migrations, one file each, applied by `PRAGMA user_version`, all pending ones in one
 * transaction. Never edit a released migration: add the next number.
 *
 * The gaps are skipped numbers, not lost migrations: no commit of this repository ever had a
 * migration 4, 6 or 10 (early migrations were numbered after the issue that brought them, and those
 * issues needed none), so no database was ever at those versions. `migrate` applies whatever is
 * pending in version order and records the latest.
 */
export const MIGRATIONS: readonly Migration[] = [
  { version: 1, name: 'foundation: users, facilities, wards, beds, patients, episodes, placements, audit', sql: MIGRATION_001 },
  {
    version: 2,
    name: 'clinical records: rounds, results, imaging, class, tiers, plans, reviews, transfers, discharge',
    sql: MIGRATION_002,
  },
  { version: 3, name: 'trust: ward assignments of users, audit viewer indexes', sql: MIGRATION_003 },
  { version: 5, name: 'panel: one transfer per reserved bed, transfer and bed indexes', sql: MIGRATION_005 },
  { version: 7, name: 'scale: patient search keys, case-list imports and presets', sql: MIGRATION_007 },
  { version: 8, name: 'reports: placement time indexes, a cache of the figures of past periods', sql: MIGRATION_008 },
  { version: 9, name: 'queue: waiting time stored beside urgency, the queue ranked from an index', sql: MIGRATION_009 },
  { version: 11, name: 'reports: discharge statistics from a covering index', sql: MIGRATION_011 },
  { version: 12, name: 'trust: REPLACE cannot remove signed or audit rows, whatever the pragmas', sql: MIGRATION_012 },
  { version: 13, name: 'sessions: an epoch per account, bumped when its password or role changes', sql: MIGRATION_013 },
  { version: 14, name: 'round safety: not-done records, escalation answers, no score without a measurement', sql: MIGRATION_014 },
  { version: 15, name: 'children: an age stated in months when there is no birth date', sql: MIGRATION_015 },
  { version: 16, name: 'network: the workstation of each audit row, idempotency keys of writes', sql: MIGRATION_016 },
  { version: 17, name: 'no lost updates: a version on beds, transfers, accounts and settings, bumped by triggers', sql: MIGRATION_017 },
  { version: 18, name: 'reports: each placement with how it began and ended, counted from an index', sql: MIGRATION_018 },
  { version: 19, name: 'reports: who is awaiting review over time, per episode, kept where the live state is written', sql: MIGRATION_019 },
  { version: 20, name: 'antivirals: chronic medicine lists, the antiviral profile and decisions, the eligibility window in the state', sql: MIGRATION_020 },
];

export const LATEST_VERSION = MIGRATIONS.reduce((v, m) => Math.max(v, m.version), 0);
