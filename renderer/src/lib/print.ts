/**
 * Printing and saving from the renderer. In the Electron app the preload exposes `echelonPrint`
 * (electron/main/print.ts: the system print dialog and printToPDF with a save dialog, outside the
 * data contract); in a plain browser the page's own print dialog does both.
 */
export interface EchelonPrint {
  print(): Promise<{ ok: boolean }>;
  pdf(suggestedName: string): Promise<{ ok: boolean; path?: string }>;
}

declare global {
  interface Window {
    echelonPrint?: EchelonPrint;
  }
}

export function canSavePdf(): boolean {
  return typeof window.echelonPrint?.pdf === 'function';
}

export async function printPage(): Promise<void> {
  if (window.echelonPrint) await window.echelonPrint.print();
  else window.print();
}

export async function savePdf(name: string): Promise<{ ok: boolean; path?: string }> {
  if (!window.echelonPrint) {
    window.print();
    return { ok: true };
  }
  return window.echelonPrint.pdf(name);
}

/** Saves text (CSV with its BOM) through a download link to a Blob URL; the URL is released afterwards. */
export function downloadText(filename: string, text: string, type = 'text/csv;charset=utf-8'): void {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  a.rel = 'noopener';
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
