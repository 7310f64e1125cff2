// Builds better-sqlite3-multiple-ciphers (the driver of the encrypted record, issue 20) for Electron's ABI
// into build/electron-native/better_sqlite3.node, leaving node_modules (the Node build the tests use)
// untouched. Electron main loads it through the driver's `nativeBinding` option; the core refuses a
// build without the cipher (security.cipher_unavailable) rather than write the record in the clear. Needs network access to Electron's headers, so it runs
// only when starting or packaging the app, never in the test command.
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const outDir = path.join(root, 'build', 'electron-native');
const target = path.join(outDir, 'better_sqlite3.node');
const electronVersion = require('electron/package.json').version;
const MODULE = 'better-sqlite3-multiple-ciphers';
const sqliteVersion = require(`${MODULE}/package.json`).version;
const stamp = path.join(outDir, 'version.json');
const wanted = JSON.stringify({ electron: electronVersion, module: MODULE, version: sqliteVersion });

if (fs.existsSync(target) && fs.existsSync(stamp) && fs.readFileSync(stamp, 'utf8') === wanted) {
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
fs.copyFileSync(path.join(pkgDst, 'build', 'Release', 'better_sqlite3.node'), target);
fs.writeFileSync(stamp, wanted);
fs.rmSync(stage, { recursive: true, force: true });
console.log(`built ${path.relative(root, target)} for Electron ${electronVersion}`);
