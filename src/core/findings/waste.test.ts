import { describe, expect, it } from 'vitest';
import { sum } from '../packages/test-fixture';
import { analyseSteps, type Step } from './test-image';
import { findWaste } from './waste';
import type { Finding, FindingKind } from './types';

const SP = 'usr/local/lib/python3.11/site-packages';

// What each step writes, path -> size. The expectations below are sums over these.
const cuda = { 'usr/local/cuda/lib64/libcublas.so.12': 100_000_000 };
const apt = {
  'var/lib/apt/lists/deb.example.org_debian_dists_bookworm_main_binary-amd64_Packages.lz4': 9_000_000,
  'var/cache/apt/pkgcache.bin': 30_000_000,
  'var/cache/apt/archives/gcc-12_12.2.0-14_amd64.deb': 19_000_000,
};
const compilers = {
  'usr/bin/x86_64-linux-gnu-gcc-12': 1_068_920,
  'usr/lib/gcc/x86_64-linux-gnu/12/cc1': 34_100_000,
  'usr/include/stdio.h': 30_000,
};
const pydevHeaders = { 'usr/include/python3.11/Python.h': 3_224 };
const pydevSharedLink = { 'usr/lib/x86_64-linux-gnu/libpython3.11.so': 7_000_000 };
const staticLibs = { 'usr/lib/x86_64-linux-gnu/libpython3.11.a': 12_400_000 };
const tmpBuild = { 'tmp/build/big.o': 300_000_000 };
const pipCache = { 'root/.cache/pip/http-v2/a/b/c/d/body': 500_000_000, 'home/app/.cache/pip/wheels/x.whl': 1_000 };
const pyc = { [`${SP}/torch/__pycache__/__init__.cpython-311.pyc`]: 40_000, [`${SP}/six.pyc`]: 900 };
const torchLib = { [`${SP}/torch/lib/libtorch_cuda.so`]: 1_500_000_000 };
const nvidiaCublas = { [`${SP}/nvidia/cublas/lib/libcublas.so.12`]: 100_000_000 };
const app = { 'app/main.py': 5_000, 'app/util.py': 7_000 };
const condaPkgs = { 'opt/conda/pkgs/numpy-1.26.4-py311/lib/_umath.so': 8_000_000, 'opt/conda/pkgs/numpy-1.26.4-py311.conda': 7_000_000 };
const condaEnv = { 'opt/conda/lib/_umath.so': 8_000_000 };
const npmCache = { 'root/.npm/_cacache/content-v2/sha512/ab/cd': 2_000_000 };
const weights = { 'models/llama-3-8b.Q4_K_M.gguf': 4_920_000_000, 'models/model.safetensors': 12_000_000 };
const notWeights = { 'models/vocab.bin': 5_000_000, 'models/readme.bin.txt': 20_000_000 };

const STEPS = [
  'ADD file:4b03b5f551e3fbdf47ec609712007327828f7530cc3455c43bbcdcaf449a75a9 in / ',
  'RUN /bin/sh -c apt-get update && apt-get install -y build-essential python3-dev # buildkit',
  'RUN /bin/sh -c pip install torch # buildkit',
  'RUN /bin/sh -c rm -rf /tmp/build && chown -R app /app # buildkit',
  '/bin/sh -c conda install -y numpy && npm ci',
  'COPY models/ /models/ # buildkit',
];

// merge/test-layers.ts lines; `#n` names content, so equal numbers are byte-identical files.
const CUBLAS = '#1';
const NUMPY_SO = '#2';
const lines = (...sets: Record<string, number>[]) => sets.flatMap((s) => Object.entries(s).map(([p, n]) => `f ${p} ${n}`));

