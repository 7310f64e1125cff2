/**
 * Offers text as a file download (an object URL behind a temporary link). Electron shows its save
 * dialog; a browser saves it. The BOM makes Excel on a Chinese Windows read a CSV as UTF-8.
 */
export function downloadText(fileName: string, text: string, mime: string): void {
  const body = mime.startsWith('text/csv') ? `\uFEFF${text}` : text;
  const url = URL.createObjectURL(new Blob([body], { type: mime }));
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  a.style.display = 'none';
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
