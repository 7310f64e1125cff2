import { isMainThread } from 'node:worker_threads';
import { main } from './main';

/**
 * `npm run server -- --data-dir DIR --listen HOST:PORT`: see main.ts and `--help`. A bundle of this
 * file is also the file its reader threads run (readers.ts): there, only the reader starts.
 */
if (isMainThread) {
  main(process.argv.slice(2)).catch((err: unknown) => {
    process.stderr.write(`Echelon server could not start: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = 1;
  });
}
