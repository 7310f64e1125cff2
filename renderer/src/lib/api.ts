import { CHANNELS, contract, lookupCall, type AppContract, type CallDef, type InputOf, type OutputOf } from '../../../shared/api';
import { buildBridge, type Bridge } from '../../../shared/api/client';
import { httpInvoke } from './transport';
import { AppError, type Result } from '../../../shared/errors';

declare global {
  interface Window {
    /** Set by the desktop app's preload (and the test harness); absent in a browser served by the Echelon server. */
    echelon?: Bridge<AppContract>;
  }
}

/** What the core answers once this window's session is over (a password reset, role change or deactivation elsewhere). */
const SESSION_GONE: ReadonlySet<string> = new Set(['auth.session_ended', 'error.UNAUTHENTICATED', 'server.session_expired']);
const endedListeners = new Set<() => void>();

/** Calls `fn` whenever a call finds the window's session over; returns the unsubscribe. */
export function onSessionEnded(fn: () => void): () => void {
  endedListeners.add(fn);
  return () => {
    endedListeners.delete(fn);
  };
}

/** The renderer's typed client: each call resolves to its value or throws the AppError rebuilt from the envelope. */
type Fn<C> = C extends CallDef ? (input: InputOf<C>) => Promise<OutputOf<C>> : never;
export type Api = { [D in keyof AppContract]: { [V in keyof AppContract[D]]: Fn<AppContract[D][V]> } };

type Untyped = Record<string, Record<string, (input: unknown) => Promise<unknown>>>;

const committedListeners = new Set<(channel: string) => void>();

/**
 * Called after every write the core committed (a command or an operation answered ok), whichever
 * screen made it: the query cache refreshes what it shows from this one place.
 */
export function onCommitted(listener: (channel: string) => void): () => void {
  committedListeners.add(listener);
  return () => {
    committedListeners.delete(listener);
  };
}

function unwrap(bridge: Bridge<AppContract> | ReturnType<typeof buildBridge>): { api: Api; table: Untyped } {
  const api: Untyped = {};
  for (const [domain, calls] of Object.entries(bridge as unknown as Record<string, Record<string, (input: unknown) => Promise<Result<unknown>>>>)) {
    const out: Record<string, (input: unknown) => Promise<unknown>> = {};
    for (const [verb, fn] of Object.entries(calls)) {
      const channel = `${domain}:${verb}`;
      // Locking and unlocking the screen change no record: what is shown stays current.
      const writes = lookupCall(contract, channel)?.kind !== 'query' && channel !== 'auth:lock' && channel !== 'auth:unlock';
      out[verb] = async (input: unknown) => {
        const r = await fn(input);
        if (r.ok && writes) for (const l of committedListeners) l(channel);
        if (r.ok) return r.value;
        if (r.error.code === 'UNAUTHENTICATED' && SESSION_GONE.has(String(r.error.details.key))) for (const fn of endedListeners) fn();
        throw AppError.fromPayload(r.error);
      };
    }
    api[domain] = out;
  }
  return { api: api as unknown as Api, table: api };
}

/** In a browser served by the Echelon server there is no preload: the same bridge, over HTTPS. */
export const networkMode = window.echelon === undefined;

const unwrapped = unwrap(window.echelon ?? buildBridge(CHANNELS, httpInvoke));

export const api: Api = unwrapped.api;

/** The same calls by channel name (`domain:verb`), for the query cache, which keys reads by channel. */
export function invokeApi(channel: string, input: unknown): Promise<unknown> {
  const [domain, verb] = channel.split(':') as [string, string];
  const fn = unwrapped.table[domain]?.[verb];
  if (!fn) return Promise.reject(new AppError('NOT_FOUND', `unknown call ${channel}`, { key: 'error.unknown_call' }));
  return fn(input);
}
