/**
 * `npm run bench [-- --scale small|full]`: DESIGN.md §8 measured through dispatch, exactly the calls the
 * screens make, on a generated network (50,000 patients in hospital, 1,000,000 rounds at full scale),
 * each beside its target and a raw better-sqlite3 baseline measured in the same run. Prints a table and
 * exits 1 when a target is missed. The network is built once per scale and cached in test/bench/.data.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import Database from 'better-sqlite3';
import { createCore, dataKeysOf, type Core, type SessionBox } from '../../electron/core';
import type { Db } from '../../electron/core/db/types';
import { plainCopy, testKeyProvider } from '../support/keys';
import { connect } from '../../electron/core/security/cipher';
import { Ctx } from '../../electron/core/context';
import { generateDemoNetwork, DEMO_PASSWORD } from '../../electron/core/demo/generate';
import { parseCsv } from '../../shared/import/csv';
import { autoMap } from '../../shared/import/cases';
import { PREVIEW_CHUNK_ROWS, type PreviewRow } from '../../shared/api/import';
import { syntheticCaseList } from '../support/caseList';
import { SCALES, type ScaleName, NOW, BENCH_SEED, GENERATOR_VERSION, vitals } from './scales';
import { measure, once, printTable, type Row, type Stats } from './stats';
import { applyPragmas } from '../../electron/core/db/open';

const args = process.argv.slice(2);
const scaleName = (args.includes('--scale') ? args[args.indexOf('--scale') + 1] : 'full') as ScaleName;
/**
 * `--report-only` (what `npm test` passes): print the table but do not fail the run on a missed target,
 * only on an error. CI runs the small scale as a smoke test of every measured call while targets owned
 * by other domains are still missed (see the table); `npm run bench` without it fails on any miss.
 */
const reportOnly = args.includes('--report-only');
const scale = SCALES[scaleName];
if (!scale) throw new Error(`unknown scale ${scaleName}`);
const DATA = path.resolve(__dirname, '.data');
/** The record is encrypted (issue 20); the bench's key-encryption key is the test suite's. */
const keyProvider = testKeyProvider();

/**
 * The generated network for this scale, built on first use (a few minutes at full scale) and reused.
 * Kept plain, as a record from before encryption: each run's first start encrypts its copy (measured),
 * and the plain driver's figures are measured on another copy.
 */
function networkFile(): string {
  const file = path.join(DATA, `${scaleName}-s${BENCH_SEED}-g${GENERATOR_VERSION}.db`);
  if (fs.existsSync(file)) return file;
  fs.mkdirSync(DATA, { recursive: true });
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'echelon-bench-gen-'));
  const core = createCore({ dataDir: dir, log: () => undefined, keyProvider });
  const t0 = performance.now();
  const ctx = new Ctx(core.db, NOW, { user: null });
  const r = core.db.transaction(() =>
    generateDemoNetwork(ctx, { seed: BENCH_SEED, scale: { patients: scale.patients, roundsPerPatient: scale.roundsPerPatient, days: scale.days, discharged: scale.discharged } }),
  )();
  core.db.pragma('wal_checkpoint(TRUNCATE)');
  core.close();
  plainCopy(path.join(dir, 'echelon.db'), dataKeysOf(dir, keyProvider)[0]!, `${file}.tmp`);
  fs.renameSync(`${file}.tmp`, file);
  fs.rmSync(dir, { recursive: true, force: true });
  console.log(
    `built the ${scaleName} network: ${r.patients} patients in hospital, ${(r as { discharged?: number }).discharged} discharged, ${(r as { rounds?: number }).rounds} rounds, ${r.beds} beds in ${((performance.now() - t0) / 1000).toFixed(1)} s → ${path.relative(process.cwd(), file)}`,
  );
  return file;
}

/** A fresh copy of the network per run, so writes (rounds, the import) never pile up in the cache. */
function copyOf(file: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'echelon-bench-'));
  fs.copyFileSync(file, path.join(dir, 'echelon.db'));
  return dir;
}

function call<T>(core: Core, session: SessionBox, channel: string, input: unknown): T {
  const r = core.dispatch(channel, input, session, NOW);
  if (!r.ok) throw new Error(`${channel}: ${JSON.stringify(r.error)}`);
  return r.value as T;
}

const rows: Row[] = [];
const source = networkFile();
const dir = copyOf(source);

