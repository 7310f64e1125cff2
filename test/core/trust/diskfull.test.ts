import { describe, expect, it } from 'vitest';
import { verifyAuditChain } from '../../../electron/core/audit/audit';
import { translate } from '../../../shared/i18n';
import { admission, makeNetwork } from '../../support/core';
import { snapshot } from './support';

describe('a full disk', { timeout: 30_000 }, () => {
  it('fails the admission with storage.full, writes nothing of it, and the database opens and works afterwards', () => {
    const c = makeNetwork();
    const beds = c.db.prepare('INSERT INTO bed (ward_id, label, sort) VALUES (?, ?, ?)');
    const bedIds = Array.from({ length: 400 }, (_, i) => Number(beds.run(c.wardId, `F-${i}`, 10 + i).lastInsertRowid));
    // SQLite's own cap on the file size stands in for the disk: the next pages cannot be had.
    const pages = c.db.pragma('page_count', { simple: true }) as number;
    c.db.pragma(`max_page_count = ${pages + 2}`);

    let failure: { code: string; key: unknown } | null = null;
    let admitted = 0;
    for (const bedId of bedIds) {
      const before = snapshot(c.db);
      const r = c.call('patients:admit', admission({ bedId, wardId: c.wardId }, { name: `满盘${bedId}`, allergies: '青霉素过敏，'.repeat(80) }));
      if (r.ok) {
        admitted += 1;
        continue;
      }
      failure = { code: r.error.code, key: r.error.details.key };
      // The failed admission left nothing behind: no patient, episode, placement, bed change or audit row.
      expect(snapshot(c.db)).toEqual(before);
      break;
    }
    expect(failure).toEqual({ code: 'STORAGE', key: 'storage.full' });
    expect(translate('zh-CN', 'storage.full')).toBe('磁盘空间已满，本次操作未保存。');
    expect(translate('en', 'storage.full')).not.toBe('storage.full');

    // Space again: the same connection carries on, and the file is whole.
    c.db.pragma('max_page_count = 1073741823');
    c.ok('patients:admit', admission({ bedId: bedIds[bedIds.length - 1]!, wardId: c.wardId }, { name: '空间恢复后' }));
    expect(c.db.pragma('integrity_check', { simple: true })).toBe('ok');
    const reopened = c.reopen();
    expect(reopened.count('patient')).toBe(admitted + 1);
    expect(reopened.count('episode')).toBe(admitted + 1);
    expect(verifyAuditChain(reopened.db).ok).toBe(true);
    reopened.close();
  });
});
