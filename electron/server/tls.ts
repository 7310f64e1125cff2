import { X509Certificate } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { generate } from 'selfsigned';
import { AppError } from '../../shared/errors';

export const KEY_FILE = 'server-key.pem';
export const CERT_FILE = 'server-cert.pem';

export interface ServerCertificate {
  key: string;
  cert: string;
  /** SHA-256 of the certificate (DER), upper-case hex pairs joined by colons, as browsers and OpenSSL show it. */
  fingerprint: string;
  /** Where they came from: made here at first start, or the hospital's files given on the command line. */
  source: 'generated' | 'existing' | 'given';
}

/** The fingerprint of a PEM certificate, in the form `AB:CD:…` (64 hex digits). */
export function fingerprintOf(certPem: string): string {
  return new X509Certificate(certPem).fingerprint256;
}

function readPair(keyFile: string, certFile: string, source: ServerCertificate['source']): ServerCertificate {
  let key: string;
  let cert: string;
  try {
    key = fs.readFileSync(keyFile, 'utf8');
    cert = fs.readFileSync(certFile, 'utf8');
  } catch (err) {
    throw new AppError('STORAGE', `cannot read the TLS key or certificate: ${(err as Error).message}`, { key: 'server.tls_unreadable' });
  }
  let x509: X509Certificate;
  try {
    x509 = new X509Certificate(cert);
  } catch {
    throw new AppError('VALIDATION', `${certFile} is not a PEM certificate`, { key: 'server.tls_bad_certificate' });
  }
  return { key, cert, fingerprint: x509.fingerprint256, source };
}

/**
 * The server's key and certificate: the hospital's own when both files are given, else the pair kept in
 * the data folder, made at first start (ECDSA P-256, self-signed, ten years; the key file mode 0600, written
 * before the certificate, so a half-made pair is never taken for a whole one). Workstations trust it by
 * its fingerprint, compared by a person at first connection, not by a CA.
 */
export async function ensureCertificate(dataDir: string, given: { cert?: string; key?: string } = {}, now = new Date()): Promise<ServerCertificate> {
  if (given.cert || given.key) {
    if (!given.cert || !given.key) throw new AppError('VALIDATION', '--cert and --key go together', { key: 'server.tls_pair_needed' });
    return readPair(path.resolve(given.key), path.resolve(given.cert), 'given');
  }
  const keyFile = path.join(dataDir, KEY_FILE);
  const certFile = path.join(dataDir, CERT_FILE);
  if (fs.existsSync(keyFile) && fs.existsSync(certFile)) {
    const mode = fs.statSync(keyFile).mode & 0o777;
    if ((mode & 0o077) !== 0) fs.chmodSync(keyFile, 0o600);
    return readPair(keyFile, certFile, 'existing');
  }
  const notAfterDate = new Date(now);
  notAfterDate.setUTCFullYear(notAfterDate.getUTCFullYear() + 10);
  const pems = await generate([{ name: 'commonName', value: 'Echelon server' }], {
    keyType: 'ec',
    curve: 'P-256',
    algorithm: 'sha256',
    notBeforeDate: now,
    notAfterDate,
    extensions: [
      { name: 'basicConstraints', cA: false },
      { name: 'keyUsage', digitalSignature: true },
      { name: 'extKeyUsage', serverAuth: true },
      {
        name: 'subjectAltName',
        altNames: [
          { type: 2, value: 'localhost' },
          { type: 7, ip: '127.0.0.1' },
          { type: 7, ip: '::1' },
        ],
      },
    ],
  });
  fs.writeFileSync(keyFile, pems.private, { mode: 0o600, flag: 'wx' });
  fs.chmodSync(keyFile, 0o600);
  fs.writeFileSync(certFile, pems.cert, { mode: 0o644 });
  return { key: pems.private, cert: pems.cert, fingerprint: fingerprintOf(pems.cert), source: 'generated' };
}
