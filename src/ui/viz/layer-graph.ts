// Painting of the layer graph with d3: owns the SVG under its container and nothing else.
// Every label goes through .text(), never .html(): commands and names come from the archive.
import * as d3 from 'd3';
import type { GraphLayout, GraphRow } from './layer-graph-layout';

export interface LayerRowInfo {
  command: string;
  size?: number;
  compressedSize: number;
  files?: number;
  added?: number;
  modified?: number;
  removed?: number;
  verification?: 'verified' | 'mismatch' | 'unverifiable';
  /** 0..1 while the layer is being read, undefined once indexed. */
  progress?: number;
  /** The load ended before this layer was read. */
  unread?: boolean;
}

export interface PaintInput {
  layout: GraphLayout;
  info: (row: Extract<GraphRow, { kind: 'layer' }>) => LayerRowInfo;
  maxSize: number;
  width: number;
  selected: { imageId: string | null; layer: number };
  /** Image whose layers are "current": rows of other branches are dimmed. */
  onSelect: (imageId: string, layer: number) => void;
  format: { bytes: (n: number | undefined) => string; count: (n: number | undefined) => string; compact: (n: number) => string };
}

const LANE_W = 16;
const PAD = 10;
export const ROW_H: Record<GraphRow['kind'], number> = { layer: 58, step: 22, writable: 34, head: 28 };
const CHAR_W = 7.25; // 12px monospace

interface Placed { row: GraphRow; index: number; y: number; h: number }

function place(layout: GraphLayout): { placed: Placed[]; height: number } {
  // Bottom-up: the last row is drawn at the top.
  const placed: Placed[] = [];
  let y = PAD;
  for (let i = layout.rows.length - 1; i >= 0; i--) {
    const row = layout.rows[i]!;
    const h = ROW_H[row.kind];
    placed[i] = { row, index: i, y, h };
    y += h;
  }
  return { placed, height: y + PAD };
}

function truncate(s: string, maxChars: number): string {
  if (maxChars <= 1) return '';
  return s.length > maxChars ? s.slice(0, maxChars - 1) + '…' : s;
}

const rowImages = (r: GraphRow): string[] => (r.kind === 'writable' || r.kind === 'head' ? [r.imageId] : r.imageIds);

const laneX = (lane: number) => PAD + lane * LANE_W + LANE_W / 2;

function isSelected(row: GraphRow, sel: PaintInput['selected']): boolean {
  return row.kind === 'layer' && row.layerIndex === sel.layer && sel.imageId !== null && row.imageIds.includes(sel.imageId);
}

