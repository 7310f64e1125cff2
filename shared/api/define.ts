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

/**
 * The kinds of record an input field can point at, for ward scope. electron/core/auth/scope.ts
 * resolves each to the wards it belongs to:
 * - `ward`, `bed`: the ward itself, the bed's ward;
 * - `episode`: the ward of its open placement, or of its last one once it has ended (a discharged
 *   patient's records stay with the ward that discharged them);
 * - `patient`: as `episode`, for the patient's latest episode;
 * - `round`, `labResult`, `imaging`, `assessment`, `discharge`, `review`: as the episode they belong to;
 * - `resultByKind`: a lab result or an imaging finding, chosen by the input's `kind`;
 * - `transferDestination`: the ward a transfer arrives in (its reserved bed's ward, else its ward);
 * - `transferEitherSide`: either end of a transfer (the sending or the receiving ward may act).
 */
export const SCOPE_ENTITIES = [
  'ward',
  'bed',
  'episode',
  'patient',
  'round',
  'labResult',
  'imaging',
  'resultByKind',
  'assessment',
  'discharge',
  'review',
  'transferDestination',
  'transferEitherSide',
] as const;
export type ScopeEntity = (typeof SCOPE_ENTITIES)[number];

/**
 * How a call finds the wards it touches (DESIGN.md §6), enforced in dispatch for ward-limited users:
 * - `{ targets: { field: entity } }`: each named top-level input field, when present, points at a
 *   record of that kind, and the user must work in its ward;
 * - `{ network: why }`: the call touches no ward's record (accounts, settings, sessions), or it reads
 *   across the network on purpose; `why` is the reviewed reason, kept beside the call.
 * Every call declares one: a new call cannot forget its ward scope.
 */
export type Scope = { readonly targets: Readonly<Record<string, ScopeEntity>> } | { readonly network: string };

/** The call acts on the records its input names: `inWardsOf({ episodeId: 'episode' })`. */
export function inWardsOf(targets: Record<string, ScopeEntity>): Scope {
  return { targets: Object.freeze({ ...targets }) };
}

/** The call is not held to a ward, for the reason given. */
export function networkWide(why: string): Scope {
  return { network: why };
}

/** The common reasons, named once. */
export const NOT_WARD_DATA = networkWide('touches no ward-owned record (sessions, accounts, settings, reference data)');
export const READS_NETWORK = networkWide('reads across the network: a ward doctor sees patients arriving from or leaving for other wards; identifiers come masked');
export const ADMIN_ONLY = networkWide('administrators work network-wide, and only administrators may make this call');

export interface CallDef<I extends z.ZodType = z.ZodType, O extends z.ZodType = z.ZodType, K extends CallKind = CallKind> {
  readonly kind: K;
  readonly input: I;
  readonly output: O;
  readonly access: Access;
  readonly scope: Scope;
}

interface CallSpec<I extends z.ZodType, O extends z.ZodType> {
  input: I;
  output: O;
  access: Access;
  scope: Scope;
}

export function query<I extends z.ZodType, O extends z.ZodType>(def: CallSpec<I, O>): CallDef<I, O, 'query'> {
  return { kind: 'query', ...def };
}

export function command<I extends z.ZodType, O extends z.ZodType>(def: CallSpec<I, O>): CallDef<I, O, 'command'> {
  return { kind: 'command', ...def };
}

export function operation<I extends z.ZodType, O extends z.ZodType>(def: CallSpec<I, O>): CallDef<I, O, 'operation'> {
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