// Core cold start: open (folder lock, header check, pragmas), migrate check, first query. After a clean
// shutdown the file is exactly as Echelon closed it and quick_check is skipped (electron/core/db/clean.ts);
// after a crash (no clean-shutdown mark) start-up runs quick_check first: measured beside it.
// The first start encrypts the plain record (issue 20): a copy under a new data key, row counts compared.
rows.push({
  op: 'first start of this version: encrypt the plain record (copy, quick_check, row counts)',
  stats: once(() => createCore({ dataDir: dir, log: () => undefined, keyProvider }).close()),
  // Once per workstation, at the upgrade that brings encryption, behind a progress screen: a user waits on it.
  target: { ms: 60_000, on: 'median' },
});
const cold = measure(5, () => {
  const c = createCore({ dataDir: dir, log: () => undefined, keyProvider });
  if (c.startupCheck !== 'clean_shutdown') throw new Error('bench: expected a start after a clean shutdown');
  call(c, { user: null }, 'setup:status', {});
  c.close();
});
const dataKey = dataKeysOf(dir, keyProvider)[0]!;
const coldRaw = measure(5, () => {
  const d = connect(path.join(dir, 'echelon.db'), { key: dataKey });
  d.prepare('SELECT count(*) FROM facility').get();
  d.close();
});
rows.push({ op: 'core cold start after a clean shutdown (open, migrate check, first query)', stats: cold, target: { ms: 500, on: 'median' }, baseline: coldRaw });
const crashed = once(() => {
  fs.rmSync(path.join(dir, 'echelon.db.clean'), { force: true });
  const c = createCore({ dataDir: dir, log: () => undefined, keyProvider });
  if (c.startupCheck !== 'quick_check') throw new Error('bench: expected quick_check after a crash');
  call(c, { user: null }, 'setup:status', {});
  c.close();
});
// After a crash the nurse waits for the whole file's quick_check before the app opens again.
rows.push({ op: 'core start after a crash (the same, with quick_check of the whole file)', stats: crashed, target: { ms: 10_000, on: 'median' }, baseline: coldRaw });

// Demo network load (issue 17): what an administrator waits for after "load demo network" on the
// first-run screen, through dispatch as that screen calls it, each time in a fresh data folder with the
// core already started (its start is not timed). The reference network of DESIGN.md §9 at every scale.
const demoLoads: number[] = [];
let demoPatients = 0;
for (let i = 0; i < (scaleName === 'full' ? 5 : 3); i++) {
  const demoDir = fs.mkdtempSync(path.join(os.tmpdir(), 'echelon-bench-demo-'));
  const c = createCore({ dataDir: demoDir, log: () => undefined, keyProvider });
  const t = performance.now();
  demoPatients = call<{ patients: number }>(c, { user: null }, 'setup:loadDemo', { seed: 20220320 }).patients;
  demoLoads.push(performance.now() - t);
  c.close();
  fs.rmSync(demoDir, { recursive: true, force: true });
}
demoLoads.sort((a, b) => a - b);
const demoStats: Stats = { n: demoLoads.length, median: demoLoads[Math.floor(demoLoads.length / 2)] ?? 0, p95: demoLoads[demoLoads.length - 1] ?? 0, min: demoLoads[0] ?? 0 };
rows.push({ op: 'demo network load (first run)', stats: demoStats, target: { ms: 3000, on: 'median' }, note: `${demoPatients.toLocaleString('en')} patients, seed 20220320` });

const core = createCore({ dataDir: dir, log: () => undefined, keyProvider });
const db = core.db;
const session: SessionBox = { user: null };
call(core, session, 'auth:login', { username: 'admin', password: DEMO_PASSWORD });
const zone = db.prepare(`SELECT w.id FROM ward w JOIN facility f ON f.id = w.facility_id WHERE f.kind = 'fangcang' ORDER BY w.sort LIMIT 1`).pluck().get() as number;
const episodes = db.prepare(`SELECT id FROM episode WHERE status = 'active' ORDER BY id`).pluck().all() as number[];

