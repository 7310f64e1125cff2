import { z } from 'zod';
import type { Role } from '../domain/enums';

/**
 * Who may make a call: a list of roles, any logged-in user, or anyone (login, first-run setup).
 * Enforced in electron/core/dispatch, never only in the UI.
 */
export type Access = readonly Role[] | 'authenticated' | 'public';

/**
 * `query` runs in a read transaction and writes nothing; `command` runs in an immediate transaction
 * and must audit. `operation` is for the few calls that cannot run inside a transaction because they
 * copy, close or replace the database file (backup, restore): it runs asynchronously outside dispatch's
 * transaction, and each of its audit rows is its own transaction.
 */
export type CallKind = 'query' | 'command' | 'operation';

export interface CallDef<I extends z.ZodType = z.ZodType, O extends z.ZodType = z.ZodType, K extends CallKind = CallKind> {
  readonly kind: K;
  readonly input: I;
  readonly output: O;
  readonly access: Access;
}

export function query<I extends z.ZodType, O extends z.ZodType>(def: { input: I; output: O; access: Access }): CallDef<I, O, 'query'> {
  return { kind: 'query', ...def };
}

export function command<I extends z.ZodType, O extends z.ZodType>(def: { input: I; output: O; access: Access }): CallDef<I, O, 'command'> {
  return { kind: 'command', ...def };
}

export function operation<I extends z.ZodType, O extends z.ZodType>(def: { input: I; output: O; access: Access }): CallDef<I, O, 'operation'> {
  return { kind: 'operation', ...def };
}

export type Domain = Record<string, CallDef>;
export type Contract = Record<string, Domain>;

export type InputOf<C extends CallDef> = z.input<C['input']>;
export type ParsedInputOf<C extends CallDef> = z.output<C['input']>;
export type OutputOf<C extends CallDef> = z.output<C['output']>;

/** Every channel of a contract, `domain:verb`. */
export type ChannelOf<C extends Contract> = {
  [D in keyof C & string]: `${D}:${keyof C[D] & string}`;
}[keyof C & string];

export function channelsOf(contract: Contract): string[] {
  const out: string[] = [];
  for (const [domain, calls] of Object.entries(contract)) {
    for (const verb of Object.keys(calls)) out.push(`${domain}:${verb}`);
  }
  return out;
}

export function lookupCall(contract: Contract, channel: string): CallDef | undefined {
  const [domain, verb, ...rest] = channel.split(':');
  if (!domain || !verb || rest.length > 0) return undefined;
  if (!Object.prototype.hasOwnProperty.call(contract, domain)) return undefined;
  const calls = contract[domain];
  if (!calls || !Object.prototype.hasOwnProperty.call(calls, verb)) return undefined;
  return calls[verb];
}
