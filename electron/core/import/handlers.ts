import { AppError, type FieldIssue } from '../../../shared/errors';
import type { DomainHandlers } from '../context';
import type { ImportReport, SkippedRow } from '../../../shared/api/import';
import { CASE_FIELDS, fileDuplicates, readCaseRow, type CaseRowResult } from '../../../shared/import/cases';
import { settingsOf } from '../settings/settings';
import { findAllInDatabase, type DatabaseDuplicate } from './repo';
import { insertImportedCases } from './write';

interface Classified {
  result: CaseRowResult;
  dbDuplicate: DatabaseDuplicate | null;
  fileDuplicateOf: number | null;
}

function checkAdmittedAt(now: string, admittedAt: string): void {
  if (admittedAt > now) throw AppError.field('admittedAt', 'validation.future');
}

export const importHandlers: DomainHandlers<'import'> = {
  preview(ctx, { mapping, rows, admittedAt }) {
    checkAdmittedAt(ctx.now, admittedAt);
    const tz = settingsOf(ctx).timeZone;
    const results = rows.map((row) => readCaseRow(row, mapping, { now: ctx.now, tz, admittedAt }));
    const dups = findAllInDatabase(
      ctx,
      results.map((r) => (r.issues.length === 0 ? r.keys : null)),
    );
    return {
      rows: results.map((r, i) => {
        const dup = dups[i] ?? null;
        return { line: r.line, status: r.issues.length > 0 ? 'error' : dup ? 'duplicate' : 'ok', issues: r.issues, duplicate: dup, keys: r.keys };
      }),
    };
  },

  commit(ctx, input) {
    checkAdmittedAt(ctx.now, input.admittedAt);
    const ward = ctx.stmt<[number], { id: number; name: string }>('SELECT id, name FROM ward WHERE id = ?').get(input.wardId);
    if (!ward) throw AppError.field('wardId', 'error.ward_not_found');
    const tz = settingsOf(ctx).timeZone;

    const lines = new Set<number>();
    for (const row of input.rows) {
      if (lines.has(row.line)) throw AppError.field('rows', 'import.line_twice', { line: row.line });
      lines.add(row.line);
    }
    const selected = new Set(input.selected);
    for (const line of selected) if (!lines.has(line)) throw AppError.field('selected', 'import.unknown_line', { line });

    // Re-validate every row against the database as it is now: the preview may be minutes old.
    const results = input.rows.map((row) => readCaseRow(row, input.mapping, { now: ctx.now, tz, admittedAt: input.admittedAt }));
    const dups = findAllInDatabase(
      ctx,
      results.map((r) => (r.issues.length === 0 ? r.keys : null)),
    );
    const classified: Classified[] = results.map((result, i) => ({ result, dbDuplicate: dups[i] ?? null, fileDuplicateOf: null }));
    const inFile = fileDuplicates(classified.filter((c) => c.result.issues.length === 0 && !c.dbDuplicate).map((c) => c.result));
    for (const c of classified) c.fileDuplicateOf = inFile.get(c.result.line) ?? null;

    const skipped: SkippedRow[] = [];
    const stale: FieldIssue[] = [];
    const toImport: Classified[] = [];
    for (const c of classified) {
      const { line, issues } = c.result;
      const reason: SkippedRow['reason'] | null = issues.length > 0 ? 'error' : c.dbDuplicate ? 'duplicate_database' : c.fileDuplicateOf !== null ? 'duplicate_file' : null;
      if (selected.has(line)) {
        if (reason === null) toImport.push(c);
        else if (reason === 'error') for (const i of issues) stale.push({ ...i, field: `rows.${line}.${i.field}` });
        else stale.push({ field: `rows.${line}`, key: reason === 'duplicate_database' ? 'import.now_in_database' : 'import.duplicate_in_file', params: { line } });
        continue;
      }
      skipped.push({
        line,
        reason: reason ?? 'not_selected',
        issues,
        duplicateOfLine: c.fileDuplicateOf,
        duplicatePatientId: c.dbDuplicate?.patientId ?? null,
      });
    }
    // All or nothing for the chosen rows: one that is no longer valid stops the whole import.
    if (stale.length > 0) {
      throw new AppError('CONFLICT', `${stale.length} chosen rows are no longer valid`, { key: 'import.stale_preview', params: { n: stale.length }, issues: stale.slice(0, 500) });
    }

    const actor = ctx.actor;
    const mapping = Object.fromEntries(CASE_FIELDS.map((f) => [f, input.mapping[f] === null ? null : (input.header[input.mapping[f] as number] ?? null)]));
    const batchId = Number(
      ctx
        .stmt(
          `INSERT INTO import_batch (file_name, encoding, imported_at, imported_by, ward_id, admitted_at, rows_in_file, rows_imported, rows_skipped, mapping, report)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        )
        .run(
          input.fileName,
          input.encoding,
          ctx.now,
          actor.id,
          ward.id,
          input.admittedAt,
          input.rows.length,
          toImport.length,
          skipped.length,
          JSON.stringify(mapping),
          JSON.stringify(skipped),
        ).lastInsertRowid,
    );
    const cases = toImport.map(({ result: { record, line } }) => {
      if (!record) throw new AppError('INTERNAL', `row ${line} has no record`);
      return { record, line };
    });
    insertImportedCases(ctx, cases, { batchId, wardId: ward.id, admittedAt: input.admittedAt, actorId: actor.id });
    const byReason = Object.fromEntries(['error', 'duplicate_database', 'duplicate_file', 'not_selected'].map((r) => [r, skipped.filter((s) => s.reason === r).length]));
    ctx.audit({
      action: 'import.commit',
      entity: 'import_batch',
      entityId: batchId,
      after: {
        fileName: input.fileName,
        encoding: input.encoding,
        wardId: ward.id,
        admittedAt: input.admittedAt,
        rowsInFile: input.rows.length,
        imported: toImport.length,
        skipped: byReason,
      },
    });
    return { batchId, fileName: input.fileName, importedAt: ctx.now, wardId: ward.id, rowsInFile: input.rows.length, imported: toImport.length, skipped };
  },

  presets(ctx) {
    return ctx
      .stmt<[], { name: string; columns: string; updatedAt: string }>('SELECT name, columns, updated_at AS updatedAt FROM import_preset ORDER BY name')
      .all()
      .map((p) => ({ ...p, columns: JSON.parse(p.columns) as Record<string, string> }));
  },

  savePreset(ctx, { name, columns }) {
    const before = ctx.stmt<[string], { columns: string }>('SELECT columns FROM import_preset WHERE name = ?').get(name);
    const json = JSON.stringify(Object.fromEntries(Object.entries(columns).filter(([, v]) => v !== undefined)));
    ctx
      .stmt(
        `INSERT INTO import_preset (name, columns, updated_at, updated_by) VALUES (?, ?, ?, ?) ON CONFLICT (name) DO UPDATE SET columns = excluded.columns, updated_at = excluded.updated_at, updated_by = excluded.updated_by`,
      )
      .run(name, json, ctx.now, ctx.actor.id);
    ctx.audit({
      action: 'import.preset_save',
      entity: 'import_preset',
      before: before ? { name, columns: JSON.parse(before.columns) } : null,
      after: { name, columns: JSON.parse(json) },
    });
    return { ok: true as const };
  },

  deletePreset(ctx, { name }) {
    const before = ctx.stmt<[string], { columns: string }>('SELECT columns FROM import_preset WHERE name = ?').get(name);
    if (!before) throw new AppError('NOT_FOUND', `preset ${name} not found`, { key: 'import.preset_not_found' });
    ctx.stmt('DELETE FROM import_preset WHERE name = ?').run(name);
    ctx.audit({ action: 'import.preset_delete', entity: 'import_preset', before: { name, columns: JSON.parse(before.columns) } });
    return { ok: true as const };
  },

  history(ctx) {
    return ctx
      .stmt<[], { id: number; fileName: string; importedAt: string; importedBy: string; wardName: string; rowsInFile: number; imported: number; skipped: number }>(
        `SELECT b.id, b.file_name AS fileName, b.imported_at AS importedAt, u.display_name AS importedBy, w.name AS wardName,
                b.rows_in_file AS rowsInFile, b.rows_imported AS imported, b.rows_skipped AS skipped
         FROM import_batch b JOIN app_user u ON u.id = b.imported_by JOIN ward w ON w.id = b.ward_id
         ORDER BY b.imported_at DESC, b.id DESC LIMIT 50`,
      )
      .all();
  },

  report(ctx, { batchId }) {
    const b = ctx
      .stmt<[number], { id: number; file_name: string; imported_at: string; ward_id: number; rows_in_file: number; rows_imported: number; report: string }>(
        'SELECT id, file_name, imported_at, ward_id, rows_in_file, rows_imported, report FROM import_batch WHERE id = ?',
      )
      .get(batchId);
    if (!b) throw new AppError('NOT_FOUND', `import ${batchId} not found`, { key: 'import.batch_not_found' });
    const report: ImportReport = {
      batchId: b.id,
      fileName: b.file_name,
      importedAt: b.imported_at,
      wardId: b.ward_id,
      rowsInFile: b.rows_in_file,
      imported: b.rows_imported,
      skipped: JSON.parse(b.report) as SkippedRow[],
    };
    return report;
  },
};