// Record a round: validate, score, flag, audit, commit — one dispatch per round, on 200 different patients.
let k = 0;
const roundAt = (i: number) => new Date(Date.parse(NOW) - 60_000 - i * 1000).toISOString();
call(core, { user: null }, 'setup:status', {});
const nurse = { user: null } as SessionBox;
call(core, nurse, 'auth:login', { username: 'nurse.zhang', password: DEMO_PASSWORD });
const roundStats = measure(200, () => {
  const i = k++;
  call(core, nurse, 'rounds:record', { episodeId: episodes[(i * 7919) % episodes.length], measuredAt: roundAt(i), ...vitals(i) });
});
const rawRound = db.prepare(
  `INSERT INTO round (episode_id, measured_at, resp_rate, spo2, on_oxygen, systolic_bp, diastolic_bp, pulse, consciousness, temperature, symptoms, entered_at, author_id) VALUES (?, ?, ?, ?, 0, ?, 78, ?, 'A', 36.8, '["cough"]', ?, 1)`,
);
let j = 0;
const rawRoundStats = measure(200, () => {
  const i = j++;
  const v = vitals(i);
  db.transaction(() => rawRound.run(episodes[(i * 104729) % episodes.length], roundAt(i + 500), v.respRate, v.spo2, v.systolicBp, v.pulse, NOW))();
});
rows.push({ op: 'record a round (validate, score, flag, audit, commit)', stats: roundStats, target: { ms: 5, on: 'p95' }, baseline: rawRoundStats });
/** The raw round insert on any connection: the same statement, for the encrypted and the plain driver. */
const rawRoundOn = (d: Db, offset: number) => {
  const stmt = d.prepare(
    `INSERT INTO round (episode_id, measured_at, resp_rate, spo2, on_oxygen, systolic_bp, diastolic_bp, pulse, consciousness, temperature, symptoms, entered_at, author_id) VALUES (?, ?, ?, ?, 0, ?, 78, ?, 'A', 36.8, '["cough"]', ?, 1)`,
  );
  let n = 0;
  return measure(200, () => {
    const i = n++;
    const v = vitals(i);
    d.transaction(() => stmt.run(episodes[(i * 104729) % episodes.length], roundAt(i + offset), v.respRate, v.spo2, v.systolicBp, v.pulse, NOW))();
  });
};

// Ward board: one 500-bed zone with latest vitals, class, NEWS2, flags.
const board = measure(30, () => call(core, session, 'wards:board', { wardId: zone }));
const rawBoard = db.prepare(
  `SELECT b.id, b.label, b.state, p.name, s.news2_total, s.current_class, s.flags FROM bed b
   LEFT JOIN placement pl ON pl.bed_id = b.id AND pl.end_at IS NULL LEFT JOIN episode e ON e.id = pl.episode_id
   LEFT JOIN patient p ON p.id = e.patient_id LEFT JOIN episode_state s ON s.episode_id = e.id WHERE b.ward_id = ?`,
);
rows.push({ op: `ward board: one ${scale.zoneBeds}-bed zone`, stats: board, target: { ms: 20, on: 'median' }, baseline: measure(30, () => rawBoard.all(zone)) });

// Expert queue across the network.
const queue = measure(20, () => call(core, session, 'queue:list', {}));
const rawQueue = db.prepare(
  `SELECT s.* FROM episode_state s JOIN episode e ON e.id = s.episode_id WHERE s.flag_count > 0 AND e.status = 'active' ORDER BY s.urgency DESC LIMIT 500`,
);
rows.push({ op: 'expert queue across the network', stats: queue, target: { ms: 50, on: 'median' }, baseline: measure(20, () => rawQueue.all()) });

// Daily severity report for one date: today (live: the census, the queue), and a past date, first
// computed (the flag rules re-run for every census patient as of that evening) and then from the
// cache of periods that are over (migration 8). The first report of the day fills the 14-day trend.
const day = NOW.slice(0, 10);
const rawDaily = db.prepare(`SELECT s.current_class, count(*) FROM episode e LEFT JOIN episode_state s ON s.episode_id = e.id WHERE e.status = 'active' GROUP BY 1`);
const rawDailyStats = measure(20, () => rawDaily.all());
rows.push({
  op: 'daily severity report, today, first of the day (14-day trend computed)',
  stats: once(() => call(core, session, 'reports:daily', { date: day })),
  target: { ms: 200, on: 'median' },
  baseline: rawDailyStats,
});
const daily = measure(20, () => call(core, session, 'reports:daily', { date: day }));
rows.push({ op: 'daily severity report for one date: today', stats: daily, target: { ms: 100, on: 'median' }, baseline: rawDailyStats });
const pastDay = new Date(Date.parse(NOW) - 3 * 86_400_000).toISOString().slice(0, 10);
rows.push({
  op: `daily severity report, ${pastDay}, first time (flags re-run as of that evening)`,
  stats: once(() => call(core, session, 'reports:daily', { date: pastDay })),
  target: { ms: 200, on: 'median' },
  baseline: rawDailyStats,
});
const past = measure(20, () => call(core, session, 'reports:daily', { date: pastDay }));
rows.push({ op: `daily severity report for one date: ${pastDay}, again`, stats: past, target: { ms: 100, on: 'median' }, baseline: rawDailyStats });
const from = new Date(Date.parse(NOW) - 59 * 86_400_000).toISOString().slice(0, 10);
const stats = measure(10, () => call(core, session, 'reports:dischargeStats', { from, to: day }));
const rawStats = db.prepare(`SELECT d.discharged_at, e.admitted_at FROM discharge d JOIN episode e ON e.id = d.episode_id WHERE d.discharged_at >= ? AND d.discharged_at < ?`);
rows.push({ op: 'discharge statistics over 60 days', stats, target: { ms: 100, on: 'median' }, baseline: measure(10, () => rawStats.all(`${from}T00:00:00Z`, NOW)) });

