// The headline numbers: dive's efficiency and wasted bytes, and our reclaimable bytes.
import type { ImageId } from '../../core/types';
import { layerFacts, useLoadStore } from '../../store/load-store';
import { formatBytes, formatPercent } from '../format';

export function AnalysisSummary({ imageId }: { imageId: ImageId | null }) {
  // Figures over a prefix of the layers (compressed layers still being read) would mislead: wait.
  const analysis = useLoadStore((s) => (imageId && !s.analyses[imageId]?.partial ? s.analyses[imageId] : undefined));
  const image = useLoadStore((s) => s.summary?.images.find((i) => i.id === imageId));
  const layerState = useLoadStore((s) => s.layers);
  const total = image?.layers.reduce((n, l) => n + (layerFacts(layerState, l).uncompressedSize ?? 0), 0);
  const packed = image?.layers.reduce((n, l) => n + l.compressedSize, 0);
  const reading = useLoadStore((s) => s.status === 'loading' || s.status === 'starting');
  // '…' while the numbers are on their way, '—' when they will not come (cancelled, failed).
  const none = reading ? '…' : '—';
  const eff = analysis?.dive.efficiencyScore;
  const tone = eff === undefined ? '' : eff >= 0.95 ? 'good' : eff >= 0.8 ? 'fair' : 'poor';
  return (
    <div className="summary-cards" aria-label="Analysis summary">
      <div className={`card ${tone}`} title="dive's efficiency score: 1 minus the bytes of files duplicated or removed across layers over the image's total">
        <div className="card-label">Efficiency</div>
        <div className="card-value" data-testid="summary.efficiency">{eff === undefined ? none : formatPercent(eff)}</div>
      </div>
      <div className="card" title="dive's wasted bytes: the size of every file that appears in more than one layer, or was removed">
        <div className="card-label">Wasted</div>
        <div className="card-value" data-testid="summary.wasted">{analysis ? formatBytes(analysis.dive.inefficientBytes) : none}</div>
        {analysis && Number.isFinite(analysis.dive.userWastedPercent) && <div className="card-sub" title="of the bytes above the base layer">{formatPercent(analysis.dive.userWastedPercent)} of user</div>}
      </div>
      <div className="card" title="Bytes that a rebuild could drop: files overwritten or deleted by later layers">
        <div className="card-label">Reclaimable</div>
        <div className="card-value" data-testid="summary.reclaimable">{analysis ? formatBytes(analysis.reclaimableBytes) : none}</div>
      </div>
      <div className="card">
        <div className="card-label">Size</div>
        <div className="card-value" data-testid="summary.size">{formatBytes(analysis?.dive.sizeBytes ?? total)}</div>
        <div className="card-sub">{packed !== undefined && total !== undefined && packed < total * 0.95 ? `${formatBytes(packed)} packed` : `${image?.layers.length ?? 0} layers`}</div>
      </div>
    </div>
  );
}
