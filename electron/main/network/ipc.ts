import { app, ipcMain, webContents, type IpcMainInvokeEvent } from 'electron';
import { AppError } from '../../../shared/errors';
import { isOwnRendererUrl } from '../window';
import type { NetworkHandlers } from './bridge';

/**
 * The shell's side of `window.echelonNetwork` (electron/preload/index.ts): four channels outside the
 * data contract, with the same sender check as every contract channel. All the logic is in
 * ./bridge.ts and ./trust.ts (plain Node, tested); this file only wires it to IPC and restarts the app
 * once a first connection is trusted.
 */
export const NETWORK_CHANNELS = ['network:mode', 'network:probe', 'network:connect', 'network:certificate', 'network:acceptCertificate'] as const;
/** Sent to a window whose call was refused because the server presented another certificate. */
export const CERTIFICATE_CHANGED_EVENT = 'network:certificate-changed';

function fromOwnMainFrame(event: IpcMainInvokeEvent, ownUrl: string): boolean {
  const frame = event.senderFrame;
  return !!frame && frame === event.sender.mainFrame && isOwnRendererUrl(frame.url, ownUrl);
}

const forbidden = () => ({
  ok: false,
  error: new AppError('FORBIDDEN', 'call from an unknown frame', {
    key: 'error.FORBIDDEN',
  }).toPayload(),
});

/** `beforeRestart` closes what must be closed cleanly (the local core's clean-shutdown mark), as quitting would. */
export function registerNetwork(handlers: NetworkHandlers, ownUrl: string, beforeRestart: () => void): void {
  ipcMain.handle('network:mode', (event) => (fromOwnMainFrame(event, ownUrl) ? handlers.mode() : forbidden()));
  ipcMain.handle('network:probe', (event, url: unknown) => (fromOwnMainFrame(event, ownUrl) ? handlers.probe(url) : forbidden()));
  ipcMain.handle('network:certificate', (event) => (fromOwnMainFrame(event, ownUrl) ? handlers.certificate() : forbidden()));
  ipcMain.handle('network:acceptCertificate', (event, input: unknown) => (fromOwnMainFrame(event, ownUrl) ? handlers.acceptCertificate(input) : forbidden()));
  ipcMain.handle('network:connect', async (event, input: unknown) => {
    if (!fromOwnMainFrame(event, ownUrl)) return forbidden();
    const r = await handlers.connect(input);
    // The answer reaches the page first ("restarting…"); then the app starts again, in connected mode.
    if (r.ok) {
      setTimeout(() => {
        beforeRestart();
        app.relaunch();
        app.exit(0);
      }, 600);
    }
    return r;
  });
}

/** Tells the window (if still open) to show the changed-certificate screen. */
export function notifyCertificateChanged(windowId: number): void {
  const contents = webContents.fromId(windowId);
  if (contents && !contents.isDestroyed()) contents.send(CERTIFICATE_CHANGED_EVENT);
}
