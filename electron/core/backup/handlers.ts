import fs from 'node:fs';
import path from 'node:path';
import type { BackupFile, Verification } from '../../../shared/api/backup';
import { AppError } from '../../../shared/errors';
import type { DomainHandlers } from '../context';
import type { OpCtx } from '../operation';
import { runtimeOf } from '../runtime';
import { settingsOf } from '../settings/settings';
import { BACKUPS_DIR, fsError, fsyncDir, fsyncFile, listBackups, removeIfPresent, stampOf, uniqueName } from './files';
import { backupToFolder, writeVerifiedCopy } from './backup';
import { commitSwap, restoredAnchor, rollbackSwap, stageRestore, swapIn } from './restore';
import { verifyDatabaseFile } from './verify';
import { exportCsv } from './export';
import { connect, keyOf } from '../security/cipher';
import type { CoreRuntime } from '../operation';
import type { VerifyOptions } from './verify';

/** Connections the backup code opens: the Electron build of the driver, and every key of the record. */
const optionsOf = (rt: CoreRuntime): VerifyOptions => ({ keys: rt.keys.all, ...(rt.nativeBinding ? { nativeBinding: rt.nativeBinding } : {}) });

function backupPath(dataDir: string, name: string): string {
  const file = path.join(dataDir, BACKUPS_DIR, name);
  if (!fs.existsSync(file)) throw new AppError('NOT_FOUND', `backup ${name} not found`, { key: 'backup.not_found' });
  return file;
}

function fileInfo(dataDir: string, tz: string, name: string): BackupFile {
  const f = listBackups(dataDir, tz).find((b) => b.name === name);
  if (!f) throw new AppError('NOT_FOUND', `backup ${name} not found`, { key: 'backup.not_found' });
  return f;
}

export const backupHandlers: DomainHandlers<'backup'> = {
  list(ctx) {
    const rt = runtimeOf(ctx.db);
    const s = settingsOf(ctx);
    return { folder: path.join(rt.dataDir, BACKUPS_DIR), files: listBackups(rt.dataDir, s.timeZone), keep: s.backupKeep, canChooseFile: Boolean(rt.host.chooseBackupDestination) };
  },

  async create(ctx, { target }) {
    const rt = ctx.runtime;
    const s = settingsOf(ctx);
    const options = optionsOf(rt);
    if (target === 'folder') {
      const r = await backupToFolder(rt.db, rt.dataDir, ctx.now, s.timeZone, s.backupKeep, options);
      ctx.audit({ action: 'backup.create', entity: 'backup', after: { name: r.file.name, size: r.file.size, pruned: r.pruned } });
      return { cancelled: false, ...r };
    }
    const choose = rt.host.chooseBackupDestination;
    if (!choose) throw new AppError('RULE_VIOLATION', 'this window cannot show a save dialog', { key: 'backup.no_dialog' });
    const dest = await choose(`echelon-${stampOf(ctx.now, s.timeZone)}.db`);
    if (!dest) {
      ctx.nothingDone();
      return { cancelled: true, file: null, verification: null, pruned: [] };
    }
    const verification = await writeVerifiedCopy(rt.db, dest, options);
    const size = fs.statSync(dest).size;
    ctx.audit({ action: 'backup.create', entity: 'backup', after: { path: dest, size } });
    return { cancelled: false, file: { name: path.basename(dest), kind: 'backup' as const, size, createdAt: ctx.now }, verification, pruned: [] };
  },

  inspect(ctx, { name }) {
    const rt = runtimeOf(ctx.db);
    const file = backupPath(rt.dataDir, name);
    return { file: fileInfo(rt.dataDir, settingsOf(ctx).timeZone, name), verification: verifyDatabaseFile(file, optionsOf(rt)) };
  },

  async import(ctx) {
    const rt = ctx.runtime;
    const choose = rt.host.chooseBackupSource;
    if (!choose) throw new AppError('RULE_VIOLATION', 'this window cannot show an open dialog', { key: 'backup.no_dialog' });
    const source = await choose();
    if (!source) {
      ctx.nothingDone();
      return { cancelled: true, file: null, verification: null };
    }
    const tz = settingsOf(ctx).timeZone;
    const { name, verification } = importBackup(ctx, source, tz);
    ctx.audit({ action: 'backup.import', entity: 'backup', after: { source, name, ok: verification.ok, problems: verification.problems.map((p) => p.key) } });
    return { cancelled: false, file: name ? fileInfo(rt.dataDir, tz, name) : null, verification };
  },

  async restore(ctx, { name, confirm }) {
    if (confirm.trim() !== name) throw AppError.field('confirm', 'backup.confirm_mismatch', { name });
    return restoreLive(ctx, name);
  },
};

