import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { describe as describeSize, entryScripts, firstScreenJavaScript, staticImports } from '../../resources/scripts/first-screen-size.mjs';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

/** A built renderer in miniature: index.html and its assets, as vite writes them. */
function renderer(files: Record<string, string>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'echelon-first-screen-'));
  dirs.push(dir);
  for (const [name, body] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), body);
  }
  return dir;
}

describe('the JavaScript the first screen needs', () => {
  it('reads the entry module and the modulepreloads of index.html, not its stylesheets or classic scripts', () => {
    const html = `<script type="module" crossorigin src="./assets/index-A.js"></script>
      <link rel="modulepreload" crossorigin href="./assets/react-B.js">
      <link rel="stylesheet" href="./assets/index-C.css"><script src="./legacy.js"></script>`;
    expect(entryScripts(html)).toEqual(['./assets/index-A.js', './assets/react-B.js']);
  });

  it('follows static imports and re-exports in minified code, never a dynamic import()', () => {
    const code = `import{a as b}from"./react-B.js";import"./side-D.js";export*from'./util-E.js';const s=()=>import("./ReportsScreen-F.js");`;
    expect(staticImports(code)).toEqual(['./react-B.js', './side-D.js', './util-E.js']);
  });

  it('sums every file reached from index.html once, and leaves the lazily loaded screens out', () => {
    const dir = renderer({
      'index.html': '<script type="module" src="./assets/index-A.js"></script><link rel="modulepreload" href="./assets/react-B.js">',
      'assets/index-A.js': 'import{r}from"./react-B.js";import"./shared-C.js";const l=()=>import("./Reports-D.js");',
      'assets/react-B.js': 'import"./shared-C.js";export const r=1;',
      'assets/shared-C.js': 'export const c=2;',
      'assets/Reports-D.js': 'x'.repeat(5000),
    });
    const result = firstScreenJavaScript(dir);
    expect(result.files.map((f) => f.file).sort()).toEqual(['assets/index-A.js', 'assets/react-B.js', 'assets/shared-C.js']);
    const sizes = ['assets/index-A.js', 'assets/react-B.js', 'assets/shared-C.js'].map((f) => fs.statSync(path.join(dir, f)).size);
    expect(result.bytes).toBe(sizes.reduce((a, b) => a + b, 0));
    expect(describeSize({ ...result, bytes: 612_345 })).toMatch(/^first-screen JavaScript: 612 kB \(limit 1 MB; \d+ kB gzipped, 3 files\)$/);
  });
});
