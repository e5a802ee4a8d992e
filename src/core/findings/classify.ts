// Path rules for the findings that a single file's path (and size) decides. Called once per final
// file, so each rule starts with a cheap prefix or suffix test.

import { isCudaDevel } from './cuda';
import type { WasteKind } from './types';

/** "> 10 MB": smaller .bin/.pt files are usually not weights (firmware, tokenizer tables). */
export const MODEL_WEIGHTS_MIN = 10_000_000;

const WEIGHT_EXT = new Set(['pt', 'pth', 'safetensors', 'bin', 'onnx', 'ckpt', 'gguf']);

// Miniconda/Miniforge/Mambaforge installs keep the same pkgs/ cache under their own directory names.
const CONDA_PKGS = /^(?:[^/]+\/)?(?:conda|miniconda3?|miniforge3?|mambaforge|anaconda3?|micromamba)\/pkgs\//;

// gcc, g++, cc, c++, cc1, cc1plus, clang, clang++, optionally target-prefixed and versioned
// (x86_64-linux-gnu-gcc-12, clang-17).
const COMPILER = /^(?:[a-z0-9_]+-[a-z0-9_]+-[a-z0-9_]+-)?(?:gcc|g\+\+|cc|c\+\+|cc1|cc1plus|lto1|clang|clang\+\+)(?:-\d+(?:\.\d+)*)?$/;

function underHome(path: string, sub: string): boolean {
  if (!path.startsWith('home/')) return false;
  const slash = path.indexOf('/', 5);
  return slash > 5 && path.startsWith(sub, slash + 1);
}

/** Kinds in precedence order: a file goes to the first that matches, so no byte counts twice. */
export function classifyPath(path: string, size: number): WasteKind | undefined {
  if (path.startsWith('var/lib/apt/lists/') || path.startsWith('var/cache/apt/')) return 'apt-cache';
  if (path.startsWith('root/.cache/pip/') || underHome(path, '.cache/pip/')) return 'pip-cache';
  // uv keeps its wheel and source caches under ~/.cache/uv (uv's cache docs; UV_CACHE_DIR moves it).
  if (path.startsWith('root/.cache/uv/') || underHome(path, '.cache/uv/')) return 'uv-cache';
  if (path.includes('/pkgs/') && CONDA_PKGS.test(path)) return 'conda-pkgs';
  if (path.startsWith('root/.npm/') || underHome(path, '.npm/')) return 'npm-cache';
  if (path.endsWith('.pyc') || path.includes('__pycache__/')) return 'pycache';
  const base = path.slice(path.lastIndexOf('/') + 1);
  if (size > MODEL_WEIGHTS_MIN) {
    const dot = base.lastIndexOf('.');
    if (dot > 0 && WEIGHT_EXT.has(base.slice(dot + 1).toLowerCase())) return 'model-weights';
  }
  if (base.endsWith('.whl') && isStrayWheelDir(path)) return 'stray-wheels';
  if (isCudaDevel(path, base)) return 'cuda-devel';
  if (base.endsWith('.a') && base.length > 2) return 'static-libs';
  if (isBuildToolPath(path, base)) return 'build-tools';
  return undefined;
}

// A wheel pip was pointed at and nobody deleted: in /tmp, or a build/dist/wheelhouse directory
// (`pip wheel -w /wheels`, `python -m build` writes dist/). Not pip's cache (classified above).
const WHEEL_DIR = /(?:^|\/)(?:tmp|build|dist|wheels|wheelhouse)\//;

function isStrayWheelDir(path: string): boolean {
  return !path.includes('-packages/') && WHEEL_DIR.test(path);
}

function isBuildToolPath(path: string, base: string): boolean {
  if (path.startsWith('usr/include/') || path.startsWith('usr/local/include/')) return true;
  // gcc's private programs and libraries: cc1, lto1, crt*.o, plugins.
  if (path.startsWith('usr/lib/gcc/') || path.startsWith('usr/libexec/gcc/')) return true;
  const inBin = path.startsWith('usr/bin/') || path.startsWith('usr/local/bin/') || path.startsWith('bin/');
  return inBin && COMPILER.test(base);
}

/** Debian/Alpine packages that exist only to build: headers (`-dev`) and the toolchain. */
export function isBuildPackage(name: string, ecosystem: string): boolean {
  if (ecosystem !== 'deb' && ecosystem !== 'apk') return false;
  if (name.endsWith('-dev') || name === 'build-essential' || name === 'build-base') return true;
  // Not gcc-12-base or libgcc-s1: those are runtime dependencies of almost everything.
  return /^(?:gcc|g\+\+|cpp|clang|binutils)(?:-\d+(?:\.\d+)*)?$/.test(name) || /^binutils-[a-z0-9_-]+-linux-gnu$/.test(name);
}
