import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import type { Db } from '../../../electron/core/db/open';
import { bundleForNode, eachLine } from '../../support/child';

const ROOT = path.resolve(__dirname, '../../..');

/** fixtures/child.ts bundled under test-results/, with the SQLite drivers (native) left to node_modules. */
export function bundleChild(): string {
  const outfile = path.join(ROOT, 'test-results', 'trust', `child-${process.pid}.cjs`);
  return bundleForNode(path.join(__dirname, 'fixtures', 'child.ts'), outfile, { external: ['better-sqlite3', 'better-sqlite3-multiple-ciphers'] });
}

export interface ChildRun {
  lines: string[];
  exit: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  kill(): void;
  /** Resolves with the first line matching. */
  waitFor(re: RegExp): Promise<string>;
}

export function runChild(bundle: string, args: string[], onLine?: (line: string) => void): ChildRun {
  const child = spawn(process.execPath, [bundle, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  const lines: string[] = [];
  const waiters: { re: RegExp; resolve: (l: string) => void }[] = [];
  eachLine(child.stdout, (line) => {
    lines.push(line);
    onLine?.(line);
    for (const w of waiters.splice(0)) {
      if (w.re.test(line)) w.resolve(line);
      else waiters.push(w);
    }
  });
  let stderr = '';
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (c: string) => (stderr += c));
  const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('close', (code, signal) => {
      if (stderr.trim()) lines.push(`stderr: ${stderr.trim()}`);
      resolve({ code, signal });
    }),
  );
  return {
    lines,
    exit,
    kill: () => child.kill('SIGKILL'),
    waitFor: (re) => {
      const hit = lines.find((l) => re.test(l));
      if (hit) return Promise.resolve(hit);
      return new Promise((resolve, reject) => {
        waiters.push({ re, resolve });
        void exit.then(() => reject(new Error(`child exited before ${re}: ${lines.join(' | ')}`)));
      });
    },
  };
}

/** Every table's row count and the audit chain's head: what "nothing changed" means. */
export function snapshot(db: Db): Record<string, number | string | null> {
  const out: Record<string, number | string | null> = {};
  const tables = db.prepare(`SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name`).pluck().all() as string[];
  for (const t of tables) out[t] = db.prepare(`SELECT count(*) FROM "${t}"`).pluck().get() as number;
  out['audit.head'] = (db.prepare('SELECT hash FROM audit ORDER BY id DESC LIMIT 1').pluck().get() as string | undefined) ?? null;
  return out;
}

/** Every row of every table, for comparing a restored database with the original. */
export function dumpAll(db: Db): Record<string, unknown[]> {
  const out: Record<string, unknown[]> = {};
  const tables = db.prepare(`SELECT name, wr FROM pragma_table_list WHERE schema = 'main' AND type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name`).all() as {
    name: string;
    wr: number;
  }[];
  for (const t of tables) out[t.name] = db.prepare(`SELECT * FROM "${t.name}" ORDER BY ${t.wr ? '1' : 'rowid'}`).all();
  return out;
}

export function removeBundle(file: string): void {
  fs.rmSync(file, { force: true });
}
