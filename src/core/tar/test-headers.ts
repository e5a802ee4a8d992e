// Tar headers built byte by byte (POSIX ustar, GNU tar manual "Basic Tar Format", pax) for tests
// of what neither GNU tar nor tar-stream will write: used by the tar and pipeline tests.

const enc = new TextEncoder();

export interface H {
  name: string; type?: string; size?: number; mode?: number; linkname?: string; mtime?: number;
  format?: 'ustar' | 'gnu' | 'v7'; base256Size?: boolean; uname?: string; signedChecksum?: boolean;
}

function octal(b: Uint8Array, off: number, width: number, v: number): void {
  b.set(enc.encode(v.toString(8).padStart(width - 1, '0')), off);
}

export function header(h: H): Uint8Array {
  const b = new Uint8Array(512);
  b.set(enc.encode(h.name), 0);
  octal(b, 100, 8, h.mode ?? 0o644);
  octal(b, 108, 8, 1000);
  octal(b, 116, 8, 1000);
  if (h.base256Size) {
    b[124] = 0x80;
    let v = h.size!;
    for (let i = 135; i > 124; i--, v = Math.floor(v / 256)) b[i] = v % 256;
  } else octal(b, 124, 12, h.size ?? 0);
  octal(b, 136, 12, h.mtime ?? 1700000000);
  b[156] = (h.type ?? '0').charCodeAt(0);
  b.set(enc.encode(h.linkname ?? ''), 157);
  if (h.format !== 'v7') b.set(enc.encode(h.format === 'gnu' ? 'ustar  \0' : 'ustar\x0000'), 257);
  if (h.format !== 'v7') b.set(enc.encode(h.uname ?? 'user'), 265);
  b.fill(0x20, 148, 156);
  // Historic tars summed signed chars (GNU tar manual, "chksum"): bytes >= 0x80 count negative.
  const sum = b.reduce((a, c) => a + (h.signedChecksum && c >= 0x80 ? c - 256 : c), 0);
  b.set(enc.encode(sum.toString(8).padStart(6, '0') + '\0 '), 148);
  return b;
}

/** A body padded to whole blocks. */
export function body(text: string): Uint8Array {
  const t = enc.encode(text);
  const b = new Uint8Array(Math.ceil(t.length / 512) * 512);
  b.set(t);
  return b;
}

export function paxBody(records: Record<string, string>): string {
  let out = '';
  for (const [k, v] of Object.entries(records)) {
    const rest = ` ${k}=${v}\n`;
    let len = enc.encode(rest).length;
    len += String(len + String(len).length).length;
    out += len + rest;
  }
  return out;
}

export function cat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  parts.reduce((at, p) => (out.set(p, at), at + p.length), 0);
  return out;
}

export const END = new Uint8Array(1024);
export const file = (name: string, text: string, h: Partial<H> = {}) =>
  cat(header({ name, size: enc.encode(text).length, ...h }), body(text));

