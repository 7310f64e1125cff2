import { AppError, type Result } from '../../../shared/errors';
import type { NetworkConfig, StartMode } from './config';
import type { Forwarder } from './forward';
import { acceptChangedCertificate, certificateStatus, connectServer, probeServer, type CertificateStatus, type ProbeResult } from './trust';

/**
 * What `window.echelonNetwork` may ask of main: outside the data contract, like printing. Connecting
 * is a first-run choice of a standalone workstation whose own record is still empty (a record with
 * patients in it is never left behind unnoticed); accepting a changed certificate exists only in
 * connected mode. Plain Node: electron/main/network/ipc.ts registers these behind the sender check,
 * and the end-to-end test calls them through a page binding.
 */
export interface NetworkHandlers {
  mode(): Promise<
    Result<{
      mode: StartMode['mode'];
      url: string | null;
      workstation: string | null;
    }>
  >;
  probe(url: unknown): Promise<Result<ProbeResult>>;
  /** Ok means the settings were written: the shell restarts in connected mode. */
  connect(input: unknown): Promise<Result<NetworkConfig>>;
  certificate(): Promise<Result<CertificateStatus>>;
  /** Ok means the new pin is in use: every window logs in again. */
  acceptCertificate(input: unknown): Promise<Result<NetworkConfig>>;
}

export interface NetworkContext {
  dataDir: string;
  start: StartMode;
  /** Standalone: whether the local record is still empty (first run). */
  localNeedsSetup?: () => boolean;
  /** Connected: the forwarder whose pin an accepted certificate replaces. */
  forwarder?: Forwarder;
  timeoutMs?: number;
}

const refuse = (key: string, message: string): Result<never> => ({
  ok: false,
  error: new AppError('FORBIDDEN', message, { key }).toPayload(),
});

export function networkHandlers(ctx: NetworkContext): NetworkHandlers {
  let pinned: NetworkConfig | null = ctx.start.mode === 'connected' ? ctx.start.config : null;
  const connected = () => pinned;
  const firstRunRefusal = (): Result<never> | null => {
    if (connected()) return refuse('desktop.already_connected', 'this workstation is already connected to a server');
    if (ctx.localNeedsSetup && !ctx.localNeedsSetup()) return refuse('desktop.local_has_data', 'the local record is not empty');
    return null;
  };
  return {
    mode: async () => {
      const c = connected();
      return {
        ok: true,
        value: {
          mode: c ? 'connected' : 'standalone',
          url: c?.url ?? null,
          workstation: c?.workstation ?? null,
        },
      };
    },
    // Main reaches out to an address the page typed only while that choice is on screen (first run).
    probe: async (url) => firstRunRefusal() ?? probeServer(url, ctx.timeoutMs),
    connect: async (input) => firstRunRefusal() ?? connectServer(ctx.dataDir, input, ctx.timeoutMs),
    certificate: async () => {
      const c = connected();
      if (!c) return refuse('desktop.not_connected', 'this workstation is standalone');
      return { ok: true, value: await certificateStatus(c, ctx.timeoutMs) };
    },
    acceptCertificate: async (input) => {
      const c = connected();
      if (!c) return refuse('desktop.not_connected', 'this workstation is standalone');
      const r = await acceptChangedCertificate(ctx.dataDir, c, input, ctx.timeoutMs);
      if (r.ok && r.value.fingerprint !== c.fingerprint) {
        pinned = r.value;
        ctx.forwarder?.repin(r.value);
      }
      return r;
    },
  };
}
