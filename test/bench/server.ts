/**
 * The server section of the bench (DESIGN.md §8, issue 14): the Echelon server in its own process,
 * this process the load generator, 50 simulated workstations over HTTPS on loopback (127.0.0.1 only).
 *
 *   node --import tsx test/bench/server.ts [--db FILE] [--quick] [--report-only] [--readers-only | --notices-only]
 *
 * - "A ward at work": each workstation does one action every 1–3 s (a round save, the ward board, the
 *   queue, a chart, a search) for 60 s (15 s with --quick).
 * - "Saturation": every workstation saves rounds with no pause for 30 s (10 s with --quick).
 * - "Saves beside long reads": 40 clients save rounds with no pause while 10 load the biggest ward
 *   board and today's daily report with no pause, 15 s (5 s with --quick), once on the server as it
 *   runs (reader threads on) and once on a server started with ECHELON_READERS=0 (every call on the
 *   main thread): the round saves' p95 of the two shows what the reader threads buy. Then the same with
 *   saves paced (every 250 ms each), and paced saves beside 2 administrators running audit:verify (the
 *   longest read). `--readers-only` runs just this comparison.
 * - "Change notices" (issue 15, test/bench/notices.ts): the 50 workstations listen on /api/changes while
 *   one more saves rounds, paced (commit → heard on every listener, p95 < 1 s) and then flat out (notices
 *   delivered per second). `--notices-only` runs just this section (npm test's small run does).
 * Prints throughput and p50/p95/p99 per call, errors, and the server's peak RSS; exits 1 when a target
 * is missed (unless --report-only). Every loop is bounded by its duration and stops by itself.
 * `--db FILE` benches a copy of that record (npm run bench passes its generated network); without it, a
 * fresh demo network.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createCore } from '../../electron/core';
import { DEMO_PASSWORD } from '../../electron/core/demo/generate';
import { EchelonClient } from '../../electron/server/client';
import { bundleServer, spawnServer } from '../server/support';
import { testKeyProvider } from '../support/keys';
import { vitals } from './scales';
import { NOTICE_PLANS, noticeSection } from './notices';

const args = process.argv.slice(2);
const quick = args.includes('--quick');
const reportOnly = args.includes('--report-only');
const dbArg = args.includes('--db') ? args[args.indexOf('--db') + 1] : undefined;
const WORKSTATIONS = 50;
const WARD_MS = quick ? 15_000 : 60_000;
const SATURATION_MS = quick ? 10_000 : 30_000;
const MIXED_MS = quick ? 5_000 : 15_000;

/** A small seeded PRNG (mulberry32): the same mix of actions on every run. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function record(): { dir: string; episodes: number[]; wards: number[]; facility: number } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'echelon-bench-server-'));
  if (dbArg) fs.copyFileSync(dbArg, path.join(dir, 'echelon.db'));
  // Encrypted under the suite's key-encryption key (issue 20), which spawnServer gives the server too; a plain --db is encrypted here.
  const core = createCore({ dataDir: dir, log: () => undefined, keyProvider: testKeyProvider() });
  if (!dbArg) {
    const r = core.dispatch('setup:loadDemo', {}, { user: null }, new Date().toISOString());
    if (!r.ok) throw new Error(`demo: ${JSON.stringify(r.error)}`);
  }
  const episodes = core.db.prepare(`SELECT e.id FROM episode e JOIN placement p ON p.episode_id = e.id AND p.end_at IS NULL ORDER BY e.id`).pluck().all() as number[];
  // The busiest wards: the boards a ward really opens.
  const wards = core.db
    .prepare(`SELECT b.ward_id FROM placement p JOIN bed b ON b.id = p.bed_id WHERE p.end_at IS NULL GROUP BY b.ward_id ORDER BY count(*) DESC LIMIT 10`)
    .pluck()
    .all() as number[];
  const facility = core.db.prepare('SELECT facility_id FROM ward WHERE id = ?').pluck().get(wards[0]) as number;
  core.close();
  return { dir, episodes, wards, facility };
}

interface Tally {
  times: number[];
  errors: number;
  firstError?: string;
}

const tallies = new Map<string, Tally>();
function tally(name: string): Tally {
  let t = tallies.get(name);
  if (!t) tallies.set(name, (t = { times: [], errors: 0 }));
  return t;
}

async function timed(name: string, fn: () => Promise<{ ok: boolean; error?: unknown }>): Promise<void> {
  const t0 = performance.now();
  const r = await fn();
  const t = tally(name);
  t.times.push(performance.now() - t0);
  if (!r.ok) {
    t.errors += 1;
    t.firstError ??= JSON.stringify(r.error).slice(0, 300);
  }
}

const pct = (sorted: number[], q: number) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))] ?? 0;

type Call = (c: EchelonClient, r: () => number) => Promise<{ ok: boolean; error?: unknown }>;

interface Served {
  server: Awaited<ReturnType<typeof spawnServer>>;
  clients: EchelonClient[];
  /** Five more workstations of the expert panel, who may open the daily report (the mixed section). */
  reporters: EchelonClient[];
  /** Two administrators' workstations, who may run the audit chain's check (a long read). */
  auditors: EchelonClient[];
  peakRss(): number;
  /** Ends a phase of the run: its own peak RSS (MB) is kept under `label`, and the next phase's starts. */
  phase(label: string): void;
  /** Each finished phase's peak RSS, in order: where the server's memory goes. */
  phases: [string, number][];
  stop(): Promise<number | null>;
}

