import { ChangeMessageSchema, type ChangeMessage } from '../../../shared/api/changes';
import { networkMode } from './api';
import { reportUnreachable } from './transport';

declare global {
  interface Window {
    /** Set by the desktop app's preload (and the test harness): the change messages main relays. Absent in a browser. */
    echelonChanges?: { subscribe(listener: (message: unknown) => void): () => void };
  }
}

export type NoticeMessage = Extract<ChangeMessage, { type: 'notice' }>;

const noticeListeners = new Set<(m: NoticeMessage) => void>();
const resyncListeners = new Set<() => void>();
const stateListeners = new Set<(live: boolean) => void>();
let live = false;

/** Told of every change notice this workstation hears (shared/api/changes.ts), validated. */
export function onNotice(listener: (m: NoticeMessage) => void): () => void {
  noticeListeners.add(listener);
  return () => void noticeListeners.delete(listener);
}

/** Told when notices may have been missed (a new or re-opened socket): whatever is shown must be read again. */
export function onResync(listener: () => void): () => void {
  resyncListeners.add(listener);
  return () => void resyncListeners.delete(listener);
}

/** Whether notices arrive now; while not, the window's own writes refresh everything (QueryProvider). */
export function isLive(): boolean {
  return live;
}

export function onLiveState(listener: (live: boolean) => void): () => void {
  stateListeners.add(listener);
  return () => void stateListeners.delete(listener);
}

function setLive(next: boolean): void {
  if (next === live) return;
  live = next;
  for (const l of [...stateListeners]) l(next);
}

/** A message from main or the server; anything that is not a valid one is dropped (it crossed a network). */
function receive(raw: unknown): void {
  const parsed = ChangeMessageSchema.safeParse(raw);
  if (!parsed.success) return;
  const m = parsed.data;
  if (m.type === 'hello') {
    // Only a server greets: from now on this window shows the state of its link.
    remote = true;
    setLink(true);
    for (const l of [...resyncListeners]) l();
    return;
  }
  if (m.type === 'link') {
    remote = true;
    setLink(m.up);
    return;
  }
  setLink(true);
  for (const l of [...noticeListeners]) l(m);
}

/** A desktop app connected to a server: whether its change socket is up, and since when the screen is unconfirmed. */
let remote = false;
let linkUp = true;
let lastConfirmed = Date.now();
const linkListeners = new Set<() => void>();

function setLink(up: boolean): void {
  if (up) lastConfirmed = Date.now();
  if (remote) setLive(up);
  if (up === linkUp) return;
  linkUp = up;
  for (const l of [...linkListeners]) l();
}

/** The desktop's link to the server, for the header (components/ConnectionStatus); `remote` false when standalone. */
export function desktopLink(): { remote: boolean; up: boolean; confirmedAt: number } {
  return { remote, up: linkUp, confirmedAt: lastConfirmed };
}

export function onDesktopLink(listener: () => void): () => void {
  linkListeners.add(listener);
  return () => void linkListeners.delete(listener);
}

const REOPEN_MS = 3_000;

/**
 * Starts hearing change notices for the logged-in session; returns the stop. Desktop (and the test
 * harness): main relays them over IPC. Browser: a WebSocket to the server's /api/changes, with the
 * session cookie; a dropped socket marks the connection offline (the header then says since when the
 * screen is unconfirmed) and is opened again every few seconds; the server's greeting on each open
 * makes every shown read refetch, since notices may have been missed meanwhile.
 */
export function startLive(): () => void {
  const bridge = window.echelonChanges;
  if (bridge) {
    const stop = bridge.subscribe(receive);
    setLive(true);
    return () => {
      stop();
      setLive(false);
    };
  }
  if (!networkMode) return () => undefined;
  let stopped = false;
  let socket: WebSocket | null = null;
  let timer: ReturnType<typeof setTimeout> | null = null;
  const open = () => {
    timer = null;
    if (stopped) return;
    socket = new WebSocket(`${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/api/changes`);
    socket.onopen = () => setLive(true);
    socket.onmessage = (e: MessageEvent) => {
      try {
        receive(JSON.parse(String(e.data)));
      } catch {
        // Not JSON: not a notice.
      }
    };
    socket.onclose = (e: CloseEvent) => {
      socket = null;
      setLive(false);
      // 4401: the session is over; the next call finds out and the login screen follows.
      if (stopped || e.code === 4401) return;
      reportUnreachable();
      timer = setTimeout(open, REOPEN_MS);
    };
  };
  open();
  return () => {
    stopped = true;
    if (timer) clearTimeout(timer);
    socket?.close();
    setLive(false);
  };
}
