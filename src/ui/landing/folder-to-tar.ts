// A dropped folder (an OCI image layout directory) becomes one tar Blob, so the engine reads it like
// `skopeo copy oci-archive:`. The Blob is composed of headers and the Files themselves: no bytes are
// copied or read here. Headers follow POSIX ustar (IEEE Std 1003.1, "pax" format, ustar header).

const BLOCK = 512;
const enc = new TextEncoder();

function octal(value: number, width: number): string {
  return value.toString(8).padStart(width - 1, '0') + '\0';
}

function put(h: Uint8Array, offset: number, width: number, text: string): void {
  const b = enc.encode(text);
  if (b.length > width) throw new Error(`tar field too long: ${text}`);
  h.set(b, offset);
}

/** Splits a path into ustar name (<= 100 bytes) and prefix (<= 155 bytes). */
function splitName(path: string): [string, string] {
  if (enc.encode(path).length <= 100) return [path, ''];
  for (let i = path.indexOf('/'); i >= 0; i = path.indexOf('/', i + 1)) {
    const prefix = path.slice(0, i);
    const name = path.slice(i + 1);
    if (enc.encode(prefix).length <= 155 && enc.encode(name).length <= 100) return [name, prefix];
  }
  throw new Error(`path too long for a ustar header: ${path}`);
}

export function ustarHeader(path: string, size: number, mtimeMs: number): Uint8Array {
  const h = new Uint8Array(BLOCK);
  const [name, prefix] = splitName(path);
  put(h, 0, 100, name);
  put(h, 100, 8, octal(0o644, 8));
  put(h, 108, 8, octal(0, 8));
  put(h, 116, 8, octal(0, 8));
  put(h, 124, 12, octal(size, 12));
  put(h, 136, 12, octal(Math.floor(mtimeMs / 1000), 12));
  put(h, 148, 8, '        '); // checksum is computed with this field as spaces
  put(h, 156, 1, '0');
  put(h, 257, 6, 'ustar\0');
  put(h, 263, 2, '00');
  put(h, 345, 155, prefix);
  let sum = 0;
  for (const b of h) sum += b;
  put(h, 148, 8, sum.toString(8).padStart(6, '0') + '\0 ');
  return h;
}

/** Files named by their path inside the folder -> one tar Blob named after the folder. */
export function folderToTar(files: File[], folderName: string): File {
  const parts: BlobPart[] = [];
  for (const f of [...files].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
    parts.push(ustarHeader(f.name, f.size, f.lastModified) as Uint8Array<ArrayBuffer>, f);
    const pad = (BLOCK - (f.size % BLOCK)) % BLOCK;
    if (pad) parts.push(new Uint8Array(pad));
  }
  parts.push(new Uint8Array(BLOCK * 2));
  return new File(parts, `${folderName}/`, { type: 'application/x-tar' });
}

/** True when the files look like an OCI image layout (an `oci-layout` file at the top). */
export function isOciLayout(files: File[]): boolean {
  return files.some((f) => f.name === 'oci-layout') && files.some((f) => f.name === 'index.json');
}
