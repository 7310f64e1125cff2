import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { verifyAuditChain } from '../../../electron/core/audit/audit';
import { CHANNELS, contract, lookupCall } from '../../../shared/api';
import { addUser, admission, makeNetwork, type TestCore } from '../../support/core';
import { ROLES } from '../../../shared/domain/enums';
import type { SessionUser } from '../../../shared/api/auth';
import { snapshot } from './support';
import { fieldNames } from '../../support/contract';
import { settingsVersion } from '../../support/versions';

/** Text meant to break things: SQL, markup, control and bidi characters, lone surrogates, CSV formulas. */
const NASTY = [
  "'; DROP TABLE patient; --",
  "' OR 1=1 --",
  '" OR ""="',
  '1); DELETE FROM audit; --',
  'x\u0000y',
  '\u202Eevil\u202C',
  '\uD800',
  '=HYPERLINK("http://x")',
  '<script>alert(1)</script>',
  '../../../../etc/passwd',
  '🧪👩‍⚕️🏥',
  '张伟\n李娜\r\n',
  ' ',
  '',
];
const HUGE = ['x'.repeat(2_000_000), '病'.repeat(300_000)];
const PROTO_KEYS = ['__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty', '__defineGetter__'];

const leaf = fc.oneof(
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.constantFrom(...NASTY),
  fc.constantFrom(...HUGE),
  fc.constantFrom(-1, 0, 2 ** 31, Number.MAX_SAFE_INTEGER + 2, 1e308, -0),
);
const value = fc.oneof({ maxDepth: 2 }, leaf, fc.array(leaf, { maxLength: 4 }), fc.dictionary(fc.constantFrom(...PROTO_KEYS, 'name', 'id'), leaf, { maxKeys: 3 }));

/** Inputs that reach dispatch as IPC delivers them (JSON-like, own `__proto__` keys kept), most of them malformed. */
function inputs(keys: string[]): fc.Arbitrary<unknown> {
  const key = fc.oneof(fc.constantFrom(...PROTO_KEYS), fc.string({ maxLength: 12 }), ...(keys.length > 0 ? [fc.constantFrom(...keys)] : []));
  const object = fc.dictionary(key, value, { maxKeys: 6 }).map((o) => JSON.parse(JSON.stringify(o)) as unknown);
  const protoJson = fc
    .constantFrom('{"__proto__":{"role":"admin","isAdmin":true}}', '{"constructor":{"prototype":{"polluted":true}}}', '{"__proto__":null}')
    .map((j) => JSON.parse(j) as unknown);
  return fc.oneof(leaf, fc.array(value, { maxLength: 5 }), object, protoJson);
}

function withStaff(): TestCore & { wardId: number; beds: number[] } {
  const c = makeNetwork();
  c.ok('patients:admit', admission({ bedId: c.beds[0]!, wardId: c.wardId }));
  return c;
}

const totalChanges = (c: TestCore) => c.db.prepare('SELECT total_changes()').pluck().get() as number;

describe('IPC fuzzing: random and malformed input to every contract call', () => {
  it('is refused with VALIDATION (never INTERNAL) and changes nothing, for every call, as a role that may make it', async () => {
    const c = withStaff();
    const staff: Record<string, SessionUser> = Object.fromEntries(ROLES.map((r) => [r, r === 'admin' ? c.session.user! : addUser(c, r)]));
    const before = snapshot(c.db);
    const codes = new Map<string, number>();
    for (const channel of CHANNELS) {
      const call = lookupCall(contract, channel)!;
      const keys = fieldNames(call.input);
      const caller = typeof call.access === 'string' ? staff.admin! : staff[call.access[0]!]!;
      await fc.assert(
        fc.asyncProperty(inputs(keys), async (input) => {
          fc.pre(!call.input.safeParse(input).success);
          c.session.user = caller;
          c.session.locked = false;
          const changes = totalChanges(c);
          const r = await c.run(channel, input);
          expect(r.ok, channel).toBe(false);
          if (r.ok) return;
          codes.set(r.error.code, (codes.get(r.error.code) ?? 0) + 1);
          expect(r.error.code, `${channel} ${JSON.stringify(input)?.slice(0, 200)}`).toBe('VALIDATION');
          expect(r.error.details.issues?.length, channel).toBeGreaterThan(0);
          expect(totalChanges(c), channel).toBe(changes);
        }),
        { numRuns: 25, seed: 20220320 },
      );
    }
    expect(snapshot(c.db)).toEqual(before);
    expect(verifyAuditChain(c.db).ok).toBe(true);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(({} as Record<string, unknown>).isAdmin).toBeUndefined();
    expect([...codes.keys()]).toEqual(['VALIDATION']);
  }, 120_000);

  it('is UNAUTHENTICATED before login and FORBIDDEN for a role without the call, whatever the input', async () => {
    const c = withStaff();
    const nurse = addUser(c, 'nurse');
    const before = snapshot(c.db);
    for (const channel of CHANNELS) {
      const call = lookupCall(contract, channel)!;
      if (call.access === 'public') continue;
      const expected = (user: typeof nurse | null) => (user === null ? 'UNAUTHENTICATED' : call.access !== 'authenticated' && !call.access.includes('nurse') ? 'FORBIDDEN' : null);
      await fc.assert(
        fc.asyncProperty(inputs(fieldNames(call.input)), fc.boolean(), async (input, loggedIn) => {
          const user = loggedIn ? nurse : null;
          const want = expected(user);
          fc.pre(want !== null);
          c.session.user = user;
          const r = await c.run(channel, input);
          expect(!r.ok && r.error.code, channel).toBe(want);
        }),
        { numRuns: 10, seed: 7 },
      );
    }
    expect(snapshot(c.db)).toEqual(before);
  }, 120_000);

  it('stores hostile text in valid fields literally, never as SQL, and never fails with INTERNAL', async () => {
    const c = withStaff();
    const admin = c.session.user!;
    const tables = () => c.db.prepare(`SELECT name FROM sqlite_schema ORDER BY name`).pluck().all();
    const schema = tables();
    let i = 0;
    await fc.assert(
      fc.asyncProperty(fc.oneof(fc.constantFrom(...NASTY), fc.string({ unit: 'binary', minLength: 1, maxLength: 40 })), async (text) => {
        c.session.user = admin;
        i += 1;
        const created = c.call<{ id: number; displayName: string }>('users:create', { username: `fuzz.${i}`, displayName: text, role: 'nurse', password: 'fuzz-password' });
        if (created.ok) {
          const listed = c.ok<{ id: number; displayName: string }[]>('users:list').find((u) => u.id === created.value.id);
          expect(listed?.displayName).toBe(text.trim());
        } else {
          expect(created.error.code).toBe('VALIDATION');
        }
        const audit = c.call('audit:list', { action: text.slice(0, 64) || 'x' });
        if (!audit.ok) expect(audit.error.code).toBe('VALIDATION');
        const settings = c.call('settings:update', { timeZone: text.slice(0, 64), version: settingsVersion(c) });
        if (!settings.ok) expect(settings.error.code).toBe('VALIDATION');
      }),
      { numRuns: 25, seed: 42 },
    );
    expect(tables()).toEqual(schema);
    expect(verifyAuditChain(c.db).ok).toBe(true);
    expect(c.count('patient')).toBe(1);
  }, 60_000);
});
