import { z } from 'zod';
import { AppError, type Result } from '../../../shared/errors';
import { EchelonClient, peerFingerprint } from '../../server/client';
import { Fingerprint, ServerUrl, parseNetworkConfig, writeNetworkConfig, type NetworkConfig, type NetworkConfigInput } from './config';

/**
 * Trust on first connection, like SSH's (issue 14 item 2): the workstation reads the certificate the
 * server presents, the user compares its SHA-256 fingerprint with the one the server itself shows
 * (printed at its start, and on its page /api/server-info), and only then is it pinned. Afterwards a
 * different certificate is refused, and only an administrator, logging in over a connection pinned to
 * the new certificate, can accept it. Plain Node: the Electron shell and the tests call the same code.
 */

export interface ProbeResult {
  /** The address as it will be stored (`https://host:port`). */
  url: string;
  /** The certificate's SHA-256 fingerprint, `AB:CD:…`, as the server prints it. */
  fingerprint: string;
  version: string;
}

const fail = (code: AppError['code'], message: string, key: string, extra: Record<string, unknown> = {}): Result<never> => ({
  ok: false,
  error: new AppError(code, message, { key, ...extra }).toPayload(),
});

function errorResult(err: unknown): Result<never> {
  if (err instanceof AppError) return { ok: false, error: err.toPayload() };
  return fail('UNAVAILABLE', String((err as Error).message), 'server.unreachable', { retryable: true });
}

function urlOf(text: unknown): Result<string> {
  const r = ServerUrl.safeParse(typeof text === 'string' ? text : '');
  if (r.success) return { ok: true, value: r.data };
  const key = r.error.issues[0]?.message ?? 'desktop.url_invalid';
  return { ok: false, error: new AppError('VALIDATION', `not a server address: ${key}`, { key, issues: [{ field: 'url', key }] }).toPayload() };
}

/**
 * Reads the certificate the server at `url` presents, then asks the server, over a connection pinned
 * to that very certificate, which fingerprint it believes it has (`GET /api/server-info`). The two
 * agree for an Echelon server reached directly; they differ when something in between (a proxy that
 * ends TLS itself) answers in its place, and that is refused before the user is asked anything.
 */
export async function probeServer(urlText: unknown, timeoutMs = 10_000): Promise<Result<ProbeResult>> {
  const url = urlOf(urlText);
  if (!url.ok) return url;
  let fingerprint: string;
  try {
    fingerprint = (await peerFingerprint(url.value, timeoutMs)).toUpperCase();
  } catch (err) {
    return errorResult(err);
  }
  const client = new EchelonClient({ url: url.value, fingerprint, workstation: 'probe', timeoutMs });
  try {
    const info = await client.serverInfo();
    if (!info || typeof info !== 'object' || info.name !== 'echelon' || typeof info.fingerprint !== 'string') {
      return fail('NOT_FOUND', `${url.value} is not an Echelon server`, 'desktop.not_echelon');
    }
    const claimed = Fingerprint.safeParse(info.fingerprint);
    if (!claimed.success || claimed.data !== fingerprint) {
      return fail('FORBIDDEN', 'the certificate presented is not the one the server reports', 'desktop.probe_mismatch', {
        params: { presented: fingerprint, reported: info.fingerprint },
      });
    }
    return {
      ok: true,
      value: {
        url: url.value,
        fingerprint,
        version: String(info.version ?? ''),
      },
    };
  } catch (err) {
    return errorResult(err);
  } finally {
    client.close();
  }
}

/**
 * "The same, trust and connect": the settings are written only when the server still presents the
 * certificate the user has just compared (not another one swapped in since the check).
 */
export async function connectServer(dataDir: string, input: unknown, timeoutMs = 10_000): Promise<Result<NetworkConfig>> {
  let config: NetworkConfig;
  try {
    config = parseNetworkConfig(input);
  } catch (err) {
    return errorResult(err);
  }
  try {
    const now = (await peerFingerprint(config.url, timeoutMs)).toUpperCase();
    if (now !== config.fingerprint) {
      return fail('FORBIDDEN', 'the server presents another certificate than the one compared', 'desktop.changed_since_check', {
        params: { expected: config.fingerprint, actual: now },
      });
    }
    return { ok: true, value: writeNetworkConfig(dataDir, config) };
  } catch (err) {
    return errorResult(err);
  }
}

export interface CertificateStatus {
  url: string;
  /** The pinned fingerprint. */
  trusted: string;
  /** What the server presents now; null when it cannot be reached. */
  presented: string | null;
}

/** For the changed-certificate screen: the pinned fingerprint beside the one presented now. */
export async function certificateStatus(config: NetworkConfig, timeoutMs = 10_000): Promise<CertificateStatus> {
  try {
    return {
      url: config.url,
      trusted: config.fingerprint,
      presented: (await peerFingerprint(config.url, timeoutMs)).toUpperCase(),
    };
  } catch (err) {
    if (err instanceof AppError) return { url: config.url, trusted: config.fingerprint, presented: null };
    throw err;
  }
}

export const AcceptCertificateSchema = z.strictObject({
  /** The new fingerprint the administrator compared with the server's (shown on the screen). */
  fingerprint: Fingerprint,
  username: z.string().trim().min(1).max(64),
  password: z.string().min(1).max(128),
});

/**
 * Only an administrator accepts a changed certificate. The credentials go to the server over a
 * connection pinned to the NEW fingerprint the administrator was shown (so they reach nobody else if
 * it changes again meanwhile); the server audits the login. Accepted only when the login succeeds
 * with role admin; that session is logged out again at once, whatever the outcome, and the settings are
 * rewritten with the new pin. A nurse's valid login, or a wrong password, changes nothing.
 */
export async function acceptChangedCertificate(dataDir: string, current: NetworkConfig, input: unknown, timeoutMs = 10_000): Promise<Result<NetworkConfig>> {
  const parsed = AcceptCertificateSchema.safeParse(input);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => ({
      field: i.path.map(String).join('.'),
      key: /^(desktop|server)\./.test(i.message) ? i.message : 'validation.required',
    }));
    return {
      ok: false,
      error: new AppError('VALIDATION', 'incomplete', { issues }).toPayload(),
    };
  }
  const { fingerprint, username, password } = parsed.data;
  if (fingerprint === current.fingerprint) return { ok: true, value: current };
  const client = new EchelonClient({
    url: current.url,
    fingerprint,
    workstation: current.workstation,
    timeoutMs,
  });
  try {
    const login = await client.call<{ role: string }>('auth:login', {
      username,
      password,
    });
    if (!login.ok) return login;
    const isAdmin = login.value.role === 'admin';
    const out = await client.call('auth:logout', {});
    if (!isAdmin) return fail('FORBIDDEN', 'only an administrator may accept a new server certificate', 'desktop.repin_admin_only');
    if (!out.ok) return out;
    const next: NetworkConfigInput = {
      url: current.url,
      fingerprint,
      workstation: current.workstation,
    };
    return { ok: true, value: writeNetworkConfig(dataDir, next) };
  } catch (err) {
    return errorResult(err);
  } finally {
    client.close();
  }
}
