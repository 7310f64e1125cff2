import fs from 'node:fs';
import path from 'node:path';
import { openDatabase, type Db, type OpenOptions } from './db/open';
import { createDispatch, type Dispatch, type DispatchOptions } from './dispatch';
import { handlers } from './handlers';
import type { SessionBox } from './context';

export type { SessionBox } from './context';
export type { Dispatch } from './dispatch';

export const DB_FILE_NAME = 'echelon.db';

export interface Core {
  readonly file: string;
  readonly db: Db;
  readonly dispatch: Dispatch;
  newSession(): SessionBox;
  close(): void;
}

export interface CoreOptions extends OpenOptions, DispatchOptions {
  /** Folder holding echelon.db (the user-data folder, or `--data-dir` / ECHELON_DATA_DIR). */
  dataDir: string;
}

/** The whole backend, plain Node: Electron main and the test harness both run exactly this. */
export function createCore(options: CoreOptions): Core {
  fs.mkdirSync(options.dataDir, { recursive: true });
  const file = path.join(options.dataDir, DB_FILE_NAME);
  const db = openDatabase(file, options);
  const dispatch = createDispatch(db, handlers, options);
  return {
    file,
    db,
    dispatch,
    newSession: () => ({ user: null }),
    close: () => {
      if (db.open) db.close();
    },
  };
}

/** Data folder override from the command line (`--data-dir=…` or `--data-dir …`) or the environment. */
export function dataDirOverride(argv: readonly string[], env: NodeJS.ProcessEnv): string | undefined {
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i] ?? '';
    if (a.startsWith('--data-dir=')) return path.resolve(a.slice('--data-dir='.length));
    if (a === '--data-dir' && argv[i + 1]) return path.resolve(argv[i + 1] as string);
  }
  return env.ECHELON_DATA_DIR ? path.resolve(env.ECHELON_DATA_DIR) : undefined;
}
