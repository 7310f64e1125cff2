// Tests run the core under Node: make sure better-sqlite3 in node_modules is built for this Node.
// (Starting the app builds a separate Electron copy under build/electron-native and never touches it,
// but an older checkout or a manual electron-rebuild may have flipped it.)
import { execSync } from 'node:child_process';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
function loads() {
  try {
    const Database = require('better-sqlite3');
    new Database(':memory:').close();
    return true;
  } catch (err) {
    console.warn(`better-sqlite3 does not load under Node ${process.version}: ${err.message}`);
    return false;
  }
}

if (!loads()) {
  console.warn('Rebuilding better-sqlite3 for Node…');
  execSync('npm rebuild better-sqlite3', { stdio: 'inherit' });
  delete require.cache[require.resolve('better-sqlite3')];
  if (!loads()) process.exit(1);
}
console.log(`better-sqlite3 loads under Node ${process.version}`);