function pytorchImage(): Step[] {
  return [
    { command: STEPS[0]!, lines: [`f usr/local/cuda/lib64/libcublas.so.12 ${cuda['usr/local/cuda/lib64/libcublas.so.12']} ${CUBLAS}`, 'f usr/bin/bash 1265648'] },
    {
      command: STEPS[1]!,
      lines: [...lines(apt, compilers, pydevHeaders, pydevSharedLink, staticLibs, tmpBuild), 'f var/lib/apt/lists/lock 0', 'f usr/share/doc/gcc-12-base/copyright 4000'],
      texts: {
        'var/lib/dpkg/status': 'Package: libpython3.11-dev\nStatus: install ok installed\nVersion: 3.11.2-6\n\n'
          + 'Package: gcc-12-base\nStatus: install ok installed\nVersion: 12.2.0-14\n',
        'var/lib/dpkg/info/libpython3.11-dev.list': '/.\n/usr/include/python3.11/Python.h\n/usr/lib/x86_64-linux-gnu/libpython3.11.so\n/usr/lib/x86_64-linux-gnu/libpython3.11.a\n',
        'var/lib/dpkg/info/gcc-12-base.list': '/.\n/usr/share/doc/gcc-12-base/copyright\n',
      },
    },
    { command: STEPS[2]!, lines: [...lines(pipCache, pyc, torchLib, app), `f ${Object.keys(nvidiaCublas)[0]} 100000000 ${CUBLAS}`] },
    { command: STEPS[3]!, lines: ['wh tmp/build', ...lines(app)] },
    {
      command: STEPS[4]!,
      lines: [
        `f opt/conda/pkgs/numpy-1.26.4-py311/lib/_umath.so 8000000 ${NUMPY_SO}`, 'f opt/conda/pkgs/numpy-1.26.4-py311.conda 7000000',
        ...lines(npmCache), `f opt/conda/lib/_umath.so ${condaEnv['opt/conda/lib/_umath.so']} ${NUMPY_SO}`,
      ],
    },
    { command: STEPS[5]!, lines: lines(weights, notWeights) },
  ];
}

function only(findings: Finding[], kind: FindingKind): Finding {
  const found = findings.filter((f) => f.kind === kind);
  expect(found, kind).toHaveLength(1);
  return found[0]!;
}

describe('findWaste on a PyTorch-style image', () => {
  // An nvidia/cuda base sets NVIDIA_VISIBLE_DEVICES: the GPU libraries are meant to be used.
  const { findings } = analyseSteps(pytorchImage(), { env: ['NVIDIA_VISIBLE_DEVICES=all'] });

  it('finds the apt lists and archives the install step left behind', () => {
    expect(only(findings, 'apt-cache')).toMatchObject({
      bytes: sum(apt), files: 3, layer: 1,
      step: 'RUN apt-get update && apt-get install -y build-essential python3-dev',
      paths: ['var/cache/apt/pkgcache.bin', 'var/cache/apt/archives/gcc-12_12.2.0-14_amd64.deb', Object.keys(apt)[0]],
    });
    expect(only(findings, 'apt-cache').fix).toContain('rm -rf /var/lib/apt/lists/*');
  });

  it('finds pip, conda and npm caches with the flag that avoids each', () => {
    expect(only(findings, 'pip-cache')).toMatchObject({ bytes: sum(pipCache), files: 2, layer: 2 });
    expect(only(findings, 'pip-cache').fix).toContain('--no-cache-dir');
    // The pkgs/ copy of _umath.so is the cache, not a duplicate of the environment's copy.
    expect(only(findings, 'conda-pkgs')).toMatchObject({ bytes: sum(condaPkgs), files: 2, layer: 4 });
    expect(only(findings, 'conda-pkgs').fix).toContain('conda clean -afy');
    expect(only(findings, 'npm-cache')).toMatchObject({ bytes: sum(npmCache), layer: 4, step: 'RUN conda install -y numpy && npm ci' });
    expect(only(findings, 'npm-cache').fix).toContain('npm cache clean --force');
  });

  it('finds byte-code caches', () => {
    expect(only(findings, 'pycache')).toMatchObject({ bytes: sum(pyc), files: 2, layer: 2 });
    expect(only(findings, 'pycache').fix).toContain('PYTHONDONTWRITEBYTECODE');
  });

  it('finds model weights over 10 MB only', () => {
    expect(only(findings, 'model-weights')).toMatchObject({
      bytes: sum(weights), files: 2, layer: 5, paths: Object.keys(weights), step: 'COPY models/ /models/',
    });
  });

  it('finds compilers, headers and -dev package files, suggesting a multi-stage build', () => {
    const bt = only(findings, 'build-tools');
    // libpython3.11.so counts through its -dev package; gcc-12-base is a runtime package and does not.
    expect(bt).toMatchObject({ bytes: sum(compilers) + sum(pydevHeaders) + sum(pydevSharedLink), files: 5, layer: 1 });
    expect(bt.fix).toContain('multi-stage');
    // Named with the package that brought them, sized: 3,224 + 7,000,000 bytes (the compilers have no dpkg record here).
    expect(bt.fix).toContain('Here they come from `libpython3.11-dev` (7.00 MB).');
    expect(only(findings, 'static-libs')).toMatchObject({ bytes: sum(staticLibs), files: 1, layer: 1 });
    expect(only(findings, 'static-libs').fix).toContain('Here they come from `libpython3.11-dev` (12.4 MB).');
  });

  it('finds files a later step deletes or rewrites, naming both steps', () => {
    const removed = findings.filter((f) => f.kind === 'removed-later');
    expect(removed.map((f) => [f.layer, f.removedBy, f.bytes, f.files])).toEqual([
      [1, 3, sum(tmpBuild), 1],
      [2, 3, sum(app), 2],
    ]);
    expect(removed[0]!.fix).toContain('layer 1 (`RUN apt-get update && apt-get install -y build-essential python3-dev`)');
    expect(removed[0]!.fix).toContain('layer 3 (`RUN rm -rf /tmp/build && chown -R app /app`)');
    expect(removed[0]!.fix).toContain('one RUN');
    expect(removed[1]!.fix).toContain('COPY --chown');
  });

  it('finds CUDA libraries shipped twice and counts the later copy (cuda-duplicate, not duplicate-content)', () => {
    const dup = only(findings, 'cuda-duplicate');
    expect(dup).toMatchObject({ bytes: sum(nvidiaCublas), files: 1, layer: 2, paths: Object.keys(nvidiaCublas) });
    expect(dup.fix).toContain('usr/local/cuda/lib64/libcublas.so.12');
    expect(findings.filter((f) => f.kind === 'duplicate-content')).toEqual([]);
  });

  it('sorts by bytes and never counts a file twice', () => {
    expect(findings[0]!.kind).toBe('model-weights');
    expect(findings.map((f) => f.bytes)).toEqual(findings.map((f) => f.bytes).sort((a, b) => b - a));
    const finalFindingBytes = findings.filter((f) => f.kind !== 'removed-later').reduce((a, f) => a + f.bytes, 0);
    expect(finalFindingBytes).toBe(sum(apt) + sum(pipCache) + sum(condaPkgs) + sum(npmCache) + sum(pyc) + sum(weights)
      + sum(compilers) + sum(pydevHeaders) + sum(pydevSharedLink) + sum(staticLibs) + sum(nvidiaCublas));
  });
});

