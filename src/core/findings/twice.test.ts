// A package installed twice, uv's cache and wheels left behind, through the real merge and attribution.
// Layout: python:3.11-slim's pip installs to /usr/local/lib/python3.11/site-packages; a venv made by
// `python -m venv /opt/venv` has its own lib/python3.11/site-packages. dist-info holds METADATA and
// RECORD (PEP 376/627: `path,sha256=...,size`, the RECORD row itself without hash or size). uv's cache
// is ~/.cache/uv with unpacked wheels under archive-v0/<id>/ and downloads under wheels-v*/ (uv's cache docs).
// torch 2.4.0's cp311 Linux wheel is ~797 MB; sizes are rounded real ones.
import { describe, expect, it } from 'vitest';
import { analyseSteps, recordOf, type Step } from './test-image';
import type { Finding, FindingKind } from './types';

const SP = 'usr/local/lib/python3.11/site-packages';
const VENV = 'opt/venv/lib/python3.11/site-packages';

function torch(sp: string, version: string, cpuLib: number) {
  const files = {
    'torch/__init__.py': 86_202,
    'torch/__pycache__/__init__.cpython-311.pyc': 101_440,
    'torch/lib/libtorch_cpu.so': cpuLib,
    'torch/lib/libtorch_python.so': 36_120_064,
  };
  const info = `torch-${version}.dist-info`;
  const meta = `Metadata-Version: 2.1\nName: torch\nVersion: ${version}\n`;
  const record = `${recordOf(files)}${info}/METADATA,sha256=x,${meta.length}\n${info}/RECORD,,\n`;
  return {
    lines: Object.entries(files).map(([p, s]) => `f ${sp}/${p} ${s}`),
    texts: { [`${sp}/${info}/METADATA`]: meta, [`${sp}/${info}/RECORD`]: record },
    bytes: Object.values(files).reduce((a, b) => a + b, 0) + meta.length + new TextEncoder().encode(record).length,
  };
}

function numpy(version: string) {
  const info = `numpy-${version}.dist-info`;
  const files = { 'numpy/core/_multiarray_umath.cpython-311-x86_64-linux-gnu.so': 10_201_000 };
  const meta = `Metadata-Version: 2.1\nName: numpy\nVersion: ${version}\n`;
  return {
    lines: Object.entries(files).map(([p, s]) => `f ${SP}/${p} ${s}`),
    texts: { [`${SP}/${info}/METADATA`]: meta, [`${SP}/${info}/RECORD`]: `${recordOf(files)}${info}/RECORD,,\n` },
  };
}

const base222 = torch(SP, '2.2.2', 451_400_184);
const venv240 = torch(VENV, '2.4.0', 487_152_472);
const np1 = numpy('1.26.4');
const np2 = numpy('2.0.0');

const uvCache = {
  'root/.cache/uv/archive-v0/Xk2bP0/torch/lib/libtorch_cpu.so': 487_152_472,
  'root/.cache/uv/wheels-v1/index/b2a7/torch/torch-2.4.0-cp311-cp311-manylinux1_x86_64.http': 1_024,
};
const strayWheels = {
  'tmp/wheels/torch-2.4.0-cp311-cp311-manylinux1_x86_64.whl': 797_212_160,
  'app/dist/app-1.0-py3-none-any.whl': 18_220,
};

function steps(): Step[] {
  return [
    { command: 'RUN /bin/sh -c pip install torch==2.2.2 numpy==1.26.4', lines: [...base222.lines, ...np1.lines], texts: { ...base222.texts, ...np1.texts } },
    {
      // pip upgrading numpy in place removes the old dist-info: that is removed-later, not a second install.
      command: 'RUN /bin/sh -c pip install -U numpy==2.0.0',
      lines: [`wh ${SP}/numpy-1.26.4.dist-info`, ...np2.lines],
      texts: np2.texts,
    },
    {
      command: 'RUN /bin/sh -c python -m venv /opt/venv && /opt/venv/bin/pip install torch==2.4.0 && uv pip install --python /opt/venv/bin/python app',
      lines: [...venv240.lines, ...Object.entries(uvCache).map(([p, s]) => `f ${p} ${s}`)],
      texts: venv240.texts,
    },
    { command: 'COPY dist/ /app/dist/ # buildkit', lines: Object.entries(strayWheels).map(([p, s]) => `f ${p} ${s}`) },
  ];
}

function only(findings: Finding[], kind: FindingKind): Finding {
  const found = findings.filter((f) => f.kind === kind);
  expect(found, kind).toHaveLength(1);
  return found[0]!;
}

describe('torch installed in the system site-packages and again in a venv', () => {
  const { findings, packages } = analyseSteps(steps(), { cmd: ['/opt/venv/bin/python', '-m', 'app'] });

  it('counts the lower copy whole, its byte-code included, and names both copies', () => {
    expect(packages.filter((p) => p.name === 'torch').map((p) => [p.version, p.layer])).toEqual([['2.4.0', 2], ['2.2.2', 0]]);
    const twice = only(findings, 'package-twice');
    expect(twice).toMatchObject({ layer: 0, files: 6, bytes: base222.bytes });
    expect(twice.bytes).toBeGreaterThan(487_700_000);
    expect(twice.paths[0]).toBe(`${SP}/torch/lib/libtorch_cpu.so`);
    expect(twice.paths).toContain(`${SP}/torch/__pycache__/__init__.cpython-311.pyc`);
    expect(twice.fix).toContain(`\`torch\` 2.2.2 in \`${SP}\` (layer 0) is installed again as 2.4.0 in \`${VENV}\` (layer 2)`);
    // The venv copy's byte-code is still an ordinary pycache finding; the shadowed copy's is not counted twice.
    expect(only(findings, 'pycache')).toMatchObject({ layer: 2, files: 1, bytes: 101_440 });
  });

  it('does not call an in-place upgrade a second install', () => {
    expect(only(findings, 'package-twice').fix).not.toContain('numpy');
    expect(packages.filter((p) => p.name === 'numpy').map((p) => p.version)).toEqual(['2.0.0']);
  });

  it("finds uv's cache beside pip's and wheels left after installing", () => {
    expect(only(findings, 'uv-cache')).toMatchObject({ layer: 2, files: 2, bytes: 487_153_496 });
    expect(only(findings, 'uv-cache').fix).toContain('--no-cache');
    const wheels = only(findings, 'stray-wheels');
    expect(wheels).toMatchObject({ layer: 3, files: 2, bytes: 797_230_380, step: 'COPY dist/ /app/dist/' });
    expect(wheels.paths[0]).toBe('tmp/wheels/torch-2.4.0-cp311-cp311-manylinux1_x86_64.whl');
    expect(wheels.fix).toContain('--mount=type=bind');
  });
});
