// Compare mode in the URL (issue #12): `#compare=<a>,<b>` holds the two image ids; `#compare`
// alone asks for compare mode on the first two images. Other hash content is left alone.

export interface CompareHash { a: string | null; b: string | null }

/** The compare pair in `hash`, or null when the hash does not ask for compare mode. */
export function readCompareHash(hash: string): CompareHash | null {
  const part = hash.replace(/^#/, '').split('&').find((p) => p === 'compare' || p.startsWith('compare='));
  if (part === undefined) return null;
  const [a, b] = part.slice('compare='.length).split(',').map((s) => decodeURIComponent(s));
  return { a: a || null, b: b || null };
}

/** `hash` with the compare part set to the pair (or removed when null), other parts kept. */
export function writeCompareHash(hash: string, pair: CompareHash | null): string {
  const rest = hash.replace(/^#/, '').split('&').filter((p) => p !== '' && p !== 'compare' && !p.startsWith('compare='));
  if (pair) rest.push(`compare=${encodeURIComponent(pair.a ?? '')},${encodeURIComponent(pair.b ?? '')}`);
  return rest.length > 0 ? `#${rest.join('&')}` : '';
}
