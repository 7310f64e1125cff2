import fs from 'node:fs';
import path from 'node:path';
import { app, BrowserWindow, dialog, ipcMain, Menu, safeStorage, session, webContents, type WebContents } from 'electron';
import { dataDirOverride, type Core, type KeyProvider, type SessionBox } from '../core';
import { CHANNELS } from '../../shared/api';
import { AppError } from '../../shared/errors';
import { APP_ENTRY_URL, CONTENT_SECURITY_POLICY, isOwnRendererUrl, windowOptions } from './window';
import { registerAppScheme, serveRenderer } from './protocol';
import { openCore } from './host';
import { registerPrint } from './print';
import { menuTemplate } from './menu';
import { readStartMode, type StartMode } from './network/config';
import { createForwarder, type Forwarder } from './network/forward';
import { CHANGES_CHANNEL, relayLocalChanges } from './changes';
import { networkHandlers } from './network/bridge';
import { notifyCertificateChanged, registerNetwork } from './network/ipc';
import { translate } from '../../shared/i18n';
import { safeStorageKeyProvider } from './keys';
import { lockedRecordInvoke } from './locked';

/**
 * The thin Electron shell: one instance, one core, windows with hardened settings, and every
 * contract channel registered on ipcMain with a sender check and a per-window session. In connected
 * mode (network.json, electron/main/network/) there is no local core: each window's calls are
 * forwarded to the Echelon server over its own pinned connection and session.
 */
const sessions = new Map<number, SessionBox>();
let core: Core | null = null;
let forwarder: Forwarder | null = null;

function rendererUrl(): string {
  const dev = process.env.ELECTRON_RENDERER_URL;
  if (!app.isPackaged && dev) return dev;
  return APP_ENTRY_URL;
}

/** better-sqlite3 built for Electron's ABI, kept apart from the Node build that tests use (TOOLCHAIN.md). */
function nativeBinding(): string | undefined {
  const candidates = app.isPackaged
    ? [path.join(process.resourcesPath, 'native', 'better_sqlite3.node')]
    : [path.join(app.getAppPath(), 'build', 'electron-native', 'better_sqlite3.node')];
  return candidates.find((p) => fs.existsSync(p));
}

function sessionFor(contents: WebContents): SessionBox {
  let box = sessions.get(contents.id);
  if (!box) {
    box = { user: null };
    sessions.set(contents.id, box);
    contents.once('destroyed', () => sessions.delete(contents.id));
  }
  return box;
}

type Invoke = (contents: WebContents, channel: string, input: unknown) => unknown;

const localInvoke =
  (c: Core): Invoke =>
  (contents, channel, input) =>
    c.invoke(channel, input, sessionFor(contents), new Date().toISOString());

/** Connected mode: the window's own client; when the window goes, its session is logged out on the server. */
function forwardInvoke(f: Forwarder): Invoke {
  const tracked = new Set<number>();
  return (contents, channel, input) => {
    const id = contents.id;
    if (!tracked.has(id)) {
      tracked.add(id);
      contents.once('destroyed', () => {
        tracked.delete(id);
        void f.closeWindow(id);
      });
    }
    return f.call(id, channel, input);
  };
}

/** A change message to one window (the preload validates nothing: the renderer checks it against the contract's schema). */
function sendChange(windowId: number, message: unknown): void {
  const contents = webContents.fromId(windowId);
  if (contents && !contents.isDestroyed()) contents.send(CHANGES_CHANNEL, message);
}

function registerIpc(invoke: Invoke, ownUrl: string): void {
  for (const channel of CHANNELS) {
    ipcMain.handle(channel, (event, input: unknown) => {
      const frameUrl = event.senderFrame?.url ?? '';
      if (!event.senderFrame || event.senderFrame !== event.sender.mainFrame || !isOwnRendererUrl(frameUrl, ownUrl)) {
        return { ok: false, error: new AppError('FORBIDDEN', 'call from an unknown frame', { key: 'error.FORBIDDEN' }).toPayload() };
      }
      return invoke(event.sender, channel, input);
    });
  }
}

/** Both languages: these refusals come before any window, so before the user could choose one. */
function showStartupError(titleKey: string, err: unknown, fallbackKey: string): void {
  const e = err instanceof AppError ? err : new AppError('STORAGE', String(err), { key: fallbackKey });
  const key = e.details.key ?? fallbackKey;
  dialog.showErrorBox(translate('zh-CN', titleKey), `${translate('zh-CN', key, e.details.params)}\n\n${translate('en', key, e.details.params)}`);
}

/** The OS credential store as the key-encryption key; null (after saying why) when it cannot hold one: never a plaintext fallback. */
function desktopKeyProvider(): KeyProvider | null {
  try {
    return safeStorageKeyProvider(safeStorage);
  } catch (err) {
    showStartupError('recovery.title', err, 'security.kek_unavailable');
    return null;
  }
}

/** network.json, read before anything opens: an invalid file stops the app with its reason, never a silent standalone start. */
function startMode(dataDir: string): StartMode | null {
  try {
    return readStartMode(dataDir);
  } catch (err) {
    const e = err instanceof AppError ? err : new AppError('STORAGE', String(err), { key: 'desktop.config_invalid', params: { file: dataDir, reason: String(err) } });
    showStartupError('desktop.config_invalid_title', e, 'desktop.config_invalid');
    return null;
  }
}

