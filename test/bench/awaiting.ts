// Focused measurement (issue 17, migration 19): the first start of a copy of the full-scale network (encryption,
// migration 19 and its backfill), the first open of past dates' reports, and what the awaiting spans add to a round.
// node --import tsx test/bench/awaiting.ts [plain network file]
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createCore } from '../../electron/core';
import { Ctx } from '../../electron/core/context';
import { loadLive } from '../../electron/core/clinical/state';
import { writeAwaitingSpans } from '../../electron/core/reports/history';
import { testKeyProvider } from '../support/keys';
import { DEMO_PASSWORD } from '../../electron/core/demo/generate';
import { NOW, vitals } from './scales';

const src = process.argv[2] ?? 'test/bench/.data/full-s20220320-g3.db';
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'echelon-measure-'));
fs.copyFileSync(src, path.join(dir, 'echelon.db'));
const time = <T>(label: string, fn: () => T): T => {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const v = fn();
  const cpu = process.cpuUsage(c0);
  console.log(`${label}: wall ${(performance.now() - t0).toFixed(1)} ms, cpu ${((cpu.user + cpu.system) / 1000).toFixed(1)} ms`);
  return v;
};
const core = time('first start (encrypt + migrate + backfill)', () => createCore({ dataDir: dir, log: () => undefined, keyProvider: testKeyProvider() }));
console.log('spans', core.db.prepare('SELECT count(*) FROM awaiting_span').pluck().get());
const call = (session: { user: null }, channel: string, input: unknown) => {
  const r = core.dispatch(channel, input, session, NOW);
  if (!r.ok) throw new Error(`${channel}: ${JSON.stringify(r.error)}`);
  return r.value;
};
const admin = { user: null };
call(admin, 'auth:login', { username: 'admin', password: DEMO_PASSWORD });
time('reports:daily today (first)', () => call(admin, 'reports:daily', { date: '2022-03-20' }));
for (const date of ['2022-03-17', '2022-03-16', '2022-03-15']) {
  const out = time(`reports:daily ${date} first open`, () => call(admin, 'reports:daily', { date })) as {
    rows: { facilityId: number | null; figures: { awaiting_review: number; census: number } }[];
  };
  const net = out.rows.find((x) => x.facilityId === null)!.figures;
  console.log(`  census ${net.census}, awaiting ${net.awaiting_review}`);
}
const episodes = core.db.prepare(`SELECT id FROM episode WHERE status = 'active' ORDER BY id`).pluck().all() as number[];
const nurse = { user: null };
call(nurse, 'auth:login', { username: 'nurse.zhang', password: DEMO_PASSWORD });
const ms: number[] = [];
const c0 = process.cpuUsage();
for (let i = 0; i < 200; i++) {
  const t = performance.now();
  call(nurse, 'rounds:record', { episodeId: episodes[(i * 7919) % episodes.length], measuredAt: new Date(Date.parse(NOW) - 60_000 - i * 1000).toISOString(), ...vitals(i) });
  ms.push(performance.now() - t);
}
const cpu = process.cpuUsage(c0);
ms.sort((a, b) => a - b);
console.log(`rounds:record x200: median ${ms[100]!.toFixed(2)} ms, p95 ${ms[190]!.toFixed(2)} ms, cpu/round ${((cpu.user + cpu.system) / 1000 / 200).toFixed(2)} ms`);
// What the spans add to a refresh: writeAwaitingSpans alone on 500 episodes (rolled back).
const db = core.db;
const ctx = new Ctx(db, NOW, admin);
const each: number[] = [];
try {
  db.transaction(() => {
    for (let i = 0; i < 500; i++) {
      const id = episodes[(i * 104729) % episodes.length]!;
      const data = loadLive(ctx, id);
      const t = performance.now();
      writeAwaitingSpans(ctx, data, 'Asia/Shanghai');
      each.push(performance.now() - t);
    }
    throw new Error('rollback');
  })();
} catch (err) {
  if ((err as Error).message !== 'rollback') throw err;
}
each.sort((a, b) => a - b);
console.log(`writeAwaitingSpans x500: median ${each[250]!.toFixed(3)} ms, p95 ${each[475]!.toFixed(3)} ms`);
core.close();
fs.rmSync(dir, { recursive: true, force: true });
