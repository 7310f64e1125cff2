import { describe, expect, it } from 'vitest';
import { toErrorPayload } from '../../../electron/core/dispatch';
import { makeCore } from '../../support/core';

describe('signed records and the audit trail at the database level', () => {
  it('every signed table (author and entry kind) refuses UPDATE and DELETE by trigger, even from a raw SQLite connection', () => {
    const c = makeCore();
    c.ok('setup:loadDemo', { seed: 20220320 });
    const tables = c.db.prepare(`SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name`).pluck().all() as string[];
    const columns = (t: string) => c.db.prepare('SELECT name FROM pragma_table_info(?)').pluck().all(t) as string[];
    const signed = tables.filter((t) => columns(t).includes('author_id') && columns(t).includes('entry_kind'));
    expect(signed).toEqual(expect.arrayContaining(['round', 'class_assessment', 'review', 'discharge']));
    let tried = 0;
    for (const t of [...signed, 'audit']) {
      const id = c.db.prepare(`SELECT rowid FROM "${t}" ORDER BY rowid LIMIT 1`).pluck().get() as number | undefined;
      if (id === undefined) continue;
      const col = columns(t).find((x) => x !== 'id')!;
      let update: unknown;
      let remove: unknown;
      try {
        c.db.prepare(`UPDATE "${t}" SET "${col}" = "${col}" WHERE rowid = ?`).run(id);
      } catch (err) {
        update = err;
      }
      try {
        c.db.prepare(`DELETE FROM "${t}" WHERE rowid = ?`).run(id);
      } catch (err) {
        remove = err;
      }
      expect((update as { code?: string })?.code, `${t} update`).toBe('SQLITE_CONSTRAINT_TRIGGER');
      expect((remove as { code?: string })?.code, `${t} delete`).toBe('SQLITE_CONSTRAINT_TRIGGER');
      // Through dispatch the same refusal is a translated rule violation, never INTERNAL.
      expect(toErrorPayload(update).code).toBe('RULE_VIOLATION');
      tried += 1;
    }
    expect(tried).toBeGreaterThanOrEqual(5);
  }, 60_000);
});
