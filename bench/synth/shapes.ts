// The synthetic images: shaped like an ML image (Debian-like base, one big Python/CUDA layer, a
// layer of many tiny files, a layer that deletes and rewrites earlier files). Layer contents are a
// pure function of the shape, so the cache key is a hash of the shape and GENERATOR_VERSION.

import { prng, writeBody, type BodyKind } from './content';
import type { TarFile } from './tar-file';

/** Bump when the bytes any shape produces change. */
export const GENERATOR_VERSION = 1;

export interface Shape {
  name: string;
  base: { files: number; bytes: number };
  ml: { files: number; bytes: number; big: { path: string; mb: number; kind: BodyKind }[] };
  /** Tiny files; the first `bigDir` of them share one directory (the "expand 10k entries" step). */
  tiny: { files: number; bigDir: number };
  rewrite: { deletes: number; rewrites: number; bigRewrite: boolean };
  /** The encodings built (default all three): the huge shape skips gzip, the slowest to build. */
  encodings?: ('docker-save' | 'oci-gzip' | 'oci-zstd')[];
}

const MB = 1024 * 1024;
const SITE = 'usr/local/lib/python3.11/site-packages';
export const BIG_DIR = 'usr/share/icons/hicolor/scalable/apps';

/** The big files of a CUDA build of torch with a model beside it, in MB each. */
function torchCuda(mb: { cuda: number; cpu: number; cudnn: number; weights: number }): Shape['ml']['big'] {
  return [
    { path: `${SITE}/torch/lib/libtorch_cuda.so`, mb: mb.cuda, kind: 'binary' },
    { path: `${SITE}/torch/lib/libtorch_cpu.so`, mb: mb.cpu, kind: 'binary' },
    { path: `${SITE}/nvidia/cudnn/lib/libcudnn_engines.so.9`, mb: mb.cudnn, kind: 'binary' },
    { path: 'models/encoder/model.safetensors', mb: mb.weights, kind: 'weights' },
  ];
}

export const SHAPES: Record<'full' | 'quick' | 'large' | 'huge', Shape> = {
  // `--huge`: ~10 GB / ~1M files, to see what grows with bytes and what with files. Without gzip:
  // docker-save and OCI zstd need ~30 GB of disk (the tar, its zstd form and the two archives).
  huge: {
    name: 'ml-huge',
    base: { files: 20000, bytes: 300 * MB },
    ml: {
      files: 80000,
      bytes: 9000 * MB,
      big: torchCuda({ cuda: 1800, cpu: 900, cudnn: 600, weights: 1500 }),
    },
    tiny: { files: 900000, bigDir: 10000 },
    rewrite: { deletes: 8000, rewrites: 12000, bigRewrite: false },
    encodings: ['docker-save', 'oci-zstd'],
  },
  // `--large`: ~3 GB / ~300k files, the second size issue 14's memory target names (under 400 MB
  // for the page with its workers). `full` scaled by ~1.25 in files and ~1.6 in bytes; without gzip,
  // as `huge`, to keep the build to a few minutes.
  large: {
    name: 'ml-large',
    base: { files: 7500, bytes: 150 * MB },
    ml: {
      files: 37500,
      bytes: 2600 * MB,
      big: torchCuda({ cuda: 700, cpu: 430, cudnn: 250, weights: 170 }),
    },
    tiny: { files: 250000, bigDir: 10000 },
    rewrite: { deletes: 2500, rewrites: 3750, bigRewrite: true },
    encodings: ['docker-save', 'oci-zstd'],
  },
  full: {
    name: 'ml-full',
    base: { files: 6000, bytes: 90 * MB },
    ml: {
      files: 30000,
      bytes: 1536 * MB,
      big: torchCuda({ cuda: 420, cpu: 260, cudnn: 150, weights: 110 }),
    },
    tiny: { files: 200000, bigDir: 10000 },
    rewrite: { deletes: 2000, rewrites: 3000, bigRewrite: true },
  },
  quick: {
    name: 'ml-quick',
    base: { files: 2000, bytes: 30 * MB },
    ml: {
      files: 6000,
      bytes: 200 * MB,
      big: [
        { path: `${SITE}/torch/lib/libtorch_cpu.so`, mb: 60, kind: 'binary' },
        { path: 'models/encoder/model.safetensors', mb: 25, kind: 'weights' },
      ],
    },
    tiny: { files: 30000, bigDir: 10000 },
    rewrite: { deletes: 500, rewrites: 800, bigRewrite: true },
  },
};

export interface LayerDef {
  createdBy: string;
  write(tar: TarFile): void;
}

interface FileDef { path: string; size: number; kind: BodyKind; seed: number }

const PACKAGES = ['torch', 'transformers', 'numpy', 'scipy', 'pandas', 'sympy', 'networkx', 'jinja2', 'triton',
  'tokenizers', 'safetensors', 'huggingface_hub', 'regex', 'tqdm', 'yaml', 'requests', 'urllib3', 'fsspec',
  'filelock', 'packaging', 'nvidia', 'pillow', 'sklearn', 'matplotlib'];

/** Sizes drawn log-uniformly between lo and hi, then scaled so they sum to `total`. */
function sizes(n: number, total: number, lo: number, hi: number, seed: number): number[] {
  const r = prng(seed);
  const raw = Array.from({ length: n }, () => Math.exp(Math.log(lo) + r() * (Math.log(hi) - Math.log(lo))));
  const sum = raw.reduce((a, b) => a + b, 0);
  return raw.map((s) => Math.max(1, Math.round((s * total) / sum)));
}

