// The order of dive's inefficient-files list. dive appends a path when it is seen the second
// time, visiting layers bottom-up and each layer's leaves depth-first with siblings sorted by name
// (a whiteout under its `.wh.` name); it then sorts by cumulative size ascending and prints the
// list reversed. Go's sort.Sort is an insertion sort up to 12 rows, hence stable there: the
// printed order is cumulative size descending, ties in reverse order of discovery. (Past 12 rows
// Go's pdqsort may order ties differently; sizes and counts are unaffected.)

import type { NodeTable } from '../merge/node-table';

export class DiveRows {
  node: number[] = [];
  layer: number[] = [];
  whiteout: boolean[] = [];

  push(node: number, layer: number, whiteout: boolean): void {
    this.node.push(node);
    this.layer.push(layer);
    this.whiteout.push(whiteout);
  }

  get length(): number {
    return this.node.length;
  }
}

/** Row indexes of `rows` in dive's printed order. */
export function sortDiveRows(rows: DiveRows, cum: Float64Array, nodes: NodeTable): number[] {
  const keys = new Map<number, string>();
  const key = (r: number) => {
    let k = keys.get(r);
    if (k === undefined) {
      k = diveKey(nodes, rows.node[r]!, rows.whiteout[r]!);
      keys.set(r, k);
    }
    return k;
  };
  const order = rows.node.map((_, r) => r);
  order.sort((a, b) => {
    const d = cum[rows.node[b]!]! - cum[rows.node[a]!]!;
    if (d !== 0) return d;
    if (rows.layer[a] !== rows.layer[b]) return rows.layer[b]! - rows.layer[a]!;
    const ka = key(a);
    const kb = key(b);
    return ka < kb ? 1 : ka > kb ? -1 : 0;
  });
  return order;
}

/** Components joined by U+0000, which sorts below every name byte: depth-first, siblings by name. */
function diveKey(nodes: NodeTable, node: number, whiteout: boolean): string {
  const parts: string[] = [];
  for (let n = node; n > 0; n = nodes.parent[n]!) parts.push(nodes.name(n));
  if (whiteout) parts[0] = `.wh.${parts[0]}`;
  return parts.reverse().join('\u0000');
}
