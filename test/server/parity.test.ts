import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { verifyAuditChain } from '../../electron/core/audit/audit';
import type { EchelonClient } from '../../electron/server/client';
import { CHANNELS, contract, lookupCall } from '../../shared/api';
import { ROLES, type Role } from '../../shared/domain/enums';
import type { SessionUser } from '../../shared/api/auth';
import type { Result } from '../../shared/errors';
import { addUser, admission, makeNetwork, TEST_PASSWORD } from '../support/core';
import { snapshot } from '../core/trust/support';
import { loginAs, startServer, type Running } from './support';
import { fieldNames } from '../support/contract';

/**
 * The same outcomes over HTTP as through dispatch: the role matrix and the input fuzzer of
 * test/core/trust (roles.test.ts, fuzz.test.ts), each call made twice on the same record, once in
 * process as IPC does and once over HTTPS as a workstation does, and the two answers compared.
 */

const running: Running[] = [];
afterEach(async () => {
  for (const r of running.splice(0)) await r.stop();
});

interface Staffed {
  c: ReturnType<typeof makeNetwork>;
  run: Running;
  staff: Record<Role, SessionUser>;
  clients: Record<Role, EchelonClient>;
}

async function staffed(): Promise<Staffed> {
  const c = makeNetwork();
  c.ok('patients:admit', admission({ bedId: c.beds[0]!, wardId: c.wardId }));
  const staff = Object.fromEntries(ROLES.map((r) => [r, r === 'admin' ? c.session.user! : addUser(c, r)])) as Record<Role, SessionUser>;
  const run = await startServer(c);
  running.push(run);
  const clients = {} as Record<Role, EchelonClient>;
  for (const r of ROLES) clients[r] = await loginAs(run, staff[r].username, r === 'admin' ? 'correct-horse' : TEST_PASSWORD, `parity-${r}`);
  return { c, run, staff, clients };
}

/** What must agree: the outcome, its code and key, and the fields named. */
function outcome(r: Result<unknown>) {
  if (r.ok) return { ok: true };
  return { ok: false, code: r.error.code, key: r.error.details.key ?? null, fields: (r.error.details.issues ?? []).map((i) => `${i.field}:${i.key}`).sort() };
}

/** The input as it arrives at the server: through JSON. */
const wire = (input: unknown): unknown => (input === undefined ? {} : JSON.parse(JSON.stringify(input)));

describe('the role matrix over HTTP', { timeout: 60_000 }, () => {
  it('every role calling every call it may not make: FORBIDDEN over HTTP exactly as through dispatch, and nothing written', async () => {
    const { c, staff, clients } = await staffed();
    const before = snapshot(c.db);
    let compared = 0;
    for (const channel of CHANNELS) {
      const access = lookupCall(contract, channel)!.access;
      if (typeof access === 'string') continue;
      for (const role of ROLES.filter((r) => !access.includes(r))) {
        for (const input of [{}, admission({ bedId: c.beds[1]!, wardId: c.wardId })]) {
          c.session.user = staff[role];
          const direct = await c.run(channel, input);
          const http = await clients[role].call(channel, input);
          expect(outcome(http), `${role} → ${channel}`).toEqual(outcome(direct));
          expect(outcome(http).code, `${role} → ${channel}`).toBe('FORBIDDEN');
          compared += 1;
        }
      }
    }
    expect(compared).toBeGreaterThan(40);
    expect(snapshot(c.db)).toEqual(before);
  });

  it('ward scope holds over HTTP as through dispatch: a doctor of the fangcang zone may not admit into the designated ward', async () => {
    const { c, run } = await staffed();
    const scoped = addUser(c, 'ward_doctor', { username: 'dr.zone', wardIds: [c.zoneId] });
    const http = await loginAs(run, scoped.username, TEST_PASSWORD);
    const before = snapshot(c.db);
    const input = admission({ bedId: c.beds[1]!, wardId: c.wardId }, { name: '越权收治' });
    c.session.user = scoped;
    const direct = await c.run('patients:admit', input);
    const remote = await http.call('patients:admit', input);
    expect(outcome(remote)).toEqual(outcome(direct));
    expect(outcome(remote)).toMatchObject({ code: 'FORBIDDEN', key: 'scope.ward_forbidden', fields: ['wardId:scope.ward_forbidden'] });
    expect(snapshot(c.db)).toEqual(before);
    expect((await http.call('patients:admit', admission({ bedId: c.zoneBeds[0]!, wardId: c.zoneId }, { name: '舱内收治' }))).ok).toBe(true);
  });

  it('before login every non-public call is UNAUTHENTICATED; on a locked workstation everything but unlock and logout is refused', async () => {
    const { c, run, staff, clients } = await staffed();
    const anonymous = run.client('anonymous');
    const before = snapshot(c.db);
    c.session.user = null;
    for (const channel of CHANNELS.filter((ch) => lookupCall(contract, ch)!.access !== 'public')) {
      const direct = await c.run(channel, {});
      const http = await anonymous.call(channel, {});
      expect(outcome(http), channel).toEqual(outcome(direct));
      expect(outcome(http).code, channel).toBe('UNAUTHENTICATED');
    }
    expect(snapshot(c.db)).toEqual(before);

    expect((await clients.nurse.call('auth:lock')).ok).toBe(true);
    c.session.user = staff.nurse;
    c.ok('auth:lock');
    const locked = snapshot(c.db);
    for (const channel of CHANNELS.filter((ch) => lookupCall(contract, ch)!.access !== 'public' && ch !== 'auth:unlock' && ch !== 'auth:logout')) {
      const direct = await c.run(channel, {});
      const http = await clients.nurse.call(channel, {});
      expect(outcome(http), channel).toEqual(outcome(direct));
      expect(outcome(http).key, channel).toBe('auth.session_locked');
    }
    expect(snapshot(c.db)).toEqual(locked);
  });
});

