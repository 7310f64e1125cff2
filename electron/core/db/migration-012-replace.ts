/**
 * Migration 12 (issue 12, finding 6): `REPLACE` cannot remove a signed row or an audit row.
 *
 * `INSERT OR REPLACE` (and `REPLACE INTO`) deletes every row whose primary or unique key the new row
 * collides with, then inserts. SQLite fires no DELETE trigger for that deletion unless
 * `recursive_triggers` is on, so the `*_no_delete` triggers of migrations 1, 2 and 7 did not stop it
 * from a raw connection. A BEFORE INSERT trigger runs before any conflict is resolved, whatever the
 * pragmas and whatever the conflict clause, so each table below refuses an insert that collides with
 * an existing row on any of its unique keys. A normal insert never collides (the services check first,
 * and an amendment supersedes a row that nothing else supersedes yet): it pays one primary-key lookup,
 * plus one index lookup per other key that is set.
 *
 * Each entry: the table, and the conditions under which an existing row holds one of its unique keys
 * (one per unique index, partial indexes with their WHERE).
 */
const SIGNED_SUPERSEDABLE = ['round', 'lab_result', 'imaging', 'class_assessment', 'tier_assignment', 'review', 'discharge'] as const;

type Guard = [table: string, message: string, collisions: readonly string[]];

const GUARDED: readonly Guard[] = [
  ...SIGNED_SUPERSEDABLE.map((t): Guard => [
    t,
    'signed clinical records cannot be replaced: enter an amendment',
    [`EXISTS (SELECT 1 FROM ${t} x WHERE x.id = NEW.id)`, `(NEW.supersedes_id IS NOT NULL AND EXISTS (SELECT 1 FROM ${t} x WHERE x.supersedes_id = NEW.supersedes_id))`],
  ]),
  [
    'plan_version',
    'plan versions cannot be replaced: save a new version',
    ['EXISTS (SELECT 1 FROM plan_version x WHERE x.id = NEW.id)', 'EXISTS (SELECT 1 FROM plan_version x WHERE x.episode_id = NEW.episode_id AND x.version = NEW.version)'],
  ],
  ['referral', 'referrals cannot be replaced', ['EXISTS (SELECT 1 FROM referral x WHERE x.id = NEW.id)']],
  ['flag_snooze', 'snoozes cannot be replaced', ['EXISTS (SELECT 1 FROM flag_snooze x WHERE x.id = NEW.id)']],
  ['import_batch', 'import records cannot be replaced', ['EXISTS (SELECT 1 FROM import_batch x WHERE x.id = NEW.id)']],
  [
    'placement',
    'placement history cannot be replaced',
    [
      'EXISTS (SELECT 1 FROM placement x WHERE x.id = NEW.id)',
      '(NEW.end_at IS NULL AND EXISTS (SELECT 1 FROM placement x WHERE x.episode_id = NEW.episode_id AND x.end_at IS NULL))',
      '(NEW.end_at IS NULL AND NEW.bed_id IS NOT NULL AND EXISTS (SELECT 1 FROM placement x WHERE x.bed_id = NEW.bed_id AND x.end_at IS NULL))',
    ],
  ],
  ['audit', 'audit rows cannot be replaced', ['EXISTS (SELECT 1 FROM audit x WHERE x.id = NEW.id)', 'EXISTS (SELECT 1 FROM audit x WHERE x.hash = NEW.hash)']],
];

export const REPLACE_GUARDED_TABLES: readonly string[] = GUARDED.map(([t]) => t);

export const MIGRATION_012 = `
${GUARDED.map(
  ([table, message, collisions]) => `CREATE TRIGGER ${table}_no_replace BEFORE INSERT ON ${table}
WHEN ${collisions.join('\n  OR ')}
BEGIN SELECT RAISE(ABORT, '${message}'); END;`,
).join('\n')}
-- UPDATE OR REPLACE could also delete a row: placement's history trigger (migration 1) lets the end be
-- set but did not fix the id, and a changed id colliding with another placement would replace it.
CREATE TRIGGER placement_id_fixed BEFORE UPDATE OF id ON placement WHEN NEW.id IS NOT OLD.id
BEGIN SELECT RAISE(ABORT, 'placement history is immutable'); END;
`;
