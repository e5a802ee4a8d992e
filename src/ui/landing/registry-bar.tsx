// Above the explorer while an image pulled by reference is open: the reference and the digest it
// resolved to, Docker Hub's remaining pulls when the registry says, and for a multi-platform index
// the platform picker (pulling another platform is a new pull of the same reference).
import { useLoadStore } from '../../store/load-store';
import { describeRateLimit, formatPlatform, pullReference, useRegistryStore } from '../../store/registry-store';

export function RegistryBar() {
  const phase = useRegistryStore((s) => s.phase);
  const canonical = useRegistryStore((s) => s.canonical);
  const text = useRegistryStore((s) => s.text);
  const digest = useRegistryStore((s) => s.digest);
  const rateLimit = useRegistryStore((s) => s.rateLimit);
  const summary = useLoadStore((s) => s.summary);
  if ((phase !== 'pulling' && phase !== 'loaded') || !canonical) return null;
  const chosen = summary?.images[0]?.platform;
  const others = summary?.otherPlatforms ?? [];
  const current = chosen ? formatPlatform(chosen) : '';
  const choices = [...new Set([current, ...others.map((o) => formatPlatform(o.platform))].filter(Boolean))].sort();
  return (
    <div className="registry-bar" data-testid="registry.bar">
      <span className="mono" title={digest}>{canonical}</span>
      {digest && <span className="muted mono" data-testid="registry.digest">{digest.slice(0, 19)}…</span>}
      {others.length > 0 && (
        <label className="registry-platform">
          Platform{' '}
          <select value={current} data-testid="open.registry.platform"
            onChange={(e) => void pullReference(text, { platform: e.target.value })}>
            {choices.map((p) => <option key={p} value={p}>{p}</option>)}
          </select>
        </label>
      )}
      {rateLimit && <span className="muted" data-testid="registry.rate-limit">{describeRateLimit(rateLimit)}</span>}
    </div>
  );
}
