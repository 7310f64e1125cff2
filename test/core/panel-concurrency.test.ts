import { spawn } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Transfer } from '../../shared/api/transfers';
import { openDatabase } from '../../electron/core/db/open';
import { createDispatch } from '../../electron/core/dispatch';
import { handlers } from '../../electron/core/handlers';
import { NOW } from '../support/core';
import { testKeysFor } from '../support/keys';
import { admit, as, panelNetwork } from '../support/panel';
import { transferVersion } from '../support/versions';

const WORKER = path.resolve(__dirname, '../support/assign-worker.ts');
const TSX_CLI = path.resolve(__dirname, '../../node_modules/tsx/dist/cli.mjs');

interface Attempt {
  transferId: number;
  bedId: number;
  ok: boolean;
  code: string | null;
  key: string | null;
  /** Who took the bed, as the refusal names it (issue 15). */
  by: string | null;
}

interface Run {
  startedAt: number;
  endedAt: number;
  results: Attempt[];
}

/** Starts a writer process; resolves `ready` once it has opened the database, `done` with its attempts. */
function startWorker(file: string, user: object, pairs: [number, number][]) {
  const child = spawn(process.execPath, [TSX_CLI, WORKER, file, JSON.stringify(user), JSON.stringify(pairs)], { stdio: ['pipe', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  let onReady: () => void = () => undefined;
  const ready = new Promise<void>((resolve) => (onReady = resolve));
  child.stdout.on('data', (d: Buffer) => {
    out += d.toString();
    if (out.startsWith('ready\n')) onReady();
  });
  child.stderr.on('data', (d: Buffer) => (err += d.toString()));
  const done = new Promise<Run>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve(JSON.parse(out.slice('ready\n'.length)) as Run) : reject(new Error(`worker exited ${code}: ${err}`))));
  });
  return { ready, done, go: () => child.stdin.write('go\n') };
}

/** N free beds in the designated hospital and 2N fangcang patients each with an open transfer request. */
function contestedBeds(n: number) {
  const c = panelNetwork();
  const g2 = Number(c.db.prepare(`INSERT INTO ward (facility_id, code, name, kind) VALUES (?, 'G2', '感染二病区', 'general')`).run(c.dh).lastInsertRowid);
  const a3 = Number(c.db.prepare(`INSERT INTO ward (facility_id, code, name, kind) VALUES (?, 'A3', 'A3舱', 'zone')`).run(c.fc).lastInsertRowid);
  const bed = c.db.prepare('INSERT INTO bed (ward_id, label, sort) VALUES (?, ?, ?)');
  const free = Array.from({ length: n }, (_, i) => Number(bed.run(g2, `G2-${i}`, i).lastInsertRowid));
  const zone = Array.from({ length: 2 * n }, (_, i) => Number(bed.run(a3, `A3-${i}`, i).lastInsertRowid));
  const requests = zone.map((bedId, i) => {
    const p = admit(c, { wardId: a3, bedId }, { name: `患者${i}`, ageYears: 65, riskFactors: ['diabetes'] });
    return as(c, c.doctor, () => c.ok<Transfer>('transfers:request', { episodeId: p.episodeId, toFacilityId: c.dh, reason: '转定点医院' })).id;
  });
  return { c, free, requests };
}

describe('two workstations assigning the same free beds at the same moment', () => {
  it('never both succeed: each bed is reserved for exactly one transfer, the other is told it is taken', async () => {
    const n = 40;
    const { c, free, requests } = contestedBeds(n);
    const admin = c.session.user!;
    // Both processes go for the same beds in the same order, released together once both are connected.
    const wa = startWorker(
      c.file,
      admin,
      free.map((bedId, i) => [requests[i]!, bedId]),
    );
    const wb = startWorker(
      c.file,
      admin,
      free.map((bedId, i) => [requests[n + i]!, bedId]),
    );
    await Promise.all([wa.ready, wb.ready]);
    wa.go();
    wb.go();
    const [ra, rb] = await Promise.all([wa.done, wb.done]);
    const [a, b] = [ra.results, rb.results];
    for (let i = 0; i < n; i++) {
      const wins = [a[i]!, b[i]!].filter((x) => x.ok);
      expect(wins, `bed ${free[i]}`).toHaveLength(1);
      const loser = [a[i]!, b[i]!].find((x) => !x.ok)!;
      expect([loser.code, loser.key]).toEqual(['CONFLICT', 'beds.not_free']);
      expect(loser.by).toBe(admin.displayName);
    }
    const db = c.db;
    expect(
      db
        .prepare(`SELECT count(*) FROM bed WHERE id IN (${free.join(',')}) AND state = 'reserved'`)
        .pluck()
        .get(),
    ).toBe(n);
    expect(db.prepare(`SELECT count(*) FROM transfer_request WHERE status = 'bed_assigned'`).pluck().get()).toBe(n);
    expect(db.prepare(`SELECT count(DISTINCT to_bed_id) FROM transfer_request WHERE status = 'bed_assigned'`).pluck().get()).toBe(n);
    expect(db.prepare(`SELECT count(*) FROM transfer_request WHERE status = 'requested'`).pluck().get()).toBe(n);
    // The two really ran at the same time.
    expect(ra.startedAt).toBeLessThan(rb.endedAt);
    expect(rb.startedAt).toBeLessThan(ra.endedAt);
  }, 60_000);

  it('a second connection to the same file sees the first one’s reservation at once', () => {
    const { c, free, requests } = contestedBeds(1);
    const otherDb = openDatabase(c.file, { key: testKeysFor(c.file)[0] });
    const other = createDispatch(otherDb, handlers, { log: () => undefined });
    expect(other('transfers:assignBed', { transferId: requests[0]!, bedId: free[0]!, version: transferVersion(c, requests[0]!) }, { user: c.session.user }, NOW).ok).toBe(true);
    const second = c.call('transfers:assignBed', { transferId: requests[1]!, bedId: free[0]!, version: transferVersion(c, requests[1]!) }, NOW);
    expect(!second.ok && second.error.code).toBe('CONFLICT');
    otherDb.close();
  });
});
