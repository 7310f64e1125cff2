import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { NETWORK_FILE, parseNetworkConfig, readStartMode, removeNetworkConfig, writeNetworkConfig } from '../../electron/main/network/config';
import { AppError } from '../../shared/errors';
import { tempDir } from '../support/core';

const FP = 'ab'.repeat(32);
const FP_COLONS = Array.from({ length: 32 }, () => 'AB').join(':');
const good = { url: 'https://example.org:8443', fingerprint: FP, workstation: '病区一护士站' };
/** The same address with a user and password in it (built, so no such URL is written out in the tests). */
function withCredentials(url: string): string {
  const u = new URL(url);
  u.username = 'user';
  u.password = 'pw';
  return u.href;
}

function refusal(fn: () => unknown): AppError {
  try {
    fn();
  } catch (err) {
    if (err instanceof AppError) return err;
    throw err;
  }
  throw new Error('expected a refusal');
}

const keysOf = (err: AppError) => (err.details.issues ?? []).map((i) => `${i.field}:${i.key}`);

afterEach(() => {
  vi.restoreAllMocks();
});

describe('network.json: which Echelon server this workstation uses', () => {
  it('absent: standalone, exactly as before', () => {
    expect(readStartMode(tempDir())).toEqual({ mode: 'standalone' });
  });

  it('written and read back: connected, the fingerprint in the canonical form, file mode 0600, no temporary file left', () => {
    const dir = tempDir();
    const written = writeNetworkConfig(dir, good);
    expect(written).toEqual({ url: 'https://example.org:8443', fingerprint: FP_COLONS, workstation: '病区一护士站' });
    expect(readStartMode(dir)).toEqual({ mode: 'connected', config: written });
    if (process.platform !== 'win32') expect(fs.statSync(path.join(dir, NETWORK_FILE)).mode & 0o777).toBe(0o600);
    expect(fs.readdirSync(dir)).toEqual([NETWORK_FILE]);
  });

  it('accepts the fingerprint with colons, lower case or with spaces; an explicit :443 is a port', () => {
    const spaced = FP_COLONS.toLowerCase().replace(/:/g, ' ');
    expect(parseNetworkConfig({ ...good, fingerprint: spaced }).fingerprint).toBe(FP_COLONS);
    expect(parseNetworkConfig({ ...good, url: 'https://127.0.0.2:443/' }).url).toBe('https://127.0.0.2:443');
    const dir = tempDir();
    writeNetworkConfig(dir, { ...good, url: 'https://127.0.0.2:443' });
    expect(readStartMode(dir)).toMatchObject({ mode: 'connected', config: { url: 'https://127.0.0.2:443' } });
    expect(parseNetworkConfig({ ...good, url: 'https://[::1]:8443' }).url).toBe('https://[::1]:8443');
  });

  it('is written atomically: a complete 0600 temporary file beside it, renamed over the old one', () => {
    const dir = tempDir();
    writeNetworkConfig(dir, good);
    const rename = vi.spyOn(fs, 'renameSync');
    const seen: { from: string; mode: number; text: string }[] = [];
    rename.mockImplementation((from, to) => {
      seen.push({ from: String(from), mode: fs.statSync(from).mode & 0o777, text: fs.readFileSync(from, 'utf8') });
      // The old file is whole until the rename.
      expect(JSON.parse(fs.readFileSync(to, 'utf8')).fingerprint).toBe(FP_COLONS);
      rename.mockRestore();
      fs.renameSync(from, to);
    });
    writeNetworkConfig(dir, { ...good, fingerprint: 'cd'.repeat(32) });
    expect(seen).toHaveLength(1);
    expect(path.dirname(seen[0]!.from)).toBe(dir);
    expect(seen[0]!.from).toMatch(/\.tmp$/);
    if (process.platform !== 'win32') expect(seen[0]!.mode).toBe(0o600);
    expect(JSON.parse(seen[0]!.text).fingerprint).toBe(Array.from({ length: 32 }, () => 'CD').join(':'));
    expect(readStartMode(dir)).toMatchObject({ mode: 'connected', config: { fingerprint: Array.from({ length: 32 }, () => 'CD').join(':') } });
    expect(fs.readdirSync(dir)).toEqual([NETWORK_FILE]);
  });

  it('refuses what it cannot trust, field by field, and writes nothing', () => {
    const dir = tempDir();
    writeNetworkConfig(dir, good);
    const before = fs.readFileSync(path.join(dir, NETWORK_FILE), 'utf8');
    const cases: [Record<string, unknown>, string][] = [
      [{ ...good, url: 'http://example.org:8443' }, 'url:server.https_only'],
      [{ ...good, url: 'https://example.org' }, 'url:desktop.url_port'],
      [{ ...good, url: 'https://example.org:8443/api' }, 'url:desktop.url_extra'],
      [{ ...good, url: withCredentials('https://example.org:8443') }, 'url:desktop.url_extra'],
      [{ ...good, url: 'echelon:8443' }, 'url:server.https_only'],
      [{ ...good, url: 'not an address' }, 'url:desktop.url_invalid'],
      [{ ...good, fingerprint: 'ab'.repeat(20) }, 'fingerprint:server.fingerprint_invalid'],
      [{ ...good, fingerprint: 'zz'.repeat(32) }, 'fingerprint:server.fingerprint_invalid'],
      [{ ...good, workstation: '   ' }, 'workstation:desktop.workstation_required'],
      [{ ...good, workstation: '站'.repeat(65) }, 'workstation:desktop.workstation_too_long'],
      [{ ...good, token: 'secret' }, 'token:validation.unknown_field'],
    ];
    for (const [value, issue] of cases) {
      const err = refusal(() => writeNetworkConfig(dir, value));
      expect(err.code, issue).toBe('VALIDATION');
      expect(keysOf(err), issue).toContain(issue);
    }
    expect(fs.readFileSync(path.join(dir, NETWORK_FILE), 'utf8')).toBe(before);
    expect(fs.readdirSync(dir)).toEqual([NETWORK_FILE]);
  });

  it('a workstation name is cleaned as the server cleans it (no line breaks or bidi marks in the audit viewer)', () => {
    expect(parseNetworkConfig({ ...good, workstation: ' 病区一\n护士站\u202e ' }).workstation).toBe('病区一 护士站');
  });

  it('present but invalid: a clear error naming the file and the reason, never a silent standalone start', () => {
    const dir = tempDir();
    const file = path.join(dir, NETWORK_FILE);
    fs.writeFileSync(file, '{ "url": "https://example.org:8443", ');
    const notJson = refusal(() => readStartMode(dir));
    expect(notJson.details).toMatchObject({ key: 'desktop.config_invalid', params: { file } });

    fs.writeFileSync(file, JSON.stringify({ ...good, url: 'http://example.org:8443' }));
    const wrong = refusal(() => readStartMode(dir));
    expect(wrong.details).toMatchObject({ key: 'desktop.config_invalid', params: { file } });
    expect(String(wrong.details.params?.reason)).toContain('url: server.https_only');
    expect(keysOf(wrong)).toEqual(['url:server.https_only']);

    fs.writeFileSync(file, '');
    expect(refusal(() => readStartMode(dir)).details.key).toBe('desktop.config_invalid');
  });

  it('back to standalone: the file removed (the local record untouched)', () => {
    const dir = tempDir();
    writeNetworkConfig(dir, good);
    fs.writeFileSync(path.join(dir, 'echelon.db'), 'local record');
    removeNetworkConfig(dir);
    expect(readStartMode(dir)).toEqual({ mode: 'standalone' });
    expect(fs.readFileSync(path.join(dir, 'echelon.db'), 'utf8')).toBe('local record');
    removeNetworkConfig(dir);
  });
});