// Search as you type (not in §8; the header box asks on every pause in typing).
const queries = ['张', 'zw', 'w', 'Z001-0', '0038', '王秀'];
let qi = 0;
const search = measure(60, () => call(core, session, 'patients:search', { q: queries[qi++ % queries.length] }));
const rawSearch = db.prepare(`SELECT id, name FROM patient WHERE name_initials >= ? AND name_initials < ? LIMIT 21`);
rows.push({ op: 'patient search as you type (not in §8)', stats: search, target: { ms: 30, on: 'p95' }, baseline: measure(60, () => rawSearch.all('zw', 'zx')) });

// CSV import: parse, preview in the renderer's chunks, commit the ready rows — through dispatch.
const csv = syntheticCaseList(scale.importRows, 77, { sampleDate: '2022-03-19' });
const t0 = performance.now();
const [header, ...dataRows] = parseCsv(csv).rows;
const mapping = autoMap(header!.cells);
const preview: PreviewRow[] = [];
for (let i = 0; i < dataRows.length; i += 2500)
  preview.push(
    ...call<{ rows: PreviewRow[] }>(core, session, 'import:preview', { mapping, rows: dataRows.slice(i, i + Math.min(2500, PREVIEW_CHUNK_ROWS)), admittedAt: NOW }).rows,
  );
const selected = preview.filter((r) => r.status === 'ok').map((r) => r.line);
const tCommit = performance.now();
const report = call<{ imported: number }>(core, session, 'import:commit', {
  fileName: 'bench.csv',
  encoding: 'utf-8',
  header: header!.cells,
  mapping,
  rows: dataRows,
  selected,
  wardId: zone,
  admittedAt: NOW,
});
const importMs = performance.now() - t0;
const commitMs = performance.now() - tCommit;
// Raw baseline: plain prepared INSERTs of the same rows the import wrote (patient, episode, placement,
// lab result, episode state, one audit row each), in one transaction, rolled back afterwards.
const written = db
  .prepare(`SELECT p.*, e.id AS episode_id FROM patient p JOIN episode e ON e.patient_id = p.id WHERE p.import_batch_id = (SELECT max(id) FROM import_batch)`)
  .all() as Record<string, unknown>[];