/**
 * The server in its own process (`readers` reader threads, through ECHELON_READERS) and 50 logged-in
 * workstations; with `panels`, also the reporters and auditors (each login is a scrypt, ~0.15 s).
 */
async function serve(bundle: string, dir: string, readers: number | null, panels = true): Promise<Served> {
  if (readers === null) delete process.env.ECHELON_READERS;
  else process.env.ECHELON_READERS = String(readers);
  const server = await spawnServer(bundle, dir, 60_000);
  delete process.env.ECHELON_READERS;
  let peak = 0;
  let phasePeak = 0;
  const phases: [string, number][] = [];
  const sample = () => {
    const m = /VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${server.pid}/status`, 'utf8'));
    if (m) {
      peak = Math.max(peak, Number(m[1]) / 1024);
      phasePeak = Math.max(phasePeak, Number(m[1]) / 1024);
    }
  };
  const timer = setInterval(() => {
    try {
      sample();
    } catch {
      clearInterval(timer);
    }
  }, 250);
  const clients: EchelonClient[] = [];
  const reporters: EchelonClient[] = [];
  const auditors: EchelonClient[] = [];
  try {
    for (let i = 0; i < WORKSTATIONS + (panels ? 7 : 0); i++) {
      const c = new EchelonClient({ url: server.url, fingerprint: server.fingerprint, workstation: `bench-${i}`, timeoutMs: 30_000 });
      (i >= WORKSTATIONS + 5 ? auditors : i >= WORKSTATIONS ? reporters : clients).push(c);
      const r = await c.call('auth:login', { username: i >= WORKSTATIONS + 5 ? 'admin' : i >= WORKSTATIONS ? 'prof.zhou' : 'dr.wang', password: DEMO_PASSWORD });
      if (!r.ok) throw new Error(`login: ${JSON.stringify(r.error)}`);
    }
  } catch (err) {
    // No workstation to bench with: stop the server rather than leave it running.
    clearInterval(timer);
    for (const c of [...clients, ...reporters, ...auditors]) c.close();
    server.signal('SIGTERM');
    await server.exit;
    throw err;
  }
  return {
    server,
    clients,
    reporters,
    auditors,
    peakRss: () => peak,
    phases,
    phase: (label) => {
      try {
        sample();
      } catch {
        // Stopped: the phase's peak so far stands.
      }
      phases.push([label, phasePeak]);
      phasePeak = 0;
    },
    stop: async () => {
      clearInterval(timer);
      try {
        sample();
      } catch {
        // The server has stopped: the peak sampled so far stands.
      }
      for (const c of [...clients, ...reporters, ...auditors]) c.close();
      server.signal('SIGTERM');
      return (await server.exit).code;
    },
  };
}

/**
 * Do long reads stall the writes behind them? 40 clients save rounds (without pause, or every
 * `pauseMs`) while 10 read without pause: 5 the biggest ward board, 5 (the panel) today's daily
 * report of its hospital; or, with `audit`, while 2 administrators run the audit chain's check (a
 * read of the whole audit log: the longest query there is) without pause. Tallies under `label`.
 */
async function savesBesideReads(
  served: Served,
  saveRound: (c: EchelonClient) => Promise<{ ok: boolean }>,
  wards: number[],
  facility: number,
  label: string,
  pauseMs: number,
  audit = false,
): Promise<number> {
  const end = Date.now() + MIXED_MS;
  const start = performance.now();
  const today = new Date().toISOString().slice(0, 10);
  const clients = audit ? [...served.clients.slice(0, 40), ...served.auditors] : [...served.clients.slice(0, 45), ...served.reporters];
  await Promise.all(
    clients.map(async (c, i) => {
      const reader = i >= 40;
      const daily = i >= 45;
      while (Date.now() < end) {
        if (audit && reader) await timed(`audit check, ${label}`, () => c.call('audit:verify', {}));
        else if (daily) await timed(`daily report, ${label}`, () => c.call('reports:daily', { date: today, facilityId: facility }));
        else if (reader) await timed(`ward board, ${label}`, () => c.call('wards:board', { wardId: wards[0]! }));
        else {
          await timed(`round save, ${label}`, () => saveRound(c));
          if (pauseMs > 0) await new Promise((res) => setTimeout(res, pauseMs));
        }
      }
    }),
  );
  return (performance.now() - start) / 1000;
}

async function main(): Promise<void> {
  const { dir, episodes, wards, facility } = record();
  if (args.includes('--notices-only')) return noticesOnly(dir, episodes);
  // The server without reader threads gets the record as it was before any of this run's saves.
  const dirOff = fs.mkdtempSync(path.join(os.tmpdir(), 'echelon-bench-server-'));
  fs.copyFileSync(path.join(dir, 'echelon.db'), path.join(dirOff, 'echelon.db'));
  // The record is encrypted (issue 20): its wrapped keys travel with it.
  fs.copyFileSync(path.join(dir, 'echelon.db.keys.json'), path.join(dirOff, 'echelon.db.keys.json'));
  const bundle = bundleServer();
  let seq = 0;
  const saveRound = (c: EchelonClient) => {
    const i = seq++;
    return c.call('rounds:record', { episodeId: episodes[(i * 7919) % episodes.length]!, measuredAt: new Date(Date.now() - 60_000 + (i % 1000)).toISOString(), ...vitals(i) });
  };
  const lines: string[] = [];
  const misses: string[] = [];
  const row = (name: string, t: Tally, seconds: number, target?: { p95: number }) => {
    const s = [...t.times].sort((a, b) => a - b);
    const p95 = pct(s, 0.95);
    const verdict = target ? (p95 < target.p95 ? `ok (< ${target.p95} ms)` : `MISSED (< ${target.p95} ms)`) : '';
    if (target && p95 >= target.p95) misses.push(`${name} p95 ${p95.toFixed(1)} ms`);
    if (t.errors > 0) misses.push(`${name}: ${t.errors} errors, first ${t.firstError}`);
    lines.push(
      `  ${name.padEnd(40)} ${String(s.length).padStart(6)} calls ${(s.length / seconds).toFixed(1).padStart(7)}/s  p50 ${pct(s, 0.5).toFixed(1).padStart(6)}  p95 ${p95.toFixed(1).padStart(6)}  p99 ${pct(s, 0.99).toFixed(1).padStart(6)} ms  errors ${t.errors}  ${verdict}`,
    );
  };
  const sorted = (name: string) => [...(tallies.get(name)?.times ?? [])].sort((a, b) => a - b);
  const readersOnly = args.includes('--readers-only');
  lines.push(`server over HTTPS on loopback, ${WORKSTATIONS} workstations, ${episodes.length} patients in hospital${dbArg ? '' : ' (demo network)'}`);

  const served = await serve(bundle, dir, null);
  const readersOn = (JSON.parse(served.server.lines.find((l) => l.includes('"listening"')) ?? '{}') as { readers?: number }).readers ?? 0;
  const clients = served.clients;
  served.phase('start and 57 logins');
  let sat: Tally = { times: [], errors: 0 };
  let satSeconds = 1;
  if (!readersOnly) {
    // A ward at work: the proportions of a ward's day (mostly round saves, then the board).
    const mix: [string, number, Call][] = [
      ['round save (rounds:record)', 0.5, (c) => saveRound(c)],
      ['ward board (wards:board)', 0.2, (c, r) => c.call('wards:board', { wardId: wards[Math.floor(r() * wards.length)]! })],
      ['expert queue (queue:list)', 0.1, (c) => c.call('queue:list', {})],
      ['chart (chart:get)', 0.1, (c, r) => c.call('chart:get', { episodeId: episodes[Math.floor(r() * episodes.length)]! })],
      ['search (patients:search)', 0.1, (c, r) => c.call('patients:search', { q: ['zw', '张', 'A1-0', 'li', '王'][Math.floor(r() * 5)]! })],
    ];
    const wardEnd = Date.now() + WARD_MS;
    await Promise.all(
      clients.map(async (c, i) => {
        const r = rng(20220320 + i);
        while (Date.now() < wardEnd) {
          await new Promise((res) => setTimeout(res, 1000 + r() * 2000));
          if (Date.now() >= wardEnd) break;
          let x = r();
          const pick = mix.find(([, w]) => (x -= w) < 0) ?? mix[0]!;
          await timed(pick[0], () => pick[2](c, r));
        }
      }),
    );
    lines.push(`A ward at work: one action every 1–3 s each, ${WARD_MS / 1000} s`);
    const targets: Record<string, number> = { 'round save (rounds:record)': 25, 'ward board (wards:board)': 60 };
    for (const [name, t] of tallies) row(name, t, WARD_MS / 1000, targets[name] !== undefined ? { p95: targets[name] } : undefined);
    tallies.clear();
    served.phase('a ward at work');

    const satStart = performance.now();
    const satEnd = Date.now() + SATURATION_MS;
    await Promise.all(
      clients.map(async (c) => {
        while (Date.now() < satEnd) await timed('round save, saturation', () => saveRound(c));
      }),
    );
    satSeconds = (performance.now() - satStart) / 1000;
    sat = tallies.get('round save, saturation') ?? sat;
    tallies.clear();
    lines.push(`Saturation: ${WORKSTATIONS} clients saving rounds with no pause, ${SATURATION_MS / 1000} s`);
    row('round save, saturation', sat, satSeconds);
    const perSecond = sat.times.length / satSeconds;
    lines.push(`  sustained ${perSecond.toFixed(0)} round saves/s (target ≥ 300): ${perSecond >= 300 ? 'ok' : 'MISSED'}`);
    if (perSecond < 300) misses.push(`saturation ${perSecond.toFixed(0)} saves/s`);
    served.phase('saturation');

    // Change notices, on the same server, with nothing else running.
    const notices = await noticeSection(served.server, clients, episodes, NOTICE_PLANS[quick ? 'quick' : 'full']);
    lines.push(...notices.lines);
    misses.push(...notices.misses);
    served.phase('change notices');
  }

  // Saturating saves (each client saves again at once), then paced saves (each client every 250 ms, 160/s
  // in all, well under what the server sustains): with saturation a save mostly waits behind other saves,
  // paced it waits only behind what else the main thread is doing, so the reads' effect shows plainly;
  // last, paced saves beside the longest read there is (the audit chain's check, tens of ms on the demo).
  const onLabel = `${readersOn} reader thread${readersOn === 1 ? '' : 's'}`;
  const seconds = new Map<string, number>();
  const both = async (on: Served, label: string) => {
    seconds.set(label, await savesBesideReads(on, saveRound, wards, facility, label, 0));
    on.phase('saves beside boards and reports');
    seconds.set(`${label}, paced`, await savesBesideReads(on, saveRound, wards, facility, `${label}, paced`, 250));
    on.phase('paced saves beside boards and reports');
    seconds.set(`${label}, paced, audit`, await savesBesideReads(on, saveRound, wards, facility, `${label}, paced, audit`, 250, true));
    on.phase('paced saves beside the audit check');
  };
  await both(served, onLabel);
  const exit = await served.stop();
  const peakRss = served.peakRss();
  // The same load on a server whose every call runs on its main thread, as before the reader threads.
  const off = await serve(bundle, dirOff, 0);
  await both(off, 'main thread only');
  await off.stop();
  fs.rmSync(bundle, { force: true });
  fs.rmSync(dir, { recursive: true, force: true });
  fs.rmSync(dirOff, { recursive: true, force: true });

  lines.push(
    `Saves beside long reads: 40 clients saving rounds (no pause, then every 250 ms), 5 loading the biggest ward board and 5 today's daily report, no pause; then the paced saves beside 2 administrators running audit:verify; ${MIXED_MS / 1000} s each, with and without reader threads`,
  );
  for (const [name, t] of tallies) row(name, t, seconds.get(name.slice(name.indexOf(', ') + 2)) ?? 1);
  const p95 = (name: string) => pct(sorted(name), 0.95).toFixed(1);
  const modes: Record<string, string> = {
    '': ' (saturating, beside boards and reports)',
    ', paced': ' (paced, beside boards and reports)',
    ', paced, audit': ' (paced, beside the audit check)',
  };
  for (const [paced, mode] of Object.entries(modes)) {
    lines.push(
      `  round save p95${mode} ${p95(`round save, ${onLabel}${paced}`)} ms with ${onLabel} (queries on read-only connections in worker threads) vs ${p95(`round save, main thread only${paced}`)} ms with every call on the main thread`,
    );
  }
  if (sat.times.length > 0)
    lines.push(
      `  (round save p95 in saturation alone: ${pct(
        [...sat.times].sort((a, b) => a - b),
        0.95,
      ).toFixed(1)} ms)`,
    );
  lines.push(`  server peak RSS ${peakRss.toFixed(0)} MB (target < 400 MB): ${peakRss < 400 ? 'ok' : 'MISSED'}; stopped with exit code ${exit}`);
  lines.push(`  peak RSS by phase: ${served.phases.map(([l, mb]) => `${l} ${mb.toFixed(0)} MB`).join(', ')}`);
  if (peakRss >= 400) misses.push(`RSS ${peakRss.toFixed(0)} MB`);
  finish(lines, misses);
}

