import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createCore, type Core, type CoreOptions, type SessionBox } from '../../electron/core';
import type { Result } from '../../shared/errors';
import type { SessionUser } from '../../shared/api/auth';
import type { Role } from '../../shared/domain/enums';
import { hashPassword } from '../../electron/core/auth/password';
import { testKeyProvider } from './keys';

/** 2022-03-20 14:05 in Shanghai, inside the reference outbreak. */
export const NOW = '2022-03-20T06:05:00.000Z';

export interface TestCore extends Core {
  dir: string;
  session: SessionBox;
  /** Dispatches as the test's session, at `now` (default NOW). */
  call<T = unknown>(channel: string, input?: unknown, now?: string): Result<T>;
  /** Like call, but throws on an error result. */
  ok<T = unknown>(channel: string, input?: unknown, now?: string): T;
  /** Through invoke, as IPC does: the only way to run operations (backup, restore). */
  run<T = unknown>(channel: string, input?: unknown, now?: string): Promise<Result<T>>;
  count(table: string): number;
  reopen(): TestCore;
}

export function tempDir(prefix = 'echelon-test-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

export function makeCore(dir = tempDir(), options: Partial<CoreOptions> = {}): TestCore {
  const core = createCore({ dataDir: dir, log: () => undefined, keyProvider: testKeyProvider(), ...options });
  const session: SessionBox = { user: null };
  const tc = {
    file: core.file,
    dataDir: core.dataDir,
    dispatch: core.dispatch,
    invoke: core.invoke,
    newSession: core.newSession,
    autoBackup: core.autoBackup,
    startupCheck: core.startupCheck,
    changes: core.changes,
    close: core.close,
    dir,
    session,
    call: <T>(channel: string, input: unknown = {}, now = NOW) => core.dispatch(channel, input, session, now) as Result<T>,
    ok: <T>(channel: string, input: unknown = {}, now = NOW) => {
      const r = core.dispatch(channel, input, session, now);
      if (!r.ok) throw new Error(`${channel} failed: ${JSON.stringify(r.error)}`);
      return r.value as T;
    },
    run: <T>(channel: string, input: unknown = {}, now = NOW) => core.invoke(channel, input, session, now) as Promise<Result<T>>,
    count: (table: string) => (core.db.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n,
    reopen: () => {
      core.close();
      return makeCore(dir, options);
    },
  };
  // The connection changes after a restore: always read it from the core.
  Object.defineProperty(tc, 'db', { get: () => core.db, enumerable: true });
  Object.defineProperty(tc, 'sessionsEpoch', { get: () => core.sessionsEpoch, enumerable: true });
  return tc as TestCore;
}

/** A core with an administrator logged in and a small network: one designated ward and one fangcang zone. */
export function makeNetwork(): TestCore & { wardId: number; zoneId: number; beds: number[]; zoneBeds: number[] } {
  const c = makeCore();
  c.ok('setup:createAdmin', { username: 'admin', displayName: '管理员', password: 'correct-horse' });
  const db = c.db;
  const dh = Number(db.prepare(`INSERT INTO facility (code, name, kind) VALUES ('DH', '定点医院', 'designated')`).run().lastInsertRowid);
  const fc = Number(db.prepare(`INSERT INTO facility (code, name, kind) VALUES ('FC', '方舱医院', 'fangcang')`).run().lastInsertRowid);
  const wardId = Number(db.prepare(`INSERT INTO ward (facility_id, code, name, kind) VALUES (?, 'G1', '感染一病区', 'general')`).run(dh).lastInsertRowid);
  const zoneId = Number(db.prepare(`INSERT INTO ward (facility_id, code, name, kind) VALUES (?, 'A1', 'A1舱', 'zone')`).run(fc).lastInsertRowid);
  const bed = db.prepare(`INSERT INTO bed (ward_id, label, sort) VALUES (?, ?, ?)`);
  const beds = [1, 2, 3].map((i) => Number(bed.run(wardId, `G1-00${i}`, i).lastInsertRowid));
  const zoneBeds = [1, 2].map((i) => Number(bed.run(zoneId, `A1-00${i}`, i).lastInsertRowid));
  return Object.assign(c, { wardId, zoneId, beds, zoneBeds });
}

export function admission(over: { bedId: number; wardId: number; [k: string]: unknown }, patient: Record<string, unknown> = {}) {
  return {
    patient: { name: '张伟', sex: 'M', ageYears: 67, riskFactors: ['diabetes'], ...patient },
    admittedAt: '2022-03-20T02:00:00.000Z',
    source: 'community_screening',
    ...over,
  };
}

/**
 * A real account of the given role, created in the database (so dispatch's per-call check of the
 * account passes), optionally limited to some wards. Returns the session user; `login` puts it in the
 * test's session.
 */
export function addUser(c: TestCore, role: Role, opts: { username?: string; wardIds?: number[]; login?: boolean } = {}): SessionUser {
  const username = opts.username ?? `${role.replace('_', '.')}.${c.count('app_user') + 1}`;
  const id = Number(
    c.db
      .prepare(`INSERT INTO app_user (username, display_name, role, password_hash, created_at) VALUES (?, ?, ?, ?, ?)`)
      .run(username, `${role} ${username}`, role, TEST_PASSWORD_HASH, NOW).lastInsertRowid,
  );
  for (const w of opts.wardIds ?? []) c.db.prepare('INSERT INTO user_ward (user_id, ward_id, assigned_at) VALUES (?, ?, ?)').run(id, w, NOW);
  const user: SessionUser = { id, username, displayName: `${role} ${username}`, role };
  if (opts.login) c.session.user = user;
  return user;
}

/** The scrypt hash of TEST_PASSWORD, computed once (scrypt is deliberately slow). */
export const TEST_PASSWORD = 'test-password-1';
const TEST_PASSWORD_HASH = hashPassword(TEST_PASSWORD);
