import fs from 'node:fs';
import path from 'node:path';
import { app, BrowserWindow, ipcMain, Menu, session, type WebContents } from 'electron';
import { dataDirOverride, type Core, type SessionBox } from '../core';
import { CHANNELS } from '../../shared/api';
import { AppError } from '../../shared/errors';
import { APP_ENTRY_URL, CONTENT_SECURITY_POLICY, isOwnRendererUrl, windowOptions } from './window';
import { registerAppScheme, serveRenderer } from './protocol';
import { openCore } from './host';
import { registerPrint } from './print';
import { menuTemplate } from './menu';

/**
 * The thin Electron shell: one instance, one core, windows with hardened settings, and every
 * contract channel registered on ipcMain with a sender check and a per-window session.
 */
const sessions = new Map<number, SessionBox>();
let core: Core | null = null;

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

function registerIpc(c: Core, ownUrl: string): void {
  for (const channel of CHANNELS) {
    ipcMain.handle(channel, (event, input: unknown) => {
      const frameUrl = event.senderFrame?.url ?? '';
      if (!event.senderFrame || event.senderFrame !== event.sender.mainFrame || !isOwnRendererUrl(frameUrl, ownUrl)) {
        return { ok: false, error: new AppError('FORBIDDEN', 'call from an unknown frame', { key: 'error.FORBIDDEN' }).toPayload() };
      }
      return c.invoke(channel, input, sessionFor(event.sender), new Date().toISOString());
    });
  }
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
    // A database that cannot be used is explained, and a verified backup offered; never replaced by an empty one.
    core = openCore(dataDir, nativeBinding());
    if (!core) {
      app.exit(1);
      return;
    }
    harden(ownUrl);
    Menu.setApplicationMenu(Menu.buildFromTemplate(menuTemplate({ packaged: app.isPackaged, platform: process.platform })));
    registerIpc(core, ownUrl);
    registerPrint(ownUrl);
    createWindow(ownUrl);
    void core.autoBackup(new Date().toISOString()).then((r) => {
      if (r.status === 'failed') console.error('[backup] automatic daily backup failed', r.error);
    });
    app.on('activate', () => {
      if (BrowserWindow.getAllWindows().length === 0) createWindow(ownUrl);
    });
  });
  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });
  app.on('will-quit', () => core?.close());
}

start();
