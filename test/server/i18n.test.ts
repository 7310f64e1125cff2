import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { MESSAGES } from '../../shared/i18n';

describe('the server’s messages', () => {
  it('has every key the server wing uses, in both languages (test/unit/i18n.test.ts covers the core and the renderer)', () => {
    const dir = path.resolve(__dirname, '../../electron/server');
    const used = new Set<string>();
    for (const f of fs.readdirSync(dir).filter((n) => n.endsWith('.ts'))) {
      const src = fs.readFileSync(path.join(dir, f), 'utf8');
      for (const m of src.matchAll(/\bkey:\s*'([a-z_]+(?:\.[A-Za-z0-9_]+)+)'/g)) used.add(m[1]!);
      for (const m of src.matchAll(/failure\([^)]*?'([a-z_]+\.[a-z_]+)'/g)) used.add(m[1]!);
    }
    expect(used.size).toBeGreaterThan(10);
    expect([...used].filter((k) => !(k in MESSAGES['zh-CN']) || !(k in MESSAGES.en))).toEqual([]);
  });
});
