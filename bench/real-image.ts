// `--image <archive>`: the native baseline needs the layer blobs as files, so the archive is
// unpacked once with GNU tar into the cache, and its layers are found through manifest.json
// (docker save, Docker 25+) or index.json (OCI layout; the first manifest of the first index).

import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import { cacheRoot, shell } from './synth/build';
import { sniffFile, type NativeLayer } from './native';

export interface RealImage { format: string; layers: NativeLayer[]; uncompressedHint?: number }

export async function unpackImage(archive: string, log: (s: string) => void): Promise<RealImage> {
  const st = statSync(archive);
  const key = createHash('sha256').update(`${path.resolve(archive)}:${st.size}:${st.mtimeMs}`).digest('hex').slice(0, 12);
  const dir = path.join(cacheRoot(), `image-${path.basename(archive).replace(/[^\w.-]/g, '_')}-${key}`);
  if (!existsSync(dir)) {
    log(`  unpacking ${archive} for the native baseline`);
    const tmp = `${dir}.partial`;
    rmSync(tmp, { recursive: true, force: true });
    mkdirSync(tmp, { recursive: true });
    await shell(`tar -xf '${archive.replace(/'/g, `'\\''`)}' -C '${tmp}'`);
    renameSync(tmp, dir);
  }
  const json = (p: string) => JSON.parse(readFileSync(path.join(dir, p), 'utf8')) as Record<string, unknown>;
  const blob = (digest: string) => path.join(dir, 'blobs', ...digest.split(':'));
  let format: string;
  let files: string[];
  if (existsSync(path.join(dir, 'manifest.json'))) {
    format = existsSync(path.join(dir, 'index.json')) ? 'docker-save (OCI)' : 'docker-save';
    const items = JSON.parse(readFileSync(path.join(dir, 'manifest.json'), 'utf8')) as { Layers: string[] }[];
    files = [...new Set(items.flatMap((i) => i.Layers))].map((l) => path.join(dir, l));
  } else if (existsSync(path.join(dir, 'index.json'))) {
    format = 'oci';
    let doc = json('index.json');
    // Follow nested indexes down to the first image manifest.
    while (Array.isArray(doc.manifests)) {
      const first = (doc.manifests as { digest: string }[])[0];
      if (!first) throw new Error(`${archive}: empty index`);
      doc = JSON.parse(readFileSync(blob(first.digest), 'utf8')) as Record<string, unknown>;
    }
    files = ((doc.layers ?? []) as { digest: string }[]).map((l) => blob(l.digest));
  } else {
    throw new Error(`${archive}: no manifest.json or index.json; not an image archive`);
  }
  const layers = files.map((f) => ({ path: f, compression: sniffFile(f) }));
  const kinds = [...new Set(layers.map((l) => l.compression))].join('+');
  return { format: `${format}/${kinds}`, layers };
}
