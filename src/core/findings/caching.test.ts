// The layer-caching findings on images with the history of real Dockerfiles, created_by written as
// BuildKit (`COPY . /app # buildkit`, `RUN /bin/sh -c ... # buildkit`) and as the classic builder
// and podman write it (`/bin/sh -c #(nop) COPY dir:<digest> in /app `), analysed as the CLI does.
import { describe, expect, it } from 'vitest';
import { analyseSteps, type Step } from './test-image';
import type { Finding } from './types';

const SP = 'usr/local/lib/python3.12/site-packages';
const BASE: Step = {
  command: '/bin/sh -c #(nop) ADD file:4b03b5f551e3fbdf47ec609712007327828f7530cc3455c43bbcdcaf449a75a9 in / ',
  lines: ['f usr/bin/bash 1265648', 'f etc/os-release 267', 'f usr/lib/os-release.sh 900'],
};
// A small Flask-like application: 4,000 + 60 + 20,000 = 24,060 bytes.
const APP = ['f app/main.py 4000', 'f app/requirements.txt 60', 'f app/static/logo.png 20000'];
// What `pip install -r requirements.txt` writes: 150,000,000 + 2,000,000 + 400 = 152,000,400 bytes.
const DEPS = [`f ${SP}/torch/lib/libtorch_cpu.so 150000000`, `f ${SP}/numpy/core/_multiarray_umath.so 2000000`, `f ${SP}/flask/__init__.py 400`];

const caching = (steps: Step[]): Finding[] => analyseSteps(steps).findings.filter((f) => f.rebuilt);

describe('dependencies installed after the code is copied', () => {
  it('names the COPY of the code and the pip install above it, with the bytes every code change rebuilds', () => {
    const found = caching([
      BASE,
      { command: 'COPY . /app # buildkit', lines: APP },
      { command: 'RUN /bin/sh -c pip install -r requirements.txt # buildkit', lines: DEPS },
    ]);
    expect(found.map((f) => [f.kind, f.layer, f.codeLayer, f.bytes, f.files])).toEqual([['deps-after-code', 2, 1, 152_000_400, 3]]);
    const [f] = found;
    expect(f).toMatchObject({ step: 'RUN pip install -r requirements.txt', codeStep: 'COPY . /app', rebuilt: true, paths: [`${SP}/torch/lib/libtorch_cpu.so`, `${SP}/numpy/core/_multiarray_umath.so`, `${SP}/flask/__init__.py`] });
    expect(f!.heuristic).toBeUndefined();
    expect(f!.fix).toBe('layer 2 (`RUN pip install -r requirements.txt`) installs dependencies after layer 1 (`COPY . /app`) copies the '
      + 'application code, so every code change reinstalls them and rebuilds and re-ships 152 MB. Copy the requirements file first, '
      + 'install, then copy the rest: `COPY requirements.txt .` (or pyproject.toml and its lock file), then `RUN pip install -r requirements.txt`, then `COPY . .`.');
  });

  it('takes `COPY . .` without a WORKDIR (the code lands in /) for code too', () => {
    const found = caching([
      BASE,
      { command: 'COPY . . # buildkit', lines: ['f main.py 4000', 'f requirements.txt 60'] },
      { command: 'RUN /bin/sh -c pip install -r requirements.txt # buildkit', lines: DEPS },
    ]);
    expect(found.map((f) => [f.kind, f.layer, f.codeLayer, f.bytes])).toEqual([['deps-after-code', 2, 1, 152_000_400]]);
  });

  it('says nothing when the requirements file is copied first, installed, then the rest copied (the fix)', () => {
    expect(caching([
      BASE,
      { command: 'COPY requirements.txt /app/ # buildkit', lines: ['f app/requirements.txt 60'] },
      { command: 'RUN /bin/sh -c pip install --no-cache-dir -r requirements.txt # buildkit', lines: DEPS },
      { command: 'COPY . /app # buildkit', lines: APP },
    ])).toEqual([]);
  });

  it('reads podman\'s and the classic builder\'s `COPY dir:<digest> in <dest>` by the files it brought: code, then npm ci', () => {
    const found = caching([
      BASE,
      { command: '/bin/sh -c #(nop) WORKDIR /usr/src/app', lines: [] },
      { command: '/bin/sh -c #(nop) COPY dir:3a4b5c6d7e8f90112233445566778899aabbccddeeff00112233445566778899 in /usr/src/app ', lines: ['f usr/src/app/package.json 700', 'f usr/src/app/package-lock.json 90000', 'f usr/src/app/server.js 3000', 'f usr/src/app/lib/db.js 1200'] },
      { command: '/bin/sh -c npm ci --omit=dev', lines: ['f usr/src/app/node_modules/express/index.js 5000', 'f usr/src/app/node_modules/sharp/build/Release/sharp.node 40000000'] },
    ]);
    expect(found.map((f) => [f.kind, f.layer, f.codeLayer, f.bytes])).toEqual([['deps-after-code', 3, 2, 40_005_000]]);
    expect(found[0]!.codeStep).toBe('COPY dir:3a4b5c6d7e8f90112233445566778899aabbccddeeff00112233445566778899 in /usr/src/app');
    expect(found[0]!.fix).toContain('`COPY package.json package-lock.json ./`, then `RUN npm ci`, then `COPY . .`');
  });

  it('takes a podman COPY of package.json and its lock file alone for the good pattern', () => {
    expect(caching([
      BASE,
      { command: '/bin/sh -c #(nop) COPY multi:9f1c2d3e4f5a6b7c8d9e0f1a2b3c4d5e6f7a8b9c0d1e2f3a4b5c6d7e8f9a0b1c in ./ ', lines: ['f usr/src/app/package.json 700', 'f usr/src/app/package-lock.json 90000'] },
      { command: '/bin/sh -c npm ci --omit=dev', lines: ['f usr/src/app/node_modules/sharp/build/Release/sharp.node 40000000'] },
      { command: '/bin/sh -c #(nop) COPY dir:3a4b5c6d7e8f90112233445566778899aabbccddeeff00112233445566778899 in /usr/src/app ', lines: ['f usr/src/app/server.js 3000'] },
    ])).toEqual([]);
  });

  it('tells an apt-get install after the code to move above it: it does not need the code', () => {
    const found = caching([
      BASE,
      { command: 'COPY --chown=app:app . /srv/app # buildkit', lines: ['f srv/app/manage.py 800', 'f srv/app/shop/views.py 9000'] },
      { command: 'RUN /bin/sh -c apt-get update && apt-get install -y --no-install-recommends libpq5 && rm -rf /var/lib/apt/lists/* # buildkit', lines: ['f usr/lib/x86_64-linux-gnu/libpq.so.5.15 330000'] },
    ]);
    expect(found.map((f) => [f.kind, f.layer, f.codeLayer, f.bytes])).toEqual([['deps-after-code', 2, 1, 330_000]]);
    expect(found[0]!.fix).toContain('the install does not need the code at all: move it above the COPY');
  });

  it('does not take wheels, an entrypoint script or a requirements file for code, nor `pip install --no-deps .` for dependencies', () => {
    expect(caching([
      BASE,
      { command: 'COPY docker-entrypoint.sh /usr/local/bin/ # buildkit', lines: ['f usr/local/bin/docker-entrypoint.sh 1200'] },
      { command: 'COPY --from=builder /wheels /wheels # buildkit', lines: ['f wheels/torch-2.4.0-cp312-cp312-linux_x86_64.whl 800000000', 'f wheels/numpy-2.0.0-cp312-cp312-linux_x86_64.whl 19000000'] },
      { command: 'RUN /bin/sh -c apt-get update && apt-get install -y libgomp1 # buildkit', lines: ['f usr/lib/x86_64-linux-gnu/libgomp.so.1.0.0 300000'] },
      { command: 'RUN /bin/sh -c pip install --no-cache-dir /wheels/*.whl # buildkit', lines: DEPS },
      { command: 'COPY . /app # buildkit', lines: APP },
      { command: 'RUN /bin/sh -c pip install --no-deps . # buildkit', lines: [`f ${SP}/shop/__init__.py 4000`] },
    ])).toEqual([]);
  });
});

