import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { MenuItemConstructorOptions } from 'electron';
import { APP_ENTRY_URL, CONTENT_SECURITY_POLICY, isOwnRendererUrl, rendererFileFor, windowOptions } from '../../electron/main/window';
import { DEVELOPER_ROLES, menuTemplate } from '../../electron/main/menu';

const ROOT = path.resolve(__dirname, '../..');

describe('the BrowserWindow', () => {
  const options = windowOptions('/app/out/preload', { packaged: true });
  const web = options.webPreferences!;

  it('runs the renderer isolated, sandboxed, without Node, with the web security model intact', () => {
    expect(web).toMatchObject({
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
      safeDialogs: true,
      devTools: false,
    });
    expect(web.preload).toBe(path.join('/app/out/preload', 'index.js'));
  });

  it('turns on nothing that weakens it', () => {
    const weakening = [
      'enableBlinkFeatures',
      'additionalArguments',
      'disableHtmlFullscreenWindowResize',
      'plugins',
      'enableWebSQL',
      'nodeIntegrationInSubFrames',
      'webviewTag',
      'allowRunningInsecureContent',
      'experimentalFeatures',
    ];
    for (const key of weakening) expect([undefined, false], key).toContain((web as Record<string, unknown>)[key]);
    expect(Object.keys(web).sort()).toEqual(
      [
        'allowRunningInsecureContent',
        'contextIsolation',
        'devTools',
        'experimentalFeatures',
        'navigateOnDragDrop',
        'nodeIntegration',
        'nodeIntegrationInSubFrames',
        'nodeIntegrationInWorker',
        'preload',
        'safeDialogs',
        'sandbox',
        'spellcheck',
        'webSecurity',
        'webviewTag',
      ].sort(),
    );
    expect(options.show).toBe(false);
  });

  it('has a strict Content-Security-Policy, the same in the header and in index.html', () => {
    const directives = Object.fromEntries(
      CONTENT_SECURITY_POLICY.split(';')
        .map((d) => d.trim().split(/\s+/))
        .map(([k, ...v]) => [k!, v]),
    );
    expect(directives['default-src']).toEqual(["'none'"]);
    expect(directives['script-src']).toEqual(["'self'"]);
    expect(directives['object-src']).toEqual(["'none'"]);
    expect(directives['base-uri']).toEqual(["'none'"]);
    expect(directives['frame-ancestors']).toEqual(["'none'"]);
    expect(CONTENT_SECURITY_POLICY).not.toMatch(/unsafe-eval|\*|http:|https:/);
    const html = fs.readFileSync(path.join(ROOT, 'renderer/index.html'), 'utf8');
    const meta = /http-equiv="Content-Security-Policy"\s+content="([^"]+)"/.exec(html)?.[1];
    // The meta tag cannot carry frame-ancestors (browsers ignore it there); everything else matches.
    expect(meta).toBe(CONTENT_SECURITY_POLICY.replace(" frame-ancestors 'none';", ''));
  });
});

