// "Why is this image large", on one scrolling screen: the headline bytes, the size map, the largest
// files and directories, the packages, and the findings with their fixes.
import { useCallback, useMemo, useState } from 'react';
import type { ImageRecord } from '../../core/image/model';
import { dataVersionOf, useLoadStore } from '../../store/load-store';
import { useEngineQuery } from '../use-engine-query';
import { useView } from '../view-context';
import { formatBytes, formatPercent, trimCommand } from '../format';
import { FindingsList } from './findings-list';
import { LargestLists } from './largest-lists';
import { PackagesTable } from './packages-table';
import { SizeMapSection } from './size-map-section';

/** "layer 2 · RUN pip install …" for hover cards, tables and findings. */
export type DescribeLayer = (layer: number) => string;

export function layerDescriber(image: ImageRecord | undefined): DescribeLayer {
  return (layer) => {
    if (layer < 0) return 'layer unknown';
    const cmd = image?.layers[layer]?.command;
    return cmd ? `layer ${layer} · ${trimCommand(cmd)}` : `layer ${layer}`;
  };
}

export function SizeView() {
  const imageId = useView((s) => s.imageId);
  const analysis = useLoadStore((s) => (imageId && !s.analyses[imageId]?.partial ? s.analyses[imageId] : undefined));
  const image = useLoadStore((s) => s.summary?.images.find((i) => i.id === imageId));
  const dataVersion = useLoadStore((s) => dataVersionOf(s, imageId));
  const describe = useMemo(() => layerDescriber(image), [image]);
  const ready = !!imageId && !!analysis;
  const findings = useEngineQuery('findings', ready ? { imageId } : null, dataVersion);
  // The findings scroll to their largest only once the map above them has its final height.
  const [mapDrawn, setMapDrawn] = useState(false);
  const onMapDrawn = useCallback(() => setMapDrawn(true), []);

  if (!imageId || !ready) {
    return <div className="size-view"><p className="size-wait muted">The size analysis appears once every layer is read…</p></div>;
  }
  const list = findings.data ?? [];
  // The layer-caching findings' bytes are rebuilt per code change, not saved: left out of the sum.
  const saving = list.reduce((n, f) => n + (f.rebuilt ? 0 : f.bytes), 0);
  const saves = list.filter((f) => !f.rebuilt).length;
  const total = analysis.dive.sizeBytes;
  return (
    <div className="size-view" data-testid="size.view">
      <div className="size-strip" aria-label="Size summary">
        <Stat label="Total" value={formatBytes(total)} sub={`${image?.layers.length ?? 0} layers`} testId="size.total" />
        <Stat label="Wasted (dive)" value={formatBytes(analysis.dive.inefficientBytes)}
          sub={`${formatPercent(analysis.dive.userWastedPercent)} of user layers`} testId="size.wasted"
          title="dive's wasted bytes: every file that appears in more than one layer, or was removed" />
        <Stat label="Reclaimable" value={formatBytes(analysis.reclaimableBytes)}
          sub={total > 0 ? `${formatPercent(analysis.reclaimableBytes / total)} of the image` : ''} testId="size.reclaimable"
          title="Bytes layers ship that the final filesystem no longer shows: overwritten, removed, or rewritten unchanged" />
        <Stat label="Findings could save" value={findings.data ? formatBytes(saving) : '…'} tone={saving > 0 ? 'save' : ''}
          sub={findings.data ? `${saves} finding${saves === 1 ? '' : 's'}${total > 0 ? ` · ${formatPercent(saving / total)}` : ''}` : ''}
          testId="size.saving" title="The sum of the findings below; no file counts in two findings" />
      </div>
      <SizeMapSection imageId={imageId} version={dataVersion} describe={describe} onDrawn={onMapDrawn} />
      <FindingsList findings={findings.data} error={findings.error} describe={describe} settled={mapDrawn} />
      <LargestLists imageId={imageId} version={dataVersion} describe={describe} />
      <PackagesTable imageId={imageId} version={dataVersion} describe={describe} />
    </div>
  );
}

function Stat({ label, value, sub, testId, title, tone = '' }: { label: string; value: string; sub: string; testId: string; title?: string; tone?: string }) {
  return (
    <div className={`card ${tone}`} title={title}>
      <div className="card-label">{label}</div>
      <div className="card-value" data-testid={testId}>{value}</div>
      <div className="card-sub">{sub}</div>
    </div>
  );
}
