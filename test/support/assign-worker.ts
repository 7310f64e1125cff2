/**
 * A second writer, in its own process, for the concurrency test: opens the same database file,
 * waits for the common start signal, then tries to assign each bed in its list as fast as it can.
 * It opens the file and builds dispatch directly, without createCore's data-folder lock: that lock
 * keeps a second Echelon process out in real use, and this test proves the database rules alone
 * still never let one bed be taken twice.
 * argv: database file, session user (JSON), pairs [[transferId, bedId], …] (JSON); stdin: any line = go.
 */
import { openDatabase } from '../../electron/core/db/open';
import { testKeysFor } from './keys';
import { createDispatch } from '../../electron/core/dispatch';
import { handlers } from '../../electron/core/handlers';
import type { SessionBox } from '../../electron/core/base';
import type { SessionUser } from '../../shared/api/auth';

const [file, userJson, pairsJson] = process.argv.slice(2) as [string, string, string];
const db = openDatabase(file, { key: testKeysFor(file)[0] });
const dispatch = createDispatch(db, handlers, { log: () => undefined });
const session: SessionBox = { user: JSON.parse(userJson) as SessionUser };
const pairs = JSON.parse(pairsJson) as [number, number][];
// Each request's version as this workstation's screen showed it before the race (issue 15).
const versionOf = db.prepare<[number], number>('SELECT version FROM transfer_request WHERE id = ?').pluck();
const versions = new Map(pairs.map(([transferId]) => [transferId, versionOf.get(transferId) ?? 0]));

// Loaded and connected: tell the test, and start when it says go (both processes at once).
process.stdout.write('ready\n');
process.stdin.once('data', () => {
  const startedAt = Date.now();
  const results = pairs.map(([transferId, bedId]) => {
    const r = dispatch('transfers:assignBed', { transferId, bedId, version: versions.get(transferId) }, session, new Date().toISOString());
    return {
      transferId,
      bedId,
      ok: r.ok,
      code: r.ok ? null : r.error.code,
      key: r.ok ? null : (r.error.details.key ?? null),
      by: r.ok ? null : (r.error.details.params?.by ?? null),
    };
  });
  const endedAt = Date.now();
  db.close();
  process.stdout.write(JSON.stringify({ startedAt, endedAt, results }));
  process.exit(0);
});
