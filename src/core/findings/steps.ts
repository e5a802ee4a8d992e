// What a history step did, for the layer-caching findings: a COPY/ADD (its sources when the
// history shows them), a dependency install, a download. History writes steps in three shapes:
//  - BuildKit and kaniko keep the instruction as written: `COPY --chown=app . /app # buildkit`,
//    `RUN /bin/sh -c pip install -r requirements.txt # buildkit`;
//  - the classic builder, podman and buildah hide a COPY's sources behind a digest:
//    `/bin/sh -c #(nop) COPY dir:3a4b... in /app `, `#(nop) COPY file:9f1c... in /app/requirements.txt `;
//  - a base image's rootfs: `/bin/sh -c #(nop) ADD file:... in / `.
// So a COPY of code is told from a COPY of a requirements file by the files the layer holds too.

import { cleanStep } from './fixes';

export interface CopyStep {
  op: 'COPY' | 'ADD';
  /** The sources as written, or undefined when the history shows only a digest (`dir:…`). */
  sources: string[] | undefined;
  /** `COPY --from=stage`: from another stage or image, not from the build context. */
  fromStage: boolean;
}

/** The COPY/ADD a history step records, or undefined for any other step. */
export function copyStep(createdBy: string): CopyStep | undefined {
  const s = cleanStep(createdBy);
  const m = /^(COPY|ADD)\s+(.*)$/.exec(s);
  if (!m) return undefined;
  const op = m[1] as 'COPY' | 'ADD';
  const rest = m[2]!;
  if (/^(?:dir|file|multi):[0-9a-f]+\s+in\s/.test(rest)) return { op, sources: undefined, fromStage: false };
  const words = rest.split(' ');
  const flags = words.filter((w) => w.startsWith('--'));
  const args = words.filter((w) => !w.startsWith('--'));
  let sources = args.slice(0, -1);
  // The exec form, `COPY ["a b", "/dest/"]`: BuildKit keeps the JSON as written.
  if (args[0]?.startsWith('[')) {
    try {
      const list: unknown = JSON.parse(args.join(' '));
      if (Array.isArray(list)) sources = list.slice(0, -1).map(String);
    } catch { /* not JSON after all: the split words stand */ }
  }
  return { op, sources, fromStage: flags.some((f) => f.startsWith('--from=')) };
}

export type InstallTool = 'pip' | 'conda' | 'npm' | 'system' | 'other';

// Dependency installers, by what their manifest is. `pip install --no-deps .` installs only the
// application itself (the right last step), so it is not counted.
const INSTALLERS: { tool: InstallTool; re: RegExp }[] = [
  { tool: 'pip', re: /\b(?:pip[0-9.]*|python[0-9.]*\s+-m\s+pip)\s+install\b|\buv\s+(?:pip\s+install|sync)\b|\b(?:poetry|pdm)\s+install\b|\bpipenv\s+(?:install|sync)\b/ },
  { tool: 'conda', re: /\b(?:conda|mamba|micromamba)\s+(?:env\s+)?(?:install|create|update)\b/ },
  { tool: 'npm', re: /\bnpm\s+(?:ci|install|i)\b|\byarn(?:\s+install\b|\s+--frozen-lockfile|\s+--immutable|\s*(?:&&|;|$))|\bpnpm\s+(?:install|i)\b/ },
  { tool: 'system', re: /\bapt(?:-get)?\s+(?:-\S+\s+)*install\b|\bapk\s+(?:--\S+\s+)*add\b|\b(?:dnf|yum|microdnf|zypper)\s+(?:-\S+\s+)*install\b/ },
  { tool: 'other', re: /\bbundle\s+install\b|\bcomposer\s+install\b|\bgo\s+mod\s+download\b|\bcargo\s+fetch\b/ },
];

/** The installers a RUN step runs, in the order above; empty for anything else. */
export function installTools(createdBy: string): InstallTool[] {
  const s = cleanStep(createdBy);
  if (!s.startsWith('RUN ')) return [];
  if (/\s--no-deps\b/.test(s) && /\binstall\b[^&;|]*\s\.(?:\s|$)/.test(s)) return [];
  return INSTALLERS.filter((i) => i.re.test(s)).map((i) => i.tool);
}

/** A RUN that only fetches something from outside the build context (a model, a tarball, a repository). */
export function isDownload(createdBy: string): boolean {
  const s = cleanStep(createdBy);
  if (!s.startsWith('RUN ')) return false;
  return /\b(?:curl|wget|git\s+clone|huggingface-cli\s+download|hf\s+download|aws\s+s3\s+cp|gsutil\s+(?:-m\s+)?cp)\b/.test(s);
}

