// Reading the small JSON documents of an archive (manifest.json, index.json, configs) defensively:
// a hostile archive may hold anything, so every field is checked before use and objects are
// never merged into ours (no prototype pollution through `__proto__` keys).

const decoder = new TextDecoder('utf-8', { fatal: false });

/** JSON documents larger than this are not image metadata; refuse before parsing. */
export const MAX_JSON_BYTES = 32 * 1024 * 1024;

export class FormatError extends Error {
  constructor(message: string, readonly entry?: string) {
    super(message);
    this.name = 'FormatError';
  }
}

export function parseJson(bytes: Uint8Array, entry: string): unknown {
  if (bytes.length > MAX_JSON_BYTES) {
    throw new FormatError(`${entry} is ${bytes.length} bytes: too large to be image metadata`, entry);
  }
  try {
    return JSON.parse(decoder.decode(bytes));
  } catch (e) {
    throw new FormatError(`${entry} is not valid JSON (${(e as Error).message})`, entry);
  }
}

export type JsonObject = { readonly [key: string]: unknown };

export function isObject(v: unknown): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Own property only: a key like `__proto__` or `constructor` never reaches the prototype. */
export function field(obj: unknown, key: string): unknown {
  return isObject(obj) && Object.prototype.hasOwnProperty.call(obj, key) ? obj[key] : undefined;
}

export function str(obj: unknown, key: string): string | undefined {
  const v = field(obj, key);
  return typeof v === 'string' ? v : undefined;
}

export function num(obj: unknown, key: string): number | undefined {
  const v = field(obj, key);
  return typeof v === 'number' && Number.isFinite(v) ? v : undefined;
}

export function arr(obj: unknown, key: string): unknown[] {
  const v = field(obj, key);
  return Array.isArray(v) ? v : [];
}

export function strings(obj: unknown, key: string): string[] {
  return arr(obj, key).filter((s): s is string => typeof s === 'string');
}

/** Keys of an object-valued field (ExposedPorts, Volumes), as a list. */
export function keysOf(obj: unknown, key: string): string[] {
  const v = field(obj, key);
  return isObject(v) ? Object.keys(v) : [];
}

/** String pairs of an object-valued field (Labels, annotations). */
export function pairsOf(obj: unknown, key: string): [string, string][] {
  const v = field(obj, key);
  if (!isObject(v)) return [];
  return Object.keys(v).flatMap((k) => (typeof v[k] === 'string' ? [[k, v[k] as string] as [string, string]] : []));
}
