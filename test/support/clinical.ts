import type { Role } from '../../shared/domain/enums';
import { admission, makeNetwork, NOW, type TestCore } from './core';

export type Network = ReturnType<typeof makeNetwork>;

/** Adds a user of `role` to the database and makes the test's session that user. */
export function actAs(c: TestCore, username: string, role: Role, displayName = username): number {
  const existing = c.db.prepare('SELECT id FROM app_user WHERE username = ?').get(username) as { id: number } | undefined;
  const id =
    existing?.id ??
    Number(
      c.db.prepare(`INSERT INTO app_user (username, display_name, role, password_hash, created_at) VALUES (?, ?, ?, 'x', ?)`).run(username, displayName, role, NOW).lastInsertRowid,
    );
  c.session.user = { id, username, displayName, role };
  return id;
}

/** An admitted patient (admitted by the administrator at 10:00 Shanghai on 2022-03-20) in the designated ward's first bed. */
export function admitted(c: Network, patient: Record<string, unknown> = {}, bed = 0): { episodeId: number; patientId: number } {
  const before = c.session.user;
  actAs(c, 'admin', 'admin');
  const r = c.ok<{ episodeId: number; patientId: number }>('patients:admit', admission({ wardId: c.wardId, bedId: c.beds[bed]! }, patient));
  c.session.user = before;
  return r;
}

/** Minutes after 10:00 Shanghai (02:00Z) on 2022-03-20, as an instant. */
export function at(minutes: number): string {
  return new Date(Date.parse('2022-03-20T02:00:00.000Z') + minutes * 60_000).toISOString();
}

export const FULL_ROUND = {
  respRate: 18,
  spo2: 97,
  onOxygen: false,
  systolicBp: 128,
  diastolicBp: 80,
  pulse: 76,
  consciousness: 'A',
  temperature: 36.8,
  symptoms: ['cough'],
} as const;
