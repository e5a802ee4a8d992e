// Archive paths are untrusted: a layer may name '../../etc/passwd' or '/etc/passwd'. Extraction
// tools strip the leading '/' and refuse to climb out (GNU tar manual, "Absolute File Names");
// we normalise the same way so every path stays under the root of the merged filesystem.
// A leading '/' alone is ordinary (kaniko writes '/' and '/etc/...' in every layer): it is stripped
// without a warning. Only a '..' that climbs above the root is reported.

export interface NormalisedPath {
  path: string;
  /** True when the raw path tried to climb above the root. */
  escaped: boolean;
}

/** Fast check for the common case: nothing to collapse, strip or resolve. */
function isClean(p: string): boolean {
  const n = p.length;
  if (n === 0) return true;
  const c0 = p.charCodeAt(0);
  if (c0 === 0x2f || c0 === 0x2e || p.charCodeAt(n - 1) === 0x2f) return false;
  return p.indexOf('//') < 0 && p.indexOf('/.') < 0;
}

export function normalisePath(raw: string): NormalisedPath {
  if (isClean(raw)) return { path: raw, escaped: false };
  let escaped = false;
  const out: string[] = [];
  for (const seg of raw.split('/')) {
    if (seg === '' || seg === '.') continue;
    if (seg === '..') {
      if (out.length === 0) escaped = true;
      else out.pop();
      continue;
    }
    out.push(seg);
  }
  return { path: out.join('/'), escaped };
}
