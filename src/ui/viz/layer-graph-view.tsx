// React host of the d3 layer graph: computes the layout from the summary, repaints on changes,
// and keeps the selected layer in view.
import { useHostWidth } from './use-width';
import { useLayoutEffect, useMemo, useRef } from 'react';
import type { ArchiveSummary, ImageRecord } from '../../core/image/model';
import type { ImageId } from '../../core/types';
import { layerFacts, type LayerState } from '../../store/load-store';
import type { ImageAnalysis } from '../../workers/protocol';
import { formatBytes, formatCompact, formatCount, trimCommand } from '../format';
import { paintLayerGraph, type LayerRowInfo } from './layer-graph';
import { layoutLayerGraph, type GraphImageInput } from './layer-graph-layout';

export function imageLabel(img: ImageRecord, i: number): string {
  return img.tags[0] ?? `image ${i + 1} (${img.id.replace(/^sha256:/, '').slice(0, 12)})`;
}

function toGraphInput(img: ImageRecord, i: number): GraphImageInput {
  const stepsBefore: string[][] = img.layers.map(() => []);
  stepsBefore.push([]);
  let next = 0; // index of the next layer not yet produced
  for (const step of img.history) {
    if (step.emptyLayer || step.layer === null) stepsBefore[Math.min(next, img.layers.length)]!.push(trimCommand(step.createdBy));
    else next = step.layer + 1;
  }
  return { id: img.id, label: imageLabel(img, i), layers: img.layers.map((l) => ({ key: l.key, index: l.index })), stepsBefore };
}

interface Props {
  summary: ArchiveSummary;
  layers: Record<string, LayerState>;
  analyses: Record<ImageId, ImageAnalysis>;
  selected: { imageId: ImageId | null; layer: number };
  /** False once the load has ended (done, cancelled): unread layers then say so instead of 'reading'. */
  reading: boolean;
  onSelect: (imageId: string, layer: number) => void;
}

export function LayerGraphView({ summary, layers, analyses, selected, reading, onSelect }: Props) {
  const [host, width] = useHostWidth();
  const layout = useMemo(() => layoutLayerGraph(summary.images.map(toGraphInput)), [summary]);
  const onSelectRef = useRef(onSelect);
  onSelectRef.current = onSelect;

  useLayoutEffect(() => {
    const el = host.current;
    if (!el || width === 0) return;
    const byId = new Map<string, ImageRecord>(summary.images.map((img) => [img.id, img]));
    let maxSize = 0;
    for (const img of summary.images) for (const l of img.layers) maxSize = Math.max(maxSize, layerFacts(layers, l).uncompressedSize ?? 0);
    const painted = paintLayerGraph(el, {
      layout,
      width,
      maxSize,
      selected,
      onSelect: (id, layer) => onSelectRef.current(id, layer),
      format: { bytes: formatBytes, count: formatCount, compact: formatCompact },
      info: (row): LayerRowInfo => {
        const img = byId.get(selected.imageId && row.imageIds.includes(selected.imageId) ? selected.imageId : row.imageIds[0]!);
        const record = img?.layers[row.layerIndex];
        const st = layers[row.key];
        const facts = record ? layerFacts(layers, record) : undefined;
        const stats = img ? analyses[img.id]?.layers[row.layerIndex] : undefined;
        const indexed = st?.indexed ?? false;
        return {
          command: record ? (record.command ? trimCommand(record.command) : '(no history for this layer)') : '',
          size: facts?.uncompressedSize ?? st?.uncompressedSize,
          compressedSize: record?.compressedSize ?? 0,
          files: facts?.files ?? st?.files,
          added: stats?.added,
          modified: stats ? stats.modified + stats.meta : undefined,
          removed: stats?.removed,
          verification: st?.verification,
          progress: indexed || !st || !reading ? undefined : st.bytesTotal > 0 ? st.bytesDone / st.bytesTotal : 0,
          unread: !indexed && !reading,
        };
      },
    });
    // Keep the selected layer visible inside the scrolling pane.
    const scroller = el.parentElement;
    const top = selected.imageId ? painted.rowTop(selected.imageId, selected.layer) : null;
    if (scroller && top !== null) {
      const y = top + el.offsetTop;
      if (y < scroller.scrollTop) scroller.scrollTop = y - 8;
      else if (y + 60 > scroller.scrollTop + scroller.clientHeight) scroller.scrollTop = y + 68 - scroller.clientHeight;
    }
  }, [host, layout, width, layers, analyses, selected, summary, reading]);

  return <div ref={host} className="layer-graph" />;
}
