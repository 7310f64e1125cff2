import { randomBytes } from 'node:crypto';
import type { SessionBox } from '../core';

export interface SessionLimits {
  /** A token ends this long after its login, whatever happens (a shift). */
  absoluteMs: number;
  /** …and when no call has used it for this long. The app's idle lock (settings) still locks the screen much sooner. */
  idleMs: number;
  /** At most this many live tokens; past it the least recently used one ends. */
  max: number;
}

export const DEFAULT_SESSION_LIMITS: SessionLimits = { absoluteMs: 12 * 60 * 60 * 1000, idleMs: 4 * 60 * 60 * 1000, max: 10_000 };

interface Entry {
  box: SessionBox;
  createdAt: number;
  lastSeen: number;
}

export type Lookup = { state: 'none' } | { state: 'unknown' } | { state: 'expired' } | { state: 'live'; box: SessionBox };

/** 256 random bits, URL-safe: what a workstation holds in memory, or a browser in its HttpOnly cookie. */
export function newToken(): string {
  return randomBytes(32).toString('base64url');
}

/**
 * The server's sessions: token → the core's SessionBox, held only in memory (a restart logs every
 * workstation out). What a session may do is still decided by the core on every call (lock, account
 * epoch, deactivation, restore); this table adds what only the network has: the token and its expiry.
 */
export class SessionTable {
  private readonly entries = new Map<string, Entry>();

  constructor(private readonly limits: SessionLimits = DEFAULT_SESSION_LIMITS) {}

  get size(): number {
    return this.entries.size;
  }

  /** As `lookup`, without counting as activity: a change-notice socket must not keep an idle session alive. */
  peek(token: string | null, nowMs: number): Lookup {
    return this.find(token, nowMs, false);
  }

  lookup(token: string | null, nowMs: number): Lookup {
    return this.find(token, nowMs, true);
  }

  private find(token: string | null, nowMs: number, active: boolean): Lookup {
    if (token === null) return { state: 'none' };
    const e = this.entries.get(token);
    if (!e) return { state: 'unknown' };
    if (nowMs - e.createdAt >= this.limits.absoluteMs || nowMs - e.lastSeen >= this.limits.idleMs) {
      this.entries.delete(token);
      return { state: 'expired' };
    }
    if (active) e.lastSeen = nowMs;
    return { state: 'live', box: e.box };
  }

  /** A new token for a session that just logged in. */
  issue(box: SessionBox, nowMs: number): string {
    if (this.entries.size >= this.limits.max) this.evict(nowMs);
    const token = newToken();
    this.entries.set(token, { box, createdAt: nowMs, lastSeen: nowMs });
    return token;
  }

  end(token: string): void {
    this.entries.delete(token);
  }

  /** Every workstation logs in again (a restore). */
  endAll(): void {
    this.entries.clear();
  }

  private evict(nowMs: number): void {
    let oldest: [string, number] | null = null;
    for (const [token, e] of this.entries) {
      if (nowMs - e.createdAt >= this.limits.absoluteMs || nowMs - e.lastSeen >= this.limits.idleMs) this.entries.delete(token);
      else if (!oldest || e.lastSeen < oldest[1]) oldest = [token, e.lastSeen];
    }
    if (this.entries.size >= this.limits.max && oldest) this.entries.delete(oldest[0]);
  }
}

export interface AttemptLimits {
  /** Failed password attempts allowed from one address within the window… */
  failures: number;
  windowMs: number;
  /** …and how many addresses are tracked at most (the oldest are forgotten first). */
  maxAddresses: number;
}

export const DEFAULT_ATTEMPT_LIMITS: AttemptLimits = { failures: 20, windowMs: 5 * 60 * 1000, maxAddresses: 10_000 };

/**
 * Failed logins per client address, on top of the core's lockout per account (5 wrong passwords): one
 * address trying many accounts is stopped here. A sliding window of failure times per address.
 */
export class AttemptLimiter {
  private readonly failures = new Map<string, number[]>();

  constructor(private readonly limits: AttemptLimits = DEFAULT_ATTEMPT_LIMITS) {}

  /** Seconds until the address may try again, or 0 when it may try now. */
  retryAfter(address: string, nowMs: number): number {
    const times = this.recent(address, nowMs);
    if (times.length < this.limits.failures) return 0;
    return Math.max(1, Math.ceil((times[0]! + this.limits.windowMs - nowMs) / 1000));
  }

  fail(address: string, nowMs: number): void {
    const times = this.recent(address, nowMs);
    times.push(nowMs);
    this.failures.delete(address);
    this.failures.set(address, times);
    if (this.failures.size > this.limits.maxAddresses) {
      const first = this.failures.keys().next().value;
      if (first !== undefined) this.failures.delete(first);
    }
  }

  private recent(address: string, nowMs: number): number[] {
    const times = (this.failures.get(address) ?? []).filter((t) => nowMs - t < this.limits.windowMs);
    if (times.length === 0) this.failures.delete(address);
    else this.failures.set(address, times);
    return times;
  }
}
