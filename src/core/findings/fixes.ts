// What to tell the user for each finding. Steps are quoted as the user wrote them in the
// Dockerfile, not as the history records them (`/bin/sh -c`, `#(nop)`, BuildKit's `# buildkit`).

import type { FindingKind } from './types';

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

const FIXES: Record<Exclude<FindingKind, 'removed-later' | 'duplicate-content'>, string> = {
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
};

export function fixFor(kind: keyof typeof FIXES): string {
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
