// Builds better-sqlite3-multiple-ciphers (the driver of the encrypted record, issue 20) for Electron's ABI
// into build/electron-native/better_sqlite3.node, leaving node_modules (the Node build the tests use)
// untouched. Electron main loads it through the driver's `nativeBinding` option; the core refuses a
// build without the cipher (security.cipher_unavailable) rather than write the record in the clear. Needs network access to Electron's headers, so it runs
// only when starting or packaging the app, never in the test command.
// Before that, `npm start` needs Electron's own binary, fetched at the first require('electron'); and
// whatever was built is checked against Electron's module ABI (issue 18), since a build against
// Node's headers (npm's `nodedir` config, as on our machines) loads in Node but crashes Electron.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { electronAbiProblem } from './native-abi.mjs';

const require = createRequire(import.meta.url);
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const outDir = path.join(root, 'build', 'electron-native');
const target = path.join(outDir, 'better_sqlite3.node');
const electronVersion = require('electron/package.json').version;
const MODULE = 'better-sqlite3-multiple-ciphers';
const sqliteVersion = require(`${MODULE}/package.json`).version;
const stamp = path.join(outDir, 'version.json');
const wanted = JSON.stringify({ electron: electronVersion, module: MODULE, version: sqliteVersion });
const electronAbi = Number(require('node-abi').getAbi(electronVersion, 'electron'));

function fail(message) {
  console.error(`\n${message}\n`);
  process.exit(1);
}

/**
 * The Electron binary `electron-vite preview` starts. From Electron 42 on, npm install fetches nothing and
 * require('electron') downloads the binary on first use; where that cannot reach GitHub (or a mirror),
 * electron-vite only says "Electron uninstall". Resolved in a child so its download trace stays out of sight.
 */
function checkElectronBinary() {
  console.log(`Looking for the Electron ${electronVersion} binary (downloaded on first use)…`);
  const r = spawnSync(process.execPath, ['-e', "process.stdout.write(require('electron'))"], { cwd: root, encoding: 'utf8' });
  const binary = r.status === 0 ? r.stdout.trim() : null;
  if (binary && fs.existsSync(binary)) return;
  const cause = `${r.stderr ?? ''}`
    .split('\n')
    .find((l) => /Error|ENOTFOUND|EAI_AGAIN|ECONN|fetch failed|status/i.test(l))
    ?.trim();
  fail(
    [
      `Echelon cannot start: the Electron ${electronVersion} program is missing (${binary ? `no ${path.relative(root, binary)}` : 'nothing in node_modules/electron/dist'}).`,
      `npm install does not download it; it is fetched from GitHub the first time it is needed, and that download failed${cause ? `: ${cause}` : '.'}`,
      'To fix it, either:',
      '  - allow this machine to reach github.com (or set ELECTRON_MIRROR to a reachable mirror, e.g. ELECTRON_MIRROR=https://npmmirror.com/mirrors/electron/) and run `npm start` again; or',
      '  - use Echelon without Electron: `npm run server`, then open the address it prints in a browser (Chromium or Edge).',
    ].join('\n'),
  );
}

/** Refuses (and removes) a build Electron could not load, naming both ABIs and the likely cause. */
function checkAbi() {
  const problem = electronAbiProblem({
    file: path.relative(root, target),
    bytes: fs.readFileSync(target),
    electronVersion,
    electronAbi,
    nodeVersion: process.version,
    nodeAbi: Number(process.versions.modules),
    nodedir: process.env.npm_config_nodedir || null,
  });
  if (!problem) return;
  fs.rmSync(target, { force: true });
  fs.rmSync(stamp, { force: true });
  fail(`Refusing the Electron build of ${MODULE}: ${problem}`);
}

// Packaging takes Electron from electron-builder's own download, not from node_modules/electron/dist.
if (process.env.npm_lifecycle_event !== 'package') checkElectronBinary();

if (fs.existsSync(target) && fs.existsSync(stamp) && fs.readFileSync(stamp, 'utf8') === wanted) {
  checkAbi();
  console.log(`${MODULE} ${sqliteVersion} for Electron ${electronVersion} is up to date`);
  process.exit(0);
}

const stage = path.join(outDir, 'stage');
fs.rmSync(stage, { recursive: true, force: true });
const pkgSrc = path.dirname(require.resolve(`${MODULE}/package.json`));
const pkgDst = path.join(stage, 'node_modules', MODULE);
fs.cpSync(pkgSrc, pkgDst, { recursive: true, filter: (src) => !src.startsWith(path.join(pkgSrc, 'build')) });
fs.writeFileSync(path.join(stage, 'package.json'), JSON.stringify({ name: 'electron-native-stage', version: '0.0.0', dependencies: { [MODULE]: sqliteVersion } }));

const { rebuild } = require('@electron/rebuild');
await rebuild({ buildPath: stage, electronVersion, onlyModules: [MODULE], force: true });
fs.mkdirSync(outDir, { recursive: true });
fs.copyFileSync(path.join(pkgDst, 'build', 'Release', 'better_sqlite3.node'), target);
fs.rmSync(stage, { recursive: true, force: true });
checkAbi();
fs.writeFileSync(stamp, wanted);
console.log(`built ${path.relative(root, target)} for Electron ${electronVersion} (module ABI ${electronAbi})`);
