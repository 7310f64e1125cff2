import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { MESSAGES } from '../../shared/i18n';

/**
 * Every audit action the core writes has a name in both languages: the audit log shows it, and so
 * does a form's "new data for this patient since you opened it" (issue 15). Read from the sources,
 * so a new action without a translation fails here.
 */
function sources(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    return e.isDirectory() ? sources(p) : p.endsWith('.ts') ? [p] : [];
  });
}

const ACTION = /action:\s*(?:[^'\n,]*\?\s*)?'([a-z_]+\.[a-z_]+)'(?:\s*:\s*'([a-z_]+\.[a-z_]+)')?/g;

describe('audit actions', () => {
  const actions = new Set<string>();
  for (const file of sources(path.resolve(__dirname, '../../electron/core'))) {
    for (const m of fs.readFileSync(file, 'utf8').matchAll(ACTION)) {
      for (const a of [m[1], m[2]]) if (a) actions.add(a);
    }
  }

  it('the sources were read (the scan itself works)', () => {
    expect(actions.has('round.record')).toBe(true);
    expect(actions.has('review.amend')).toBe(true);
    expect(actions.size).toBeGreaterThan(50);
  });

  it.each([...actions].sort())('%s has a name in Chinese and English', (action) => {
    const key = `audit.action.${action}`;
    expect(MESSAGES['zh-CN']).toHaveProperty([key]);
    expect(MESSAGES.en).toHaveProperty([key]);
  });
});
