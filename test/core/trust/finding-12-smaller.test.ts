import { describe, expect, it } from 'vitest';
import type { PreviewRow } from '../../../shared/api/import';
import type { PatientSearchHit } from '../../../shared/api/patientSearch';
import { parseCsv, MAX_COLUMNS, MAX_FIELD_CHARS } from '../../../shared/import/csv';
import { autoMap } from '../../../shared/import/cases';
import type { Result } from '../../../shared/errors';
import { admission, makeCore, makeNetwork, NOW, type TestCore } from '../../support/core';
import { snapshot } from './support';
import { userVersion } from '../../support/versions';

const issuesOf = (r: Result<unknown>) => (r.ok ? 'ok' : [r.error.code, r.error.details.issues]);

describe('finding 12: patients:search with non-characters and broken text', { timeout: 30_000 }, () => {
  type Out = { results: PatientSearchHit[]; more: boolean };

  it('answers U+10FFFF and other non-characters with a normal result, in both modes, instead of INTERNAL', () => {
    const c = makeNetwork();
    c.ok('patients:admit', admission({ bedId: c.beds[0]!, wardId: c.wardId }, { name: '张伟' }));
    c.ok('patients:admit', admission({ bedId: c.beds[1]!, wardId: c.wardId }, { name: '张\u{10FFFF}' }));
    for (const q of ['\u{10FFFF}', '\u{10FFFF}\u{10FFFF}', 'a\u{10FFFF}', 'A1-\u{10FFFF}', '\uFFFF', '\uFFFE', '\uFDD0', '\u{1FFFF}', '\uD7FF', '1234\u{10FFFF}']) {
      for (const mode of ['suggest', 'list']) {
        const r = c.call<Out>('patients:search', { q, mode });
        expect(r.ok ? r.value.results : r.error, `${JSON.stringify(q)} ${mode}`).toEqual([]);
      }
    }
    // The carried bound still finds exactly the names that start with what was typed.
    expect(c.ok<Out>('patients:search', { q: '张\u{10FFFF}' }).results.map((h) => h.name)).toEqual(['张\u{10FFFF}']);
    expect(
      c
        .ok<Out>('patients:search', { q: '张' })
        .results.map((h) => h.name)
        .sort(),
    ).toEqual(['张伟', '张\u{10FFFF}'].sort());
  });

  it('refuses a lone surrogate with a field error on q', () => {
    const c = makeNetwork();
    for (const q of ['\uD800', '张\uDC00', '\uDBFF\u{10FFFF}'.slice(0, 2)]) {
      expect(issuesOf(c.call('patients:search', { q }))).toEqual(['VALIDATION', [{ field: 'q', key: 'validation.invalid_text' }]]);
    }
  });
});

describe('finding 12: two CSV row shapes no longer fail the whole preview chunk', { timeout: 30_000 }, () => {
  const HEADER = ['姓名', '性别', '年龄', '联系电话'];
  const ok = (i: number) => [`病例${i}`, '男', '40', `1380013800${i}`];

  function preview(c: TestCore, text: string) {
    const [header, ...rows] = parseCsv(text).rows;
    const r = c.call<{ rows: PreviewRow[] }>('import:preview', { mapping: autoMap(header!.cells), rows, admittedAt: NOW });
    if (!r.ok) throw new Error(`the chunk was refused: ${JSON.stringify(r.error)}`);
    return r.value.rows;
  }

  it('a row with more than 64 oversized cells is the one bad row (its name too long); the rest preview fine', () => {
    const c = makeNetwork();
    const big = 'x'.repeat(MAX_FIELD_CHARS + 1);
    const wide = [big, '男', '40', '13800138009', ...Array<string>(MAX_COLUMNS + 6).fill(big)];
    const text = [HEADER, ok(1), wide, ok(2)].map((r) => r.join(',')).join('\n');
    const parsed = parseCsv(text).rows[2]!;
    expect(parsed.cells).toHaveLength(MAX_COLUMNS);
    expect(parsed.oversized.every((i) => i < MAX_COLUMNS)).toBe(true);
    const rows = preview(c, text);
    expect(rows.map((r) => [r.line, r.status])).toEqual([
      [2, 'ok'],
      [3, 'error'],
      [4, 'ok'],
    ]);
    expect(rows[1]!.issues).toContainEqual({ field: 'name', key: 'import.field_too_long', params: { max: MAX_FIELD_CHARS } });
  });

  it('64 cells and a delimiter ending the file: the last row is read like the same row in mid-file, the chunk is not refused', () => {
    const c = makeNetwork();
    const pad = (cells: string[]) => [...cells, ...Array.from({ length: MAX_COLUMNS - cells.length }, (_, i) => (cells === HEADER ? `备注${i + 1}` : ''))];
    const lines = [pad(HEADER), pad(ok(1)), pad(ok(2)), pad(['', '女', '', ''])].map((r) => r.join(','));
    const text = `${lines.join('\n')},`;
    const last = parseCsv(text).rows.at(-1)!;
    expect(last.cells).toHaveLength(MAX_COLUMNS);
    const rows = preview(c, text);
    expect(rows.map((r) => [r.line, r.status])).toEqual([
      [2, 'ok'],
      [3, 'ok'],
      [4, 'error'],
    ]);
    expect(rows[2]!.issues).toContainEqual(expect.objectContaining({ field: 'name' }));
  });
});