describe('a large layer above a small COPY of code it does not use (a heuristic)', () => {
  it('finds a venv copied from a builder stage above the code, says it is a heuristic, and names both steps', () => {
    const found = caching([
      BASE,
      { command: 'COPY . /app # buildkit', lines: APP },
      { command: 'COPY --from=builder /opt/venv /opt/venv # buildkit', lines: ['f opt/venv/lib/python3.12/site-packages/torch/lib/libtorch_cpu.so 80000000', 'f opt/venv/lib/python3.12/site-packages/torch/__init__.py 30000'] },
    ]);
    expect(found.map((f) => [f.kind, f.layer, f.codeLayer, f.bytes, f.heuristic])).toEqual([['large-after-code', 2, 1, 80_030_000, true]]);
    expect(found[0]!.fix).toBe('Heuristic: layer 2 (`COPY --from=builder /opt/venv /opt/venv`) adds 80.0 MB above layer 1 (`COPY . /app`), '
      + '24.1 kB of application code, and does not seem to use that code (none of its files is under /app). Every code change rebuilds '
      + 'and re-ships those 80.0 MB: move the step below the COPY of the code (what changes rarely belongs low), unless it does read the code.');
  });

  it('finds a model download above the code, but not a step that writes into the code\'s directory or a small layer', () => {
    const found = caching([
      BASE,
      { command: 'COPY src/ /app/ # buildkit', lines: ['f app/serve.py 3000', 'f app/model.py 6000'] },
      { command: 'RUN /bin/sh -c huggingface-cli download org/small-model --local-dir /models # buildkit', lines: ['f models/model.safetensors 500000000'] },
      { command: 'RUN /bin/sh -c python -m compileall /app # buildkit', lines: ['f app/__pycache__/model.cpython-312.pyc 9000000'] },
      { command: 'RUN /bin/sh -c wget -q -O /app/weights.bin https://models.example.test/w.bin # buildkit', lines: ['f app/weights.bin 300000000'] },
      { command: 'COPY config/ /etc/app/ # buildkit', lines: ['f etc/app/settings.yaml 900'] },
    ]);
    expect(found.map((f) => [f.kind, f.layer, f.codeLayer, f.bytes])).toEqual([['large-after-code', 2, 1, 500_000_000]]);
  });
});
