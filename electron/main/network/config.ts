import fs from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import { AppError, type FieldIssue } from '../../../shared/errors';
import { toFieldIssues } from '../../../shared/api/issues';
import { normaliseFingerprint } from '../../server/protocol';
import { MAX_WORKSTATION_NAME } from '../../server/workstation';

/**
 * Connected mode's one setting (issue 14, DESIGN.md §11): `network.json` in the app's user-data
 * folder says which Echelon server this workstation uses, the certificate it trusts and the name its
 * audit rows carry. Absent: standalone, the default, exactly as before. Present: connected. Present
 * but unreadable or invalid: a clear error at start, never a silent fall-back to the local record
 * (a ward that believes it writes to the shared record must not write to a private one instead).
 * Plain Node, no electron import, so vitest reads and writes it.
 */
export const NETWORK_FILE = 'network.json';

/** `https://host:port` only: the server is always TLS, and its address names a host and a port. */
export const ServerUrl = z
  .string()
  .trim()
  .min(1)
  .max(300)
  .transform((text, ctx) => {
    let u: URL;
    try {
      u = new URL(text);
    } catch (err) {
      if (!(err instanceof TypeError)) throw err;
      ctx.addIssue({ code: 'custom', message: 'desktop.url_invalid' });
      return z.NEVER;
    }
    if (u.protocol !== 'https:') ctx.addIssue({ code: 'custom', message: 'server.https_only' });
    else if (!u.hostname) ctx.addIssue({ code: 'custom', message: 'desktop.url_invalid' });
    // URL drops the default port 443: an explicit ":443" is a port too.
    else if (!u.port && !/^https:\/\/[^/?#]*:443(?:[/?#]|$)/i.test(text)) ctx.addIssue({ code: 'custom', message: 'desktop.url_port' });
    else if (u.username || u.password || (u.pathname !== '/' && u.pathname !== '') || u.search || u.hash) ctx.addIssue({ code: 'custom', message: 'desktop.url_extra' });
    // Always with its port, so the stored address reads back valid (URL leaves out a default 443).
    return `https://${u.hostname}:${u.port || '443'}`;
  });

/** The SHA-256 fingerprint, with or without colons; stored in the canonical `AB:CD:…` form. */
export const Fingerprint = z
  .string()
  .max(200)
  .transform((text, ctx) => {
    const fp = normaliseFingerprint(text);
    if (!fp) {
      ctx.addIssue({ code: 'custom', message: 'server.fingerprint_invalid' });
      return z.NEVER;
    }
    return fp;
  });

/** The workstation's name as its audit rows will show it (e.g. 病区一护士站). */
export const WorkstationName = z
  .string()
  .transform((s) =>
    s
      .replace(/\p{Cf}/gu, '')
      .replace(/[\p{Cc}\p{Zl}\p{Zp}\s]+/gu, ' ')
      .trim(),
  )
  .pipe(z.string().min(1, { error: 'desktop.workstation_required' }).max(MAX_WORKSTATION_NAME, { error: 'desktop.workstation_too_long' }));

export const NetworkConfigSchema = z.strictObject({
  url: ServerUrl,
  fingerprint: Fingerprint,
  workstation: WorkstationName,
});
export type NetworkConfig = z.output<typeof NetworkConfigSchema>;
export type NetworkConfigInput = z.input<typeof NetworkConfigSchema>;

export type StartMode = { mode: 'standalone' } | { mode: 'connected'; config: NetworkConfig };

export function networkFile(dataDir: string): string {
  return path.join(dataDir, NETWORK_FILE);
}

/** The field issues of a refused config, as the renderer's forms show them (`details.issues`). */
function invalid(error: z.ZodError, file?: string): AppError {
  // Our own checks name their message key (`desktop.…`, `server.…`); zod's built-in ones are mapped as the contract's are.
  const issues: FieldIssue[] = error.issues.map((i) =>
    /^(desktop|server)\.[a-z_]+$/.test(i.message) ? { field: i.path.map(String).join('.'), key: i.message } : toFieldIssues([i])[0]!,
  );
  const reason = issues.map((i) => `${i.field || '(file)'}: ${i.key}`).join('; ');
  return new AppError('VALIDATION', `network settings are invalid: ${reason}`, {
    key: file ? 'desktop.config_invalid' : 'desktop.settings_invalid',
    params: { file: file ?? '', reason },
    issues,
  });
}

/** Validates what the user typed (or what a file holds); throws a VALIDATION AppError naming the fields. */
export function parseNetworkConfig(value: unknown): NetworkConfig {
  const r = NetworkConfigSchema.safeParse(value);
  if (!r.success) throw invalid(r.error);
  return r.data;
}

/** Standalone when the file is absent; connected when it is valid; a thrown AppError (`desktop.config_invalid`) otherwise. */
export function readStartMode(dataDir: string): StartMode {
  const file = networkFile(dataDir);
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { mode: 'standalone' };
    throw new AppError('STORAGE', `cannot read ${file}: ${(err as Error).message}`, {
      key: 'desktop.config_invalid',
      params: { file, reason: (err as Error).message },
    });
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new AppError('VALIDATION', `${file} is not JSON`, {
      key: 'desktop.config_invalid',
      params: { file, reason: (err as Error).message },
    });
  }
  const r = NetworkConfigSchema.safeParse(json);
  if (!r.success) throw invalid(r.error, file);
  return { mode: 'connected', config: r.data };
}

/**
 * Writes the settings atomically: a temporary file beside it (mode 0600, flushed), then a rename over
 * the old one, then the folder flushed. A crash leaves the old file or the new one, never half of
 * either. 0600 because the file says which server this workstation trusts: other local accounts may
 * not change it.
 */
export function writeNetworkConfig(dataDir: string, value: unknown): NetworkConfig {
  const config = parseNetworkConfig(value);
  fs.mkdirSync(dataDir, { recursive: true });
  const file = networkFile(dataDir);
  const tmp = `${file}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`;
  const fd = fs.openSync(tmp, 'wx', 0o600);
  try {
    fs.writeFileSync(fd, `${JSON.stringify(config, null, 2)}\n`);
    fs.fsyncSync(fd);
  } catch (err) {
    fs.closeSync(fd);
    fs.rmSync(tmp, { force: true });
    throw err;
  }
  fs.closeSync(fd);
  // The umask never widens 0600, but a file created by other means might be wider: say it once more.
  fs.chmodSync(tmp, 0o600);
  fs.renameSync(tmp, file);
  syncDir(dataDir);
  return config;
}

/** Back to standalone: the settings file is removed (the local record was never touched). */
export function removeNetworkConfig(dataDir: string): void {
  fs.rmSync(networkFile(dataDir), { force: true });
  syncDir(dataDir);
}

function syncDir(dir: string): void {
  let fd: number | null = null;
  try {
    fd = fs.openSync(dir, 'r');
    fs.fsyncSync(fd);
  } catch (err) {
    // Windows cannot open a folder to flush it; the rename is still atomic there.
    if ((err as NodeJS.ErrnoException).code !== 'EISDIR' && (err as NodeJS.ErrnoException).code !== 'EPERM') throw err;
  } finally {
    if (fd !== null) fs.closeSync(fd);
  }
}