/** The raw import inserts on any connection (the encrypted record, or the plain copy), rolled back; ms. */
function rawImportOn(d: Db): number {
  const ins = {
    patient: d.prepare(
      `INSERT INTO patient (name, sex, birth_date, age_years, id_card, phone, address, community, risk_factors, created_at, created_by, name_initials, id_card_rev) VALUES (?, ?, ?, ?, ?, ?, ?, ?, '[]', ?, 1, ?, ?)`,
    ),
    episode: d.prepare(`INSERT INTO episode (patient_id, admitted_at, source, created_by) VALUES (?, ?, 'other', 1)`),
    placement: d.prepare(`INSERT INTO placement (episode_id, ward_id, start_at, began_by, created_by) VALUES (?, ?, ?, 'admission', 1)`),
    lab: d.prepare(`INSERT INTO lab_result (episode_id, collected_at, analyte, n_ct, orf1ab_ct, entered_at, author_id) VALUES (?, ?, 'nucleic_acid', 25, 26, ?, 1)`),
    state: d.prepare(`INSERT INTO episode_state (episode_id, computed_at, flags) VALUES (?, ?, '[]')`),
    audit: d.prepare(`INSERT INTO audit (at, user_id, action, entity, entity_id, patient_id, after, prev_hash, hash) VALUES (?, 1, 'bench', 'patient', ?, ?, ?, '0', ?)`),
  };
  let ms = 0;
  try {
    d.transaction(() => {
      const s = performance.now();
      let h = 0;
      for (const p of written) {
        const pid = Number(
          ins.patient.run(p.name, p.sex, p.birth_date, p.age_years, `R${p.id_card}`, p.phone, p.address, p.community, NOW, p.name_initials, p.id_card_rev).lastInsertRowid,
        );
        const eid = Number(ins.episode.run(pid, NOW).lastInsertRowid);
        ins.placement.run(eid, zone, NOW);
        ins.lab.run(eid, NOW, NOW);
        ins.state.run(eid, NOW);
        ins.audit.run(NOW, pid, pid, JSON.stringify({ name: p.name }), `bench-${h++}`);
      }
      ms = performance.now() - s;
      throw new RangeError('roll back the baseline');
    })();
  } catch (err) {
    if (!(err instanceof RangeError)) throw err;
  }
  return ms;
}
const rawMs = rawImportOn(db);
// §8's import target is for 50,000 rows; with a few thousand, parsing and the preview's fixed costs
// outweigh the raw inserts, so a smaller run prints the figures for information only.
const importTargeted = scale.importRows >= 50_000;
rows.push({
  op: `CSV import of ${scale.importRows.toLocaleString('en')} patients (parse, preview, commit)`,
  stats: { n: 1, median: importMs, p95: importMs, min: importMs },
  ...(importTargeted ? { target: { ms: 10_000, on: 'median' as const }, minRatio: 0.25 } : {}),
  baseline: { n: 1, median: rawMs, p95: rawMs, min: rawMs },
  note: `${report.imported.toLocaleString('en')} imported; commit alone ${(commitMs / 1000).toFixed(2)} s${importTargeted ? '' : `; ${((rawMs / importMs) * 100).toFixed(0)} % of raw speed, judged at 50,000 rows`}`,
});

// Encryption at rest (issue 20): the same raw statements of round save, board, daily report and import on
// the encrypted record (the ciphers driver, AES-256, with the core's pragmas) and on a plain copy of the
// same network through better-sqlite3 with the same pragmas: the cipher's own cost, beside the core's figures above.
const plainDir = copyOf(source);
const plain: Db = new Database(path.join(plainDir, 'echelon.db'));
applyPragmas(plain);
const one = (ms: number) => ({ n: 1, median: ms, p95: ms, min: ms });
const overhead: [string, Stats, Stats][] = [
  ['round save (one INSERT, one commit)', rawRoundOn(db, 2000), rawRoundOn(plain, 2000)],
  [`board (one ${scale.zoneBeds}-bed zone)`, measure(30, () => rawBoard.all(zone)), measure(30, () => plain.prepare(rawBoard.source).all(zone))],
  ['daily report (census by class)', measure(20, () => rawDaily.all()), measure(20, () => plain.prepare(rawDaily.source).all())],
  [`import (${written.length.toLocaleString('en')} patients' rows, one transaction)`, one(rawImportOn(db)), one(rawImportOn(plain))],
];
for (const [what, encrypted, plainStats] of overhead) rows.push({ op: `encryption overhead: ${what}, encrypted vs plain driver`, stats: encrypted, baseline: plainStats });
plain.close();
fs.rmSync(plainDir, { recursive: true, force: true });
core.close();

// Memory: the core in a process of its own, after the board, the queue and the report.
const rss = JSON.parse(
  execFileSync(process.execPath, ['--import', 'tsx', path.join(__dirname, 'rss.ts'), dir], { encoding: 'utf8' })
    .trim()
    .split('\n')
    .pop()!,
) as { rssMb: number };
rows.push({ op: 'memory: core process RSS', stats: { n: 1, median: rss.rssMb, p95: rss.rssMb, min: rss.rssMb }, target: { ms: 300, on: 'median' }, unit: 'MB' });

