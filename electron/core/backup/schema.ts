import { connect } from '../security/cipher';
import type { Db } from '../db/open';
import { MIGRATIONS } from '../db/migrations';

/** One object of a database's schema, as `sqlite_schema` lists it. */
export interface SchemaObject {
  type: string;
  name: string;
  tbl_name: string;
  sql: string | null;
}

export type SchemaChange = 'missing' | 'unexpected' | 'changed';

export interface SchemaDifference {
  change: SchemaChange;
  type: string;
  name: string;
}

/**
 * The statistics tables that `ANALYZE` (or `PRAGMA optimize`) creates: they hold row counts for the
 * query planner, no code runs from them, and an administrator may run ANALYZE on a copy.
 */
const IGNORED = /^sqlite_stat\d$/;

/**
 * Whitespace only: the migrations' own line breaks and indentation are kept verbatim by SQLite, and
 * nothing else about a definition may differ (a changed CHECK, column or trigger body is a change).
 */
const normalise = (sql: string | null): string | null => (sql === null ? null : sql.replace(/\s+/g, ' ').trim());

export function readSchema(db: Db): Map<string, SchemaObject> {
  const out = new Map<string, SchemaObject>();
  for (const o of db.prepare('SELECT type, name, tbl_name, sql FROM sqlite_schema').all() as SchemaObject[]) {
    if (o.type === 'table' && IGNORED.test(o.name)) continue;
    out.set(`${o.type}\u0000${o.name}`, { ...o, sql: normalise(o.sql) });
  }
  return out;
}

const references = new Map<number, Map<string, SchemaObject>>();

/**
 * The schema our migrations produce at `version`: every migration up to it applied to an empty
 * in-memory database, once per version and process. A database of that version that Echelon made and
 * nobody altered has exactly this schema; opening it applies the later migrations.
 */
export function referenceSchema(version: number, nativeBinding?: string): Map<string, SchemaObject> {
  const cached = references.get(version);
  if (cached) return cached;
  const db = connect(':memory:', nativeBinding ? { nativeBinding } : {});
  try {
    for (const m of [...MIGRATIONS].sort((a, b) => a.version - b.version)) if (m.version <= version) db.exec(m.sql);
    const schema = readSchema(db);
    references.set(version, schema);
    return schema;
  } finally {
    db.close();
  }
}

/** What `actual` lacks, has in addition, or defines differently (name, table or SQL text), in a stable order. */
export function compareSchema(actual: Map<string, SchemaObject>, expected: Map<string, SchemaObject>): SchemaDifference[] {
  const out: SchemaDifference[] = [];
  for (const [key, e] of expected) {
    const a = actual.get(key);
    if (!a) out.push({ change: 'missing', type: e.type, name: e.name });
    else if (a.tbl_name !== e.tbl_name || a.sql !== e.sql) out.push({ change: 'changed', type: e.type, name: e.name });
  }
  for (const [key, a] of actual) if (!expected.has(key)) out.push({ change: 'unexpected', type: a.type, name: a.name });
  return out.sort((x, y) => (x.type < y.type ? -1 : x.type > y.type ? 1 : x.name < y.name ? -1 : x.name > y.name ? 1 : 0));
}

/** Everything `sqlite_schema` can hold. */
const KINDS = ['table', 'index', 'trigger', 'view'] as const;
/** At most this many names per problem line: a foreign file could differ in hundreds of objects. */
const NAMES_SHOWN = 8;

/**
 * The differences as verification problems, one per kind of object and kind of change, each naming
 * the objects: `backup.schema.trigger_missing` {names: 'audit_no_delete, audit_no_update'}.
 */
export function schemaProblems(diffs: readonly SchemaDifference[]): { key: string; params: Record<string, string | number> }[] {
  const problems: { key: string; params: Record<string, string | number> }[] = [];
  for (const change of ['missing', 'unexpected', 'changed'] as const) {
    for (const kind of KINDS) {
      const names = diffs.filter((d) => d.change === change && d.type === kind).map((d) => d.name);
      if (names.length === 0) continue;
      const shown = names.slice(0, NAMES_SHOWN).join(', ');
      problems.push({
        key: `backup.schema.${kind}_${change}`,
        params: { names: names.length > NAMES_SHOWN ? `${shown} (+${names.length - NAMES_SHOWN})` : shown, n: names.length },
      });
    }
  }
  return problems;
}
