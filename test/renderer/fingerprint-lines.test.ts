import { describe, expect, it } from 'vitest';
import { fingerprintLines, isCertificateChanged } from '../../renderer/src/lib/network';
import { AppError } from '../../shared/errors';

describe('a fingerprint set out for reading aloud', () => {
  it('is four lines of four groups of two bytes, the same bytes in the same order as the server prints them', () => {
    const bytes = Array.from({ length: 32 }, (_, i) => i.toString(16).padStart(2, '0'));
    const lines = fingerprintLines(bytes.join(':'));
    expect(lines).toHaveLength(4);
    expect(lines.every((l) => l.length === 4)).toBe(true);
    expect(lines[0]).toEqual(['00:01', '02:03', '04:05', '06:07']);
    expect(lines[3]).toEqual(['18:19', '1A:1B', '1C:1D', '1E:1F']);
    expect(lines.flat().join(':')).toBe(bytes.join(':').toUpperCase());
  });

  it('a changed certificate is recognised by its key, not by its message', () => {
    expect(isCertificateChanged(new AppError('FORBIDDEN', 'anything', { key: 'server.fingerprint_mismatch' }))).toBe(true);
    expect(isCertificateChanged(new AppError('FORBIDDEN', 'server.fingerprint_mismatch'))).toBe(false);
    expect(isCertificateChanged(new Error('server.fingerprint_mismatch'))).toBe(false);
  });
});
