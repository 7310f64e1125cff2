import { spawn } from 'node:child_process';
import https from 'node:https';
import path from 'node:path';
import { buildServer, type CallLogLine, type EchelonServer, type ServerOptions } from '../../electron/server/app';
import { EchelonClient } from '../../electron/server/client';
import { ensureCertificate } from '../../electron/server/tls';
import { bundleForNode, eachLine } from '../support/child';
import { NOW, TEST_PASSWORD, type TestCore } from '../support/core';
import { TEST_KEK } from '../support/keys';

const ROOT = path.resolve(__dirname, '../..');

export interface Running {
  server: EchelonServer;
  url: string;
  fingerprint: string;
  port: number;
  logs: CallLogLine[];
  /** The server's clock (ms): tests move it to expire tokens. */
  clock: { now: number };
  client(workstation?: string): EchelonClient;
  stop(): Promise<void>;
}

/** A real HTTPS server on 127.0.0.1, any free port, over the test's core; its clock starts at NOW. */
export async function startServer(core: TestCore, options: Partial<ServerOptions> = {}): Promise<Running> {
  const tls = await ensureCertificate(core.dataDir);
  const clock = { now: Date.parse(NOW) };
  const logs: CallLogLine[] = [];
  const server = await buildServer({ core, tls, version: 'test', clock: () => clock.now, log: (l) => logs.push(l), rendererDir: null, ...options });
  const port = await server.listen('127.0.0.1', 0);
  const url = `https://127.0.0.1:${port}`;
  const clients: EchelonClient[] = [];
  return {
    server,
    url,
    port,
    fingerprint: tls.fingerprint,
    logs,
    clock,
    client: (workstation = 'test-station') => {
      const c = new EchelonClient({ url, fingerprint: tls.fingerprint, workstation });
      clients.push(c);
      return c;
    },
    stop: async () => {
      for (const c of clients) c.close();
      await server.close();
    },
  };
}

/** A client logged in over HTTP as `username` (the test password); throws when the login fails. */
export async function loginAs(run: Running, username: string, password = TEST_PASSWORD, workstation?: string): Promise<EchelonClient> {
  const c = run.client(workstation);
  const r = await c.call('auth:login', { username, password });
  if (!r.ok) throw new Error(`login ${username}: ${JSON.stringify(r.error)}`);
  return c;
}

export interface RawReply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: unknown;
}

/** One request as a browser or curl would send it: no pinning (the test checks the pin separately), exact headers and bytes. */
export function rawRequest(url: string, pathName: string, options: { method?: string; headers?: Record<string, string>; body?: string | Buffer } = {}): Promise<RawReply> {
  return new Promise((resolve, reject) => {
    const req = https.request(new URL(pathName, url), { method: options.method ?? 'POST', headers: options.headers ?? {}, rejectUnauthorized: false, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        let body: unknown = text;
        try {
          body = JSON.parse(text);
        } catch {
          body = text;
        }
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body });
      });
    });
    // The server may answer and close before a refused body is fully sent.
    req.on('error', (err: NodeJS.ErrnoException) => (err.code === 'EPIPE' || err.code === 'ECONNRESET' ? undefined : reject(err)));
    if (options.body !== undefined) req.write(options.body);
    req.end();
  });
}

/** The server's entry point bundled to one CommonJS file (packages stay in node_modules), so a child starts in well under a second. */
export function bundleServer(): string {
  const outfile = path.join(ROOT, 'test-results', 'server', `server-${process.pid}.cjs`);
  return bundleForNode(path.join(ROOT, 'electron', 'server', 'cli.ts'), outfile, { packages: 'external' });
}

export interface ServerChild {
  pid: number;
  port: number;
  url: string;
  fingerprint: string;
  lines: string[];
  exit: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  signal(s: NodeJS.Signals): void;
}

/** `node server.cjs --data-dir DIR --listen 127.0.0.1:0` as its own process; resolves once it listens. */
export async function spawnServer(bundle: string, dataDir: string, timeoutMs = 15_000): Promise<ServerChild> {
  const child = spawn(process.execPath, [bundle, '--data-dir', dataDir, '--listen', '127.0.0.1:0', '--renderer', path.join(dataDir, 'no-renderer')], {
    stdio: ['ignore', 'pipe', 'pipe'],
    // The suite's key-encryption key, so the tests' own cores open what the server wrote (issue 20).
    env: { ...process.env, ECHELON_DATA_KEY_KEK: TEST_KEK.toString('base64') },
  });
  const lines: string[] = [];
  let stderr = '';
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (c: string) => (stderr += c));
  const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.on('close', (code, signal) => resolve({ code, signal })));
  const listening = new Promise<{ port: number; fingerprint: string }>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`server did not start in ${timeoutMs} ms: ${stderr}`));
    }, timeoutMs);
    eachLine(child.stdout, (line) => {
      lines.push(line);
      if (line.includes('"event":"listening"')) {
        clearTimeout(timer);
        const e = JSON.parse(line) as { port: number; fingerprint: string };
        resolve({ port: e.port, fingerprint: e.fingerprint });
      }
    });
    void exit.then(() => {
      clearTimeout(timer);
      reject(new Error(`server exited before listening: ${stderr}`));
    });
  });
  const { port, fingerprint } = await listening;
  return { pid: child.pid ?? 0, port, url: `https://127.0.0.1:${port}`, fingerprint, lines, exit, signal: (s) => child.kill(s) };
}
