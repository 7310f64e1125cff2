import { contextBridge, ipcRenderer } from 'electron';
import { CHANNELS } from '../../shared/api';
import { buildBridge } from '../../shared/api/client';

/**
 * The only bridge between the page and main: one function per contract channel, the two printing
 * channels of electron/main/print.ts and the network ones of electron/main/network/ipc.ts. Raw
 * ipcRenderer is never exposed.
 */
contextBridge.exposeInMainWorld(
  'echelon',
  buildBridge(CHANNELS, (channel, input) => ipcRenderer.invoke(channel, input)),
);

contextBridge.exposeInMainWorld('echelonPrint', {
  print: () => ipcRenderer.invoke('print:print'),
  pdf: (name: string) => ipcRenderer.invoke('print:pdf', String(name).slice(0, 200)),
});

/**
 * Connecting this workstation to the hospital's Echelon server (electron/main/network/ipc.ts):
 * outside the data contract, like printing. Only strings cross; the page never opens a connection itself.
 */
const text = (v: unknown, max: number) => (typeof v === 'string' ? v.slice(0, max) : '');
type Fields = Record<string, unknown> | null | undefined;
contextBridge.exposeInMainWorld('echelonNetwork', {
  mode: () => ipcRenderer.invoke('network:mode'),
  probe: (url: unknown) => ipcRenderer.invoke('network:probe', text(url, 300)),
  connect: (input: Fields) =>
    ipcRenderer.invoke('network:connect', {
      url: text(input?.url, 300),
      fingerprint: text(input?.fingerprint, 200),
      workstation: text(input?.workstation, 200),
    }),
  certificate: () => ipcRenderer.invoke('network:certificate'),
  acceptCertificate: (input: Fields) =>
    ipcRenderer.invoke('network:acceptCertificate', {
      fingerprint: text(input?.fingerprint, 200),
      username: text(input?.username, 64),
      password: text(input?.password, 128),
    }),
  onCertificateChanged: (listener: () => void) => {
    const handler = () => listener();
    ipcRenderer.on('network:certificate-changed', handler);
    return () => void ipcRenderer.removeListener('network:certificate-changed', handler);
  },
});

/**
 * Change notices (shared/api/changes.ts), sent by main after every committed write on this record
 * (electron/main/changes.ts standalone, the server's socket when connected). Listen only: the page
 * cannot send anything on this channel.
 */
contextBridge.exposeInMainWorld('echelonChanges', {
  subscribe: (listener: (message: unknown) => void) => {
    const handler = (_event: unknown, message: unknown) => listener(message);
    ipcRenderer.on('changes:message', handler);
    return () => void ipcRenderer.removeListener('changes:message', handler);
  },
});