// Files that say what to install, not what the application does: copying these alone before the
// install is the pattern the caching findings recommend.
const MANIFEST = /^(?:requirements[^/]*\.(?:txt|in)|constraints[^/]*\.txt|Pipfile(?:\.lock)?|pyproject\.toml|poetry\.lock|uv\.lock|pdm\.lock|setup\.(?:py|cfg)|environment[^/]*\.ya?ml|conda-lock\.ya?ml|package(?:-lock)?\.json|npm-shrinkwrap\.json|yarn\.lock|\.yarnrc(?:\.yml)?|pnpm-lock\.yaml|pnpm-workspace\.yaml|\.npmrc|go\.(?:mod|sum)|Cargo\.(?:toml|lock)|Gemfile(?:\.lock)?|composer\.(?:json|lock))$/;
// Built packages to install from: wheels, sdists, .deb/.rpm/.apk files.
const ARTIFACT = /\.(?:whl|deb|rpm|apk|tar\.gz|tgz|zip|egg)$/;
const SOURCE = /\.(?:py|pyx|ipynb|js|mjs|cjs|jsx|ts|tsx|vue|svelte|go|rs|java|kt|scala|rb|php|c|cc|cpp|cxx|h|hpp|cs|swift|sh|pl|lua|ex|exs|erl|clj|r|jl|html|css|scss)$/;
// Installed dependencies (a venv or node_modules copied from a builder stage) are not the code.
const DEPS_DIR = /(?:^|\/)(?:site-packages|dist-packages|node_modules|\.venv|venv)\//;
// A COPY whose files all land here installs system files (an entrypoint script into
// usr/local/bin, a config into etc): part of the image's plumbing, not the application.
const SYSTEM_ROOT = /^(?:$|usr(?:\/(?!src(?:\/|$))|$)|etc(?:\/|$)|bin(?:\/|$)|sbin(?:\/|$)|lib(?:32|64)?(?:\/|$)|boot(?:\/|$)|var\/lib(?:\/|$))/;

const SYSTEM_DIR = /^(?:usr|etc|bin|sbin|lib|lib32|lib64|var|boot)\//;

export type CopyContent = 'code' | 'manifests' | 'artifacts' | 'data' | 'empty';

export interface LayerFile { path: string; size: number }

export interface CopyFacts {
  content: CopyContent;
  /** The deepest directory holding every file (`app` for `COPY . /app`), '' when they share none. */
  root: string;
}

/** What a COPY/ADD layer brought in, judged from its regular files. */
export function copyContent(step: CopyStep, files: Iterable<LayerFile>): CopyFacts {
  let root: string | undefined;
  let any = false;
  let source = false;
  let allManifests = true;
  let allArtifacts = true;
  let system = false;
  for (const f of files) {
    any = true;
    const slash = f.path.lastIndexOf('/');
    const dir = slash < 0 ? '' : f.path.slice(0, slash);
    root = root === undefined ? dir : commonDir(root, dir);
    const base = f.path.slice(slash + 1);
    const manifest = MANIFEST.test(base);
    if (!manifest) allManifests = false;
    if (!ARTIFACT.test(base)) allArtifacts = false;
    if (!manifest && SOURCE.test(base) && !DEPS_DIR.test(f.path)) source = true;
    if (SYSTEM_DIR.test(f.path)) system = true;
  }
  const at = root ?? '';
  if (!any) return { content: 'empty', root: at };
  if (allManifests) return { content: 'manifests', root: at };
  if (allArtifacts) return { content: 'artifacts', root: at };
  // `COPY . /app` is the whole build context: every change to it changes this layer.
  const wholeContext = !step.fromStage && (step.sources ?? []).some((s) => s === '.' || s === './');
  const code = source || wholeContext;
  // `COPY . .` without a WORKDIR lands in / (root ''): code, unless it also writes system directories.
  if (SYSTEM_ROOT.test(at) && !(at === '' && code && !system)) return { content: 'data', root: at };
  return { content: code ? 'code' : 'data', root: at };
}

function commonDir(a: string, b: string): string {
  if (a === b) return a;
  const x = a.split('/');
  const y = b.split('/');
  let i = 0;
  while (i < x.length && i < y.length && x[i] === y[i]) i++;
  return x.slice(0, i).join('/');
}
