import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createCore, type Core, type SessionBox } from '../../electron/core';
import type { Result } from '../../shared/errors';

/** 2022-03-20 14:05 in Shanghai, inside the reference outbreak. */
export const NOW = '2022-03-20T06:05:00.000Z';

export interface TestCore extends Core {
  dir: string;
  session: SessionBox;
  /** Dispatches as the test's session, at `now` (default NOW). */
  call<T = unknown>(channel: string, input?: unknown, now?: string): Result<T>;
  /** Like call, but throws on an error result. */
  ok<T = unknown>(channel: string, input?: unknown, now?: string): T;
  count(table: string): number;
  reopen(): TestCore;
}

export function tempDir(prefix = 'echelon-test-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

export function makeCore(dir = tempDir()): TestCore {
  const core = createCore({ dataDir: dir, log: () => undefined });
  const session: SessionBox = { user: null };
  const tc: TestCore = {
    ...core,
    dir,
    session,
    call: <T>(channel: string, input: unknown = {}, now = NOW) => core.dispatch(channel, input, session, now) as Result<T>,
    ok: <T>(channel: string, input: unknown = {}, now = NOW) => {
      const r = core.dispatch(channel, input, session, now);
      if (!r.ok) throw new Error(`${channel} failed: ${JSON.stringify(r.error)}`);
      return r.value as T;
    },
    count: (table: string) => (core.db.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n,
    reopen: () => {
      core.close();
      return makeCore(dir);
    },
  };
  return tc;
}

/** A core with an administrator logged in and a small network: one designated ward and one fangcang zone. */
export function makeNetwork(): TestCore & { wardId: number; zoneId: number; beds: number[]; zoneBeds: number[] } {
  const c = makeCore();
  c.ok('setup:createAdmin', { username: 'admin', displayName: '管理员', password: 'correct-horse' });
  const db = c.db;
  const dh = Number(db.prepare(`INSERT INTO facility (code, name, kind) VALUES ('DH', '定点医院', 'designated')`).run().lastInsertRowid);
  const fc = Number(db.prepare(`INSERT INTO facility (code, name, kind) VALUES ('FC', '方舱医院', 'fangcang')`).run().lastInsertRowid);
  const wardId = Number(db.prepare(`INSERT INTO ward (facility_id, code, name, kind) VALUES (?, 'G1', '感染一病区', 'general')`).run(dh).lastInsertRowid);
  const zoneId = Number(db.prepare(`INSERT INTO ward (facility_id, code, name, kind) VALUES (?, 'A1', 'A1舱', 'zone')`).run(fc).lastInsertRowid);
  const bed = db.prepare(`INSERT INTO bed (ward_id, label, sort) VALUES (?, ?, ?)`);
  const beds = [1, 2, 3].map((i) => Number(bed.run(wardId, `G1-00${i}`, i).lastInsertRowid));
  const zoneBeds = [1, 2].map((i) => Number(bed.run(zoneId, `A1-00${i}`, i).lastInsertRowid));
  return Object.assign(c, { wardId, zoneId, beds, zoneBeds });
}

export function admission(over: { bedId: number; wardId: number; [k: string]: unknown }, patient: Record<string, unknown> = {}) {
  return {
    patient: { name: '张伟', sex: 'M', ageYears: 67, riskFactors: ['diabetes'], ...patient },
    admittedAt: '2022-03-20T02:00:00.000Z',
    source: 'community_screening',
    ...over,
  };
}
