import { expect } from 'vitest';

/** The `{name}` placeholders of a message, sorted. */
export const placeholders = (s: string): string[] => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1] ?? '').sort();

/** Both languages have the same keys, no message is empty, and each key has the same placeholders in both. */
export function expectSameMessages(zh: Readonly<Record<string, string>>, en: Readonly<Record<string, string>>): void {
  expect(Object.keys(en).sort()).toEqual(Object.keys(zh).sort());
  for (const [key, text] of Object.entries(zh)) {
    expect(text.trim(), key).not.toBe('');
    expect(en[key]?.trim(), key).not.toBe('');
    expect(placeholders(en[key] ?? ''), key).toEqual(placeholders(text));
  }
}
