/**
 * Change notices in the server bench (DESIGN.md §8, issue 15): 50 workstations, each with its own login,
 * listen on /api/changes while one more workstation saves rounds.
 *
 * - Latency: the writer saves one round every `paceMs`, a bounded count, each on a different patient;
 *   from just before the save is sent until each listener has the notice naming that episode (this
 *   process's clock for both ends, so no clock skew). Target p95 < 1 s, over every (save, listener) pair.
 * - Fan-out: the writer saves as fast as it can (each save awaited, as a workstation does), a bounded
 *   count; notices received across all sockets per second, from the first save's send until the last
 *   notice arrives.
 *
 * Every loop is bounded by its count and by a hard deadline. Nothing here throws: a failure becomes a
 * miss naming "errors" (which fails even a --report-only run), and the writer and every socket are closed
 * before the section returns.
 */
import { EchelonClient } from '../../electron/server/client';
import { DEMO_PASSWORD } from '../../electron/core/demo/generate';
import { ChangeMessageSchema } from '../../shared/api/changes';
import { vitals } from './scales';

export interface NoticePlan {
  /** Saves timed for latency, and one every this many ms. */
  latencySaves: number;
  paceMs: number;
  /** Saves in the fan-out burst. */
  burstSaves: number;
  /** The whole section stops by this long after it starts, finished or not. */
  deadlineMs: number;
}

export const NOTICE_PLANS: Record<'full' | 'quick', NoticePlan> = {
  full: { latencySaves: 200, paceMs: 50, burstSaves: 1000, deadlineMs: 60_000 },
  quick: { latencySaves: 50, paceMs: 20, burstSaves: 200, deadlineMs: 20_000 },
};

/** p95 of commit → received on every listener (issue 15; DESIGN.md §8). */
const TARGET_P95_MS = 1000;

/** What the listeners heard during one phase: swapped for a fresh one when the next phase begins. */
interface Phase {
  /** Episode id → when its save was sent (performance.now()), for the saves being timed. */
  sent: Map<number, number>;
  latencies: number[];
  /** Notice messages received across all sockets, and when the last one came. */
  received: number;
  lastAt: number;
}

const newPhase = (): Phase => ({ sent: new Map(), latencies: [], received: 0, lastAt: 0 });

interface Ears {
  phase: Phase;
  hellos: number;
  invalid: number;
  /** Sockets that closed while the section ran (the server ended a session, or a socket broke). */
  closedEarly: number;
  /** Set once the section closes its sockets: a close after it is ours. */
  closing: boolean;
  handles: { close(): void }[];
}

/** Opens every listener's change socket; resolves once all have said hello (or throws: the caller closes what opened). */
async function listen(listeners: EchelonClient[], ears: Ears, deadline: number): Promise<void> {
  const opened = await Promise.allSettled(
    listeners.map((c) =>
      c.watchChanges({
        onMessage: (m) => {
          const at = performance.now();
          const msg = ChangeMessageSchema.safeParse(m);
          // The server sends hellos and notices only ('link' is the desktop shell's word to its windows).
          if (!msg.success || msg.data.type === 'link') ears.invalid += 1;
          else if (msg.data.type === 'hello') ears.hellos += 1;
          else {
            const p = ears.phase;
            p.received += 1;
            p.lastAt = at;
            if (msg.data.notice.channel !== 'rounds:record') return;
            for (const e of msg.data.notice.episodes) {
              const t = p.sent.get(e);
              if (t !== undefined) p.latencies.push(at - t);
            }
          }
        },
        onClose: () => {
          if (!ears.closing) ears.closedEarly += 1;
        },
      }),
    ),
  );
  for (const o of opened) if (o.status === 'fulfilled') ears.handles.push(o.value);
  const failed = opened.find((o) => o.status === 'rejected');
  if (failed) throw new Error(`a change socket did not open: ${String(failed.reason)}`);
  await until(() => ears.hellos >= listeners.length, deadline, 'the greetings');
}

/** Waits (polling every 5 ms; the times are taken on arrival, not here) until `ok()` or the deadline. */
async function until(ok: () => boolean, deadline: number, what: string): Promise<void> {
  while (!ok()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

const pct = (sorted: number[], q: number) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))] ?? 0;

interface Saves {
  ok: number;
  errors: number;
  firstError?: string;
  seconds: number;
}

/**
 * `count` saves by `writer`, the i-th on `episodeOf(i)`, each sent no earlier than `paceMs` after the
 * previous one was (0: at once); `timed` records each one's send time in the phase for matching.
 */
async function save(writer: EchelonClient, ears: Ears, count: number, episodeOf: (i: number) => number, paceMs: number, timed: boolean, deadline: number): Promise<Saves> {
  const r: Saves = { ok: 0, errors: 0, seconds: 0 };
  const start = performance.now();
  for (let i = 0; i < count && Date.now() < deadline; i++) {
    const wait = start + i * paceMs - performance.now();
    if (wait > 0) await new Promise((res) => setTimeout(res, wait));
    const episodeId = episodeOf(i);
    if (timed) ears.phase.sent.set(episodeId, performance.now());
    const saved = await writer.call('rounds:record', { episodeId, measuredAt: new Date(Date.now() - 30_000 - i).toISOString(), ...vitals(i) });
    if (saved.ok) r.ok += 1;
    else {
      r.errors += 1;
      r.firstError ??= JSON.stringify(saved.error).slice(0, 300);
      ears.phase.sent.delete(episodeId);
    }
  }
  r.seconds = (performance.now() - start) / 1000;
  return r;
}