export function paintLayerGraph(container: HTMLElement, input: PaintInput): { rowTop: (imageId: string, layer: number) => number | null } {
  const { layout, width, selected } = input;
  const { placed, height } = place(layout);
  const textX = PAD + layout.lanes * LANE_W + 8;
  const textW = Math.max(120, width - textX - PAD);

  const svg = d3.select(container).selectAll<SVGSVGElement, null>('svg.lg').data([null]).join('svg')
    .attr('class', 'lg').attr('width', width).attr('height', height).attr('role', 'presentation');

  // Edges: a vertical run in the child's lane with a curve out of the parent row.
  const edgeG = svg.selectAll<SVGGElement, null>('g.lg-edges').data([null]).join('g').attr('class', 'lg-edges');
  edgeG.selectAll<SVGPathElement, GraphLayout['edges'][number]>('path')
    .data(layout.edges)
    .join('path')
    .attr('class', (e) => (placed[e.toRow]?.row.kind === 'writable' || placed[e.toRow]?.row.kind === 'head' ? 'lg-edge lg-edge-writable' : 'lg-edge'))
    .attr('d', (e) => {
      const from = placed[e.fromRow]!;
      const to = placed[e.toRow]!;
      const x0 = laneX(e.fromLane);
      const x1 = laneX(e.toLane);
      const y0 = from.y + from.h / 2;
      const y1 = to.y + to.h / 2;
      if (x0 === x1) return `M${x0},${y0}V${y1}`;
      const bend = Math.min(16, Math.abs(y0 - y1) / 2);
      return `M${x0},${y0}C${x0},${y0 - bend} ${x1},${y0 - bend} ${x1},${y0 - bend * 2}V${y1}`;
    });

  const rowsG = svg.selectAll<SVGGElement, null>('g.lg-rows').data([null]).join('g').attr('class', 'lg-rows');
  const rows = rowsG.selectAll<SVGGElement, Placed>('g.lg-row')
    .data(placed, (p) => p.row.id)
    .join((enter) => {
      const g = enter.append('g');
      g.append('rect').attr('class', 'lg-bg');
      g.append('title');
      return g;
    })
    .attr('class', (p) => `lg-row lg-${p.row.kind}${isSelected(p.row, selected) ? ' is-selected' : ''}${p.row.kind === 'layer' && p.row.shared ? ' is-shared' : ''}${selected.imageId && !rowImages(p.row).includes(selected.imageId) ? ' is-other' : ''}`)
    .attr('transform', (p) => `translate(0,${p.y})`)
    .attr('data-testid', (p) => `layers.${p.row.kind === 'layer' ? 'row' : p.row.kind}`)
    .attr('data-layer-index', (p) => (p.row.kind === 'layer' ? p.row.layerIndex : null))
    .attr('data-image-ids', (p) => rowImages(p.row).join(' '))
    .attr('data-lane', (p) => p.row.lane)
    .attr('aria-selected', (p) => (p.row.kind === 'layer' ? String(isSelected(p.row, selected)) : null))
    .attr('role', (p) => (p.row.kind === 'layer' ? 'option' : null))
    .on('click', (_ev, p) => {
      if (p.row.kind !== 'layer') return;
      const img = selected.imageId && p.row.imageIds.includes(selected.imageId) ? selected.imageId : p.row.imageIds[0]!;
      input.onSelect(img, p.row.layerIndex);
    });

  rows.select('rect.lg-bg')
    .attr('x', textX - 6).attr('y', 1).attr('rx', 6)
    .attr('width', width - textX - PAD + 6).attr('height', (p) => p.h - 2);

  rows.each(function paintRow(p) {
    const g = d3.select(this);
    g.selectAll(':scope > :not(rect.lg-bg):not(title)').remove();
    const cy = p.h / 2;
    const r = p.row;
    if (r.kind === 'step') {
      g.select('title').text(r.text);
      g.append('circle').attr('class', 'lg-dot-step').attr('cx', laneX(r.lane)).attr('cy', cy).attr('r', 2.5);
      g.append('text').attr('class', 'lg-step-text').attr('x', textX).attr('y', cy + 4)
        .text(truncate(r.text, Math.floor(textW / (CHAR_W * 0.92))));
      return;
    }
    if (r.kind === 'head') {
      // The image's tag at the top of its lane: a label from the archive, so text only.
      g.select('title').text(r.label);
      g.append('circle').attr('class', 'lg-dot-head').attr('cx', laneX(r.lane)).attr('cy', cy).attr('r', 4);
      g.append('text').attr('class', 'lg-head-text').attr('x', textX).attr('y', cy + 4)
        .text(truncate(r.label, Math.floor(textW / CHAR_W)));
      return;
    }
    if (r.kind === 'writable') {
      g.select('title').text(`Writable container layer of ${r.label}`);
      g.append('rect').attr('class', 'lg-writable-box').attr('x', textX - 6).attr('y', 3).attr('rx', 6)
        .attr('width', width - textX - PAD + 6).attr('height', p.h - 6);
      g.append('circle').attr('class', 'lg-dot-writable').attr('cx', laneX(r.lane)).attr('cy', cy).attr('r', 5);
      g.append('text').attr('class', 'lg-writable-text').attr('x', textX + 4).attr('y', cy + 4)
        .text(truncate(`writable container layer · ${r.label}`, Math.floor(textW / CHAR_W)));
      return;
    }
    const info = input.info(r);
    g.select('title').text(info.command);
    g.attr('aria-label', `Layer ${r.layerIndex}: ${info.command}, ${input.format.bytes(info.size)}${r.shared ? ', shared' : ''}`);
    g.append('circle').attr('class', 'lg-dot').attr('cx', laneX(r.lane)).attr('cy', cy).attr('r', 5.5);

    // Badges on the right of line 1.
    const badges: { text: string; cls: string }[] = [];
    if (r.shared) badges.push({ text: 'shared', cls: 'shared' });
    if (info.verification) badges.push({ text: info.verification === 'verified' ? '✓ verified' : info.verification === 'mismatch' ? '✗ mismatch' : '? unverified', cls: info.verification });
    let bx = width - PAD - 4;
    for (const b of badges.reverse()) {
      const w = b.text.length * 6.3 + 12;
      bx -= w;
      const bg = g.append('g').attr('class', `lg-badge lg-badge-${b.cls}`).attr('transform', `translate(${bx},8)`);
      bg.append('rect').attr('width', w).attr('height', 17).attr('rx', 8.5);
      bg.append('text').attr('x', w / 2).attr('y', 12.5).attr('text-anchor', 'middle').text(b.text);
      bx -= 4;
    }
    const cmdChars = Math.floor((bx - textX - 4) / CHAR_W);
    g.append('text').attr('class', 'lg-cmd').attr('x', textX).attr('y', 21)
      .text(truncate(`${r.layerIndex}  ${info.command}`, cmdChars));

    // Line 2: size bar, sizes, file counts and change counts.
    const barW = Math.min(90, textW * 0.22);
    const frac = info.progress !== undefined ? info.progress : input.maxSize > 0 ? (info.size ?? 0) / input.maxSize : 0;
    g.append('rect').attr('class', 'lg-bar-track').attr('x', textX).attr('y', 33).attr('width', barW).attr('height', 8).attr('rx', 4);
    g.append('rect').attr('class', info.progress !== undefined ? 'lg-bar lg-bar-progress' : 'lg-bar')
      .attr('x', textX).attr('y', 33).attr('height', 8).attr('rx', 4)
      .attr('width', Math.max(frac > 0 ? 3 : 0, barW * Math.min(1, frac)));
    const line2 = g.append('text').attr('class', 'lg-meta').attr('x', textX + barW + 8).attr('y', 41);
    if (info.progress !== undefined) {
      line2.append('tspan').text(`reading… ${Math.round(info.progress * 100)}% of ${input.format.bytes(info.compressedSize)}`);
      return;
    }
    if (info.unread) {
      line2.append('tspan').text(`not read · ${input.format.bytes(info.compressedSize)} in the archive`);
      return;
    }
    line2.append('tspan').attr('class', 'lg-size').text(input.format.bytes(info.size));
    // Packed size only where it differs (docker save stores layers uncompressed); counts compact.
    const packed = info.size !== undefined && info.compressedSize < info.size * 0.98 ? ` · ${input.format.bytes(info.compressedSize)} packed` : '';
    const files = info.files === undefined ? '' : ` · ${input.format.compact(info.files)} file${info.files === 1 ? '' : 's'}`;
    line2.append('tspan').text(packed + files);
    if (info.added !== undefined) {
      const c = input.format.compact;
      // Files are the layer's non-directory entries; the changes count every path it writes,
      // directories and whiteouts included, so they say their unit (as `analyze` does).
      line2.append('tspan').text(' · paths ');
      line2.append('tspan').attr('class', 'c-added').text(`+${c(info.added)}`);
      line2.append('tspan').text(' ');
      line2.append('tspan').attr('class', 'c-modified').text(`~${c(info.modified ?? 0)}`);
      line2.append('tspan').text(' ');
      line2.append('tspan').attr('class', 'c-removed').text(`−${c(info.removed ?? 0)}`);
    }
  });

  return {
    rowTop: (imageId, layer) => {
      const p = placed.find((q) => q.row.kind === 'layer' && q.row.layerIndex === layer && q.row.imageIds.includes(imageId));
      return p ? p.y : null;
    },
  };
}
