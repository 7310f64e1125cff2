import type { CallDef, Contract, InputOf, OutputOf } from './define';
import type { Result } from '../errors';

/** What the preload exposes as `window.echelon`: one function per contract call, returning the IPC envelope. */
type BridgeFn<C> = C extends CallDef ? (input: InputOf<C>) => Promise<Result<OutputOf<C>>> : never;
export type Bridge<C extends Contract> = { [D in keyof C]: { [V in keyof C[D]]: BridgeFn<C[D][V]> } };

export type Invoke = (channel: string, input: unknown) => Promise<unknown>;

/**
 * Builds `window.echelon` from the channel list and a transport. Used by the preload (transport =
 * ipcRenderer.invoke) and by the end-to-end harness (transport = a Playwright binding to the real
 * dispatch). It must stay self-contained: Playwright ships it to the page by its source text.
 */
export function buildBridge(channels: readonly string[], invoke: Invoke): Record<string, Record<string, (input: unknown) => Promise<unknown>>> {
  const bridge: Record<string, Record<string, (input: unknown) => Promise<unknown>>> = {};
  for (const channel of channels) {
    const [domain, verb] = channel.split(':') as [string, string];
    const calls = (bridge[domain] ??= {});
    calls[verb] = (input: unknown) => invoke(channel, input === undefined ? {} : input);
  }
  for (const calls of Object.values(bridge)) Object.freeze(calls);
  return Object.freeze(bridge);
}