describe('finding 12: login takes as long for an unknown username as for a real one', { timeout: 60_000 }, () => {
  it('runs the same scrypt for unknown and inactive usernames (median times within 3× of each other)', () => {
    const c = makeNetwork();
    c.ok('users:create', { username: 'gone', displayName: '已离职', role: 'nurse', password: 'gone-password' });
    c.ok('users:update', { userId: c.count('app_user'), active: false, version: userVersion(c, c.count('app_user')) });
    const login = c.newSession();
    const time = (username: string) => {
      const t0 = performance.now();
      const r = c.dispatch('auth:login', { username, password: 'wrong-password' }, login, NOW);
      const ms = performance.now() - t0;
      expect(!r.ok && r.error.details.key).toBe('auth.bad_credentials');
      return ms;
    };
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
    const known: number[] = [];
    const unknown: number[] = [];
    const inactive: number[] = [];
    // Interleaved, so a burst of load on the machine falls on every kind alike; 3 wrong passwords stay below the lockout.
    for (let i = 0; i < 3; i++) {
      known.push(time('admin'));
      unknown.push(time(`nobody-${i}`));
      inactive.push(time('gone'));
    }
    // Before the fix an unknown name answered ~150× faster: this bound cannot be met by skipping scrypt.
    for (const other of [unknown, inactive]) {
      const ratio = median(other) / median(known);
      expect(ratio).toBeGreaterThan(1 / 3);
      expect(ratio).toBeLessThan(3);
    }
  });
});

describe('finding 12: names made of invisible characters or carrying bidi controls are refused', { timeout: 30_000 }, () => {
  const INVISIBLE = ['\u200B', '\u200B\u200C\u200D', '\u2060\u00AD', '\u200B \u200B'];
  const BIDI = ['张\u202E伟', '\u202Aabc\u202C', '李\u2066娜\u2069', '\u2067x\u2069', '\u202Dy'];

  it('at admission, naming patient.name, and nothing is written', () => {
    const c = makeNetwork();
    const before = snapshot(c.db);
    for (const name of INVISIBLE) {
      const r = c.call('patients:admit', admission({ bedId: c.beds[0]!, wardId: c.wardId }, { name }));
      expect(!r.ok && r.error.details.issues, JSON.stringify(name)).toContainEqual({ field: 'patient.name', key: 'validation.invisible_text' });
    }
    for (const name of BIDI) {
      const r = c.call('patients:admit', admission({ bedId: c.beds[0]!, wardId: c.wardId }, { name }));
      expect(!r.ok && r.error.details.issues, JSON.stringify(name)).toContainEqual({ field: 'patient.name', key: 'validation.bidi_control' });
    }
    expect(snapshot(c.db)).toEqual(before);
    // Ordinary names, with a middle dot or a space, still pass.
    expect(c.call('patients:admit', admission({ bedId: c.beds[0]!, wardId: c.wardId }, { name: '阿依古丽·买买提' })).ok).toBe(true);
    expect(c.call('patients:admit', admission({ bedId: c.beds[1]!, wardId: c.wardId }, { name: 'Li Na' })).ok).toBe(true);
  });

  it('for user display names and usernames, and for the first administrator', () => {
    const c = makeNetwork();
    const create = (over: Record<string, string>) => c.call('users:create', { username: 'nurse.x', displayName: '护士', role: 'nurse', password: 'some-password', ...over });
    expect(issuesOf(create({ displayName: '\u200B\u200B' }))).toEqual(['VALIDATION', [{ field: 'displayName', key: 'validation.invisible_text' }]]);
    expect(issuesOf(create({ displayName: '王\u202E医生' }))).toEqual(['VALIDATION', [{ field: 'displayName', key: 'validation.bidi_control' }]]);
    const username = create({ username: '\u200B\u200B' });
    expect(!username.ok && username.error.details.issues?.map((i) => i.field)).toContain('username');
    expect(!create({ username: 'nurse\u202Ex' }).ok).toBe(true);
    const adminId = c.session.user!.id;
    expect(issuesOf(c.call('users:update', { userId: adminId, displayName: '\u2066管理员\u2069', version: userVersion(c, adminId) }))).toEqual([
      'VALIDATION',
      [{ field: 'displayName', key: 'validation.bidi_control' }],
    ]);

    const first = makeCore();
    expect(issuesOf(first.call('setup:createAdmin', { username: 'admin', displayName: '\uFEFF\u200B', password: 'correct-horse' }))).toEqual([
      'VALIDATION',
      [{ field: 'displayName', key: 'validation.invisible_text' }],
    ]);
  });

  it('in an imported case list, the row is reported with its name field', () => {
    const c = makeNetwork();
    const text = ['姓名,性别,年龄', '张伟,男,40', '\u200B\u200B,女,30', '李\u202E娜,女,30'].join('\n');
    const [header, ...rows] = parseCsv(text).rows;
    const out = c.ok<{ rows: PreviewRow[] }>('import:preview', { mapping: autoMap(header!.cells), rows, admittedAt: NOW }).rows;
    expect(out.map((r) => r.status)).toEqual(['ok', 'error', 'error']);
    expect(out[1]!.issues).toContainEqual({ field: 'name', key: 'validation.invisible_text' });
    expect(out[2]!.issues).toContainEqual({ field: 'name', key: 'validation.bidi_control' });
  });
});
