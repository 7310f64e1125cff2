import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createCore, dataDirOverride, envKeyProvider, keyFileProvider, unlockRecord, type Core, type KeyProvider } from '../core';
import { AppError } from '../../shared/errors';
import { buildServer } from './app';
import { ensureCertificate } from './tls';
import pkg from '../../package.json';

export const HELP = `Echelon server: one record for the whole hospital network, served over HTTPS.

Usage: npm run server -- --data-dir DIR [--listen HOST:PORT] [--cert FILE --key FILE] [--key-file FILE] [--renderer DIR]

  --data-dir DIR     the folder of the record (echelon.db, backups, the server's key and certificate);
                     or the environment variable ECHELON_DATA_DIR
  --listen HOST:PORT where to listen (default 127.0.0.1:8443; 0.0.0.0:8443 for every interface,
                     [::]:8443 for IPv6)
  --cert FILE        the hospital's certificate (PEM) and its key (PEM), instead of the
  --key FILE         self-signed pair made in the data folder at first start (key mode 0600)
  --key-file FILE    the key-encryption key that unwraps the record's data key (the record is encrypted,
                     AES-256): 32 random bytes in base64, readable by the service account only (mode
                     0600; a file others may read is refused). Default: <data-dir>/server.kek, made at
                     first start; keep it off the data folder's disk to protect a stolen copy of it.
                     Or the environment variable ECHELON_DATA_KEY_KEK (base64), used when no
                     --key-file is given. ECHELON_RECOVERY_PASSPHRASE: when this server holds no key
                     for the record (a new machine), the recovery passphrase unlocks it at start and
                     the key file wraps its keys from then on
  --renderer DIR     the built renderer served at / (default: out/renderer, when it exists)
  --readers N        threads answering queries (the ward board, the queue, charts…) on read-only connections
                     beside the writes (default: one per core but one, at least 1; 0: every call on
                     the main thread); or ECHELON_READERS
  --help             this text

Workstations compare the SHA-256 fingerprint printed at start (also at GET /api/server-info) with the
one they are shown at their first connection. SIGTERM or SIGINT: the server stops accepting calls,
finishes those in flight, closes the record and writes the clean-shutdown mark.
One JSON line per call goes to standard output (channel, user id, workstation, outcome, duration).`;

export interface CliOptions {
  dataDir: string;
  host: string;
  port: number;
  cert?: string;
  key?: string;
  /** The key-encryption key's file, when given (else the environment's, else `<data-dir>/server.kek`). */
  keyFile?: string;
  renderer: string;
  /** Reader threads, when given (else DEFAULT_READERS). */
  readers?: number;
}

/** One reader thread per core beside the main thread's (1 on a 2-core machine), at most 4. */
export const DEFAULT_READERS = Math.max(1, Math.min(4, os.availableParallelism() - 1));

const usage = (message: string) => new AppError('VALIDATION', message, { key: 'server.usage' });

/** `127.0.0.1:8443`, `0.0.0.0:8443`, `[::1]:8443`, `:8443`. */
export function parseListen(text: string): { host: string; port: number } {
  const m = /^(?:\[([0-9a-fA-F:.]+)\]|([^:[\]]*)):(\d{1,5})$/.exec(text);
  const port = m ? Number(m[3]) : NaN;
  if (!m || !Number.isInteger(port) || port > 65535) throw usage(`--listen wants HOST:PORT, not ${text}`);
  return { host: m[1] ?? (m[2] || '127.0.0.1'), port };
}

function readerCount(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const n = /^\d{1,2}$/.test(text) ? Number(text) : NaN;
  if (!(n <= 16)) throw usage(`--readers wants a number of threads from 0 to 16, not ${text}`);
  return n;
}

/** null when --help was asked for. */
export function parseArgs(argv: readonly string[], env: NodeJS.ProcessEnv, cwd = process.cwd()): CliOptions | null {
  const value = (name: string): string | undefined => {
    for (let i = 0; i < argv.length; i++) {
      const a = argv[i] ?? '';
      if (a.startsWith(`${name}=`)) return a.slice(name.length + 1);
      if (a === name) {
        const v = argv[i + 1];
        if (v === undefined || v.startsWith('--')) throw usage(`${name} needs a value`);
        return v;
      }
    }
    return undefined;
  };
  if (argv.includes('--help') || argv.includes('-h')) return null;
  const known = new Set(['--data-dir', '--listen', '--cert', '--key', '--key-file', '--renderer', '--readers']);
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i] ?? '';
    const name = a.split('=')[0] ?? '';
    if (!known.has(name)) throw usage(`unknown argument ${a} (see --help)`);
    if (!a.includes('=')) {
      const v = argv[i + 1];
      if (v === undefined || v.startsWith('--')) throw usage(`${name} needs a value`);
      i += 1;
    }
  }
  const dataDir = dataDirOverride(argv, env);
  if (!dataDir) throw usage('--data-dir is required (see --help)');
  const { host, port } = parseListen(value('--listen') ?? '127.0.0.1:8443');
  const cert = value('--cert');
  const key = value('--key');
  const keyFile = value('--key-file');
  const readers = readerCount(value('--readers') ?? env.ECHELON_READERS);
  return {
    dataDir,
    host,
    port,
    ...(cert ? { cert } : {}),
    ...(key ? { key } : {}),
    ...(keyFile ? { keyFile: path.resolve(cwd, keyFile) } : {}),
    renderer: path.resolve(cwd, value('--renderer') ?? 'out/renderer'),
    ...(readers !== undefined ? { readers } : {}),
  };
}

