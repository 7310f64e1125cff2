// Tests run the core under Node: make sure the SQLite drivers in node_modules (better-sqlite3, and
// better-sqlite3-multiple-ciphers, which every connection of the core uses since issue 20) are built for this Node.
// (Starting the app builds a separate Electron copy under build/electron-native and never touches it,
// but an older checkout or a manual electron-rebuild may have flipped it.)
import { execSync } from 'node:child_process';
import { createRequire } from 'node:module';

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
