import type { MenuItemConstructorOptions } from 'electron';

/** Menu roles that open the renderer to inspection or throw away what is typed: development only. */
export const DEVELOPER_ROLES: readonly NonNullable<MenuItemConstructorOptions['role']>[] = ['viewMenu', 'toggleDevTools', 'reload', 'forceReload'];

/**
 * The application menu (DESIGN.md §6; issue 12, finding 12). Electron's default menu carries View →
 * Reload and Toggle Developer Tools; the packaged app gets neither: a shared ward workstation must not
 * open DevTools on a clinical record, and a reload would drop a half-typed round. Only Electron's own
 * role menus are used, so every label comes translated by the system. Kept free of electron imports so
 * a unit test can read it without starting Electron.
 */
export function menuTemplate(opts: { packaged: boolean; platform: NodeJS.Platform }): MenuItemConstructorOptions[] {
  return [
    ...(opts.platform === 'darwin' ? [{ role: 'appMenu' as const }] : []),
    { role: 'fileMenu' },
    // Cut, copy, paste and undo, and their shortcuts on macOS.
    { role: 'editMenu' },
    ...(opts.packaged ? [] : [{ role: 'viewMenu' as const }]),
    { role: 'windowMenu' },
  ];
}
