import { AppError, type Result } from '../../../shared/errors';

/**
 * The desktop app's way to the hospital's Echelon server (issue 14). The preload exposes
 * `echelonNetwork` (electron/preload/index.ts → electron/main/network/ipc.ts), outside the data
 * contract like printing: main reads the server's certificate, pins it once the user has compared it,
 * and from then on forwards every contract call itself. The page never opens a network connection.
 * Absent in a browser served by the server, and in the standalone end-to-end harness.
 */
export interface ServerProbe {
  url: string;
  fingerprint: string;
  version: string;
}

export interface ConnectionSettings {
  url: string;
  fingerprint: string;
  workstation: string;
}

export interface CertificateStatus {
  url: string;
  trusted: string;
  presented: string | null;
}

export interface EchelonNetwork {
  mode(): Promise<
    Result<{
      mode: 'standalone' | 'connected';
      url: string | null;
      workstation: string | null;
    }>
  >;
  probe(url: string): Promise<Result<ServerProbe>>;
  connect(input: ConnectionSettings): Promise<Result<ConnectionSettings>>;
  certificate(): Promise<Result<CertificateStatus>>;
  acceptCertificate(input: { fingerprint: string; username: string; password: string }): Promise<Result<ConnectionSettings>>;
  /** Called when one of this window's calls was refused for a changed certificate; returns the unsubscribe. */
  onCertificateChanged(listener: () => void): () => void;
}

declare global {
  interface Window {
    echelonNetwork?: EchelonNetwork;
  }
}

export function desktopNetwork(): EchelonNetwork | null {
  return window.echelonNetwork ?? null;
}

/** The value, or the AppError rebuilt from the envelope (as lib/api does for contract calls). */
export async function unwrapNetwork<T>(r: Promise<Result<T>>): Promise<T> {
  const out = await r;
  if (out.ok) return out.value;
  throw AppError.fromPayload(out.error);
}

/** The key a connected workstation's call is refused with when the server presents another certificate. */
export const CERTIFICATE_CHANGED = 'server.fingerprint_mismatch';

export function isCertificateChanged(err: unknown): boolean {
  return err instanceof AppError && err.details.key === CERTIFICATE_CHANGED;
}

/**
 * `AB:CD:…` (32 bytes) as lines of four groups of two bytes, for reading aloud over the phone:
 * the same bytes, in the same order, as the server prints them.
 */
export function fingerprintLines(fingerprint: string): string[][] {
  const bytes = fingerprint.toUpperCase().split(':');
  const groups: string[] = [];
  for (let i = 0; i < bytes.length; i += 2) groups.push(bytes.slice(i, i + 2).join(':'));
  const lines: string[][] = [];
  for (let i = 0; i < groups.length; i += 4) lines.push(groups.slice(i, i + 4));
  return lines;
}
