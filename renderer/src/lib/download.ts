/**
 * Offers data as a file download (an object URL behind a temporary link). Electron shows its save
 * dialog; a browser saves it. Parts go straight into a Blob, so a large export is never one string.
 */
export function downloadParts(fileName: string, parts: BlobPart[], mime: string): void {
  const url = URL.createObjectURL(new Blob(parts, { type: mime }));
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  a.style.display = 'none';
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** Text as a download; a CSV gets a BOM so Excel on a Chinese Windows reads it as UTF-8. */
export function downloadText(fileName: string, text: string, mime: string): void {
  downloadParts(fileName, [mime.startsWith('text/csv') ? `\uFEFF${text}` : text], mime);
}
