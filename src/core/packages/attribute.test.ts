import { describe, expect, it } from 'vitest';
import { attributePackages } from './attribute';
import { ImageFixture, sum } from './test-fixture';
import type { AttributionResult, InstalledPackage } from './types';

// --- helpers that write package databases the way the real tools lay them out ---

function paragraph(name: string, version: string, extra: Record<string, string> = {}): string {
  const fields = { Package: name, Status: 'install ok installed', Version: version, ...extra };
  return `${Object.entries(fields).map(([k, v]) => `${k}: ${v}`).join('\n')}\nDescription: ${name}\n long description\n .\n more\n\n`;
}

/** A dpkg .list: every parent directory, then the files, as absolute paths. */
function list(paths: string[]): string {
  const dirs = new Set<string>();
  for (const p of paths) for (let i = p.indexOf('/'); i > 0; i = p.indexOf('/', i + 1)) dirs.add(p.slice(0, i));
  return ['/.', ...[...dirs].map((d) => `/${d}`), ...paths.map((p) => `/${p}`)].join('\n') + '\n';
}

function record(sitePackagesRelative: string[]): string {
  return sitePackagesRelative.map((p) => `${p.includes(',') ? `"${p}"` : p},sha256=x,1`).join('\n') + '\n';
}

function pkg(r: AttributionResult, ecosystem: string, name: string): InstalledPackage {
  const found = r.packages.filter((p) => p.ecosystem === ecosystem && p.name === name);
  expect(found, `${ecosystem} ${name}`).toHaveLength(1);
  return found[0]!;
}

const SP = 'usr/local/lib/python3.11/site-packages';

// Files per package, with the sizes the fixture writes. Final paths; `listed` is what the database says.
const bash = { 'usr/bin/bash': 1_265_648, 'usr/share/doc/bash/copyright': 18_231 };
const libc6 = { 'usr/lib/x86_64-linux-gnu/libc.so.6': 1_922_136, 'etc/ld.so.conf.d/x86_64-linux-gnu.conf': 68 };
const gcc = { 'usr/bin/x86_64-linux-gnu-gcc-12': 1_068_920, 'usr/lib/gcc/x86_64-linux-gnu/12/cc1': 34_100_000 };
const pydev = { 'usr/include/python3.11/Python.h': 3_224, 'usr/lib/x86_64-linux-gnu/libpython3.11.a': 12_400_000 };
const torch = {
  [`${SP}/torch/__init__.py`]: 72_000,
  [`${SP}/torch/lib/libtorch_cuda.so`]: 1_500_000_000,
  [`${SP}/torch/odd,name.py`]: 11,
  'usr/local/bin/torchrun': 230,
};
const cudnn = { [`${SP}/nvidia/cudnn/lib/libcudnn.so.9`]: 110_000, [`${SP}/nvidia/cudnn/lib/libcudnn_ops.so.9`]: 800_000_000 };
const cublas = { [`${SP}/nvidia/cublas/lib/libcublas.so.12`]: 100_000_000 };
const nvidiaInit = { [`${SP}/nvidia/__init__.py`]: 57 };
const numpy = {
  'opt/conda/lib/python3.11/site-packages/numpy/core/_multiarray_umath.so': 9_000_000,
  'opt/conda/lib/python3.11/site-packages/numpy/__init__.py': 10_000,
};
const express = { 'app/node_modules/express/index.js': 224, 'app/node_modules/express/lib/router/index.js': 12_000 };
const debug = { 'app/node_modules/express/node_modules/debug/src/index.js': 314 };
const typesNode = { 'app/node_modules/@types/node/index.d.ts': 3_000_000 };
const unownedFiles = { 'etc/passwd': 922, 'etc/foo.conf': 10, 'app/node_modules/.bin/express': 40, 'app/node_modules/mystery/index.js': 5, 'app/package.json': 300 };

