import type { AppContract, CallDef, InputOf, OutputOf } from '../../../shared/api';
import type { Bridge } from '../../../shared/api/client';
import { AppError, type Result } from '../../../shared/errors';

declare global {
  interface Window {
    echelon: Bridge<AppContract>;
  }
}

/** The renderer's typed client: each call resolves to its value or throws the AppError rebuilt from IPC. */
type Fn<C> = C extends CallDef ? (input: InputOf<C>) => Promise<OutputOf<C>> : never;
export type Api = { [D in keyof AppContract]: { [V in keyof AppContract[D]]: Fn<AppContract[D][V]> } };

function unwrap(bridge: Bridge<AppContract>): Api {
  const api: Record<string, Record<string, (input: unknown) => Promise<unknown>>> = {};
  for (const [domain, calls] of Object.entries(bridge as unknown as Record<string, Record<string, (input: unknown) => Promise<Result<unknown>>>>)) {
    const out: Record<string, (input: unknown) => Promise<unknown>> = {};
    for (const [verb, fn] of Object.entries(calls)) {
      out[verb] = async (input: unknown) => {
        const r = await fn(input);
        if (r.ok) return r.value;
        throw AppError.fromPayload(r.error);
      };
    }
    api[domain] = out;
  }
  return api as unknown as Api;
}

export const api: Api = unwrap(window.echelon);
