import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parseArgs, parseListen, serverKeyProvider } from '../../electron/server/main';
import { CERT_FILE, ensureCertificate, fingerprintOf, KEY_FILE } from '../../electron/server/tls';
import { normaliseFingerprint } from '../../electron/server/protocol';
import { workstationOf } from '../../electron/server/workstation';
import { makeNetwork, tempDir } from '../support/core';
import { rawRequest, startServer, type Running } from './support';

const running: Running[] = [];
afterEach(async () => {
  for (const r of running.splice(0)) await r.stop();
});

describe('the command line', () => {
  it('reads --data-dir, --listen, --cert/--key and --renderer, and refuses what it does not know', () => {
    const o = parseArgs(['--data-dir', '/srv/echelon', '--listen', '0.0.0.0:8443'], {}, '/repo');
    expect(o).toEqual({ dataDir: '/srv/echelon', host: '0.0.0.0', port: 8443, renderer: '/repo/out/renderer' });
    expect(parseArgs(['--help'], {})).toBeNull();
    expect(parseArgs([], { ECHELON_DATA_DIR: '/d' })?.dataDir).toBe('/d');
    expect(parseListen('[::1]:8443')).toEqual({ host: '::1', port: 8443 });
    expect(parseListen(':9000')).toEqual({ host: '127.0.0.1', port: 9000 });
    expect(() => parseArgs([], {})).toThrow(/--data-dir is required/);
    expect(() => parseArgs(['--data-dir', '/d', '--port', '1'], {})).toThrow(/unknown argument --port/);
    expect(() => parseArgs(['--data-dir', '/d', '--listen', '8443'], {})).toThrow(/HOST:PORT/);
    expect(() => parseArgs(['--data-dir', '/d', '--listen', 'x:70000'], {})).toThrow(/HOST:PORT/);
    expect(() => parseArgs(['--data-dir'], {})).toThrow(/needs a value/);
  });
});

describe('the key-encryption key (issue 20)', () => {
  it('is --key-file when given, else ECHELON_DATA_KEY_KEK, else <data-dir>/server.kek made 0600 at first start', () => {
    expect(parseArgs(['--data-dir', '/d', '--key-file', 'keys/server.kek'], {}, '/repo')?.keyFile).toBe('/repo/keys/server.kek');
    const dir = tempDir('echelon-kek-');
    const made = serverKeyProvider({ dataDir: dir }, {});
    expect(made.holder).toBe('key-file');
    expect(fs.statSync(path.join(dir, 'server.kek')).mode & 0o777).toBe(0o600);
    expect(serverKeyProvider({ dataDir: dir }, {}).id).toBe(made.id);
    const fromEnv = serverKeyProvider({ dataDir: dir }, { ECHELON_DATA_KEY_KEK: Buffer.alloc(32, 1).toString('base64') });
    expect(fromEnv.holder).toBe('env');
    const elsewhere = path.join(tempDir('echelon-kek-'), 'server.kek');
    expect(serverKeyProvider({ dataDir: dir, keyFile: elsewhere }, { ECHELON_DATA_KEY_KEK: Buffer.alloc(32, 1).toString('base64') }).holder).toBe('key-file');
    expect(fs.existsSync(elsewhere)).toBe(true);
  });
});

describe('the certificate', () => {
  it('is made once, the key readable by its owner only; the same pair and fingerprint at the next start; the hospital’s pair when given', async () => {
    const dir = tempDir('echelon-tls-');
    const first = await ensureCertificate(dir);
    expect(first.source).toBe('generated');
    expect(fs.statSync(path.join(dir, KEY_FILE)).mode & 0o777).toBe(0o600);
    expect(fingerprintOf(fs.readFileSync(path.join(dir, CERT_FILE), 'utf8'))).toBe(first.fingerprint);
    expect(first.fingerprint).toMatch(/^([0-9A-F]{2}:){31}[0-9A-F]{2}$/);
    const second = await ensureCertificate(dir);
    expect(second).toMatchObject({ source: 'existing', fingerprint: first.fingerprint });
    const given = await ensureCertificate(tempDir(), { cert: path.join(dir, CERT_FILE), key: path.join(dir, KEY_FILE) });
    expect(given).toMatchObject({ source: 'given', fingerprint: first.fingerprint });
    await expect(ensureCertificate(dir, { cert: path.join(dir, CERT_FILE) })).rejects.toMatchObject({ details: { key: 'server.tls_pair_needed' } });
    await expect(ensureCertificate(dir, { cert: path.join(dir, KEY_FILE), key: path.join(dir, KEY_FILE) })).rejects.toMatchObject({
      details: { key: 'server.tls_bad_certificate' },
    });
    expect(normaliseFingerprint(first.fingerprint.replace(/:/g, '').toLowerCase())).toBe(first.fingerprint);
    expect(normaliseFingerprint('12:34')).toBeNull();
  });
});

describe('the workstation name', () => {
  it('is the address and the cleaned, bounded name the client gave', () => {
    expect(workstationOf('::ffff:10.1.2.3', encodeURIComponent('病区一护士站'))).toBe('10.1.2.3 病区一护士站');
    expect(workstationOf('10.1.2.3', undefined)).toBe('10.1.2.3');
    expect(workstationOf('10.1.2.3', 'a\u0000b\u202Ec\n\nd')).toBe('10.1.2.3 a bc d');
    expect(workstationOf('10.1.2.3', '%E0%A4%A')).toBe('10.1.2.3 %E0%A4%A');
    expect(workstationOf('::1', 'x'.repeat(500))).toBe(`::1 ${'x'.repeat(64)}`);
  });
});

describe('the built renderer', () => {
  it('is served at / when the folder exists, beside the API, with security headers', async () => {
    const dir = tempDir('echelon-renderer-');
    fs.writeFileSync(path.join(dir, 'index.html'), '<!doctype html><title>Echelon</title>');
    const c = makeNetwork();
    const run = await startServer(c, { rendererDir: dir });
    running.push(run);
    const page = await rawRequest(run.url, '/', { method: 'GET' });
    expect(page.status).toBe(200);
    expect(String(page.body)).toContain('<title>Echelon</title>');
    expect(page.headers['strict-transport-security']).toBeDefined();
    expect(page.headers['x-content-type-options']).toBe('nosniff');
    const api = await rawRequest(run.url, '/api/nothing/here', { headers: { 'content-type': 'application/json' }, body: '{}' });
    expect(api.body).toMatchObject({ ok: false, error: { code: 'NOT_FOUND', details: { key: 'error.unknown_call' } } });
    expect(api.headers['cache-control']).toBe('no-store');
    for (const url of ['/api/__proto__/toString', '/api/constructor/prototype', '/api/call/__proto__:x', `/api/call/${'x'.repeat(99)}`]) {
      const r = await rawRequest(run.url, url, { headers: { 'content-type': 'application/json' }, body: '{}' });
      expect(r.body, url).toMatchObject({ ok: false, error: { code: 'NOT_FOUND', details: { key: 'error.unknown_call' } } });
    }
    const long = await rawRequest(run.url, `/api/call/${'x'.repeat(5000)}`, { headers: { 'content-type': 'application/json' }, body: '{}' });
    expect(long.body).toMatchObject({ ok: false, error: { code: 'VALIDATION', details: { key: 'server.bad_request' } } });
    expect(Math.max(...run.logs.map((l) => l.channel.length))).toBeLessThanOrEqual(100);
  });
});
