import path from 'node:path';
import type { BrowserWindowConstructorOptions } from 'electron';

/**
 * The renderer's window settings (DESIGN.md §6). Kept free of electron imports so a unit test can
 * assert every security setting without starting Electron. The packaged app cannot open DevTools at
 * all (not only through the menu, electron/main/menu.ts).
 */
export function windowOptions(preloadDir: string, opts: { packaged: boolean }): BrowserWindowConstructorOptions {
  return {
    width: 1440,
    height: 900,
    minWidth: 1280,
    minHeight: 720,
    show: false,
    title: 'Echelon',
    backgroundColor: '#f8f9fa',
    autoHideMenuBar: true,
    webPreferences: {
      preload: path.join(preloadDir, 'index.js'),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webviewTag: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      navigateOnDragDrop: false,
      spellcheck: false,
      safeDialogs: true,
      devTools: !opts.packaged,
    },
  };
}

/** The strict Content-Security-Policy, also set as a meta tag in renderer/index.html. */
export const CONTENT_SECURITY_POLICY =
  "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'; object-src 'none'";

/**
 * The packaged renderer is served from `app://echelon/…` rather than `file://`: the
 * grantFileProtocolExtraPrivileges fuse is off (electron-builder.yml), so a `file://` page would be
 * an ordinary browser page that may not load its own module scripts, and a custom standard, secure
 * scheme gives the page a real origin that navigation and IPC sender checks can compare.
 */
export const APP_SCHEME = 'app';
export const APP_HOST = 'echelon';
export const APP_ENTRY_URL = `${APP_SCHEME}://${APP_HOST}/index.html`;

/** True when a frame URL is our own renderer (app://echelon, the dev server, or a file page). */
export function isOwnRendererUrl(url: string, rendererUrl: string): boolean {
  try {
    const u = new URL(url);
    const own = new URL(rendererUrl);
    if (own.protocol === 'file:') return u.protocol === 'file:' && u.pathname === own.pathname;
    // Custom schemes have an opaque origin ("null") in the URL standard: compare scheme and host.
    if (own.protocol === `${APP_SCHEME}:`) return u.protocol === own.protocol && u.host === own.host;
    return u.origin === own.origin;
  } catch {
    return false;
  }
}

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
  '.ttf': 'font/ttf',
  '.json': 'application/json',
};

/**
 * The file inside `root` that an `app://echelon/…` request names, with its content type; null for
 * another scheme or host, a path that leaves `root` (`..`, encoded or not), or a malformed URL.
 */
export function rendererFileFor(url: string, root: string): { file: string; contentType: string } | null {
  let u: URL;
  try {
    u = new URL(url);
  } catch (err) {
    if (err instanceof TypeError) return null;
    throw err;
  }
  if (u.protocol !== `${APP_SCHEME}:` || u.host !== APP_HOST) return null;
  let rel: string;
  try {
    rel = decodeURIComponent(u.pathname);
  } catch (err) {
    if (err instanceof URIError) return null;
    throw err;
  }
  if (rel.includes('\0') || rel.includes('\\')) return null;
  if (rel === '' || rel.endsWith('/')) rel += 'index.html';
  const base = path.resolve(root);
  const file = path.resolve(base, `.${rel}`);
  if (!file.startsWith(base + path.sep)) return null;
  const contentType = CONTENT_TYPES[path.extname(file).toLowerCase()];
  return contentType ? { file, contentType } : null;
}