/** The two phases on listeners that already listen; throws on a failure (the section turns it into a miss). */
async function phases(writer: EchelonClient, ears: Ears, listeners: number, episodes: number[], plan: NoticePlan, deadline: number, lines: string[], misses: string[]) {
  // Latency: each timed save on an episode of its own, so a notice names exactly one pending save.
  const timedCount = Math.min(plan.latencySaves, episodes.length);
  const paced = await save(writer, ears, timedCount, (i) => episodes[i]!, plan.paceMs, true, deadline);
  const latency = ears.phase;
  await until(() => latency.latencies.length >= paced.ok * listeners, deadline, 'the timed notices').catch(() => undefined);
  const s = [...latency.latencies].sort((a, b) => a - b);
  const p95 = pct(s, 0.95);
  const lost = paced.ok * listeners - s.length;
  const verdict = p95 < TARGET_P95_MS && s.length > 0 ? `ok (< ${TARGET_P95_MS} ms)` : `MISSED (< ${TARGET_P95_MS} ms)`;
  lines.push(`Change notices: ${listeners} workstations listening on /api/changes, one more saving rounds`);
  lines.push(
    `  ${'notice latency, save sent → heard'.padEnd(40)} ${String(s.length).padStart(6)} pairs (${paced.ok} saves every ${plan.paceMs} ms × ${listeners})  p50 ${pct(s, 0.5).toFixed(1).padStart(6)}  p95 ${p95.toFixed(1).padStart(6)}  max ${(s[s.length - 1] ?? 0).toFixed(1).padStart(6)} ms  errors ${paced.errors + Math.max(0, lost)}  ${verdict}`,
  );
  if (!(p95 < TARGET_P95_MS) || s.length === 0) misses.push(`notice latency p95 ${p95.toFixed(1)} ms`);
  if (paced.errors > 0) misses.push(`notice latency saves: ${paced.errors} errors, first ${paced.firstError}`);
  if (lost > 0) misses.push(`notice latency: ${lost} notices not heard by the deadline (errors)`);

  // Fan-out: as fast as one writer goes; the episodes after the timed ones, round and round.
  const burst = newPhase();
  ears.phase = burst;
  const t0 = performance.now();
  const fast = await save(writer, ears, plan.burstSaves, (i) => episodes[(timedCount + i) % episodes.length]!, 0, false, deadline);
  await until(() => burst.received >= fast.ok * listeners, deadline, 'the burst notices').catch(() => undefined);
  const seconds = Math.max(burst.lastAt - t0, 1) / 1000;
  const perSecond = burst.received / seconds;
  const short = fast.ok * listeners - burst.received;
  lines.push(
    `  ${'notice fan-out, one writer saving flat out'.padEnd(40)} ${perSecond.toFixed(0).padStart(6)} notices/s delivered (info: ${burst.received} notices = ${fast.ok} saves × ${listeners} sockets in ${seconds.toFixed(2)} s; writer ${(fast.ok / fast.seconds).toFixed(0)} saves/s)  errors ${fast.errors + Math.max(0, short)}`,
  );
  if (fast.errors > 0) misses.push(`notice fan-out saves: ${fast.errors} errors, first ${fast.firstError}`);
  if (short > 0) misses.push(`notice fan-out: ${short} notices not heard by the deadline (errors)`);
}

/**
 * The change-notice rows, printed into `lines` (failures into `misses`) on a server at `url` with
 * `listeners` already logged in, network-wide (a user with no ward assignment, an expert or an admin,
 * so each hears every save). The writer is one more workstation, logged in here as a nurse.
 */
export async function noticeSection(
  server: { url: string; fingerprint: string },
  listeners: EchelonClient[],
  episodes: number[],
  plan: NoticePlan,
): Promise<{ lines: string[]; misses: string[] }> {
  const lines: string[] = [];
  const misses: string[] = [];
  const deadline = Date.now() + plan.deadlineMs;
  const ears: Ears = { phase: newPhase(), hellos: 0, invalid: 0, closedEarly: 0, closing: false, handles: [] };
  const writer = new EchelonClient({ url: server.url, fingerprint: server.fingerprint, workstation: 'bench-notice-writer', timeoutMs: 30_000 });
  try {
    const login = await writer.call('auth:login', { username: 'nurse.zhang', password: DEMO_PASSWORD });
    if (!login.ok) throw new Error(`writer login: ${JSON.stringify(login.error)}`);
    await listen(listeners, ears, deadline);
    await phases(writer, ears, listeners.length, episodes, plan, deadline, lines, misses);
    if (ears.invalid > 0) misses.push(`notices: ${ears.invalid} messages that are not a hello or a notice (errors)`);
    if (ears.closedEarly > 0) misses.push(`notices: ${ears.closedEarly} sockets closed during the section (errors)`);
  } catch (err) {
    lines.push(`  change notices: failed: ${err instanceof Error ? err.message : String(err)}`);
    misses.push(`notices: errors, ${err instanceof Error ? err.message : String(err)}`);
  } finally {
    ears.closing = true;
    for (const h of ears.handles) h.close();
    writer.close();
  }
  return { lines, misses };
}
