import type { FastifyInstance, FastifyRequest } from 'fastify';
import fastifyWebsocket from '@fastify/websocket';
import type { WebSocket } from 'ws';
import { deliver, scopeMayHaveChanged, wardScopeOf, type Core } from '../core';
import type { ChangeMessage } from '../../shared/api/changes';
import type { SessionTable } from './sessions';

/** Close codes a client acts on: log in again, or just reconnect later. */
export const CLOSE_SESSION_OVER = 4401;
export const CLOSE_SHUTTING_DOWN = 1001;

export interface ChangeSocketOptions {
  core: Core;
  sessions: SessionTable;
  tokenOf: (req: FastifyRequest) => string | null;
  clock: () => number;
  /** Ping every so often, so a workstation that vanished (Wi-Fi gone, lid shut) is dropped. Default 25 s. */
  pingMs?: number;
}

interface Listener {
  socket: WebSocket;
  token: string;
  /** The user's wards, read once and again after any change of accounts (a new ward assignment). */
  wards: 'all' | ReadonlySet<number> | null;
  alive: boolean;
}

/**
 * `GET /api/changes` (WebSocket): every notice the core raises (shared/api/changes.ts) goes to each
 * logged-in workstation whose ward scope it concerns, as it commits. The session is the same token as
 * the calls (cookie or bearer); when it ends, the socket closes with 4401. Clients send nothing but
 * pongs: a message from one is ignored.
 */
export async function registerChangeSockets(app: FastifyInstance, options: ChangeSocketOptions) {
  const { core, sessions, clock } = options;
  await app.register(fastifyWebsocket, { options: { maxPayload: 1024 } });
  const listeners = new Set<Listener>();

  app.get('/api/changes', { websocket: true }, (socket, req) => {
    const token = options.tokenOf(req);
    const found = sessions.peek(token, clock());
    if (token === null || found.state !== 'live' || !found.box.user) {
      socket.close(CLOSE_SESSION_OVER, 'not logged in');
      return;
    }
    const l: Listener = { socket, token, wards: null, alive: true };
    listeners.add(l);
    socket.on('pong', () => (l.alive = true));
    socket.on('close', () => listeners.delete(l));
    socket.on('error', () => listeners.delete(l));
    socket.send(JSON.stringify({ type: 'hello', stream: core.changes.stream } satisfies ChangeMessage));
  });

  const unsubscribe = core.changes.subscribe((notice, origin) => {
    const now = clock();
    for (const l of listeners) {
      const found = sessions.peek(l.token, now);
      const box = found.state === 'live' ? found.box : null;
      const user = box?.user ?? null;
      if (!box || !user) {
        listeners.delete(l);
        l.socket.close(CLOSE_SESSION_OVER, 'the session has ended');
        continue;
      }
      if (l.wards === null || scopeMayHaveChanged(notice)) l.wards = wardScopeOf(core.db, user);
      const message = deliver(notice, origin, { box, user, wards: l.wards });
      if (message) l.socket.send(JSON.stringify(message));
    }
  });

  const ping = setInterval(() => {
    for (const l of listeners) {
      if (!l.alive) {
        listeners.delete(l);
        l.socket.terminate();
        continue;
      }
      l.alive = false;
      l.socket.ping();
    }
  }, options.pingMs ?? 25_000);
  ping.unref();

  return {
    /** How many workstations listen now. */
    get size() {
      return listeners.size;
    },
    close() {
      clearInterval(ping);
      unsubscribe();
      for (const l of listeners) l.socket.close(CLOSE_SHUTTING_DOWN, 'the server is stopping');
      listeners.clear();
    },
  };
}
