import type { Db } from './db/open';
import { AppError } from '../../shared/errors';
import { writeAudit, type AuditEntry } from './audit/audit';
import { BaseCtx, type SessionBox } from './base';
import type { RecordKeys } from './security/record';

/** What the host (Electron main) offers beyond the core: native file dialogs. Absent in tests and the browser harness. */
export interface HostPorts {
  /** A save dialog for a backup file; the chosen path, or null when the user cancelled. */
  chooseBackupDestination?(suggestedName: string): Promise<string | null>;
  /** An open dialog for a backup file to bring into the backups folder; the path, or null. */
  chooseBackupSource?(): Promise<string | null>;
}

/** The parts of the running core that an operation may use: it may close and reopen the database. */
export interface CoreRuntime {
  readonly dataDir: string;
  readonly file: string;
  /** The current connection; a new object after a restore. */
  readonly db: Db;
  readonly host: HostPorts;
  /** better-sqlite3 built for Electron, for every connection the core opens (copies, checks). */
  readonly nativeBinding?: string;
  /** The record's data keys (issue 20): the current one opens echelon.db, all of them open its backups. */
  readonly keys: RecordKeys;
  /** Closes the connection. The data-folder lock stays held, so no other process can step in. */
  closeDatabase(): void;
  /** Opens echelon.db again (header check, quick_check, migrations); throws a STORAGE AppError when it cannot. */
  reopenDatabase(): void;
  /** Logs every window out: after a restore the accounts may differ. */
  endAllSessions(): void;
  /** Runs one backup or restore at a time; a second one meanwhile is refused with CONFLICT. */
  runExclusive<T>(name: string, fn: () => Promise<T>): Promise<T>;
}

export function createExclusive(): CoreRuntime['runExclusive'] {
  let running: string | null = null;
  return async (name, fn) => {
    if (running) throw new AppError('CONFLICT', `${running} is still running`, { key: 'backup.busy' });
    running = name;
    try {
      return await fn();
    } finally {
      running = null;
    }
  };
}

/** What an operation handler gets: like Ctx, but outside any transaction and with the core's runtime. */
export class OpCtx extends BaseCtx {
  /** Set by `nothingDone`: the operation changed nothing (a dialog was cancelled), so it owes no audit row. */
  unchanged = false;

  constructor(
    readonly runtime: CoreRuntime,
    now: string,
    session: SessionBox,
  ) {
    super(now, session);
  }

  /** The current connection: a new one after a restore. */
  get db(): Db {
    return this.runtime.db;
  }

  nothingDone(): void {
    this.unchanged = true;
  }

  /** Outside dispatch's transaction, each audit row is written in its own immediate transaction. */
  audit(entry: AuditEntry, userId: number | null = this.session.user?.id ?? null): void {
    const db = this.db;
    db.transaction(() => writeAudit(db, this.now, userId, entry, this.session.workstation ?? null)).immediate();
    this.auditCount += 1;
  }
}