/** Copies a chosen file into the backups folder as `imported-<stamp>.db`, in rollback-journal mode, if it verifies. */
function importBackup(ctx: OpCtx, source: string, tz: string): { name: string | null; verification: Verification } {
  const rt = ctx.runtime;
  const dir = path.join(rt.dataDir, BACKUPS_DIR);
  const options = optionsOf(rt);
  let partial = '';
  try {
    fs.mkdirSync(dir, { recursive: true });
    const name = uniqueName(dir, 'imported', stampOf(ctx.now, tz), '.db');
    partial = path.join(dir, `${name}.partial`);
    fs.copyFileSync(source, partial);
    toRollbackJournal(partial, options);
    fsyncFile(partial);
    const verification = verifyDatabaseFile(partial, options);
    if (!verification.ok) {
      removeIfPresent(partial);
      return { name: null, verification };
    }
    fs.renameSync(partial, path.join(dir, name));
    fsyncDir(dir);
    return { name, verification };
  } catch (err) {
    if (partial) removeIfPresent(partial);
    throw fsError(err);
  }
}

/**
 * A copy of a WAL-mode database is switched to a rollback journal so it is one self-contained file.
 * Files that are not SQLite, or encrypted under no key of this record, are left for verification to refuse.
 */
function toRollbackJournal(file: string, options: VerifyOptions): void {
  const header = Buffer.alloc(20);
  const fd = fs.openSync(file, 'r');
  try {
    fs.readSync(fd, header, 0, 20, 0);
  } finally {
    fs.closeSync(fd);
  }
  const plain = header.toString('latin1', 0, 16) === 'SQLite format 3\u0000';
  if (plain && header[18] !== 2 && header[19] !== 2) return;
  let db: ReturnType<typeof connect> | null = null;
  try {
    const key = plain ? null : keyOf(file, options.keys ?? [], options.nativeBinding);
    if (key === undefined) return;
    db = connect(file, { key, ...(options.nativeBinding ? { nativeBinding: options.nativeBinding } : {}) });
    db.pragma('journal_mode = DELETE');
  } catch (err) {
    // A corrupt copy cannot change mode; verification reports it as corrupt.
    const code = (err as { code?: string }).code ?? '';
    if (!code.startsWith('SQLITE_')) throw err;
  } finally {
    db?.close();
  }
}

/**
 * The restore itself. Everything after staging is synchronous, so no other call runs while the
 * database is closed. The old database records who replaced it (it is kept under `replaced/`); the
 * restored one records the restore, attributed to the same account if it exists there.
 */
function restoreLive(ctx: OpCtx, name: string) {
  const rt = ctx.runtime;
  const tz = settingsOf(ctx).timeZone;
  const options = optionsOf(rt);
  const source = backupPath(rt.dataDir, name);
  const actor = ctx.actor;
  const { stage, verification } = stageRestore(rt.file, source, options);
  ctx.audit({ action: 'backup.restore_started', entity: 'backup', after: { from: name } });
  rt.closeDatabase();
  let plan;
  try {
    plan = swapIn(rt.file, stage, stampOf(ctx.now, tz), restoredAnchor(verification, source));
  } catch (err) {
    removeIfPresent(stage);
    rt.reopenDatabase();
    throw err;
  }
  try {
    rt.reopenDatabase();
  } catch (err) {
    rollbackSwap(plan);
    rt.reopenDatabase();
    throw err;
  }
  commitSwap(plan);
  const sameUser = ctx.stmt<[string], { id: number }>('SELECT id FROM app_user WHERE username = ?').get(actor.username);
  ctx.audit(
    { action: 'backup.restore', entity: 'backup', after: { from: name, replacedAs: plan.replacedAs, by: { username: actor.username, displayName: actor.displayName } } },
    sameUser?.id ?? null,
  );
  rt.endAllSessions();
  return { restoredFrom: name, replacedAs: plan.replacedAs, verification };
}

export const exportHandlers: DomainHandlers<'export'> = {
  csv(ctx) {
    const rt = runtimeOf(ctx.db);
    const r = exportCsv(ctx.db, rt.dataDir, ctx.now, settingsOf(ctx).timeZone);
    ctx.audit({ action: 'export.csv', entity: 'export', after: { folder: r.folder, tables: Object.fromEntries(r.tables.map((t) => [t.table, t.rows])) } });
    return r;
  },
};
