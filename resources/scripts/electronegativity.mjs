// Electronegativity (Doyensec) over the built main and preload JavaScript, as part of `npm test`.
// Electronegativity always exits 0, so this script reads its findings and fails the run on any that is
// not listed in ACCEPTED below with the reason it is accepted.
//
// Its BrowserWindow checks read only object literals passed to `new BrowserWindow({...})`; ours come
// from windowOptions() (electron/main/window.ts), so test/unit/electron-window.test.ts asserts them.
// A known-bad canary file is scanned first, so a clean result cannot come from a scanner that sees nothing.
//
// It must not reach the network: its CLI fetches translations and Electron release notes at run time.
// Here the `got` HTTP client it uses is replaced by one that refuses, every socket connection throws,
// and the one check that exists only to download release notes is left out (its offline half, the
// Electron version check, still runs against the installed Electron version).
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const require = createRequire(path.join(root, 'package.json'));

const attempts = [];
function refuse(what) {
  attempts.push(what);
  return Promise.reject(new Error(`network disabled in the test run: ${what}`));
}
const got = (url) => refuse(String(url));
got.head = (url) => refuse(`HEAD ${url}`);
got.get = got;
const gotPath = require.resolve('got', { paths: [path.dirname(require.resolve('@doyensec/electronegativity/package.json'))] });
require.cache[gotPath] = { id: gotPath, filename: gotPath, loaded: true, exports: got };
const connect = net.Socket.prototype.connect;
net.Socket.prototype.connect = function blocked(...args) {
  attempts.push(`socket ${JSON.stringify(args[0])}`);
  throw new Error('network disabled in the test run');
};

const cspOf = (html) => /http-equiv="Content-Security-Policy"\s+content="([^"]+)"/.exec(html)?.[1] ?? '';

/** What Google's CSP evaluator (the one Electronegativity runs) finds in a policy, beyond informational notes. */
function cspFindings(policy) {
  const csp = require(require.resolve('@doyensec/csp-evaluator', { paths: [path.dirname(require.resolve('@doyensec/electronegativity/package.json'))] }));
  return new csp.CspEvaluator(new csp.CspParser(policy).csp, csp.Version.CSP3)
    .evaluate()
    .filter((f) => f.severity < csp.severities.INFO)
    .map((f) => `${f.directive} ${f.value}`);
}

/**
 * Findings we accept, each with its reason and a check that the reason still holds. Everything else
 * fails the run.
 */
const ACCEPTED = [
  {
    id: 'CSP_GLOBAL_CHECK',
    file: 'renderer/index.html',
    why: "the evaluator's only remark is script-src 'self' (a risk when the origin also hosts JSONP, Angular or uploads); our origin serves nothing but the bundled renderer files (electron/main/window.ts rendererFileFor)",
    holds: (app) => JSON.stringify(cspFindings(cspOf(fs.readFileSync(path.join(app, 'renderer/index.html'), 'utf8')))) === JSON.stringify(["script-src 'self'"]),
  },
  {
    id: 'CSP_GLOBAL_CHECK',
    file: 'main/index.js',
    description: /Failed to parse CSP/,
    why: 'the header value is the constant CONTENT_SECURITY_POLICY, which the scanner cannot read statically; it is the index.html policy plus frame-ancestors, as checked here and in test/unit/electron-window.test.ts',
    holds: (app) => {
      const main = fs.readFileSync(path.join(app, 'main/index.js'), 'utf8');
      const constant = /(?:const|let|var) CONTENT_SECURITY_POLICY = "([^"]+)"/.exec(main)?.[1];
      const meta = cspOf(fs.readFileSync(path.join(app, 'renderer/index.html'), 'utf8'));
      return constant !== undefined && constant.replace(" frame-ancestors 'none';", '') === meta;
    },
  },
];

const run = require('@doyensec/electronegativity/dist/runner.js');
const electronVersion = JSON.parse(fs.readFileSync(path.join(root, 'node_modules/electron/package.json'), 'utf8')).version;

