import { main } from './main';

/** `npm run server -- --data-dir DIR --listen HOST:PORT`: see main.ts and `--help`. */
main(process.argv.slice(2)).catch((err: unknown) => {
  process.stderr.write(`Echelon server could not start: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exitCode = 1;
});