function debianPythonImage(): ImageFixture {
  const fx = new ImageFixture();
  const status0 = paragraph('bash', '5.2.15-2+b7', { Architecture: 'amd64', 'Installed-Size': '7175' })
    + paragraph('libc6', '2.36-9+deb12u7', { Architecture: 'amd64', 'Multi-Arch': 'same' })
    + paragraph('libfoo1', '1.0', { Status: 'deinstall ok config-files' });
  fx.layer('ADD rootfs.tar.xz / # buildkit')
    .text('var/lib/dpkg/status', status0)
    // Merged /usr: the lists still say /bin and /lib, the files live under usr/.
    .text('var/lib/dpkg/info/bash.list', list(['bin/bash', 'usr/share/doc/bash/copyright']))
    .text('var/lib/dpkg/info/libc6:amd64.list', list(['lib/x86_64-linux-gnu/libc.so.6', 'etc/ld.so.conf.d/x86_64-linux-gnu.conf']))
    .files(bash).files(libc6).files({ 'etc/passwd': 922, 'etc/foo.conf': 10 });
  fx.layer('RUN /bin/sh -c apt-get update && apt-get install -y gcc-12 libpython3.11-dev')
    .text('var/lib/dpkg/status', status0 + paragraph('gcc-12', '12.2.0-14', { Architecture: 'amd64' })
      + paragraph('libpython3.11-dev', '3.11.2-6', { Architecture: 'amd64', 'Multi-Arch': 'same' }))
    .text('var/lib/dpkg/info/gcc-12.list', list(Object.keys(gcc)))
    .text('var/lib/dpkg/info/libpython3.11-dev:amd64.list', list(Object.keys(pydev)))
    .files(gcc).files(pydev);
  const torchRecord = [...Object.keys(torch).map((p) => p.startsWith(SP) ? p.slice(SP.length + 1) : '../../../bin/torchrun'),
    'torch-2.3.0.dist-info/METADATA', 'torch-2.3.0.dist-info/RECORD'];
  fx.layer('RUN /bin/sh -c pip install torch')
    .text(`${SP}/torch-2.3.0.dist-info/METADATA`, 'Metadata-Version: 2.1\nName: torch\nVersion: 2.3.0\n\nTensors.\n')
    .text(`${SP}/torch-2.3.0.dist-info/RECORD`, record(torchRecord))
    // No METADATA captured for cudnn: name and version come from the directory.
    .text(`${SP}/nvidia_cudnn_cu12-9.1.0.70.dist-info/RECORD`, record(['nvidia/__init__.py', ...Object.keys(cudnn).map((p) => p.slice(SP.length + 1))]))
    .text(`${SP}/nvidia_cublas_cu12-12.1.3.1.dist-info/METADATA`, 'Name: nvidia-cublas-cu12\nVersion: 12.1.3.1\n')
    .text(`${SP}/nvidia_cublas_cu12-12.1.3.1.dist-info/RECORD`, record(['nvidia/__init__.py', ...Object.keys(cublas).map((p) => p.slice(SP.length + 1))]))
    .text(`${SP}/six-1.16.0.dist-info/RECORD`, record(['six.py']))
    .file(`${SP}/six.py`, 34_549)
    .files(torch).files(cudnn).files(cublas).files(nvidiaInit);
  fx.layer('RUN /bin/sh -c pip uninstall -y six')
    .remove(`${SP}/six-1.16.0.dist-info/RECORD`).remove(`${SP}/six.py`);
  const condaSp = 'lib/python3.11/site-packages';
  fx.layer('RUN /bin/sh -c conda install -y numpy')
    .text('opt/conda/conda-meta/numpy-1.26.4-py311h64a7726_0.json', JSON.stringify({
      name: 'numpy', version: '1.26.4', build: 'py311h64a7726_0',
      files: [...Object.keys(numpy).map((p) => p.slice('opt/conda/'.length)), `${condaSp}/numpy-1.26.4.dist-info/METADATA`],
    }))
    // conda's numpy ships a dist-info too; it must not show up a second time as a pip package.
    .text(`opt/conda/${condaSp}/numpy-1.26.4.dist-info/METADATA`, 'Name: numpy\nVersion: 1.26.4\n')
    .files(numpy);
  fx.layer('RUN /bin/sh -c npm ci')
    .text('app/node_modules/express/package.json', '{"name":"express","version":"4.19.2"}')
    .text('app/node_modules/express/node_modules/debug/package.json', '{"name":"debug","version":"2.6.9"}')
    .text('app/node_modules/@types/node/package.json', '{"name":"@types/node","version":"20.14.2"}')
    .files(express).files(debug).files(typesNode)
    .files({ 'app/node_modules/.bin/express': 40, 'app/node_modules/mystery/index.js': 5, 'app/package.json': 300 });
  return fx;
}

