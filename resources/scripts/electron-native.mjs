// Builds better-sqlite3 for Electron's ABI into build/electron-native/better_sqlite3.node, leaving
// node_modules (the Node build the tests use) untouched. Electron main loads it through
// better-sqlite3's `nativeBinding` option. Needs network access to Electron's headers, so it runs
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
const sqliteVersion = require('better-sqlite3/package.json').version;
const stamp = path.join(outDir, 'version.json');
const wanted = JSON.stringify({ electron: electronVersion, betterSqlite3: sqliteVersion });

if (fs.existsSync(target) && fs.existsSync(stamp) && fs.readFileSync(stamp, 'utf8') === wanted) {
  console.log(`better-sqlite3 ${sqliteVersion} for Electron ${electronVersion} is up to date`);
  process.exit(0);
}

const stage = path.join(outDir, 'stage');
fs.rmSync(stage, { recursive: true, force: true });
const pkgSrc = path.dirname(require.resolve('better-sqlite3/package.json'));
const pkgDst = path.join(stage, 'node_modules', 'better-sqlite3');
fs.cpSync(pkgSrc, pkgDst, { recursive: true, filter: (src) => !src.startsWith(path.join(pkgSrc, 'build')) });
fs.writeFileSync(path.join(stage, 'package.json'), JSON.stringify({ name: 'electron-native-stage', version: '0.0.0', dependencies: { 'better-sqlite3': sqliteVersion } }));

const { rebuild } = require('@electron/rebuild');
await rebuild({ buildPath: stage, electronVersion, onlyModules: ['better-sqlite3'], force: true });
fs.copyFileSync(path.join(pkgDst, 'build', 'Release', 'better_sqlite3.node'), target);
fs.writeFileSync(stamp, wanted);
fs.rmSync(stage, { recursive: true, force: true });
console.log(`built ${path.relative(root, target)} for Electron ${electronVersion}`);