/** Prints the section; exit code 1 on a missed target (unless --report-only) or on any error. */
function finish(lines: string[], misses: string[]): void {
  console.log(lines.join('\n'));
  if (misses.length > 0) {
    console.log(`missed: ${misses.join('; ')}`);
    const errors = misses.some((m) => m.includes('errors'));
    if (!reportOnly || errors) process.exitCode = 1;
  }
}

/** `--notices-only`: a server over the record and 50 listening workstations, the change-notice rows alone, everything stopped and removed after. */
async function noticesOnly(dir: string, episodes: number[]): Promise<void> {
  let served: Served | null = null;
  let bundle: string | null = null;
  try {
    bundle = bundleServer();
    served = await serve(bundle, dir, null, false);
    // A server's first start on a record backs it up (the daily backup is due): about 20 s at full scale, in
    // which one save stalled ~3 s when tried. The whole section's notice rows come after 90 s of other load,
    // long after it; alone, wait for it too, so both runs time the notices, not the backup.
    const backupDeadline = Date.now() + 60_000;
    while (!served.server.lines.some((l) => l.includes('"event":"backup"')) && Date.now() < backupDeadline) await new Promise((r) => setTimeout(r, 50));
    const notices = await noticeSection(served.server, served.clients, episodes, NOTICE_PLANS[quick ? 'quick' : 'full']);
    const exit = await served.stop();
    served = null;
    finish(
      [
        `server over HTTPS on loopback, ${WORKSTATIONS} workstations, ${episodes.length} patients in hospital${dbArg ? '' : ' (demo network)'}; stopped with exit code ${exit}`,
        ...notices.lines,
      ],
      notices.misses,
    );
  } finally {
    if (served) await served.stop();
    if (bundle) fs.rmSync(bundle, { force: true });
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