describe('attributePackages on a Debian + pip + conda + npm image', () => {
  const fx = debianPythonImage();
  const files = fx.finalFiles();
  const r = attributePackages({ files: files.values(), captures: fx.captures() });
  const sizeOf = (path: string) => files.find((f) => f.path === path)!.size;

  it('attributes dpkg packages through merged-/usr paths, at the layer of their .list', () => {
    expect(pkg(r, 'deb', 'bash')).toMatchObject({ version: '5.2.15-2+b7', bytes: sum(bash), files: 2, layer: 0, installedSize: 7175 * 1024 });
    expect(pkg(r, 'deb', 'libc6')).toMatchObject({ bytes: sum(libc6), files: 2, layer: 0 });
    expect(pkg(r, 'deb', 'gcc-12')).toMatchObject({ bytes: sum(gcc), files: 2, layer: 1 });
    expect(pkg(r, 'deb', 'libpython3.11-dev')).toMatchObject({ bytes: sum(pydev), layer: 1 });
    expect(r.packages.some((p) => p.name === 'libfoo1')).toBe(false);
  });

  it('attributes pip packages from RECORD, including files outside site-packages', () => {
    const torchMeta = sizeOf(`${SP}/torch-2.3.0.dist-info/METADATA`) + sizeOf(`${SP}/torch-2.3.0.dist-info/RECORD`);
    expect(pkg(r, 'pip', 'torch')).toMatchObject({ version: '2.3.0', bytes: sum(torch) + torchMeta, files: 6, layer: 2 });
    // nvidia/__init__.py is in both RECORDs: the first by path (cublas) gets it.
    const cublasMeta = sizeOf(`${SP}/nvidia_cublas_cu12-12.1.3.1.dist-info/METADATA`);
    expect(pkg(r, 'pip', 'nvidia-cublas-cu12')).toMatchObject({ version: '12.1.3.1', bytes: sum(cublas) + sum(nvidiaInit), files: 2 });
    expect(cublasMeta).toBeGreaterThan(0); // listed nowhere in its RECORD, so unowned
    expect(pkg(r, 'pip', 'nvidia_cudnn_cu12')).toMatchObject({ version: '9.1.0.70', bytes: sum(cudnn), files: 2, paths: 3 });
  });

  it('ignores databases removed later and lists a conda package once', () => {
    expect(r.packages.some((p) => p.name === 'six')).toBe(false);
    expect(pkg(r, 'conda', 'numpy')).toMatchObject({ version: '1.26.4', bytes: sum(numpy) + sizeOf(`opt/conda/lib/python3.11/site-packages/numpy-1.26.4.dist-info/METADATA`), layer: 4 });
    expect(r.packages.filter((p) => p.name === 'numpy')).toHaveLength(1);
  });

  it('gives npm packages their directory minus nested packages', () => {
    const pj = (p: string) => sizeOf(`app/node_modules/${p}/package.json`);
    expect(pkg(r, 'npm', 'express')).toMatchObject({ version: '4.19.2', bytes: sum(express) + pj('express'), files: 3, layer: 5 });
    expect(pkg(r, 'npm', 'debug')).toMatchObject({ bytes: sum(debug) + pj('express/node_modules/debug'), files: 2 });
    expect(pkg(r, 'npm', '@types/node')).toMatchObject({ bytes: sum(typesNode) + pj('@types/node'), files: 2 });
  });

  it('counts everything else as unowned and sorts packages by size', () => {
    const owned = r.packages.reduce((a, p) => a + p.bytes, 0);
    const total = files.reduce((a, f) => a + f.size, 0);
    expect(owned + r.unowned.bytes).toBe(total);
    // Unowned: the extras, dpkg's own database, conda-meta, and dist-info files their RECORD omits.
    const metadata = files.filter((f) => f.path.startsWith('var/lib/dpkg/') || f.path.startsWith('opt/conda/conda-meta/')
      || /nvidia_cu(blas|dnn)_cu12-.*dist-info\//.test(f.path));
    expect(metadata.map((f) => f.path.split('/').pop()).sort()).toEqual(
      ['METADATA', 'RECORD', 'RECORD', 'bash.list', 'gcc-12.list', 'libc6:amd64.list', 'libpython3.11-dev:amd64.list', 'numpy-1.26.4-py311h64a7726_0.json', 'status']);
    expect(r.unowned.bytes).toBe(sum(unownedFiles) + metadata.reduce((a, f) => a + f.size, 0));
    expect(r.unowned.files).toBe(Object.keys(unownedFiles).length + metadata.length);
    expect(r.packages[0]!.name).toBe('torch');
    expect(r.packages.map((p) => p.bytes)).toEqual([...r.packages.map((p) => p.bytes)].sort((a, b) => b - a));
    expect(r.owners.get(`${SP}/nvidia/__init__.py`)).toBe(r.packages.indexOf(pkg(r, 'pip', 'nvidia-cublas-cu12')));
  });

  it('warns once about the dist-info without METADATA', () => {
    expect(r.warnings.map((w) => w.code)).toEqual(['pip-metadata']);
  });
});

describe('attributePackages on other layouts', () => {
  it('reads distroless status.d paragraphs with their md5sums lists', () => {
    const libc = { 'usr/lib/x86_64-linux-gnu/libc.so.6': 1_922_136, 'usr/share/doc/libc6/copyright': 25_000 };
    const fx = new ImageFixture().layer('bazel build //base:base_amd64_debian12')
      .text('var/lib/dpkg/status.d/libc6', 'Package: libc6\nVersion: 2.36-9+deb12u7\nArchitecture: amd64\nInstalled-Size: 12987\n')
      .text('var/lib/dpkg/status.d/libc6.md5sums', Object.keys(libc).map((p) => `0123456789abcdef0123456789abcdef  ${p}`).join('\n'))
      .text('var/lib/dpkg/status.d/tzdata', 'Package: tzdata\nVersion: 2024a-0+deb12u1\nInstalled-Size: 2400\n')
      .files(libc);
    const r = attributePackages({ files: fx.finalFiles(), captures: fx.captures() });
    expect(pkg(r, 'deb', 'libc6')).toMatchObject({ bytes: sum(libc), files: 2, layer: 0, paths: 2 });
    // No file list survives for tzdata: no bytes, but the recorded estimate is there to show.
    expect(pkg(r, 'deb', 'tzdata')).toMatchObject({ bytes: 0, files: 0, installedSize: 2400 * 1024 });
  });

  it('dates apk packages by the first layer whose database lists them at that version', () => {
    const apk = (pkgs: [string, string, string, string][]) =>
      pkgs.map(([n, v, dir, file]) => `C:Q1x=\nP:${n}\nV:${v}\nF:${dir}\nR:${file}\n`).join('\n') + '\n';
    const base: [string, string, string, string][] = [['musl', '1.2.4-r2', 'lib', 'ld-musl-x86_64.so.1'], ['busybox', '1.36.1-r5', 'bin', 'busybox']];
    const fx = new ImageFixture()
      .layer('ADD alpine-minirootfs-3.19.1-x86_64.tar.gz /')
      .text('lib/apk/db/installed', apk(base))
      .files({ 'lib/ld-musl-x86_64.so.1': 600_000, 'bin/busybox': 800_000 })
      .layer('RUN apk add --no-cache curl && apk upgrade busybox')
      .text('lib/apk/db/installed', apk([base[0]!, ['busybox', '1.36.1-r7', 'bin', 'busybox'], ['curl', '8.5.0-r0', 'usr/bin', 'curl']]))
      .files({ 'bin/busybox': 810_000, 'usr/bin/curl': 250_000 });
    const r = attributePackages({ files: fx.finalFiles(), captures: fx.captures() });
    expect(pkg(r, 'apk', 'musl')).toMatchObject({ layer: 0, bytes: 600_000 });
    expect(pkg(r, 'apk', 'busybox')).toMatchObject({ version: '1.36.1-r7', layer: 1, bytes: 810_000 });
    expect(pkg(r, 'apk', 'curl')).toMatchObject({ layer: 1, bytes: 250_000, files: 1 });
  });

  it('refuses a database a later layer rewrote beyond the capture cap, and says so', () => {
    const fx = new ImageFixture()
      .layer('FROM debian').text('var/lib/dpkg/status', paragraph('bash', '5.2')).text('var/lib/dpkg/info/bash.list', '/bin/bash\n').file('bin/bash', 100)
      .layer('RUN apt-get install everything').file('var/lib/dpkg/status', 20 * 1024 * 1024);
    const r = attributePackages({ files: fx.finalFiles(), captures: fx.captures() });
    expect(r.packages).toEqual([]);
    expect(r.unowned).toEqual({ bytes: 100 + 20 * 1024 * 1024 + '/bin/bash\n'.length, files: 3 });
    expect(r.warnings).toMatchObject([{ code: 'package-db-stale', entry: 'var/lib/dpkg/status', layer: 1 }]);
  });

  it('turns junk databases into warnings, not exceptions', () => {
    const junk = new Uint8Array([0xff, 0xfe, 0x00, 0x0a, 0x80, 0x3a, 0x0a]);
    const fx = new ImageFixture().layer('junk')
      .text('var/lib/dpkg/status', junk).text('lib/apk/db/installed', junk)
      .text('opt/conda/conda-meta/x.json', junk).text('app/node_modules/x/package.json', junk)
      .text(`${SP}/x-1.dist-info/RECORD`, junk).text('var/lib/dpkg/info/x.list', junk);
    const r = attributePackages({ files: fx.finalFiles(), captures: fx.captures() });
    expect(r.packages.map((p) => `${p.ecosystem}:${p.name}`)).toEqual(['pip:x']);
    expect(new Set(r.warnings.map((w) => w.code))).toEqual(new Set(['dpkg-status', 'apk-db', 'conda-meta', 'npm-package-json', 'pip-metadata']));
  });

  // Scale, not speed: speed is the bench's business (no wall-clock assertions in tests); a quadratic
  // owner search would still show here as a run that outlives the test timeout.
  it('attributes 300k files across 3000 packages of two ecosystems', () => {
    const files: { path: string; size: number; layer: number }[] = [];
    let status = '';
    const captures = [];
    const enc = new TextEncoder();
    for (let p = 0; p < 1000; p++) {
      const paths = Array.from({ length: 100 }, (_, i) => `usr/lib/pkg${p}/file${i}.so`);
      for (const path of paths) files.push({ path, size: 10, layer: 0 });
      status += paragraph(`pkg${p}`, '1.0');
      captures.push({ path: `var/lib/dpkg/info/pkg${p}.list`, layer: 0, bytes: enc.encode(list(paths)) });
      files.push({ path: `var/lib/dpkg/info/pkg${p}.list`, size: 1, layer: 0 });
    }
    captures.push({ path: 'var/lib/dpkg/status', layer: 0, bytes: enc.encode(status) });
    files.push({ path: 'var/lib/dpkg/status', size: 1, layer: 0 });
    for (let m = 0; m < 2000; m++) {
      const dir = `app/node_modules/m${m}`;
      captures.push({ path: `${dir}/package.json`, layer: 1, bytes: enc.encode(`{"name":"m${m}","version":"1.0.0"}`) });
      files.push({ path: `${dir}/package.json`, size: 1, layer: 1 });
      for (let i = 0; i < 100; i++) files.push({ path: `${dir}/lib/deep/f${i}.js`, size: 1, layer: 1 });
    }
    const r = attributePackages({ files, captures });
    expect(r.packages).toHaveLength(3000);
    expect(r.unowned.files).toBe(1001);
    expect(pkg(r, 'deb', 'pkg7')).toMatchObject({ bytes: 1000, files: 100 });
  });
});