/** The ML layer's files: a few huge ones, ~5% shared objects, the rest Python sources. */
export function mlFiles(shape: Shape): FileDef[] {
  const bigBytes = shape.ml.big.reduce((n, b) => n + b.mb * MB, 0);
  const rest = shape.ml.files - shape.ml.big.length;
  const soCount = Math.round(rest * 0.05);
  const pyCount = rest - soCount;
  const pySizes = sizes(pyCount, Math.round((shape.ml.bytes - bigBytes) * 0.3), 300, 60_000, 11);
  const soSizes = sizes(soCount, Math.round((shape.ml.bytes - bigBytes) * 0.7), 20_000, 8 * MB, 12);
  const out: FileDef[] = shape.ml.big.map((b, i) => ({ path: b.path, size: b.mb * MB, kind: b.kind, seed: 1000 + i }));
  pySizes.forEach((size, i) => {
    const pkg = PACKAGES[i % PACKAGES.length]!;
    out.push({ path: `${SITE}/${pkg}/sub${(i >> 6) % 40}/mod_${i}.py`, size, kind: 'text', seed: 20_000 + i });
  });
  soSizes.forEach((size, i) => {
    const pkg = PACKAGES[(i * 7) % PACKAGES.length]!;
    out.push({ path: `${SITE}/${pkg}/_lib/ext_${i}.cpython-311-x86_64-linux-gnu.so`, size, kind: 'binary', seed: 90_000 + i });
  });
  return out;
}

function baseFiles(shape: Shape): FileDef[] {
  const dirs = ['usr/bin', 'usr/lib/x86_64-linux-gnu', 'usr/share/doc', 'usr/share/locale/de/LC_MESSAGES', 'etc', 'usr/share/man/man1', 'var/lib/dpkg/info'];
  return sizes(shape.base.files, shape.base.bytes, 200, 2 * MB, 13).map((size, i) => {
    const dir = dirs[i % dirs.length]!;
    const kind: BodyKind = dir.startsWith('usr/bin') || dir.startsWith('usr/lib') ? 'binary' : 'text';
    return { path: `${dir}/f${i}`, size, kind, seed: 500_000 + i };
  });
}

/** Every directory above the given paths, parents first, each once. */
function writeDirs(tar: TarFile, paths: string[]): void {
  const seen = new Set<string>();
  const dirs: string[] = [];
  for (const p of paths) {
    const parts = p.split('/');
    for (let i = 1; i < parts.length; i++) {
      const d = parts.slice(0, i).join('/');
      if (!seen.has(d)) { seen.add(d); dirs.push(d); }
    }
  }
  for (const d of dirs.sort()) tar.header({ path: d, type: 'dir' });
}

function writeFiles(tar: TarFile, files: FileDef[]): void {
  writeDirs(tar, files.map((f) => f.path));
  for (const f of files) {
    tar.header({ path: f.path, type: 'file', size: f.size, mode: f.kind === 'text' ? 0o644 : 0o755 });
    writeBody(f.size, f.kind, f.seed, (b) => tar.write(b));
    tar.pad(f.size);
  }
}

export function layersOf(shape: Shape): LayerDef[] {
  const ml = mlFiles(shape);
  return [
    {
      createdBy: '/bin/sh -c #(nop) ADD file:debian-bookworm-slim in /',
      write: (tar) => {
        writeFiles(tar, baseFiles(shape));
        tar.header({ path: 'bin', type: 'symlink', linkname: 'usr/bin' });
        tar.file('var/lib/dpkg/status', new TextEncoder().encode('Package: libc6\nStatus: install ok installed\nVersion: 2.36-9\n\n'));
      },
    },
    {
      createdBy: 'RUN pip install torch transformers # buildkit',
      write: (tar) => writeFiles(tar, ml),
    },
    {
      createdBy: 'RUN apt-get install -y hicolor-icon-theme fonts # buildkit',
      write: (tar) => {
        const files: FileDef[] = [];
        const sz = sizes(shape.tiny.files, shape.tiny.files * 180, 20, 900, 14);
        sz.forEach((size, i) => {
          const path = i < shape.tiny.bigDir ? `${BIG_DIR}/icon-${i}.svg` : `usr/share/fonts/set${Math.floor(i / 500)}/glyph-${i}.txt`;
          files.push({ path, size, kind: 'text', seed: 700_000 + i });
        });
        writeFiles(tar, files);
      },
    },
    {
      createdBy: 'RUN pip install -U transformers && rm -rf /usr/share/doc # buildkit',
      write: (tar) => {
        // OCI image-spec "Whiteouts": `.wh.<name>` deletes, `.wh..wh..opq` makes a directory opaque.
        tar.header({ path: 'usr/share/doc', type: 'dir' });
        tar.file('usr/share/doc/.wh..wh..opq', new Uint8Array(0));
        const py = ml.filter((f) => f.kind === 'text');
        const rewritten: FileDef[] = py.slice(0, shape.rewrite.rewrites).map((f, i) => ({ ...f, size: f.size + 17, seed: 900_000 + i }));
        if (shape.rewrite.bigRewrite) {
          const big = ml.find((f) => f.kind === 'weights');
          if (big) rewritten.push({ ...big, seed: 999_999 });
        }
        writeFiles(tar, rewritten);
        for (const f of py.slice(py.length - shape.rewrite.deletes)) {
          const slash = f.path.lastIndexOf('/');
          tar.file(`${f.path.slice(0, slash)}/.wh.${f.path.slice(slash + 1)}`, new Uint8Array(0));
        }
      },
    },
  ];
}
