import { contextBridge, ipcRenderer } from 'electron';
import { CHANNELS } from '../../shared/api';
import { buildBridge } from '../../shared/api/client';

/**
 * The only bridge between the page and main: one function per contract channel, and the two
 * printing channels of electron/main/print.ts. Raw ipcRenderer is never exposed.
 */
contextBridge.exposeInMainWorld(
  'echelon',
  buildBridge(CHANNELS, (channel, input) => ipcRenderer.invoke(channel, input)),
);

contextBridge.exposeInMainWorld('echelonPrint', {
  print: () => ipcRenderer.invoke('print:print'),
  pdf: (name: string) => ipcRenderer.invoke('print:pdf', String(name).slice(0, 200)),
});
