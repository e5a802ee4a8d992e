// Saves bytes the page made (a file read from a layer, a directory's tar, the JSON report) through
// a temporary blob: URL and an <a download>: the same path for every download button.

export function downloadBlob(blob: Blob, name: string): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  // The download has taken its copy once the click has been handled.
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}