describe('the application menu (issue 12, finding 12)', () => {
  /** Every item of a template, submenus included. */
  const items = (template: readonly MenuItemConstructorOptions[]): MenuItemConstructorOptions[] =>
    template.flatMap((i) => [i, ...(Array.isArray(i.submenu) ? items(i.submenu) : [])]);
  const roles = (template: readonly MenuItemConstructorOptions[]) => items(template).map((i) => i.role);
  const PLATFORMS: NodeJS.Platform[] = ['win32', 'linux', 'darwin'];

  it('the packaged app has no DevTools, reload or View menu on any platform, and its window cannot open DevTools', () => {
    for (const platform of PLATFORMS) {
      const template = menuTemplate({ packaged: true, platform });
      for (const role of DEVELOPER_ROLES) expect(roles(template), `${platform} ${role}`).not.toContain(role);
      // Only Electron's role menus: no hand-made item (with a click handler or a label) can bring one back.
      for (const item of items(template)) expect(Object.keys(item), platform).toEqual(['role']);
      expect(roles(template)).toContain('editMenu');
    }
    expect(windowOptions('/p', { packaged: true }).webPreferences?.devTools).toBe(false);
  });

  it('a development build keeps them', () => {
    for (const platform of PLATFORMS) expect(roles(menuTemplate({ packaged: false, platform }))).toContain('viewMenu');
    expect(windowOptions('/p', { packaged: false }).webPreferences?.devTools).toBe(true);
  });

  it('main installs this menu, before any window opens', () => {
    const main = fs.readFileSync(path.join(ROOT, 'electron/main/index.ts'), 'utf8');
    expect(main).toMatch(/Menu\.setApplicationMenu\(Menu\.buildFromTemplate\(menuTemplate\(\{ packaged: app\.isPackaged/);
    expect(main.indexOf('Menu.setApplicationMenu')).toBeLessThan(main.indexOf('createWindow(ownUrl);'));
    expect(main).toContain("windowOptions(path.join(__dirname, '../preload'), { packaged: app.isPackaged })");
  });
});

describe('which pages count as our renderer', () => {
  it('is the app://echelon origin, the dev server origin, or the one file page — nothing else', () => {
    expect(isOwnRendererUrl('app://echelon/index.html', APP_ENTRY_URL)).toBe(true);
    expect(isOwnRendererUrl('app://echelon/assets/x.js', APP_ENTRY_URL)).toBe(true);
    expect(isOwnRendererUrl('app://evil/index.html', APP_ENTRY_URL)).toBe(false);
    expect(isOwnRendererUrl('evil://echelon/index.html', APP_ENTRY_URL)).toBe(false);
    expect(isOwnRendererUrl('https://example.com/', APP_ENTRY_URL)).toBe(false);
    expect(isOwnRendererUrl('file:///etc/passwd', APP_ENTRY_URL)).toBe(false);
    expect(isOwnRendererUrl('not a url', APP_ENTRY_URL)).toBe(false);
    expect(isOwnRendererUrl('http://localhost:5173/src/x.tsx', 'http://localhost:5173/')).toBe(true);
    expect(isOwnRendererUrl('http://localhost:5174/', 'http://localhost:5173/')).toBe(false);
    expect(isOwnRendererUrl('file:///app/out/renderer/index.html', 'file:///app/out/renderer/index.html')).toBe(true);
    expect(isOwnRendererUrl('file:///app/out/renderer/other.html', 'file:///app/out/renderer/index.html')).toBe(false);
  });

  it('serves only files inside the renderer folder over app://', () => {
    const root = path.resolve('/app/out/renderer');
    expect(rendererFileFor('app://echelon/index.html', root)).toEqual({ file: path.join(root, 'index.html'), contentType: 'text/html; charset=utf-8' });
    expect(rendererFileFor('app://echelon/', root)?.file).toBe(path.join(root, 'index.html'));
    expect(rendererFileFor('app://echelon/assets/index-abc.js', root)?.contentType).toBe('text/javascript; charset=utf-8');
    for (const bad of [
      'app://echelon/../../etc/passwd',
      'app://echelon/%2e%2e/%2e%2e/etc/passwd',
      'app://echelon/assets/..%2f..%2f..%2fmain%2findex.js',
      'app://echelon/..%5c..%5cmain%5cindex.js',
      'app://echelon/index.html%00.js',
      'app://echelon/%E0%A4%A',
      'app://other/index.html',
      'file:///app/out/renderer/index.html',
      'app://echelon/secrets.db',
    ]) {
      expect(rendererFileFor(bad, root), bad).toBeNull();
    }
  });
});

describe('the main process', () => {
  const sources = ['electron/main', 'electron/preload'].flatMap((dir) =>
    fs
      .readdirSync(path.join(ROOT, dir))
      .filter((f) => f.endsWith('.ts'))
      .map((f) => [path.join(dir, f), fs.readFileSync(path.join(ROOT, dir, f), 'utf8')] as const),
  );

  it('never opens URLs in the system browser: no shell.openExternal anywhere', () => {
    // If a link out is ever needed, it goes through an allow-list helper tested here first.
    for (const [file, src] of sources) expect(src, file).not.toMatch(/openExternal|shell\.openPath/);
  });

  it('denies new windows, webviews, foreign navigation and every permission request', () => {
    const main = sources.find(([f]) => f.endsWith(path.join('main', 'index.ts')))![1];
    expect(main).toMatch(/setWindowOpenHandler\(\(\) => \(\{ action: 'deny' \}\)\)/);
    expect(main).toMatch(/will-attach-webview', \(e\) => e\.preventDefault\(\)/);
    expect(main).toMatch(/will-navigate'[\s\S]*?isOwnRendererUrl/);
    expect(main).toMatch(/setPermissionRequestHandler\(\(_wc, _permission, callback\) => callback\(false\)\)/);
    expect(main).toMatch(/setPermissionCheckHandler\(\(\) => false\)/);
    expect(main).toMatch(/senderFrame !== event\.sender\.mainFrame/);
  });

  it('exposes only contract channels through the preload', () => {
    const preload = sources.find(([f]) => f.endsWith(path.join('preload', 'index.ts')))![1];
    expect(preload).not.toMatch(/exposeInMainWorld\([^)]*ipcRenderer\s*\)/);
    expect(preload).toMatch(/buildBridge\(CHANNELS/);
  });
});

describe('the packaged build', () => {
  it('flips the Electron fuses under the names electron-builder 26 knows', () => {
    const yml = fs.readFileSync(path.join(ROOT, 'electron-builder.yml'), 'utf8');
    const block = /^electronFuses:\n((?:[ ]{2}.+\n)+)/m.exec(yml)?.[1] ?? '';
    const fuses = Object.fromEntries(
      block
        .trim()
        .split('\n')
        .map((l) => l.trim().split(/:\s*/) as [string, string]),
    );
    const types = fs.readFileSync(path.join(ROOT, 'node_modules/app-builder-lib/out/configuration.d.ts'), 'utf8');
    const iface = /interface FuseOptionsV1 \{([\s\S]*?)\n\}/.exec(types)?.[1] ?? '';
    const known = [...iface.matchAll(/^\s{4}(\w+)\??:/gm)].map((m) => m[1]);
    for (const name of Object.keys(fuses)) expect(known, name).toContain(name);
    expect(fuses).toMatchObject({
      runAsNode: 'false',
      enableNodeOptionsEnvironmentVariable: 'false',
      enableNodeCliInspectArguments: 'false',
      enableEmbeddedAsarIntegrityValidation: 'true',
      onlyLoadAppFromAsar: 'true',
      grantFileProtocolExtraPrivileges: 'false',
    });
    expect(yml).toMatch(/^asar: true$/m);
  });
});