const NASTY = [
  "'; DROP TABLE patient; --",
  '" OR ""="',
  'x\u0000y',
  '\u202Eevil\u202C',
  '\uD800',
  '=HYPERLINK("http://x")',
  '<script>alert(1)</script>',
  '🧪👩‍⚕️🏥',
  '张伟\n李娜\r\n',
  ' ',
  '',
];
const PROTO_KEYS = ['__proto__', 'constructor', 'prototype', 'toString'];

const leaf = fc.oneof(
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.constantFrom(...NASTY),
  // Past the 1 MB body limit: over HTTP the limit answers first, with the same code.
  fc.constant('病'.repeat(400_000)),
  fc.constantFrom(-1, 0, 2 ** 31, Number.MAX_SAFE_INTEGER + 2, 1e308),
);
const value = fc.oneof({ maxDepth: 2 }, leaf, fc.array(leaf, { maxLength: 4 }), fc.dictionary(fc.constantFrom(...PROTO_KEYS, 'name', 'id'), leaf, { maxKeys: 3 }));

function inputs(keys: string[]): fc.Arbitrary<unknown> {
  const key = fc.oneof(fc.constantFrom(...PROTO_KEYS), fc.string({ maxLength: 12 }), ...(keys.length > 0 ? [fc.constantFrom(...keys)] : []));
  const object = fc.dictionary(key, value, { maxKeys: 6 });
  const protoJson = fc.constantFrom('{"__proto__":{"role":"admin","isAdmin":true}}', '{"constructor":{"prototype":{"polluted":true}}}').map((j) => JSON.parse(j) as unknown);
  return fc.oneof(leaf, fc.array(value, { maxLength: 5 }), object, protoJson).map(wire);
}

describe('the input fuzzer over HTTP', () => {
  it('malformed input to every call, as a role that may make it: the same VALIDATION, naming the same fields, over HTTP as through dispatch; nothing written', async () => {
    const { c, staff, clients } = await staffed();
    const before = snapshot(c.db);
    let compared = 0;
    let limited = 0;
    for (const channel of CHANNELS) {
      const call = lookupCall(contract, channel)!;
      const role: Role = typeof call.access === 'string' ? 'admin' : call.access[0]!;
      await fc.assert(
        fc.asyncProperty(inputs(fieldNames(call.input)), async (input) => {
          fc.pre(!call.input.safeParse(input).success);
          c.session.user = staff[role];
          c.session.locked = false;
          const direct = await c.run(channel, input);
          const http = await clients[role].call(channel, input);
          expect(http.ok, channel).toBe(false);
          if (!http.ok && http.error.details.key === 'server.body_too_large') {
            limited += 1;
            expect(outcome(direct).code, channel).toBe('VALIDATION');
          } else {
            expect(outcome(http), `${channel} ${JSON.stringify(input)?.slice(0, 200)}`).toEqual(outcome(direct));
          }
          expect(outcome(http).code, channel).toBe('VALIDATION');
          compared += 1;
        }),
        { numRuns: 8, seed: 20220320 },
      );
    }
    expect(compared).toBeGreaterThan(CHANNELS.length * 4);
    expect(limited).toBeGreaterThan(0);
    expect(snapshot(c.db)).toEqual(before);
    expect(verifyAuditChain(c.db).ok).toBe(true);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(({} as Record<string, unknown>).isAdmin).toBeUndefined();
  }, 180_000);
});
