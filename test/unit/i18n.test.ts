import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { MESSAGES, translate } from '../../shared/i18n';
import { expectSameMessages } from '../support/i18n';

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return sourceFiles(p);
    return /\.(ts|tsx)$/.test(e.name) ? [p] : [];
  });
}

describe('translations', () => {
  const zh = MESSAGES['zh-CN'];
  const en = MESSAGES.en;

  it('has every key in both languages, none empty, with the same placeholders', () => {
    expectSameMessages(zh, en);
  });

  it('has every literal key the renderer and core use', () => {
    const root = path.resolve(__dirname, '../..');
    const files = [...sourceFiles(path.join(root, 'renderer/src')), ...sourceFiles(path.join(root, 'electron/core')), ...sourceFiles(path.join(root, 'shared/api'))];
    const used = new Set<string>();
    const patterns = [
      /\bt\(\s*'([a-z_]+(?:\.[A-Za-z0-9_]+)+)'/g,
      /\bkey:\s*'([a-z_]+(?:\.[A-Za-z0-9_]+)+)'/g,
      /AppError\.field\([^,]+,\s*'([a-z_]+(?:\.[A-Za-z0-9_]+)+)'/g,
      /error:\s*'(validation\.[a-z_]+)'/g,
      /label:\s*'([a-z_]+\.[a-z_.]+)'/g,
    ];
    for (const f of files) {
      const src = fs.readFileSync(f, 'utf8');
      for (const re of patterns) for (const m of src.matchAll(re)) used.add(m[1]!);
    }
    expect(used.size).toBeGreaterThan(50);
    const missing = [...used].filter((k) => !(k in zh) || !(k in en));
    expect(missing).toEqual([]);
  });

  it('fills placeholders and falls back to the key, never to an empty string', () => {
    expect(translate('zh-CN', 'patient.day_of_stay', { n: 3 })).toBe('住院第 3 天');
    expect(translate('en', 'patient.day_of_stay', { n: 3 })).toBe('day 3');
    expect(translate('en', 'no.such.key')).toBe('no.such.key');
  });
});
