// The JavaScript a browser must fetch before the first screen (login, first run, unlock) can show
// (issue 17): the entry script of out/renderer/index.html, the modules it modulepreloads, and every
// module those import statically, followed to the end. Dynamic `import()`s are screens loaded when
// opened, so they do not count. Run after `electron-vite build`; `--check` exits 1 past the limit.
//
//   node resources/scripts/first-screen-size.mjs [--check] [renderer dir, default out/renderer]
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { fileURLToPath } from 'node:url';

/** The budget of DESIGN.md §8 ("≤ 1 MB for the first screen"), in bytes as vite prints them (1 kB = 1000 B). */
export const FIRST_SCREEN_LIMIT = 1_000_000;

const attr = (tag, name) => new RegExp(`\\s${name}\\s*=\\s*["']([^"']+)["']`, 'i').exec(tag)?.[1] ?? null;

/**
 * The scripts index.html loads before anything runs: `<script type="module" src>` and `<link rel="modulepreload" href>`.
 * @param {string} html
 * @returns {string[]} their URLs as written (relative to index.html)
 */
export function entryScripts(html) {
  const out = [];
  for (const [tag] of html.matchAll(/<script\b[^>]*>/gi)) {
    const src = attr(tag, 'src');
    if (src && attr(tag, 'type') === 'module') out.push(src);
  }
  for (const [tag] of html.matchAll(/<link\b[^>]*>/gi)) {
    const href = attr(tag, 'href');
    if (href && attr(tag, 'rel') === 'modulepreload') out.push(href);
  }
  return out;
}

/**
 * The relative modules a (bundled, possibly minified) ES module imports statically: `import … from "./x.js"`,
 * `import "./x.js"`, `export … from "./x.js"`. `import("./x.js")` is a dynamic import and is left out.
 * @param {string} code
 * @returns {string[]}
 */
export function staticImports(code) {
  const out = new Set();
  for (const m of code.matchAll(/(?:\bfrom|\bimport)\s*(["'])(\.{1,2}\/[^"']+)\1/g)) out.add(m[2]);
  return [...out];
}

/**
 * Every file the first screen needs, from index.html through the static import graph, with its size.
 * @param {string} dir the built renderer (out/renderer)
 * @returns {{ files: { file: string, bytes: number, gzip: number }[], bytes: number, gzip: number }}
 */
export function firstScreenJavaScript(dir) {
  const root = path.resolve(dir);
  const html = fs.readFileSync(path.join(root, 'index.html'), 'utf8');
  const seen = new Map();
  const queue = entryScripts(html).map((src) => path.resolve(root, src.split(/[?#]/)[0]));
  while (queue.length > 0) {
    const file = queue.shift();
    if (seen.has(file)) continue;
    if (!file.startsWith(root + path.sep)) throw new Error(`${file} is outside ${root}`);
    const body = fs.readFileSync(file);
    seen.set(file, { file: path.relative(root, file), bytes: body.length, gzip: zlib.gzipSync(body).length });
    for (const rel of staticImports(body.toString('utf8'))) queue.push(path.resolve(path.dirname(file), rel));
  }
  const files = [...seen.values()].sort((a, b) => b.bytes - a.bytes);
  return { files, bytes: files.reduce((n, f) => n + f.bytes, 0), gzip: files.reduce((n, f) => n + f.gzip, 0) };
}

const kB = (bytes) => `${Math.round(bytes / 1000)} kB`;

/** The line the build prints, e.g. `first-screen JavaScript: 612 kB (limit 1 MB; 201 kB gzipped, 4 files)`. */
export function describe(result, limit = FIRST_SCREEN_LIMIT) {
  return `first-screen JavaScript: ${kB(result.bytes)} (limit ${limit / 1_000_000} MB; ${kB(result.gzip)} gzipped, ${result.files.length} file${result.files.length === 1 ? '' : 's'})`;
}

function main(argv) {
  const check = argv.includes('--check');
  const dir = argv.find((a) => !a.startsWith('--')) ?? 'out/renderer';
  const result = firstScreenJavaScript(dir);
  console.log(describe(result));
  if (check && result.bytes > FIRST_SCREEN_LIMIT) {
    console.error(`The first screen's JavaScript is past its ${FIRST_SCREEN_LIMIT / 1_000_000} MB budget (issue 17). Largest files:`);
    for (const f of result.files.slice(0, 5)) console.error(`  ${f.file}  ${kB(f.bytes)}`);
    console.error('Load what the login screen does not need with import() (renderer/src/app/lazy.tsx, routes.tsx).');
    process.exit(1);
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) main(process.argv.slice(2));
