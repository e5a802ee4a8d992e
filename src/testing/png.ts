// A small PNG written from scratch (PNG spec, ISO/IEC 15948: signature, IHDR, one IDAT, IEND), so
// the demo has an image file for the details pane to draw. Node-only, like the rest of src/testing.
import { crc32, deflateSync } from 'node:zlib';

function chunk(type: string, data: Uint8Array): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, 'latin1');
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])), 0);
  return Buffer.concat([head, data, crc]);
}

/** A width x height 8-bit RGB PNG whose pixel (x, y) is `pixel(x, y)` ([r, g, b]). */
export function pngBytes(width: number, height: number, pixel: (x: number, y: number) => [number, number, number]): Uint8Array {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr.set([8, 2, 0, 0, 0], 8); // bit depth 8, colour type 2 (RGB), deflate, filter 0, no interlace
  const raw = Buffer.alloc(height * (1 + 3 * width));
  for (let y = 0; y < height; y++) {
    const row = y * (1 + 3 * width); // each scanline starts with filter type 0 (None)
    for (let x = 0; x < width; x++) raw.set(pixel(x, y), row + 1 + 3 * x);
  }
  const signature = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  return new Uint8Array(Buffer.concat([signature, chunk('IHDR', ihdr), chunk('IDAT', deflateSync(raw, { level: 9 })), chunk('IEND', new Uint8Array(0))]));
}

/** Strata's mark, 16 x 16: four bands, one per layer colour. */
export function strataLogoPng(): Uint8Array {
  const bands: [number, number, number][] = [[47, 91, 211], [124, 77, 204], [26, 127, 55], [163, 93, 0]];
  return pngBytes(16, 16, (_x, y) => bands[Math.floor(y / 4)]!);
}
