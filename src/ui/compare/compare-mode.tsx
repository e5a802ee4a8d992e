// Compare mode (issue #12): pick images A and B among those loaded, then the compare view. The
// pair lives in the URL (`#compare=<a>,<b>`) so a reload or a shared link opens the same pair.
import { useEffect, useState } from 'react';
import { dataVersionOf, useLoadStore } from '../../store/load-store';
import type { ImageId } from '../../core/types';
import { CompareView } from './compare-view';
import { readCompareHash, writeCompareHash } from './compare-hash';

export function imageLabel(img: { id: string; tags: string[] }, i: number): string {
  return img.tags[0] ?? `image ${i + 1} (${img.id.slice(0, 19)})`;
}

export function CompareMode() {
  const images = useLoadStore((s) => s.summary?.images ?? []);
  const [pair, setPair] = useState(() => readCompareHash(window.location.hash) ?? { a: null, b: null });
  const has = (id: string | null) => id !== null && images.some((i) => i.id === id);
  const a = has(pair.a) ? pair.a! : images[0]?.id ?? null;
  const b = has(pair.b) ? pair.b! : images[1]?.id ?? null;
  const version = useLoadStore((s) => dataVersionOf(s, a as ImageId | null) + dataVersionOf(s, b as ImageId | null));

  useEffect(() => {
    if (a === null || b === null) return;
    history.replaceState(null, '', window.location.pathname + window.location.search + writeCompareHash(window.location.hash, { a, b }));
  }, [a, b]);

  const select = (side: 'a' | 'b', testId: string, value: string | null) => (
    <label className="compare-pick">
      <span className="muted">{side.toUpperCase()}</span>
      <select data-testid={testId} value={value ?? ''} onChange={(e) => setPair({ a, b, [side]: e.target.value })}>
        {images.map((img, i) => <option key={img.id} value={img.id}>{imageLabel(img, i)}</option>)}
      </select>
    </label>
  );
  return (
    <div className="compare-mode" data-testid="compare.mode">
      <div className="compare-bar">
        {select('a', 'compare.a', a)}
        <button className="ghost" title="Swap A and B" data-testid="compare.swap" onClick={() => setPair({ a: b, b: a })}>⇄</button>
        {select('b', 'compare.b', b)}
      </div>
      {a && b && <CompareView a={a as ImageId} b={b as ImageId} version={version} />}
    </div>
  );
}