// Renderer: the Chromium harness measures a 2,501-row list (test/e2e/scale.spec.ts) and leaves its figures here.
const renderFile = path.resolve(__dirname, '../../test-results/scale-render.json');
if (fs.existsSync(renderFile)) {
  const r = JSON.parse(fs.readFileSync(renderFile, 'utf8')) as {
    rows: number;
    renderAfterDataMs: number;
    firstRenderMs: number;
    jsHeapMb: number;
    domRows: number;
    measuredAt: string;
  };
  rows.push({
    op: `renderer: ${r.rows}-row list, first render (Chromium, ${r.domRows} rows in DOM)`,
    stats: { n: 1, median: r.renderAfterDataMs, p95: r.renderAfterDataMs, min: r.renderAfterDataMs },
    target: { ms: 500, on: 'median' },
    note: `click→rows ${r.firstRenderMs} ms incl. harness IPC; e2e run ${r.measuredAt}`,
  });
  rows.push({ op: 'renderer: JS heap with the list open', stats: { n: 1, median: r.jsHeapMb, p95: r.jsHeapMb, min: r.jsHeapMb }, target: { ms: 150, on: 'median' }, unit: 'MB' });
  type Screen = { renderAfterDataMs: number; firstRenderMs: number; jsHeapMb: number; scrollFrameP95Ms: number; frameCpuP95Ms?: number; loadAverage?: number };
  const screens = JSON.parse(fs.readFileSync(renderFile, 'utf8')) as {
    board?: Screen & { beds: number; domBeds: number };
    queue?: Screen & { rows: number; domRows: number; restRenderAfterDataMs: number };
  };
  const one = (v: number) => ({ n: 1, median: v, p95: v, min: v });
  // Scrolling (DESIGN.md §8: 60 fps): the p95 of the frame intervals of a fling and a dragged scrollbar,
  // as Chromium showed them; beside it the main thread's CPU per frame and the load the e2e ran under.
  const scrolled = (s: Screen) =>
    s.frameCpuP95Ms === undefined ? `e2e run before frame CPU was measured` : `main-thread CPU per frame p95 ${s.frameCpuP95Ms} ms; load average ${s.loadAverage} during the e2e`;
  if (screens.board) {
    const b = screens.board;
    rows.push({
      op: `renderer: ward board, ${b.beds}-bed zone, first render (${b.domBeds} cards in DOM)`,
      stats: one(b.renderAfterDataMs),
      target: { ms: 500, on: 'median' },
      note: `click→cards ${b.firstRenderMs} ms; heap ${b.jsHeapMb} MB`,
    });
    rows.push({ op: `renderer: ward board scroll, ${b.beds} beds, frame p95`, stats: one(b.scrollFrameP95Ms), target: { ms: 17, on: 'p95' }, note: scrolled(b) });
  }
  if (screens.queue) {
    const q = screens.queue;
    rows.push({
      op: `renderer: expert queue, all ${q.rows} flagged, a page's render as it scrolls (${q.domRows} rows in DOM)`,
      stats: one(q.restRenderAfterDataMs),
      target: { ms: 500, on: 'median' },
      note: `first 100 rows ${q.renderAfterDataMs} ms after data; heap ${q.jsHeapMb} MB`,
    });
    rows.push({ op: `renderer: expert queue scroll, all ${q.rows} flagged, frame p95`, stats: one(q.scrollFrameP95Ms), target: { ms: 17, on: 'p95' }, note: scrolled(q) });
  }
} else {
  console.log('renderer figures: run the Playwright suite first (test/e2e/scale.spec.ts writes test-results/scale-render.json)');
}
fs.rmSync(dir, { recursive: true, force: true });

const ok = printTable(
  `Echelon bench, ${scaleName} scale: ${scale.patients.toLocaleString('en')} patients in hospital, ${(scale.patients * scale.roundsPerPatient).toLocaleString('en')} rounds, ${scale.discharged.toLocaleString('en')} discharged`,
  rows,
);
if (!ok && reportOnly) console.log('(--report-only: a missed target does not fail this run)');

// The server section (issues 14 and 15): the Echelon server in its own process, the load generator
// (server.ts) in another, 50 workstations over HTTPS on loopback, on a copy of this network. At full
// scale, or with --server (shortened at a smaller scale); npm test's small run runs only its change-notice
// rows (--notices-only: 50 listening workstations, about 15 s, most of it their logins' scrypt).
let serverOk = true;
const wholeServer = scaleName === 'full' || args.includes('--server');
const serverArgs = [
  '--import',
  'tsx',
  path.join(__dirname, 'server.ts'),
  '--db',
  source,
  ...(scaleName === 'full' ? [] : ['--quick']),
  ...(wholeServer ? [] : ['--notices-only']),
  ...(reportOnly ? ['--report-only'] : []),
];
try {
  execFileSync(process.execPath, serverArgs, { stdio: 'inherit' });
} catch (err) {
  console.log(`server section failed: ${(err as Error).message}`);
  serverOk = false;
}
process.exit((ok || reportOnly) && serverOk ? 0 : 1);