// One scan of the app as Electron sees it: the main and preload bundles, and the page whose meta tag
// carries the CSP. Scanned together, so the global checks (CSP, navigation limits, permission handler)
// look at the whole app rather than at the preload alone. The renderer's React bundle is left out.
const input = path.join(root, 'test-results', 'electronegativity', 'app');
fs.rmSync(input, { recursive: true, force: true });
for (const [from, to] of [
  ['out/main', 'main'],
  ['out/preload', 'preload'],
  ['out/renderer/index.html', 'renderer/index.html'],
]) {
  const src = path.join(root, from);
  if (!fs.existsSync(src)) {
    console.error(`electronegativity: ${from} is missing; run electron-vite build first`);
    process.exit(1);
  }
  fs.cpSync(src, path.join(input, to), { recursive: true });
}

// A known-bad file, scanned on its own first: if the scanner misses it, a clean result below means nothing.
const canary = path.join(root, 'test-results', 'electronegativity', 'canary');
fs.rmSync(canary, { recursive: true, force: true });
fs.mkdirSync(canary, { recursive: true });
fs.writeFileSync(
  path.join(canary, 'main.js'),
  "const { BrowserWindow, shell } = require('electron');\nconst w = new BrowserWindow({ webPreferences: { nodeIntegration: true, contextIsolation: false, sandbox: false, webviewTag: true } });\nw.webContents.on('new-window', (e, url) => shell.openExternal(url));\n",
);

const quietLog = console.log;
async function scan(dir) {
  // The runner prints progress and a translation notice through console.log; keep the output to the findings.
  console.log = () => undefined;
  try {
    return await run({
      input: dir,
      isRelative: true,
      electronVersionOverride: electronVersion,
      excludeFromScan: ['AvailableSecurityFixesGlobalCheck'],
      customScan: [],
      parserPlugins: [],
      isVerbose: false,
    });
  } finally {
    console.log = quietLog;
  }
}

let failed = false;
const canaryIds = new Set((await scan(canary)).issues.map((i) => i.id));
for (const id of ['CONTEXT_ISOLATION_JS_CHECK', 'SANDBOX_JS_CHECK', 'OPEN_EXTERNAL_JS_CHECK', 'LIMIT_NAVIGATION_GLOBAL_CHECK', 'CSP_GLOBAL_CHECK']) {
  if (!canaryIds.has(id)) {
    console.error(`electronegativity: the known-bad canary did not raise ${id}; the scan cannot be trusted`);
    failed = true;
  }
}

const result = await scan(input);
const errors = result.errors.filter((e) => !e.tolerable);
for (const e of errors) console.error(`electronegativity: could not parse ${e.file}: ${e.message}`);
if (errors.length > 0) failed = true;
const findings = result.issues.map((i) => ({ id: i.id, file: i.file, line: i.location?.line, description: i.description, manualReview: i.manualReview }));
const acceptance = (f) => ACCEPTED.find((a) => a.id === f.id && a.file === f.file && (!a.description || a.description.test(f.description)) && a.holds(input));
const open = findings.filter((f) => !acceptance(f));
console.log(
  `electronegativity (Electron ${electronVersion}, main + preload + index.html): ${result.globalChecks + result.atomicChecks} checks, ${findings.length} findings, ${findings.length - open.length} accepted`,
);
for (const f of findings.filter((x) => !open.includes(x))) console.log(`  accepted ${f.id} in ${f.file}: ${acceptance(f).why}`);
for (const f of open) {
  console.error(`  ${f.id}  ${f.file}:${f.line}${f.manualReview ? '  (manual review)' : ''}\n    ${f.description}`);
  failed = true;
}

net.Socket.prototype.connect = connect;
const network = attempts.filter((a) => !a.includes('electronegativity-i18n'));
if (attempts.length > 0) console.log(`electronegativity: ${attempts.length} network request(s) refused (${attempts.map((a) => a.split('?')[0]).join(', ')})`);
if (network.length > 0) {
  console.error('electronegativity: a check tried to reach the network');
  failed = true;
}
process.exit(failed ? 1 : 0);
