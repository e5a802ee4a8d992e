// What to tell the user for each finding. Steps are quoted as the user wrote them in the
// Dockerfile, not as the history records them (`/bin/sh -c`, `#(nop)`, BuildKit's `# buildkit`).

import type { WasteKind } from './types';

/** The Dockerfile text of a history `created_by`, whitespace collapsed. */
export function cleanStep(createdBy: string): string {
  return createdBy
    .replace(/^(?:RUN\s+)?\/bin\/(?:ba)?sh -c\s+/, 'RUN ')
    .replace(/^RUN #\(nop\)\s*/, '')
    .replace(/\s+# buildkit$/, '')
    .replace(/\s+/g, ' ')
    .trim();
}

/** A step short enough to quote inside a sentence. */
export function quoteStep(createdBy: string | undefined, layer: number): string {
  const s = createdBy ? cleanStep(createdBy) : '';
  if (s === '') return `layer ${layer}`;
  return `layer ${layer} (\`${s.length > 80 ? `${s.slice(0, 79)}…` : s}\`)`;
}

type PlainKind = Exclude<WasteKind, 'removed-later' | 'duplicate-content' | 'cuda-duplicate' | 'package-twice' | 'gpu-unused'>;

const FIXES: Record<PlainKind, string> = {
  'apt-cache':
    'Remove apt\'s lists and downloaded .debs in the same RUN that installs: end it with '
    + '`&& rm -rf /var/lib/apt/lists/* && apt-get clean`, or use RUN --mount=type=cache,target=/var/cache/apt.',
  'pip-cache':
    'Install with `pip install --no-cache-dir` (or ENV PIP_NO_CACHE_DIR=1, or RUN --mount=type=cache,target=/root/.cache/pip).',
  'conda-pkgs':
    'End the RUN that installs with `conda clean -afy` (or `mamba clean -afy`): the package cache is only needed while installing.',
  'npm-cache':
    'Run `npm cache clean --force` in the same RUN as `npm ci`, or use RUN --mount=type=cache,target=/root/.npm.',
  pycache:
    'Python rebuilds byte-code on first import: install with `pip install --no-compile` or set ENV PYTHONDONTWRITEBYTECODE=1 '
    + '(a slower first start for a smaller image).',
  'model-weights':
    'Model weights are baked into the image: download them at start-up or mount them as a volume '
    + '(e.g. the Hugging Face cache), so a code change does not re-ship them.',
  'build-tools':
    'Compilers, headers and -dev packages are only needed to build: use a multi-stage build, compiling in a builder '
    + 'stage and COPYing only the results into a slim runtime stage.',
  'static-libs':
    'Static libraries (*.a) are only used when linking: delete them in the RUN that installs them, or build in a separate stage.',
  'uv-cache':
    'Install with `uv pip install --no-cache` (or ENV UV_NO_CACHE=1, or RUN --mount=type=cache,target=/root/.cache/uv).',
  'stray-wheels':
    'Wheels copied in to install from stay in the layer: install from a bind mount (`RUN --mount=type=bind,from=builder,source=/wheels,target=/wheels pip install /wheels/*.whl`), '
    + 'or delete them in the same RUN that installs them.',
  'cuda-devel':
    'CUDA headers, static libraries, nvcc and Nsight are only needed to compile: build FROM an `nvidia/cuda:*-devel` stage and COPY the results '
    + 'into an `nvidia/cuda:*-runtime` (or `-cudnn-runtime`) stage, or start from the `-runtime` tag if nothing is compiled.',
};

export function fixFor(kind: PlainKind): string {
  return FIXES[kind];
}

export function removedLaterFix(commands: readonly string[], layer: number, removedBy: number): string {
  const a = quoteStep(commands[layer], layer);
  const b = quoteStep(commands[removedBy], removedBy);
  let fix = `Files written by ${a} are deleted or replaced by ${b}, but ${`layer ${layer}`} still ships them. `
    + 'Do both in one RUN (create, use and delete in the same step), or use a multi-stage build.';
  if (/\bch(?:own|mod)\b/.test(commands[removedBy] ?? '')) {
    fix += ' A chown/chmod in a later step copies every file it touches: use COPY --chown/--chmod instead.';
  }
  return fix;
}

/**
 * Byte-code under dist-packages comes from Debian's python3-* packages, compiled by py3compile at
 * install: pip's flags do not apply there, and deleting them costs a slower first import.
 */
export function pycacheFix(paths: readonly string[]): string {
  if (!paths.some((p) => p.includes('/dist-packages/'))) return FIXES.pycache;
  return 'These .pyc files come from Debian\'s python3 packages (py3compile compiles them at install). If the image '
    + 'does not run that code, delete them in the same RUN as apt-get install: '
    + '`find /usr/lib/python3 -name __pycache__ -prune -exec rm -rf {} +`; keep them if start-up time matters.';
}

export function duplicateFix(example: { path: string; same: string }, groups: number): string {
  const more = groups > 1 ? ` (and ${groups - 1} more sets of identical files)` : '';
  // The loader hint only helps for shared libraries (a CUDA install beside pip's nvidia wheels).
  const library = /\.so(\.\d+)*$/.test(example.path);
  return `\`${example.path}\` has the same bytes as \`${example.same}\`${more}. Keep one copy: delete the duplicate `
    + 'in the RUN that creates it and symlink or hard-link it to the other'
    + (library ? ', or point the loader at the other copy (e.g. LD_LIBRARY_PATH to site-packages/nvidia/*/lib rather than a second CUDA install).' : '.');
}

export interface CudaPair { path: string; other: string; soname: string }

export function cudaDuplicateFix(example: CudaPair, libraries: number): string {
  const more = libraries > 1 ? ` (and ${libraries - 1} more libraries)` : '';
  return `\`${example.path}\` and \`${example.other}\` are the same CUDA library (${example.soname})${more}, shipped once by pip's nvidia-* wheels `
    + 'and once by the system CUDA. Keep one: either an `nvidia/cuda:*-runtime` base whose CUDA torch uses, without the wheels\' copy '
    + '(install torch with `--no-deps` and its other requirements, or a build linked against the system CUDA), '
    + 'or the wheels on a plain base without CUDA (`debian:bookworm-slim`, `python:3.12-slim`): the wheels bring every library torch loads.';
}

export function gpuUnusedFix(): string {
  return 'Heuristic: the image ships CUDA libraries, but neither its entrypoint/cmd, its environment (NVIDIA_VISIBLE_DEVICES) nor its '
    + 'packages show GPU use. If it runs on CPU only, install torch\'s CPU-only build (the `+cpu` wheels from PyTorch\'s CPU index) '
    + 'and drop the nvidia-* wheels and any CUDA base; if it does use a GPU, ignore this finding.';
}

export interface PackageCopy { name: string; version?: string; where: string; layer: number }

export function packageTwiceFix(pairs: readonly { shadowed: PackageCopy; used: PackageCopy }[]): string {
  const shown = pairs.slice(0, 3).map(({ shadowed: s, used: u }) =>
    `\`${s.name}\`${s.version ? ` ${s.version}` : ''} in \`${s.where}\` (layer ${s.layer}) is installed again`
    + `${u.version && u.version !== s.version ? ` as ${u.version}` : ''} in \`${u.where}\` (layer ${u.layer})`);
  const more = pairs.length > 3 ? ` (and ${pairs.length - 3} more packages)` : '';
  return `${shown.join('; ')}${more}. Only one copy is imported, so the other is dead weight: install the package once, `
    + 'in one environment (upgrade it in the base\'s environment, or build FROM a base without it).';
}
