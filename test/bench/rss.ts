/** The core alone in this process on the bench database: RSS after the board, the queue and the daily report. */
import { createCore } from '../../electron/core';
import { DEMO_PASSWORD } from '../../electron/core/demo/generate';
import { NOW } from './scales';
import { testKeyProvider } from '../support/keys';

const core = createCore({ dataDir: process.argv[2]!, log: () => undefined, keyProvider: testKeyProvider() });
const session = { user: null };
const call = (channel: string, input: unknown) => {
  const r = core.dispatch(channel, input, session, NOW);
  if (!r.ok) throw new Error(`${channel}: ${JSON.stringify(r.error)}`);
  return r.value;
};
call('auth:login', { username: 'admin', password: DEMO_PASSWORD });
const zones = core.db.prepare(`SELECT id FROM ward ORDER BY id`).pluck().all() as number[];
for (const wardId of zones.slice(0, 20)) call('wards:board', { wardId });
call('queue:list', {});
call('reports:daily', { date: NOW.slice(0, 10) });
call('patients:search', { q: '', mode: 'list' });
core.close();
console.log(JSON.stringify({ rssMb: Math.round(process.memoryUsage().rss / 1048576) }));
