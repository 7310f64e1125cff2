import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyAuditChain } from '../../../electron/core/audit/audit';
import { makeNetwork, makeCore } from '../../support/core';
import { bundleChild, removeBundle, runChild } from './support';

const KILLS = 20;

let bundle: string;
beforeAll(() => {
  bundle = bundleChild();
});
afterAll(() => removeBundle(bundle));

/** One database, `kills` children in turn, each killed at a random moment while admitting patients. */
async function killStream(kills: number) {
  // One ward with enough free beds for every admission the children will make.
  const net = makeNetwork();
  const bedInsert = net.db.prepare('INSERT INTO bed (ward_id, label, sort) VALUES (?, ?, ?)');
  net.db.transaction(() => {
    for (let i = 0; i < 4000; i++) bedInsert.run(net.wardId, `S-${i}`, 100 + i);
  })();
  const dir = net.dir;
  net.close();

  /** Acknowledged admissions: patient id → the unique name the child gave. */
  const acked = new Map<number, string>();
  const perRun: number[] = [];
  for (let k = 0; k < kills; k++) {
    const before = acked.size;
    const child = runChild(bundle, ['write', dir, 'admin'], (line) => {
      const m = /^ack (\d+) (.+)$/.exec(line);
      if (m) acked.set(Number(m[1]), m[2]!);
    });
    const ready = await child.waitFor(/^(ready|refused|error)/);
    expect(ready, child.lines.join('\n')).toMatch(/^ready /);
    // Every admission acknowledged before this start is there: the reopen after each kill recovered it.
    expect(Number(ready.slice(6))).toBeGreaterThanOrEqual(before);
    // Kill in the middle of the stream: once writes are flowing, after a random stretch; often mid-transaction,
    // sometimes between a commit and its acknowledgement. (Waiting for the first one keeps a slow machine honest.)
    await child.waitFor(/^ack /);
    await new Promise((r) => setTimeout(r, Math.floor(Math.random() * 150)));
    child.kill();
    const exit = await child.exit;
    expect(exit.signal, child.lines.slice(-3).join('\n')).toBe('SIGKILL');
    perRun.push(acked.size - before);
  }

  const c = makeCore(dir);
  // Killed: no clean-shutdown mark, so start-up ran quick_check before anything else.
  expect(c.startupCheck).toBe('quick_check');
  expect(c.db.pragma('integrity_check', { simple: true })).toBe('ok');
  expect(c.db.pragma('foreign_key_check')).toEqual([]);
  const present = new Map((c.db.prepare('SELECT id, name FROM patient').all() as { id: number; name: string }[]).map((r) => [r.id, r.name]));
  const lost = [...acked].filter(([id, name]) => present.get(id) !== name);
  const committedUnacked = [...present.keys()].filter((id) => !acked.has(id)).length;

  // No partial admission: each patient has its episode, its open placement in an occupied bed, and its audit rows.
  const partial = c.db
    .prepare(
      `SELECT count(*) FROM patient p
       WHERE NOT EXISTS (SELECT 1 FROM episode e JOIN placement pl ON pl.episode_id = e.id AND pl.end_at IS NULL
                         JOIN bed b ON b.id = pl.bed_id AND b.state = 'occupied' WHERE e.patient_id = p.id)
          OR NOT EXISTS (SELECT 1 FROM audit a WHERE a.action = 'patient.create' AND a.patient_id = p.id)
          OR NOT EXISTS (SELECT 1 FROM audit a WHERE a.action = 'episode.admit' AND a.patient_id = p.id)
          OR NOT EXISTS (SELECT 1 FROM audit a WHERE a.action = 'bed.state' AND a.patient_id = p.id)`,
    )
    .pluck()
    .get();
  expect(partial).toBe(0);
  expect(c.count('episode')).toBe(present.size);
  expect(c.db.prepare(`SELECT count(*) FROM bed WHERE state = 'occupied'`).pluck().get()).toBe(present.size);
  expect(c.db.prepare(`SELECT count(*) FROM audit WHERE action = 'patient.create'`).pluck().get()).toBe(present.size);
  expect(verifyAuditChain(c.db).ok).toBe(true);
  c.close();
  return { kills, acked: acked.size, lost, committedUnacked, rows: present.size, perRun };
}

describe('kill -9 in the middle of a stream of writes', () => {
  it(`loses no acknowledged admission over ${KILLS} kills, leaves no half admission, and the file stays intact`, async () => {
    // Two databases side by side, half the kills each: the same test in half the time on two cores.
    const streams = await Promise.all([killStream(KILLS / 2), killStream(KILLS / 2)]);
    const total = (k: 'kills' | 'acked' | 'committedUnacked' | 'rows') => streams.reduce((n, s) => n + s[k], 0);
    const lost = streams.flatMap((s) => s.lost);
    console.log(
      `[kill -9] kills: ${total('kills')}, acknowledged writes: ${total('acked')} (per run ${streams.map((s) => s.perRun.join(' ')).join(' | ')}), ` +
        `lost acknowledged writes: ${lost.length}, committed but killed before the acknowledgement: ${total('committedUnacked')}, ` +
        `patients after: ${total('rows')}; integrity_check ok, no partial admission, audit chain verifies`,
    );
    expect(lost).toEqual([]);
    expect(total('kills')).toBe(KILLS);
    expect(total('acked')).toBeGreaterThan(KILLS);
  }, 120_000);
});
