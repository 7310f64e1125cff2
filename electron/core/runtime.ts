import type { Db } from './db/open';
import type { CoreRuntime } from './operation';

const runtimes = new WeakMap<Db, CoreRuntime>();

/** Registered by createCore for each connection it opens, so handlers can find the data folder and the host. */
export function registerRuntime(db: Db, runtime: CoreRuntime): void {
  runtimes.set(db, runtime);
}

export function runtimeOf(db: Db): CoreRuntime {
  const r = runtimes.get(db);
  if (!r) throw new Error('this connection was not opened by createCore');
  return r;
}
