import type Database from 'better-sqlite3';

/** A connection to the record. Its own file, so repositories that db/open.ts calls need not import open.ts back. */
export type Db = Database.Database;