const line = (event: Record<string, unknown>) => process.stdout.write(`${JSON.stringify({ at: new Date().toISOString(), ...event })}\n`);

/** Where the key-encryption key comes from: `--key-file`, else ECHELON_DATA_KEY_KEK, else `<data-dir>/server.kek` (made 0600 at first start). */
export function serverKeyProvider(opts: Pick<CliOptions, 'dataDir' | 'keyFile'>, env: NodeJS.ProcessEnv): KeyProvider {
  if (opts.keyFile) return keyFileProvider(opts.keyFile);
  const fromEnv = envKeyProvider(env);
  if (fromEnv) return fromEnv;
  fs.mkdirSync(opts.dataDir, { recursive: true });
  return keyFileProvider(path.join(opts.dataDir, 'server.kek'));
}

/** The record opened with the server's key; on a machine holding no key for it, unlocked first with ECHELON_RECOVERY_PASSPHRASE when set. */
function openCore(opts: CliOptions, keyProvider: KeyProvider, log: (err: unknown, what: string) => void): Core {
  try {
    return createCore({ dataDir: opts.dataDir, keyProvider, log });
  } catch (err) {
    const passphrase = process.env.ECHELON_RECOVERY_PASSPHRASE;
    if (!(err instanceof AppError) || err.details.key !== 'security.key_missing' || !passphrase) throw err;
    unlockRecord({ dataDir: opts.dataDir, passphrase, keyProvider, now: new Date().toISOString() });
    line({ event: 'unlocked', with: 'recovery passphrase', holder: keyProvider.holder });
    return createCore({ dataDir: opts.dataDir, keyProvider, log });
  }
}

/** How often a running server looks whether the daily backup is due. */
const BACKUP_CHECK_MS = 60 * 60 * 1000;

export async function main(argv: readonly string[]): Promise<void> {
  let opts: CliOptions | null;
  try {
    opts = parseArgs(argv, process.env);
  } catch (err) {
    process.stderr.write(`${(err as Error).message}\n`);
    process.exitCode = 2;
    return;
  }
  if (!opts) {
    process.stdout.write(`${HELP}\n`);
    return;
  }
  const log = (err: unknown, what: string) => line({ event: 'error', what, error: String((err as Error)?.message ?? err) });
  const core = openCore(opts, serverKeyProvider(opts, process.env), log);
  let server: Awaited<ReturnType<typeof buildServer>>;
  try {
    const tls = await ensureCertificate(core.dataDir, { ...(opts.cert ? { cert: opts.cert } : {}), ...(opts.key ? { key: opts.key } : {}) });
    server = await buildServer({ core, tls, version: pkg.version, rendererDir: opts.renderer, readers: opts.readers ?? DEFAULT_READERS });
    const port = await server.listen(opts.host, opts.port);
    const host = opts.host.includes(':') ? `[${opts.host}]` : opts.host;
    line({
      event: 'listening',
      url: `https://${host}:${port}/`,
      port,
      fingerprint: tls.fingerprint,
      certificate: tls.source,
      readers: opts.readers ?? DEFAULT_READERS,
      dataDir: core.dataDir,
      startupCheck: core.startupCheck,
    });
    process.stderr.write(`Echelon server at https://${host}:${port}/\nCertificate SHA-256 fingerprint: ${tls.fingerprint}\n`);
  } catch (err) {
    core.close();
    throw err;
  }

  const backup = async () => {
    const r = await core.autoBackup(new Date().toISOString());
    if (r.status !== 'not_due') line({ event: 'backup', ...r });
  };
  await backup();
  const timer = setInterval(() => void backup(), BACKUP_CHECK_MS);
  timer.unref();

  let stopping = false;
  const stop = async (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    clearInterval(timer);
    line({ event: 'stopping', signal });
    try {
      await server.close();
    } finally {
      core.close();
    }
    line({ event: 'stopped', clean: true });
  };
  // `on`, not `once`: a second signal while stopping must not fall back to the default (an unclean exit).
  process.on('SIGTERM', (s) => void stop(s));
  process.on('SIGINT', (s) => void stop(s));
}
