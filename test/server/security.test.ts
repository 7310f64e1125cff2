import { afterEach, describe, expect, it } from 'vitest';
import type { SecurityStatus } from '../../shared/api/security';
import { admission, makeNetwork, type TestCore } from '../support/core';
import { testKeysFor } from '../support/keys';
import { loginAs, startServer, type Running } from './support';

const running: Running[] = [];
const cores: TestCore[] = [];
afterEach(async () => {
  for (const r of running.splice(0)) await r.stop();
  for (const c of cores.splice(0)) c.close();
});

describe('encryption at rest over the network (issue 20)', { timeout: 60_000 }, () => {
  it('an administrator reads the status and rotates the data key from a workstation; the reader threads read the record under the new key', async () => {
    const c = makeNetwork();
    cores.push(c);
    c.ok('patients:admit', admission({ bedId: c.beds[0]!, wardId: c.wardId }, { name: '司马知秋' }));
    const run = await startServer(c, { readers: 1 });
    running.push(run);
    const admin = await loginAs(run, 'admin', 'correct-horse');
    const before = await admin.call<SecurityStatus>('security:status', {});
    expect(before.ok && before.value).toMatchObject({ encrypted: true, cipher: 'sqlcipher-aes256', olderKeys: 0 });
    const board = await admin.call<{ beds: { occupant: { name: string } | null }[] }>('wards:board', { wardId: c.wardId });
    expect(board.ok && board.value.beds.some((b) => b.occupant?.name === '司马知秋')).toBe(true);
    const answeredBefore = run.server.readers!.answered;

    const rekey = await admin.call<{ keyId: string; olderKeys: number }>('security:rekey', {});
    expect(rekey.ok && rekey.value.olderKeys).toBe(1);
    expect(rekey.ok && rekey.value.keyId).not.toBe(before.ok && before.value.keyId);
    expect(testKeysFor(c.file)).toHaveLength(2);

    const again = await admin.call<{ beds: { occupant: { name: string } | null }[] }>('wards:board', { wardId: c.wardId });
    expect(again.ok && again.value.beds.some((b) => b.occupant?.name === '司马知秋')).toBe(true);
    // Answered by the reader thread, reopened under the new key, not by the main thread's fallback.
    expect(run.server.readers!.answered).toBe(answeredBefore + 1);
  });
});
