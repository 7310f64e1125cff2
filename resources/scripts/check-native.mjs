// First, the browser the end-to-end tests drive (playwright.config.ts: CHROMIUM_PATH, else Debian's
// /usr/bin/chromium; Playwright downloads none here). Without it `npm test` would spend minutes on lint,
// typecheck and vitest and then print one launch failure per e2e test: say what to install, once, and stop.
// Then: tests run the core under Node: make sure the SQLite drivers in node_modules (better-sqlite3, and
// better-sqlite3-multiple-ciphers, which every connection of the core uses since issue 20) are built for this Node.
// (Starting the app builds a separate Electron copy under build/electron-native and never touches it,
// but an older checkout or a manual electron-rebuild may have flipped it.)
import { execSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';

const chromium = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
try {
  fs.accessSync(chromium, fs.constants.X_OK);
} catch {
  const fix = process.env.CHROMIUM_PATH ? 'point CHROMIUM_PATH at a Chromium executable' : 'apt-get install -y chromium fonts-noto-cjk (or set CHROMIUM_PATH)';
  console.error(`Chromium not found at ${chromium}: ${fix}`);
  process.exit(1);
}

const require = createRequire(import.meta.url);
function loads(name) {
  try {
    const Database = require(name);
    new Database(':memory:').close();
    return true;
  } catch (err) {
    console.warn(`${name} does not load under Node ${process.version}: ${err.message}`);
    return false;
  }
}

for (const name of ['better-sqlite3', 'better-sqlite3-multiple-ciphers']) {
  if (!loads(name)) {
    console.warn(`Rebuilding ${name} for Node…`);
    execSync(`npm rebuild ${name}`, { stdio: 'inherit' });
    delete require.cache[require.resolve(name)];
    if (!loads(name)) process.exit(1);
  }
  console.log(`${name} loads under Node ${process.version}`);
}
