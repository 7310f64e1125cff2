import { contextBridge, ipcRenderer } from 'electron';
import { CHANNELS } from '../../shared/api';
import { buildBridge } from '../../shared/api/client';

/**
 * The only bridge between the page and main: one function per contract channel, nothing else.
 * Raw ipcRenderer is never exposed.
 */
contextBridge.exposeInMainWorld(
  'echelon',
  buildBridge(CHANNELS, (channel, input) => ipcRenderer.invoke(channel, input)),
);
