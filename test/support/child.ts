import type { Readable } from 'node:stream';
import { buildSync, type BuildOptions } from 'esbuild';

/**
 * Bundles one entry point to a single CommonJS file for plain Node, so a child process starts in well
 * under a second instead of compiling TypeScript at every start. `options` says which packages stay
 * in node_modules (the file is written inside the repository, so they resolve from there).
 */
export function bundleForNode(entry: string, outfile: string, options: Pick<BuildOptions, 'external' | 'packages'>): string {
  buildSync({ entryPoints: [entry], bundle: true, platform: 'node', format: 'cjs', target: 'node20', outfile, logLevel: 'error', ...options });
  return outfile;
}

/** Calls `onLine` with each complete line (without its newline) a child writes to `stream`, decoded as UTF-8. */
export function eachLine(stream: Readable, onLine: (line: string) => void): void {
  let buf = '';
  stream.setEncoding('utf8');
  stream.on('data', (chunk: string) => {
    buf += chunk;
    let i: number;
    while ((i = buf.indexOf('\n')) >= 0) {
      const line = buf.slice(0, i);
      buf = buf.slice(i + 1);
      onLine(line);
    }
  });
}