/** The local core's calls, and its change notices to the windows. */
function runCore(c: Core): Invoke {
  core = c;
  relayLocalChanges(c, () => sessions.entries(), sendChange);
  return localInvoke(c);
}

/** After the window is on its way: the copy can take seconds on a full record. */
function dailyBackup(c: Core | null): void {
  void c?.autoBackup(new Date().toISOString()).then((r) => {
    if (r.status === 'failed') console.error('[backup] automatic daily backup failed', r.error);
  });
}

/**
 * Standalone: the record on this computer under the OS credential store's key. A database that cannot
 * be used is explained, and a verified backup offered; never replaced by an empty one. A record this
 * workstation holds no key for (a reinstalled OS, a moved drive) opens no core yet: the window asks for
 * the recovery passphrase, and once it unlocks the record the core opens and `swap` hands its calls on.
 * Null when the app should quit.
 */
function startStandalone(dataDir: string, swap: (invoke: Invoke) => void): Invoke | null {
  const keyProvider = desktopKeyProvider();
  if (!keyProvider) return null;
  const binding = nativeBinding();
  const opened = openCore(dataDir, binding, keyProvider);
  if (!opened) return null;
  if (!('keyMissing' in opened)) return runCore(opened);
  const locked = lockedRecordInvoke({
    dataDir,
    keyProvider,
    ...(binding ? { nativeBinding: binding } : {}),
    refusal: opened.keyMissing.toPayload(),
    onUnlocked: () => {
      const reopened = openCore(dataDir, binding, keyProvider);
      if (!reopened || 'keyMissing' in reopened) {
        app.exit(1);
        return;
      }
      swap(runCore(reopened));
      dailyBackup(reopened);
    },
  });
  return (_contents, channel, input) => locked(channel, input, new Date().toISOString());
}

function harden(ownUrl: string): void {
  session.defaultSession.setPermissionRequestHandler((_wc, _permission, callback) => callback(false));
  session.defaultSession.setPermissionCheckHandler(() => false);
  session.defaultSession.webRequest.onHeadersReceived((details, callback) => {
    callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [CONTENT_SECURITY_POLICY] } });
  });
  app.on('web-contents-created', (_event, contents) => {
    contents.on('will-attach-webview', (e) => e.preventDefault());
    contents.on('will-navigate', (e, url) => {
      if (!isOwnRendererUrl(url, ownUrl)) e.preventDefault();
    });
    contents.on('will-redirect', (e, url) => {
      if (!isOwnRendererUrl(url, ownUrl)) e.preventDefault();
    });
    contents.setWindowOpenHandler(() => ({ action: 'deny' }));
  });
}

function createWindow(ownUrl: string): void {
  const win = new BrowserWindow(windowOptions(path.join(__dirname, '../preload'), { packaged: app.isPackaged }));
  win.once('ready-to-show', () => win.show());
  void win.loadURL(ownUrl);
}

function start(): void {
  if (!app.requestSingleInstanceLock()) {
    app.quit();
    return;
  }
  app.on('second-instance', () => {
    const win = BrowserWindow.getAllWindows()[0];
    if (win) {
      if (win.isMinimized()) win.restore();
      win.focus();
    }
  });
  app.enableSandbox();
  registerAppScheme();
  void app.whenReady().then(() => {
    const ownUrl = rendererUrl();
    serveRenderer(path.join(__dirname, '../renderer'));
    const dataDir = dataDirOverride(process.argv, process.env) ?? app.getPath('userData');
    const mode = startMode(dataDir);
    if (!mode) {
      app.exit(1);
      return;
    }
    let invoke: Invoke;
    if (mode.mode === 'connected') {
      forwarder = createForwarder(mode.config, {
        onCertificateChanged: (windowId) => notifyCertificateChanged(windowId),
        onChange: (windowId, message) => sendChange(windowId, message),
      });
      invoke = forwardInvoke(forwarder);
    } else {
      const standalone = startStandalone(dataDir, (next) => {
        invoke = next;
      });
      if (!standalone) {
        app.exit(1);
        return;
      }
      invoke = standalone;
    }
    harden(ownUrl);
    Menu.setApplicationMenu(Menu.buildFromTemplate(menuTemplate({ packaged: app.isPackaged, platform: process.platform })));
    // Through the variable: a record unlocked by its passphrase swaps the locked answers for the core's.
    registerIpc((contents, channel, input) => invoke(contents, channel, input), ownUrl);
    const localNeedsSetup = () => {
      const r = core?.dispatch('setup:status', {}, { user: null }, new Date().toISOString());
      return !!r && r.ok && (r.value as { needsSetup: boolean }).needsSetup;
    };
    registerNetwork(networkHandlers({ dataDir, start: mode, localNeedsSetup, ...(forwarder ? { forwarder } : {}) }), ownUrl, () => {
      core?.close();
      core = null;
    });
    registerPrint(ownUrl);
    createWindow(ownUrl);
    dailyBackup(core);
    app.on('activate', () => {
      if (BrowserWindow.getAllWindows().length === 0) createWindow(ownUrl);
    });
  });
  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });
  app.on('will-quit', (event) => {
    core?.close();
    core = null;
    // Connected: each window's session is logged out on the server before the app goes (at most 2 s).
    const f = forwarder;
    if (!f) return;
    forwarder = null;
    event.preventDefault();
    void Promise.race([f.close(), new Promise((resolve) => setTimeout(resolve, 2_000))]).finally(() => app.quit());
  });
}

start();
