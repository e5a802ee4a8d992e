// Layer caching: a build reuses every layer up to the first changed step and rebuilds everything
// above it, so what changes daily (the application code) belongs on top and what changes rarely
// (OS packages, CUDA, Python, the ML libraries, models) below. From the history and each layer's
// files:
//  - deps-after-code: a dependency install above the COPY that brings in the code, so every code
//    change reinstalls the dependencies and re-ships their layer;
//  - large-after-code (a heuristic): a large layer above a small COPY of code that it does not seem
//    to use (a COPY of data or a download writing outside the code's directory).
// Their bytes are rebuilt and re-pushed per code change, not bytes the image could drop: they are
// marked `rebuilt` and never added to the other findings' savings.

import { formatBytes } from '../format';
import { cleanStep, quoteStep } from './fixes';
import { copyContent, copyStep, installTools, isDownload, type CopyFacts, type InstallTool, type LayerFile } from './steps';
import type { Finding } from './types';

/** One layer as the caching findings see it. */
export interface CachingLayer {
  /** The history's created_by. */
  command: string;
  /** dive's layer size: the sum of its entries' sizes. */
  bytes: number;
  /** Its regular files; read only for COPY/ADD layers and the layers a finding names. */
  files: () => Iterable<LayerFile>;
}

/** "large": at least this many bytes, and LARGE_RATIO times the code layer below it. */
export const LARGE_MIN = 1_000_000;
export const LARGE_RATIO = 10;
const TOP_PATHS = 20;

interface Code { layer: number; facts: CopyFacts; bytes: number }

export function findCaching(layers: readonly CachingLayer[]): Finding[] {
  const commands = layers.map((l) => l.command);
  const out: Finding[] = [];
  let code: Code | undefined;
  layers.forEach((l, i) => {
    const copy = copyStep(l.command);
    // Layer 0 is a base image's root filesystem, whatever its history says.
    if (copy && i > 0) {
      const facts = copyContent(copy, l.files());
      if (facts.content === 'code') {
        code ??= { layer: i, facts, bytes: l.bytes };
        return;
      }
      if (code && isLarge(l, code) && independentCopy(facts, code)) out.push(largeAfterCode(layers, i, code, commands));
      return;
    }
    if (!code || !(l.bytes > 0)) return;
    const tools = installTools(l.command);
    if (tools.length > 0) out.push(depsAfterCode(layers, i, code, tools, commands));
    else if (isLarge(l, code) && isDownload(l.command) && !mentions(l.command, code.facts.root) && !writesUnder(l.files(), code.facts.root)) {
      out.push(largeAfterCode(layers, i, code, commands));
    }
  });
  return out.sort((a, b) => b.bytes - a.bytes || a.layer - b.layer);
}

function isLarge(l: CachingLayer, code: Code): boolean {
  return l.bytes >= LARGE_MIN && l.bytes >= LARGE_RATIO * code.bytes;
}

function independentCopy(facts: CopyFacts, code: Code): boolean {
  if (facts.content === 'empty' || facts.content === 'code') return false;
  return !underRoot(facts.root, code.facts.root);
}

/** Whether `dir` is `root` or below it ('' as root holds everything). */
function underRoot(dir: string, root: string): boolean {
  return root === '' || dir === root || dir.startsWith(`${root}/`);
}

function writesUnder(files: Iterable<LayerFile>, root: string): boolean {
  for (const f of files) if (underRoot(f.path, root)) return true;
  return false;
}

/** Whether a command names the code's directory (`/app`, `cd app`): it may read the code. */
function mentions(command: string, root: string): boolean {
  if (root === '') return true;
  const esc = root.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`(?:^|[\\s=:"'/])/?${esc}(?:[/\\s"']|$)`).test(cleanStep(command));
}

function layerPaths(l: CachingLayer): { files: number; paths: string[] } {
  const all: LayerFile[] = [];
  for (const f of l.files()) all.push(f);
  all.sort((a, b) => b.size - a.size || (a.path < b.path ? -1 : 1));
  return { files: all.length, paths: all.slice(0, TOP_PATHS).map((f) => f.path) };
}

function base(layers: readonly CachingLayer[], i: number, code: Code, commands: readonly string[]) {
  const l = layers[i]!;
  const step = cleanStep(l.command);
  const codeStep = cleanStep(commands[code.layer]!);
  return {
    bytes: l.bytes, layer: i, ...layerPaths(l),
    ...(step ? { step } : {}),
    codeLayer: code.layer,
    ...(codeStep ? { codeStep } : {}),
    rebuilt: true as const,
  };
}

// The manifest to copy before installing, per installer.
const FIRST: Record<InstallTool, string> = {
  pip: '`COPY requirements.txt .` (or pyproject.toml and its lock file), then `RUN pip install -r requirements.txt`, then `COPY . .`',
  conda: '`COPY environment.yml .`, then `RUN conda env update -n base -f environment.yml`, then `COPY . .`',
  npm: '`COPY package.json package-lock.json ./`, then `RUN npm ci`, then `COPY . .`',
  system: 'the install does not need the code at all: move it above the COPY',
  other: 'the dependency manifest (Gemfile, composer.json, go.mod) first, install, then `COPY . .`',
};

function depsAfterCode(layers: readonly CachingLayer[], i: number, code: Code, tools: InstallTool[], commands: readonly string[]): Finding {
  const b = base(layers, i, code, commands);
  const how = [...new Set(tools)].map((t) => FIRST[t]).join('; for the system packages, ');
  const fix = `${quoteStep(commands[i], i)} installs dependencies after ${quoteStep(commands[code.layer], code.layer)} copies the application code, `
    + `so every code change reinstalls them and rebuilds and re-ships ${formatBytes(b.bytes)}. `
    + `Copy the requirements file first, install, then copy the rest: ${how}.`;
  return { kind: 'deps-after-code', ...b, fix };
}

function largeAfterCode(layers: readonly CachingLayer[], i: number, code: Code, commands: readonly string[]): Finding {
  const b = base(layers, i, code, commands);
  const where = code.facts.root ? `/${code.facts.root}` : 'the code';
  const size = formatBytes(b.bytes);
  const fix = `Heuristic: ${quoteStep(commands[i], i)} adds ${size} above ${quoteStep(commands[code.layer], code.layer)}, `
    + `${formatBytes(code.bytes)} of application code, and does not seem to use that code (none of its files is under ${where}). `
    + `Every code change rebuilds and re-ships those ${size}: move the step below the COPY of the code (what changes rarely belongs low), `
    + 'unless it does read the code.';
  return { kind: 'large-after-code', ...b, heuristic: true, fix };
}
