import fs from 'node:fs/promises';
import path from 'node:path';
import { BrowserWindow, dialog, ipcMain, type IpcMainInvokeEvent } from 'electron';
import { isOwnRendererUrl } from './window';

/**
 * Printing is a shell feature, not a data call: two channels outside the contract, exposed by the
 * preload as `window.echelonPrint`. `print:print` opens the system print dialog for the calling
 * window; `print:pdf` renders the page with its A4 print stylesheet (printToPDF) and writes it where
 * the user chooses in a save dialog. Same sender check as every contract channel.
 */
export const PRINT_CHANNELS = ['print:print', 'print:pdf'] as const;

function fromOwnMainFrame(event: IpcMainInvokeEvent, ownUrl: string): boolean {
  const frame = event.senderFrame;
  return !!frame && frame === event.sender.mainFrame && isOwnRendererUrl(frame.url, ownUrl);
}

/** A file name suggested by the page, reduced to a plain name (no folders, no odd characters). */
export function safePdfName(raw: unknown): string {
  const base = path
    .basename(typeof raw === 'string' ? raw : 'echelon.pdf')
    .replace(/[\\/:*?"<>|\u0000-\u001f]/g, '_')
    .slice(0, 120);
  return base.toLowerCase().endsWith('.pdf') ? base : `${base || 'echelon'}.pdf`;
}

export function registerPrint(ownUrl: string): void {
  ipcMain.handle('print:print', (event) => {
    if (!fromOwnMainFrame(event, ownUrl)) return { ok: false };
    return new Promise<{ ok: boolean }>((resolve) => {
      event.sender.print({ silent: false, printBackground: true }, (success) => resolve({ ok: success }));
    });
  });
  ipcMain.handle('print:pdf', async (event, name: unknown) => {
    if (!fromOwnMainFrame(event, ownUrl)) return { ok: false };
    const win = BrowserWindow.fromWebContents(event.sender);
    const options = { defaultPath: safePdfName(name), filters: [{ name: 'PDF', extensions: ['pdf'] }] };
    const choice = win ? await dialog.showSaveDialog(win, options) : await dialog.showSaveDialog(options);
    if (choice.canceled || !choice.filePath) return { ok: false };
    const pdf = await event.sender.printToPDF({ pageSize: 'A4', printBackground: true, preferCSSPageSize: true });
    await fs.writeFile(choice.filePath, pdf);
    return { ok: true, path: choice.filePath };
  });
}