describe('findWaste edge cases', () => {
  it('keeps the 20 largest paths of a big finding and counts all of them', () => {
    const files = Array.from({ length: 1000 }, (_, i) => ({ path: `root/.cache/pip/f${i}`, size: i + 1, layer: 0 }));
    const [f] = findWaste({ files });
    expect(f).toMatchObject({ kind: 'pip-cache', files: 1000, bytes: (1000 * 1001) / 2 });
    expect(f!.paths).toEqual(Array.from({ length: 20 }, (_, i) => `root/.cache/pip/f${999 - i}`));
    expect(f!.step).toBeUndefined();
  });

  it('reports nothing for a clean image, and ignores nonsense removal records', () => {
    const files = [{ path: 'usr/bin/app', size: 10, layer: 0, hash: 'x' }, { path: 'usr/bin/app2', size: 11, layer: 0, hash: 'x' }];
    expect(findWaste({ files, removed: [{ path: 'a', size: 5, layer: 2, removedBy: 1 }] })).toEqual([]);
  });

  it('joins only copies of one size under one hash: the two 11-byte files are duplicates, the 10-byte one is not', () => {
    const files = [
      { path: 'usr/bin/app', size: 10, layer: 0, hash: 'x' },
      { path: 'usr/bin/app2', size: 11, layer: 0, hash: 'x' },
      { path: 'opt/app2', size: 11, layer: 1, hash: 'x' },
    ];
    const found = findWaste({ files });
    expect(found.map((f) => [f.kind, f.bytes, f.layer, f.files, f.paths])).toEqual([['duplicate-content', 11, 1, 1, ['opt/app2']]]);
  });
});

describe('pycache from Debian packages', () => {
  it('says py3compile wrote them and how to delete them, not pip flags', () => {
    const files = [
      { path: 'usr/lib/python3/dist-packages/sympy/__pycache__/core.cpython-311.pyc', size: 5000, layer: 1 },
      { path: 'usr/lib/python3/dist-packages/numpy/__pycache__/init.cpython-311.pyc', size: 3000, layer: 1 },
    ];
    const [f] = findWaste({ files }).filter((x) => x.kind === 'pycache');
    expect(f).toMatchObject({ bytes: 8000, files: 2, layer: 1 });
    expect(f!.fix).toContain('py3compile');
    expect(f!.fix).not.toContain('pip install --no-compile');
  });
});
